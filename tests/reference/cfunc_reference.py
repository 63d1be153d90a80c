#!/usr/bin/env python3
"""Reference traces from NEURON 9.0.2 for VERBATIM C that Neurite translates.

Writes tests/reference/data/cfunc_binok.json: tests/reference/mod/BinoK.mod (a
stochastic potassium channel written with the C idioms of the Blue Brain
StochKv channels: C functions at the top level of the file, macros, a FUNCTION
written wholly in C drawing binomial counts through urand()) in four passive
somata with hh and an IClamp step:

  0  many channels, a Random123 stream given by ids: setRNG(1, 2, 3)
  1  many channels, a HOC Random (MCellRan4(7, 11), uniform(0, 1)): setRNG(r)
  2  few channels (fewer than 16), a HOC Random on Random123(4, 5, 6)
  3  about a hundred channels (few draws each step), a HOC Random:
     MCellRan4(3), uniform(0, 1)
  4  many channels, deterministic = 1

v(0.5) of every soma at every step, and N, halfN and the number of channels
that moved (nmoves) at the end.

Usage: /work/venv-neuron/bin/python tests/reference/cfunc_reference.py
(nrnivmodl from the same environment compiles the mechanism in a temporary
folder).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
MOD = os.path.join(HERE, "mod")

# (gamma pS, gkbar S/cm2, deterministic): N = gkbar/gamma*1e4*area
CELLS = [(20, 0.01, 0), (20, 0.01, 0), (20, 2e-5, 0), (20, 1.5e-4, 0), (20, 0.01, 1)]
SOMA = {"L": 20, "diam": 20, "gnabar_hh": 0.12, "gkbar_hh": 0.02, "gl_hh": 3e-4}
ICLAMP = {"del": 5, "dur": 30, "amp": 0.15}
DT, TSTOP = 0.025, 60


def scenario(h):
    somas, chans, vs, stims = [], [], [], []
    r1 = h.Random()
    r1.MCellRan4(7, 11)
    r1.uniform(0, 1)
    r2 = h.Random()
    r2.Random123(4, 5, 6)
    r2.uniform(0, 1)
    r3 = h.Random()
    r3.MCellRan4(3)
    r3.uniform(0, 1)
    for k, (gamma, gkbar, det) in enumerate(CELLS):
        s = h.Section(name="soma%d" % k)
        s.L, s.diam = SOMA["L"], SOMA["diam"]
        s.insert("hh")
        s.gnabar_hh, s.gkbar_hh, s.gl_hh = SOMA["gnabar_hh"], SOMA["gkbar_hh"], SOMA["gl_hh"]
        s.insert("BinoK")
        seg = s(0.5)
        seg.gamma_BinoK, seg.gkbar_BinoK, seg.deterministic_BinoK = gamma, gkbar, det
        stim = h.IClamp(seg)
        stim.delay, stim.dur, stim.amp = ICLAMP["del"], ICLAMP["dur"], ICLAMP["amp"]
        v = h.Vector()
        v.record(seg._ref_v)
        somas.append(s)
        stims.append(stim)
        vs.append(v)
    h.setdata_BinoK(somas[0](0.5))
    h.setRNG_BinoK(1, 2, 3)
    h.setdata_BinoK(somas[1](0.5))
    h.setRNG_BinoK(r1)
    h.setdata_BinoK(somas[2](0.5))
    h.setRNG_BinoK(r2)
    h.setdata_BinoK(somas[3](0.5))
    h.setRNG_BinoK(r3)
    h.dt = DT
    h.finitialize(-65)
    h.continuerun(TSTOP)
    return {
        "dt": DT,
        "tstop": TSTOP,
        "soma": SOMA,
        "iclamp": ICLAMP,
        "cells": [
            {"gamma": g, "gkbar": gk, "deterministic": d} for g, gk, d in CELLS
        ],
        "rng": ["setRNG(1, 2, 3)", "setRNG(r): MCellRan4(7, 11), uniform(0, 1)",
                "setRNG(r): Random123(4, 5, 6), uniform(0, 1)",
                "setRNG(r): MCellRan4(3), uniform(0, 1)", "none"],
        "v": [list(v) for v in vs],
        "N": [s(0.5).N_BinoK for s in somas],
        "halfN": [s(0.5).halfN_BinoK for s in somas],
        "nmoves": [s(0.5).nmoves_BinoK for s in somas],
    }


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--scenario":
        from neuron import h

        h.nrn_load_dll(os.path.join(sys.argv[2], "x86_64", "libnrnmech.so"))
        h.load_file("stdrun.hoc")
        print(json.dumps(scenario(h)))
        return
    import neuron

    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    with tempfile.TemporaryDirectory() as libdir:
        shutil.copy(os.path.join(MOD, "BinoK.mod"), libdir)
        subprocess.run([nrnivmodl], cwd=libdir, check=True, capture_output=True)
        out = subprocess.run(
            [sys.executable, __file__, "--scenario", libdir],
            check=True, capture_output=True, text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
    data = {"neuron_version": neuron.__version__,
            "script": "tests/reference/cfunc_reference.py", **result}
    path = os.path.join(DATA, "cfunc_binok.json")
    with open(path + ".tmp", "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print("N", data["N"], "halfN", data["halfN"], "nmoves", data["nmoves"])


if __name__ == "__main__":
    main()
