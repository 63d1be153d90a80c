#!/bin/sh
# NEURON's view of bmtk 1.2.0's default templates: runs templates.hoc (with
# NEURON's import3d.hoc, then with bmtk's old copy) under
# nrniv -nogui (default /work/venv-neuron/bin/nrniv, or $NRNIV) with bmtk's
# files from $BMTK_DIR (the installed `bmtk` package folder) on bmtk's
# Nr5a1_471087815_m.swc, and keeps what it writes in expected/ with NEURON's
# version; allen_cell.hoc likewise with bmtk's channels compiled by nrnivmodl.
# tests/bmtk_templates.rs runs the same with `neurite run`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
nrniv=${NRNIV:-/work/venv-neuron/bin/nrniv}
bmtk=${BMTK_DIR:?set BMTK_DIR to the installed bmtk package folder (.../bmtk)}
swc="$bmtk/utils/scripts/bionet/morphologies/Nr5a1_471087815_m.swc"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$here/expected"
(cd "$scratch" && "$nrniv" -nogui -c 'strdef bmtk_dir, swc' -c "bmtk_dir = \"$bmtk\"" \
    -c "swc = \"$swc\"" -c 'use_old_import3d = 0' "$here/templates.hoc" "$here/export_points.hoc" < /dev/null > log 2>&1)
cp "$scratch/bmtk_templates.dat" "$here/expected/bmtk_templates.dat"
(cd "$scratch" && "$nrniv" -nogui -c 'strdef bmtk_dir, swc' -c "bmtk_dir = \"$bmtk\"" \
    -c "swc = \"$swc\"" -c 'use_old_import3d = 1' "$here/templates.hoc" < /dev/null > log3 2>&1)
cp "$scratch/bmtk_templates_old_import3d.dat" "$here/expected/bmtk_templates_old_import3d.dat"
cp "$scratch/bmtk_points.hoc" "$here/expected/bmtk_points.hoc"
# NEURON on its own exported points (a check of the export itself)
(cd "$scratch" && "$nrniv" -nogui "$here/expected/bmtk_points.hoc" < /dev/null > log2 2>&1)
cp "$scratch/bmtk_points_out.dat" "$here/expected/bmtk_points_out.dat"
# a whole cell with bmtk's channels (compiled by nrnivmodl in the scratch folder)
mkdir "$scratch/mods"
cp "$bmtk"/utils/scripts/bionet/mechanisms/modfiles/*.mod "$scratch/mods/"
(cd "$scratch/mods" && "$(dirname "$nrniv")/nrnivmodl" > log 2>&1)
(cd "$scratch" && "$nrniv" -nogui -dll "$scratch/mods/x86_64/libnrnmech.so" -c 'strdef bmtk_dir, swc' \
    -c "bmtk_dir = \"$bmtk\"" -c "swc = \"$swc\"" "$here/allen_cell.hoc" < /dev/null > log4 2>&1)
cp "$scratch/allen_cell.dat" "$here/expected/allen_cell.dat"
"$nrniv" -nogui -c 'print nrnversion()' -c 'quit()' < /dev/null 2>/dev/null | tail -n 1 > "$here/expected/VERSION"
