#!/usr/bin/env python3
"""NEURON 9.0.2 reference traces for NMODL's LONGITUDINAL_DIFFUSION.

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python):

    python tests/reference/ldifus_reference.py

Compiles Neurite's own test mechanisms of tests/reference/mod/ldifus/ with
nrnivmodl in a temporary folder, builds the branched cell of
tests/reference/ldifus_cable.hoc, records the traces listed in RECORDS (each
one HOC `record` statement, which tests/ldifus_reference.rs runs unchanged in
Neurite), runs 30 ms at dt = 0.025 ms and writes every 4th sample (t = 0
included) with NEURON's version to tests/reference/data/ldifus_cable.json.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EVERY = 4
V_INIT = -65.0

# (label, section, x, variable as HOC writes it after `&sec.`)
RECORDS = [
    ("v soma(0.5)", "soma", 0.5, "v"),
    ("v dend[1](0.5)", "dend[1]", 0.5, "v"),
]
for sec, x in [("soma", 1 / 6), ("soma", 0.5), ("soma", 5 / 6), ("dend[0]", 1 / 12),
               ("dend[0]", 0.25), ("dend[0]", 0.9), ("dend[2]", 0.5), ("dend[3]", 0.25),
               ("dend[4]", 0.5), ("dend[7]", 0.5), ("dend[8]", 0.9)]:
    RECORDS.append((f"cai {sec}({x:.4g})", sec, x, "cai"))
RECORDS += [
    ("cacore soma(0.5)", "soma", 0.5, "cacore_cashell"),
    ("cacore dend[0](0.25)", "dend[0]", 0.25, "cacore_cashell"),
    ("cab0 dend[0](0.0833)", "dend[0]", 1 / 12, "cab0_cashell"),
    ("b1 dend[0](0.25)", "dend[0]", 0.25, "b1_cashell"),
]
for sec, x in [("soma", 0.5), ("dend[0]", 1 / 12), ("dend[0]", 7 / 12), ("dend[1]", 0.125),
               ("dend[3]", 0.75), ("dend[8]", 0.1)]:
    RECORDS.append((f"nai {sec}({x:.4g})", sec, x, "nai"))
for sec, x in [("soma", 0.5), ("dend[0]", 0.25), ("dend[0]", 0.75), ("dend[1]", 0.875),
               ("dend[2]", 0.5), ("dend[3]", 0.75), ("dend[4]", 0.5), ("dend[6]", 0.25),
               ("dend[6]", 0.75), ("dend[7]", 0.5), ("dend[8]", 0.1), ("dend[8]", 0.9)]:
    RECORDS.append((f"u {sec}({x:.4g})", sec, x, "u_heatx"))


def record_statement(k, sec, x, var):
    """The HOC that records one trace into recs.o(k)."""
    return f"{{recs.append(new Vector())  recs.o({k}).record(&{sec}.{var}({x!r}))}}\n"


def compile_mechanisms():
    tmp = tempfile.mkdtemp(prefix="neurite-ldifus-")
    src = os.path.join(HERE, "mod", "ldifus")
    for f in sorted(os.listdir(src)):
        if f.endswith(".mod"):
            shutil.copy(os.path.join(src, f), tmp)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    subprocess.run([nrnivmodl], cwd=tmp, check=True, capture_output=True)
    return os.path.join(tmp, "x86_64", "libnrnmech.so")


def main():
    from neuron import h
    h.nrn_load_dll(compile_mechanisms())
    h.load_file(os.path.join(HERE, "ldifus_cable.hoc"))
    tvec = h.Vector()
    tvec.record(h._ref_t)
    for k, (_, sec, x, var) in enumerate(RECORDS):
        h(record_statement(k, sec, x, var))
    h.finitialize(V_INIT)
    while h.t < h.tstop - h.dt / 2:
        h.fadvance()
    traces = []
    for k, (label, sec, x, var) in enumerate(RECORDS):
        values = list(h.recs.o(k))[::EVERY]
        traces.append({"label": label, "record": record_statement(k, sec, x, var),
                       "values": values})
    out = {
        "neuron_version": h.nrnversion(),
        "model": "tests/reference/ldifus_cable.hoc",
        "dt": h.dt,
        "tstop": h.tstop,
        "v_init": V_INIT,
        "every": EVERY,
        "t": list(tvec)[::EVERY],
        "traces": traces,
    }
    path = os.path.join(HERE, "data", "ldifus_cable.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=None)
        f.write("\n")
    print(f"wrote {path}: {len(traces)} traces of {len(out['t'])} samples")


if __name__ == "__main__":
    main()
