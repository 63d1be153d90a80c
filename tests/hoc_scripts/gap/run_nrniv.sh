#!/bin/sh
# NEURON's run of gap_coupling.hoc: Neurite's own mod_files/Gap.mod compiled by
# nrnivmodl in a scratch folder, the script run by nrniv -nogui (default
# /work/venv-neuron/bin/nrniv, or $NRNIV); the file it writes is kept in
# expected/ with NEURON's version. tests/hoc_run.rs runs the same with
# `neurite run --mod-dir mod_files`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
nrniv=${NRNIV:-/work/venv-neuron/bin/nrniv}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/mods"
cp "$root/mod_files/Gap.mod" "$scratch/mods/"
(cd "$scratch/mods" && "$(dirname "$nrniv")/nrnivmodl" > log 2>&1)
for name in gap_coupling gap_sources; do
    (cd "$scratch" && "$nrniv" -nogui -dll "$scratch/mods/x86_64/libnrnmech.so" \
        "$here/$name.hoc" < /dev/null > "$name.log" 2>&1) || { cat "$scratch/$name.log"; exit 1; }
    cp "$scratch/$name.dat" "$here/expected/$name.dat"
done
"$nrniv" -nogui -c 'print nrnversion()' -c 'quit()' < /dev/null 2>/dev/null | tail -n 1 > "$here/expected/VERSION"
