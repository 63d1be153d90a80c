#!/usr/bin/env python3
"""NEURON reference for variables NEURON keeps once for all instances.

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python):

    python tests/reference/shared_reference.py

Compiles `mod/shared/ShareVol.mod` with nrnivmodl into a temporary folder, runs
the HOC program below (three somas of different diameters, each with the
mechanism, and an IClamp on the first) and writes `data/shared_globals.json`:
NEURON's version, the program text and the recorded Vectors (17 significant
digits). The mechanism assigns a file-level LOCAL and a GLOBAL from diam in
INITIAL and reads them in BREAKPOINT, so every instance sees the last
instance's values. `tests/shared_globals.rs` runs the same program in Neurite.
"""
import os

import nrnmech

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
MOD = os.path.join(HERE, "mod", "shared")

PROGRAM = """
load_file("stdrun.hoc")
create soma[3]
for k = 0, 2 soma[k] { L = 20  diam = 10 + 7*k  nseg = 1  insert pas  insert sharevol  gain_sharevol = 1e-5*(k + 1) }
objref ic
soma[0] ic = new IClamp(0.5)
ic.del = 1
ic.dur = 2
ic.amp = 0.05
objref rec[7]
for k = 0, 2 {
    rec[2*k] = new Vector()
    rec[2*k].record(&soma[k].v(0.5))
    rec[2*k+1] = new Vector()
    rec[2*k+1].record(&soma[k].seen_sharevol(0.5))
}
rec[6] = new Vector()
rec[6].record(&gmax_sharevol)
dt = 0.025
steps_per_ms = 40
tstop = 5
v_init = -65
run()
"""


def run_here(libdir):
    h = nrnmech.load(libdir)
    h(PROGRAM)
    vectors = {"rec%d" % k: [float("%.17g" % x) for x in h.rec[k]] for k in range(7)}
    out = {"neuron_version": h.nrnversion(), "program": PROGRAM, "vectors": vectors}
    path = os.path.join(DATA, "shared_globals.json")
    nrnmech.write_json(path, out)


if __name__ == "__main__":
    nrnmech.main(os.path.abspath(__file__), MOD, run_here)
