#!/usr/bin/env python3
"""NEURON reference traces for Neurite's VClamp (mod_files/VClamp.mod).

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python):

    python tests/reference/vclamp_reference.py

Each case is a HOC program that builds a cell, places NEURON's built-in VClamp
(the two-electrode clamp of src/nrnoc/vclmp.mod) at the soma, records into the
Vectors `tv` (t), `vs` (soma v), `iv` (the clamp's i), `vd` (a dendrite's v) and
`vo` (the amplifier output), and runs with `run()` (dt 0.025 ms, secondorder 0).
The script runs each program in NEURON and writes
`data/vclamp_<case>.json` with NEURON's version, the program text and every
sample (12 significant digits). `tests/vclamp.rs` runs the same program text
with Neurite (which takes VClamp from its own mod_files/) and compares.
"""
import json
import os
import subprocess
import sys

from neuron import h

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

CELL = """
load_file("stdrun.hoc")
create soma, dend
soma { L = 20  diam = 20  nseg = 1  insert hh }
dend { L = 200  diam = 2  nseg = 5  insert pas  g_pas = 1e-4  e_pas = -65 }
connect dend(0), soma(1)
objref vc, tv, vs, iv, vd, vo
soma vc = new VClamp(0.5)
"""

RECORD = """
tv = new Vector()
vs = new Vector()
iv = new Vector()
vd = new Vector()
vo = new Vector()
tv.record(&t)
vs.record(&soma.v(0.5))
iv.record(&vc.i)
vd.record(&dend.v(0.9))
vo.record(&vc.vo)
dt = 0.025
steps_per_ms = 40
celsius = 6.3
"""

CASES = {
    # NEURON's defaults (gain 1e5, rstim 1 MOhm, tau1 1 us, tau2 0): three levels,
    # then 4 ms with the clamp off.
    "defaults": """
vc.dur[0] = 2
vc.amp[0] = -70
vc.dur[1] = 5
vc.amp[1] = -10
vc.dur[2] = 3
vc.amp[2] = -80
tstop = 14
""",
    # A slow, low-gain amplifier with an output lag and feedback (every term of
    # the circuit equations), a first level of zero length.
    "slow_amplifier": """
vc.gain = 1000
vc.rstim = 5
vc.tau1 = 0.05
vc.tau2 = 0.02
vc.fac = 0.3
vc.dur[0] = 0
vc.amp[0] = -50
vc.dur[1] = 4
vc.amp[1] = -30
vc.dur[2] = 4
vc.amp[2] = -60
tstop = 12
""",
    # bmtool's use: every level at the holding potential, durations tstart,
    # tstop, 1e9 (never off), run from +70 mV as bmtool's trains do.
    "bmtool_holding": """
vc.dur[0] = 5
vc.amp[0] = -70
vc.dur[1] = 10
vc.amp[1] = -70
vc.dur[2] = 1e9
vc.amp[2] = -70
tstop = 10
v_init = 70
""",
}


def run(name, params):
    """Runs one case in this process (each case in a fresh one: they share names)."""
    program = CELL + RECORD + params
    if "v_init" not in params:
        program += "v_init = -65\n"
    program += "run()\n"
    h(program)
    vectors = {v: [float("%.12g" % x) for x in getattr(h, v)]
               for v in ("tv", "vs", "iv", "vd", "vo")}
    out = {
        "neuron_version": h.nrnversion(),
        "case": name,
        "dt": h.dt,
        "secondorder": int(h.secondorder),
        "program": program,
        "vectors": vectors,
    }
    path = os.path.join(DATA, "vclamp_%s.json" % name)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path, len(vectors["tv"]), "samples")


if __name__ == "__main__":
    if len(sys.argv) == 2:
        run(sys.argv[1], CASES[sys.argv[1]])
    else:
        for case in CASES:
            subprocess.run([sys.executable, __file__, case], check=True)
