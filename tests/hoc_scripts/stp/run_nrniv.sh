#!/bin/sh
# NEURON's run of stp_synapse.hoc: Neurite's own STP synapse mod files
# (mod_files/AMPA_NMDA_STP.mod, GABA_A_STP.mod, GABA_B_STP.mod) compiled by
# nrnivmodl in a scratch folder, the script run by nrniv -nogui (default
# /work/venv-neuron/bin/nrniv, or $NRNIV) with the repository as `root`; the
# file it writes is kept in expected/ with NEURON's version.
# tests/hoc_run.rs runs the same with `neurite run --mod-dir mod_files`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
nrniv=${NRNIV:-/work/venv-neuron/bin/nrniv}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/mods"
for m in AMPA_NMDA_STP GABA_A_STP GABA_B_STP; do cp "$root/mod_files/$m.mod" "$scratch/mods/"; done
(cd "$scratch/mods" && "$(dirname "$nrniv")/nrnivmodl" > log 2>&1)
(cd "$scratch" && "$nrniv" -nogui -dll "$scratch/mods/x86_64/libnrnmech.so" -c 'strdef root' \
    -c "root = \"$root\"" "$here/stp_synapse.hoc" < /dev/null > log 2>&1)
cp "$scratch/stp_synapse.dat" "$here/expected/stp_synapse.dat"
"$nrniv" -nogui -c 'print nrnversion()' -c 'quit()' < /dev/null 2>/dev/null | tail -n 1 > "$here/expected/VERSION"
