#!/bin/sh
# NEURON's run of mech_calls.hoc: bmtk 1.2.0's vecevent.mod (from the bmtk
# package installed next to NEURON's Python, or $BMTK_MODFILES) compiled by
# nrnivmodl in a scratch folder, the script run by nrniv -nogui (default
# /work/venv-neuron/bin/nrniv, or $NRNIV); the file it writes is kept in
# expected/ with NEURON's version. tests/hoc_run.rs runs the same with
# `neurite run --mod-dir <bmtk's modfiles>`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
nrniv=${NRNIV:-/work/venv-neuron/bin/nrniv}
python=$(dirname "$nrniv")/python
mods=${BMTK_MODFILES:-$("$python" -c 'import bmtk, os; print(os.path.join(os.path.dirname(bmtk.__file__), "utils/scripts/bionet/mechanisms/modfiles"))')}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/mods"
cp "$mods/vecevent.mod" "$scratch/mods/"
(cd "$scratch/mods" && "$(dirname "$nrniv")/nrnivmodl" > log 2>&1)
for name in mech_calls; do
    (cd "$scratch" && "$nrniv" -nogui -dll "$scratch/mods/x86_64/libnrnmech.so" \
        "$here/$name.hoc" < /dev/null > "$name.log" 2>&1) || { cat "$scratch/$name.log"; exit 1; }
    cp "$scratch/$name.dat" "$here/expected/$name.dat"
done
"$nrniv" -nogui -c 'print nrnversion()' -c 'quit()' < /dev/null 2>/dev/null | tail -n 1 > "$here/expected/VERSION"
