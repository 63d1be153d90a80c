#!/usr/bin/env python3
"""NEURON 9.0.2 reference for BEFORE/AFTER blocks, TABLEs of arrays, a file
mixing derivimplicit, cnexp and euler under secondorder, and FUNCTION_TABLE.

Run with NEURON 9.0.2's Python (nrnivmodl and a C++ compiler needed):

    /work/venv-neuron/bin/python tests/reference/ba_reference.py

The test mechanisms of tests/reference/mod/ (baseq, BaProbe, dimix, tarr,
ftab) are compiled in a temporary folder. The model is a HOC program, kept in
the JSON file (`hoc`), so tests/nmodl_ba.rs runs exactly the same text in
Neurite: one passive soma with baseq (every BEFORE/AFTER block stamping a
count, v and t), dimix and tarr, a BaProbe point process (AFTER SOLVE copies
v to x, watched by a NetCon; BEFORE STEP integrates v and toggles a current),
an IClamp, and ftab, whose FUNCTION_TABLEs are given from HOC (a Vector pair,
a constant, a 2-D table from a Vector with sizes and bounds). `run_case(so,
cel)` runs 20 ms at secondorder `so` and celsius `cel`; the recorded Vectors
`rec[k]` are named in `names`. Writes tests/reference/data/nmodl_ba.json.
"""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
MODS = ["baseq.mod", "baprobe.mod", "dimix.mod", "tarr.mod", "ftab.mod"]

NAMES = [
    "t", "v", "ica", "kbi", "kin", "kai", "kbb", "kst", "kas", "kbs",
    "vbi", "vai", "vbb", "vas", "vbs", "tbb", "tas", "tbs", "sas", "drive",
    "x", "acc", "on", "n", "a", "b", "c", "tx", "ty", "tz", "fg", "fk", "fm",
]

HOC = r"""
create soma
soma {
    L = 20
    diam = 20
    nseg = 1
    Ra = 100
    cm = 1
    insert pas
    g_pas = 0.001
    e_pas = -65
    insert baseq
    insert dimix
    insert tarr
    insert ftab
}
objref pr, stim, nc, spk, rec[33], ftv, fxv, f2, nil
soma pr = new BaProbe(0.5)
soma stim = new IClamp(0.5)
stim.del = 2
stim.dur = 10
stim.amp = 0.3
soma nc = new NetCon(&pr.x, nil)
nc.threshold = -50
spk = new Vector()
nc.record(spk)

// FUNCTION_TABLEs: gtab from a pair of Vectors, kconst a constant, m2 a
// 2-D table over (v, celsius) from a Vector with sizes and bounds
ftv = new Vector(5)
fxv = new Vector(5)
ftv.x[0] = 0.1
ftv.x[1] = 0.3
ftv.x[2] = 0.8
ftv.x[3] = 1.5
ftv.x[4] = 1.6
fxv.x[0] = -90
fxv.x[1] = -70
fxv.x[2] = -55
fxv.x[3] = -30
fxv.x[4] = 20
table_gtab_ftab(ftv, fxv)
table_kconst_ftab(0.25)
f2 = new Vector(12)
for i = 0, 11 f2.x[i] = 0.05*i + 0.01*i*i
table_m2_ftab(&f2.x[0], 4, -80, 40, 3, 0, 30)

for i = 0, 32 rec[i] = new Vector()
rec[0].record(&t)
rec[1].record(&soma.v(0.5))
rec[2].record(&soma.ica(0.5))
rec[3].record(&soma.kbi_baseq(0.5))
rec[4].record(&soma.kin_baseq(0.5))
rec[5].record(&soma.kai_baseq(0.5))
rec[6].record(&soma.kbb_baseq(0.5))
rec[7].record(&soma.kst_baseq(0.5))
rec[8].record(&soma.kas_baseq(0.5))
rec[9].record(&soma.kbs_baseq(0.5))
rec[10].record(&soma.vbi_baseq(0.5))
rec[11].record(&soma.vai_baseq(0.5))
rec[12].record(&soma.vbb_baseq(0.5))
rec[13].record(&soma.vas_baseq(0.5))
rec[14].record(&soma.vbs_baseq(0.5))
rec[15].record(&soma.tbb_baseq(0.5))
rec[16].record(&soma.tas_baseq(0.5))
rec[17].record(&soma.tbs_baseq(0.5))
rec[18].record(&soma.sas_baseq(0.5))
rec[19].record(&soma.drive_baseq(0.5))
rec[20].record(&pr.x)
rec[21].record(&pr.acc)
rec[22].record(&pr.on)
rec[23].record(&pr.n)
rec[24].record(&soma.a_dimix(0.5))
rec[25].record(&soma.b_dimix(0.5))
rec[26].record(&soma.c_dimix(0.5))
rec[27].record(&soma.ga_tarr(0.5))
rec[28].record(&soma.gb_tarr(0.5))
rec[29].record(&soma.gc_tarr(0.5))
rec[30].record(&soma.fg_ftab(0.5))
rec[31].record(&soma.fk_ftab(0.5))
rec[32].record(&soma.fm_ftab(0.5))

proc run_case() {
    secondorder = $1
    celsius = $2
    dt = 0.025
    finitialize(-65)
    while (t < 20 - dt/2) {
        fadvance()
    }
}
"""

CASES = [(0, 6.3), (2, 6.3), (0, 16.0), (2, 16.0)]


def compile_mod():
    tmp = tempfile.mkdtemp(prefix="neurite-ba-")
    for name in MODS:
        shutil.copy(os.path.join(HERE, "mod", name), tmp)
    subprocess.run(["nrnivmodl"], cwd=tmp, check=True, capture_output=True)
    return tmp


def main():
    lib = compile_mod()
    from neuron import h

    h.nrn_load_dll(os.path.join(lib, "x86_64", "libnrnmech.so"))
    h(HOC)
    runs = []
    for so, cel in CASES:
        h.run_case(so, cel)
        rec = {name: list(h.rec[k]) for k, name in enumerate(NAMES)}
        runs.append({"secondorder": so, "celsius": cel, "spikes": list(h.spk), **rec})
    out = {
        "case": "before_after",
        "neuron_version": h.nrnversion(),
        "hoc": HOC,
        "names": NAMES,
        "runs": runs,
    }
    path = os.path.join(DATA, "nmodl_ba.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path)
    shutil.rmtree(lib, ignore_errors=True)


if __name__ == "__main__":
    main()
