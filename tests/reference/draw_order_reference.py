#!/usr/bin/env python3
"""NEURON reference for the order of draws from NMODL's one scop generator.

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python):

    python tests/reference/draw_order_reference.py

Compiles `mod/draworder/DrawOrder.mod` with nrnivmodl into a temporary folder,
runs the HOC program below in nrniv's Python (three somas, each with the
mechanism; the first reseeds the generator in INITIAL) and writes
`data/draw_order.json`: NEURON's version, the program text and the recorded
Vectors (17 significant digits). Every draw comes from one shared generator, so
the values equal NEURON's only if every block runs instance after instance, as
NEURON's C loops do. `tests/random_draw_order.rs` runs the same program in
Neurite and compares.
"""
import os

import nrnmech

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
MOD = os.path.join(HERE, "mod", "draworder")

PROGRAM = """
load_file("stdrun.hoc")
create soma[3]
for k = 0, 2 soma[k] { L = 10 + 5*k  diam = 10 + 5*k  nseg = 1  insert pas  insert draworder }
soma[0].seed_draworder = 11
objref tv
tv = new Vector()
tv.record(&t)
objref rec[15]
for k = 0, 2 {
    rec[5*k] = new Vector()
    rec[5*k].record(&soma[k].a_draworder(0.5))
    rec[5*k+1] = new Vector()
    rec[5*k+1].record(&soma[k].b_draworder(0.5))
    rec[5*k+2] = new Vector()
    rec[5*k+2].record(&soma[k].c_draworder(0.5))
    rec[5*k+3] = new Vector()
    rec[5*k+3].record(&soma[k].last_draworder(0.5))
    rec[5*k+4] = new Vector()
    rec[5*k+4].record(&soma[k].v(0.5))
}
dt = 0.025
steps_per_ms = 40
tstop = 2
v_init = -65
run()
"""

NAMES = ["a", "b", "c", "last", "v"]


def run_here(libdir):
    h = nrnmech.load(libdir)
    h(PROGRAM)
    vectors = {"t": list(h.tv)}
    for k in range(3):
        for j, name in enumerate(NAMES):
            vectors["%s%d" % (name, k)] = list(h.rec[5 * k + j])
    out = {
        "neuron_version": h.nrnversion(),
        "program": PROGRAM,
        "vectors": {key: [float("%.17g" % x) for x in xs] for key, xs in vectors.items()},
    }
    path = os.path.join(DATA, "draw_order.json")
    nrnmech.write_json(path, out)


if __name__ == "__main__":
    nrnmech.main(os.path.abspath(__file__), MOD, run_here)
