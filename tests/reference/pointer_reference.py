#!/usr/bin/env python3
"""NEURON 9.0.2 reference for POINTER variables in executable NMODL.

Run with NEURON 9.0.2's Python (needs nrnivmodl and a C++ compiler):

    python tests/reference/pointer_reference.py

Two single-compartment pas cells; cell 0 gets a current step, cell 1 holds
the PtrGap point process of tests/reference/mod/ptrgap.mod whose POINTER
`vpre` is bound with `setpointer` to cell 0's v(0.5). Writes
tests/reference/data/nmodl_pointer.json: the sample times, both voltages and
PtrGap's `i` and `seen` (vpre copied at INITIAL), for secondorder 0 and 2.
tests/nmodl_events.rs rebuilds the case with Neurite's
`Instantiator::set_pointer` and compares.

The same run also holds GhkDisc (tests/reference/mod/ghkdisc.mod) on cell 0:
its `flux` (two `nrn_ghk` values, one near v = 0 where NEURON's efun uses
its series) and its state `s`, to which events (NetCon.event at EVENTS, weight
0.5) add through `state_discontinuity`; recorded as "flux" and "s". And NestSolve (mod/nestsolve.mod) on cell 0:
SOLVE statements inside an IF of INITIAL and inside a PROCEDURE; its state
`a` and LINEAR unknown `ii` are recorded as "a" and "ii". And SplitSend
(mod/splitsend.mod) on cell 1: a C `for` loop split over VERBATIM blocks
around `net_send`, its delays a Vector given with setdelays(vec); its count
`n` and last self-event time `last` are recorded. And CnexpNl
(mod/cnexpnl.mod) on cell 1: METHOD cnexp on a non-linear equation, which
nocmodl solves by derivimplicit; its state is recorded as "x". And
NonLinSys (mod/nonlinsys.mod) on cell 0: a NONLINEAR block solved in INITIAL
and each step; its p and q are recorded as "nx" and "nz". And DerivCall
(mod/derivcall.mod) on cell 0: INITIAL calls its DERIVATIVE block as a
procedure; its state is recorded as "m". And BreakLoop
(mod/breakloop.mod) on cell 1: C `break` in a FROM and a WHILE loop; its
`stim`, `tc` and `k` are recorded. And PrimeRead (mod/primeread.mod) on
cell 1: `c'` read as a value later in its DERIVATIVE block (euler); its `c` and
`d` are recorded as "pb" and "pd".
"""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
CASE = {
    "dt": 0.025,
    "v_init": -65.0,
    "celsius": 6.3,
    "tstop": 20.0,
    "soma": {"L": 20.0, "diam": 20.0, "Ra": 100.0, "cm": 1.0},
    "pas": {"g": 0.001, "e": -65.0},
    "iclamp": {"del": 2.0, "dur": 10.0, "amp": 0.2},
    "g": 0.005,
    "events": [1.0, 3.3, 3.3, 7.05],
    "delays": [0.5, 1.25, 0.0, 2.0],
}


def compile_mod():
    tmp = tempfile.mkdtemp(prefix="neurite-ptr-")
    for name in ("ptrgap.mod", "ghkdisc.mod", "nestsolve.mod", "splitsend.mod", "cnexpnl.mod", "nonlinsys.mod", "derivcall.mod", "breakloop.mod", "primeread.mod"):
        shutil.copy(os.path.join(HERE, "mod", name), tmp)
    subprocess.run(["nrnivmodl"], cwd=tmp, check=True, capture_output=True)
    return tmp


def run(h, secondorder):
    c = CASE
    cells = []
    for k in range(2):
        s = h.Section(name="cell%d" % k)
        s.L, s.diam, s.Ra, s.cm = (c["soma"][x] for x in ("L", "diam", "Ra", "cm"))
        s.nseg = 1
        s.insert("pas")
        s.g_pas, s.e_pas = c["pas"]["g"], c["pas"]["e"]
        cells.append(s)
    stim = h.IClamp(cells[0](0.5))
    stim.delay, stim.dur, stim.amp = (c["iclamp"][x] for x in ("del", "dur", "amp"))
    gap = h.PtrGap(cells[1](0.5))
    gap.g = c["g"]
    h.setpointer(cells[0](0.5)._ref_v, "vpre", gap)
    ns = h.NestSolve(cells[0](0.5))
    gd = h.GhkDisc(cells[0](0.5))
    nc = h.NetCon(None, gd)
    nc.weight[0] = 0.5
    ss = h.SplitSend(cells[1](0.5))
    delays = h.Vector(c["delays"])
    ss.setdelays(delays)
    nc2 = h.NetCon(None, ss)
    nl = h.CnexpNl(cells[1](0.5))
    nls = h.NonLinSys(cells[0](0.5))
    dc = h.DerivCall(cells[0](0.5))
    bl = h.BreakLoop(cells[1](0.5))
    pr = h.PrimeRead(cells[1](0.5))
    h.dt = c["dt"]
    h.celsius = c["celsius"]
    h.secondorder = secondorder
    rec = {k: h.Vector() for k in ("t", "v0", "v1", "i", "seen", "flux", "s", "a", "ii", "n", "last", "x", "nx", "nz", "m", "stim", "tc", "k", "pb", "pd")}
    rec["a"].record(ns._ref_a)
    rec["n"].record(ss._ref_n)
    rec["x"].record(nl._ref_x)
    rec["nx"].record(nls._ref_p)
    rec["nz"].record(nls._ref_q)
    rec["m"].record(dc._ref_m)
    rec["stim"].record(bl._ref_stim)
    rec["tc"].record(bl._ref_tc)
    rec["k"].record(bl._ref_k)
    rec["pb"].record(pr._ref_c)
    rec["pd"].record(pr._ref_d)
    rec["last"].record(ss._ref_last)
    rec["ii"].record(ns._ref_ii)
    rec["flux"].record(gd._ref_flux)
    rec["s"].record(gd._ref_s)
    rec["t"].record(h._ref_t)
    rec["v0"].record(cells[0](0.5)._ref_v)
    rec["v1"].record(cells[1](0.5)._ref_v)
    rec["i"].record(gap._ref_i)
    rec["seen"].record(gap._ref_seen)
    h.finitialize(c["v_init"])
    for te in c["events"]:
        nc.event(te)
        nc2.event(te)
    while h.t < c["tstop"] - c["dt"] / 2:
        h.fadvance()
    return {"secondorder": secondorder, **{k: list(v) for k, v in rec.items()}}


def main():
    lib = compile_mod()
    from neuron import h

    h.nrn_load_dll(os.path.join(lib, "x86_64", "libnrnmech.so"))
    out = dict(CASE)
    out["case"] = "pointer"
    out["neuron_version"] = h.nrnversion()
    out["runs"] = [run(h, so) for so in (0, 2)]
    path = os.path.join(DATA, "nmodl_pointer.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path)


if __name__ == "__main__":
    main()
