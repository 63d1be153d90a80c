#!/bin/sh
# Runs every script of tests/hoc_scripts under NEURON (nrniv -nogui, default
# /work/venv-neuron/bin/nrniv, or $NRNIV) in a scratch folder and copies the
# files they write into expected/, with NEURON's version in expected/VERSION.
# tests/hoc_run.rs runs the same scripts with `neurite run` and compares.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
nrniv=${NRNIV:-/work/venv-neuron/bin/nrniv}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for script in "$here"/*.hoc; do
    name=$(basename "$script" .hoc)
    (cd "$scratch" && "$nrniv" -nogui "$script" < /dev/null > "$name.log" 2>&1)
    cp "$scratch/$name.dat" "$here/expected/$name.dat"
done
"$nrniv" -nogui -c 'print nrnversion()' -c 'quit()' < /dev/null 2>/dev/null | tail -n 1 > "$here/expected/VERSION"
