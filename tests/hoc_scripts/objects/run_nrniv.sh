#!/bin/sh
# NEURON's runs of the scripts in this folder: Neurite's test mechanisms
# (tests/reference/mod: ScopStim, ptracc, cadyn, fnenv, fnpp, ptrgap) and
# mod_files/Gap.mod compiled by nrnivmodl in a scratch folder, each script run
# by nrniv -nogui (default /work/venv-neuron/bin/nrniv, or $NRNIV); the files
# they write are kept in expected/ with NEURON's version. tests/hoc_run.rs
# runs the same with `neurite run --mod-dir tests/reference/mod`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
nrniv=${NRNIV:-/work/venv-neuron/bin/nrniv}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/mods"
for m in ScopStim ptracc cadyn fnenv fnpp ptrgap; do
    cp "$root/tests/reference/mod/$m.mod" "$scratch/mods/"
done
cp "$root/mod_files/Gap.mod" "$scratch/mods/"
(cd "$scratch/mods" && "$(dirname "$nrniv")/nrnivmodl" > log 2>&1)
for name in drop_objects drop_gap pointer_write ion_pointers fn_env gid_connect3; do
    (cd "$scratch" && "$nrniv" -nogui -dll "$scratch/mods/x86_64/libnrnmech.so" \
        "$here/$name.hoc" < /dev/null > "$name.log" 2>&1) || { cat "$scratch/$name.log"; exit 1; }
    cp "$scratch/$name.dat" "$here/expected/$name.dat"
done
"$nrniv" -nogui -c 'print nrnversion()' -c 'quit()' < /dev/null 2>/dev/null | tail -n 1 > "$here/expected/VERSION"
