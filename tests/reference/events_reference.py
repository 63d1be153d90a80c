#!/usr/bin/env python3
"""Generate NEURON reference data for event delivery in the neurite-hines solver.

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python):

    python tests/reference/events_reference.py

Each case is written to tests/reference/data/events_<case>.json. A case is a set
of single-compartment cells (hh with usetable_hh = 0, or pas), IClamps,
ExpSyns, NetStims (noise 0) and NetCons, plus events injected with
NetCon.event(t) right after finitialize. For secondorder 0 and 2 it holds the
sample times, the recorded traces (v in mV, ExpSyn g in uS) and the spike times
(ms) recorded with NetCon.record. The Rust test crates/hines/tests/events/main.rs
rebuilds each case from the same description and compares
(acceptance: spike times within 1e-6 ms, v within 1e-6 mV, g within 1e-12 uS;
traces are stored with 12 significant digits).

Cases h and i use WATCH and FOR_NETCONS in small mod files (WATCH_MOD, FNC_MOD
below), which this script compiles with NEURON's nrnivmodl (needs a C++
compiler). Case g needs VecStim,
which NEURON 9.0.2 does not build in: point VECEVENT_MOD at NEURON's
share/examples/nrniv/netcon/vecevent.mod to compile it with the rest (the case
is skipped otherwise):

    VECEVENT_MOD=/path/to/vecevent.mod python tests/reference/events_reference.py
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from neuron import h

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
V_INIT = -65.0
DT = 0.025
CELSIUS = 6.3
SOMA = {"L": 20.0, "diam": 20.0, "Ra": 100.0, "cm": 1.0}

# An ExpSyn whose NET_RECEIVE counts events per connection (k, zeroed by its
# INITIAL) and, with FOR_NETCONS, rescales every connection's weight by an
# amount that depends on the order of the iteration.
FNC_MOD = open(os.path.join(HERE, "mod", "fncsyn.mod")).read()

# A point process that counts upward crossings of v through `hi` with WATCH,
# re-arming when v falls below `lo`; each counted crossing is a net_event.
WATCH_MOD = open(os.path.join(HERE, "mod", "watchcount.mod")).read()


class Case:
    """A description (what the Rust side rebuilds) and the NEURON objects."""

    def __init__(self, name, doc, tstop):
        self.name, self.doc, self.tstop = name, doc, tstop
        self.desc = {"cells": [], "iclamps": [], "expsyns": [], "netstims": [], "vecstims": [],
                     "netcons": [], "events": [], "probes": [], "spike_records": []}
        self.cells, self.syns, self.stims, self.ncs, self.vecs = [], [], [], [], []
        self.keep = []

    def cell(self, mech, pas=(0.001, -65.0)):
        sec = h.Section(name="cell%d" % len(self.cells))
        sec.L, sec.diam, sec.Ra, sec.cm, sec.nseg = (
            SOMA["L"], SOMA["diam"], SOMA["Ra"], SOMA["cm"], 1)
        spec = {"mech": mech}
        if mech == "hh":
            sec.insert("hh")
        else:
            sec.insert("pas")
            sec.g_pas, sec.e_pas = pas
            spec["g"], spec["e"] = pas
        self.cells.append(sec)
        self.desc["cells"].append(spec)
        return len(self.cells) - 1

    def iclamp(self, cell, delay, dur, amp):
        stim = h.IClamp(self.cells[cell](0.5))
        stim.delay, stim.dur, stim.amp = delay, dur, amp
        self.keep.append(stim)
        self.desc["iclamps"].append({"cell": cell, "del": delay, "dur": dur, "amp": amp})

    def expsyn(self, cell, tau, e):
        syn = h.ExpSyn(self.cells[cell](0.5))
        syn.tau, syn.e = tau, e
        self.syns.append(syn)
        self.desc["expsyns"].append({"cell": cell, "tau": tau, "e": e})
        return len(self.syns) - 1

    def netstim(self, start, interval, number):
        ns = h.NetStim()
        ns.start, ns.interval, ns.number, ns.noise = start, interval, number, 0
        self.stims.append(ns)
        self.desc["netstims"].append({"start": start, "interval": interval, "number": number})
        return len(self.stims) - 1

    def fncsyn(self, cell, tau, e):
        syn = h.FncSyn(self.cells[cell](0.5))
        syn.tau, syn.e = tau, e
        self.fnc = syn
        self.desc["fncsyns"] = [{"cell": cell, "tau": tau, "e": e}]
        return 0

    def watchcount(self, cell, hi, lo):
        wc = h.WatchCount(self.cells[cell](0.5))
        wc.hi, wc.lo = hi, lo
        self.watch = wc
        self.desc["watchcounts"] = [{"cell": cell, "hi": hi, "lo": lo}]
        return 0

    def vecstim(self, times):
        vs = h.VecStim()
        vec = h.Vector(times)
        vs.play(vec)
        self.vecs.append((vs, vec))
        self.desc["vecstims"].append({"times": times})
        return len(self.vecs) - 1

    def netcon(self, source, target, delay=1.0, weight=0.0, threshold=None):
        """source: ("netstim", i), ("cell", i) or None; target: expsyn index,
        ("netstim", i) or None."""
        tgt = None
        if isinstance(target, tuple) and target[0] == "fncsyn":
            tgt = self.fnc
        elif isinstance(target, tuple):
            tgt = self.stims[target[1]]
        elif target is not None:
            tgt = self.syns[target]
        if source is None:
            nc = h.NetCon(None, tgt)
        elif source[0] == "netstim":
            nc = h.NetCon(self.stims[source[1]], tgt)
        elif source[0] == "vecstim":
            nc = h.NetCon(self.vecs[source[1]][0], tgt)
        elif source[0] == "watchcount":
            nc = h.NetCon(self.watch, tgt)
        else:
            sec = self.cells[source[1]]
            nc = h.NetCon(sec(0.5)._ref_v, tgt, sec=sec)
        if threshold is not None:
            nc.threshold = threshold
        nc.delay = delay
        nc.weight[0] = weight
        self.ncs.append(nc)
        self.desc["netcons"].append({
            "source": None if source is None else {"kind": source[0], "index": source[1]},
            "target": None if target is None else (
                {"kind": target[0], "index": target[1]} if isinstance(target, tuple)
                else {"kind": "expsyn", "index": target}),
            "delay": delay, "weight": weight,
            "threshold": nc.threshold if source and source[0] == "cell" else None,
        })
        return len(self.ncs) - 1

    def event(self, netcon, t):
        self.desc["events"].append({"netcon": netcon, "t": t})

    def probe_v(self, cell):
        self.desc["probes"].append({"v": cell})

    def probe_g(self, syn):
        self.desc["probes"].append({"g": syn})

    def probe_fnc(self, what):
        self.desc["probes"].append({"fnc": what})

    def record_spikes(self, netcon):
        self.desc["spike_records"].append(netcon)

    def run(self, secondorder):
        h.dt, h.secondorder, h.celsius = DT, secondorder, CELSIUS
        refs = []
        for p in self.desc["probes"]:
            if "v" in p:
                refs.append(self.cells[p["v"]](0.5)._ref_v)
            elif "g" in p:
                refs.append(self.syns[p["g"]]._ref_g)
            else:
                refs.append(getattr(self.fnc, "_ref_" + p["fnc"]))
        vecs = []
        for ref in refs:
            vec = h.Vector()
            vec.record(ref)
            vecs.append(vec)
        tvec = h.Vector()
        tvec.record(h._ref_t)
        spikes = []
        for i in self.desc["spike_records"]:
            vec = h.Vector()
            self.ncs[i].record(vec)
            spikes.append(vec)
        # NET_RECEIVE may change weights (case i): each run starts from the description
        for nc, spec in zip(self.ncs, self.desc["netcons"]):
            nc.weight[0] = spec["weight"]
        h.finitialize(V_INIT)
        for e in self.desc["events"]:
            self.ncs[e["netcon"]].event(e["t"])
        for _ in range(int(round(self.tstop / DT))):
            h.fadvance()
        return {
            "secondorder": secondorder,
            "t": [round(x, 12) for x in tvec],
            "traces": [[float("%.12g" % x) for x in vec] for vec in vecs],
            "spikes": [list(vec) for vec in spikes],
        }

    def write(self):
        doc = {"case": self.name, "description": self.doc, "neuron_version": h.nrnversion(),
               "dt": DT, "v_init": V_INIT, "celsius": CELSIUS, "soma": SOMA,
               "tstop": self.tstop}
        doc.update(self.desc)
        doc["runs"] = [self.run(so) for so in (0, 2)]
        path = os.path.join(DATA, "events_%s.json" % self.name)
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")
        print("wrote", path, os.path.getsize(path), "bytes")


def case_a():
    c = Case("a_netstim_hh", "hh soma driven by a NetStim (start 5, interval 10, number 5, "
             "noise 0) through an ExpSyn (tau 2, e 0, weight 0.005 uS, delay 1); soma spikes "
             "recorded with a NetCon at the default threshold 10 mV.", 50.0)
    cell = c.cell("hh")
    syn = c.expsyn(cell, 2.0, 0.0)
    ns = c.netstim(5.0, 10.0, 5)
    drive = c.netcon(("netstim", ns), syn, delay=1.0, weight=0.005)
    soma = c.netcon(("cell", cell), None)
    c.probe_v(cell)
    c.probe_g(syn)
    c.record_spikes(drive)
    c.record_spikes(soma)
    return c


def case_b():
    c = Case("b_event_times", "pas soma with an ExpSyn (tau 2, e 0) fed by NetCon.event(t) on "
             "three source-less NetCons: events at 0, exactly at half steps (0.0125, 2.0125), "
             "just after a half step, on step boundaries (1.0, 3.0), coincident events, and "
             "an insertion order where NEURON's least-slot rule reorders equal times.", 8.0)
    cell = c.cell("pas")
    syn = c.expsyn(cell, 2.0, 0.0)
    w = [0.003, 0.0011, 0.00070000000000000001]
    ncs = [c.netcon(None, syn, weight=x) for x in w]
    # the first three go into an empty queue: 4.9875 takes the least slot and
    # pushes nc1@5 behind nc0@5
    for nc, t in [(1, 5.0), (0, 5.0), (2, 4.9875), (0, 0.0), (0, 0.0125),
                  (1, 0.0125 + 1e-12), (0, 1.0), (1, 2.0125), (2, 2.0125), (2, 3.0),
                  (0, 3.0), (0, 6.0), (1, 6.0), (2, 6.0), (1, 0.5 * 0.025 * 7)]:
        c.event(ncs[nc], t)
    c.probe_v(cell)
    c.probe_g(syn)
    return c


def case_c():
    c = Case("c_two_cells", "two hh somas: cell 0 spikes under an IClamp (del 2, dur 30, "
             "amp 0.2 nA); its NetCon (threshold 0, delay 2, weight 0.01 uS) drives an "
             "ExpSyn (tau 3, e 0) on cell 1; spikes of both recorded at threshold 0.", 40.0)
    a = c.cell("hh")
    b = c.cell("hh")
    c.iclamp(a, 2.0, 30.0, 0.2)
    syn = c.expsyn(b, 3.0, 0.0)
    link = c.netcon(("cell", a), syn, delay=2.0, weight=0.01, threshold=0.0)
    out = c.netcon(("cell", b), None, threshold=0.0)
    c.probe_v(a)
    c.probe_v(b)
    c.probe_g(syn)
    c.record_spikes(link)
    c.record_spikes(out)
    return c


def case_e():
    c = Case("e_netstim_fanout", "NetStims as sources: one fans out to three ExpSyns through "
             "three NetCons of equal delay (NEURON queues one event for all of them), "
             "another, starting at 0, through NetCons of different delays.", 20.0)
    cell = c.cell("pas")
    syns = [c.expsyn(cell, tau, 0.0) for tau in (1.0, 2.0, 4.0)]
    fan = c.netstim(1.0, 2.0, 3)
    for s, w in zip(syns, (0.001, 0.002, 0.003)):
        c.netcon(("netstim", fan), s, delay=0.5, weight=w)
    other = c.netstim(0.0, 3.0, 4)
    for s, d in zip(syns, (0.25, 0.75, 1.0)):
        c.netcon(("netstim", other), s, delay=d, weight=0.0015)
    rec = [c.netcon(("netstim", n), None) for n in (fan, other)]
    c.probe_v(cell)
    for s in syns:
        c.probe_g(s)
    for r in rec:
        c.record_spikes(r)
    return c


def case_f():
    c = Case("f_netstim_gate", "An idle NetStim (start -1, interval 1, number 3) switched on "
             "and off by NetCon.event with weights +1 and -1 at equal times: the order of "
             "delivery decides whether it spikes. Inserted in the order on@12, off@12, "
             "nop@11, on@2, off@2, off@5, on@5: FIFO among equal times would give "
             "no spikes at 12, but NEURON's least slot pushes on@12 behind off@12.", 16.0)
    c.cell("pas")
    gate = c.netstim(-1.0, 1.0, 3)
    on = c.netcon(None, ("netstim", gate), weight=1.0)
    off = c.netcon(None, ("netstim", gate), weight=-1.0)
    nop = c.netcon(None, ("netstim", gate), weight=0.0)
    rec = c.netcon(("netstim", gate), None)
    for nc, t in [(on, 12.0), (off, 12.0), (nop, 11.0), (on, 2.0), (off, 2.0),
                  (off, 5.0), (on, 5.0)]:
        c.event(nc, t)
    c.probe_v(0)
    c.record_spikes(rec)
    return c


def case_g():
    c = Case("g_vecstim", "Two VecStims play spike times (one at 0, one at a half step, "
             "a repeated time, times whose differences round) into an ExpSyn on a pas "
             "soma through NetCons of delay 0.3 and 0; their spikes are recorded.", 10.0)
    cell = c.cell("pas")
    syn = c.expsyn(cell, 1.5, 0.0)
    a = c.vecstim([0.0, 0.0125, 1.0, 2.3, 2.3, 7.77])
    b = c.vecstim([0.1, 0.3, 0.7, 1.1, 4.4000000000000004, 6.025])
    na = c.netcon(("vecstim", a), syn, delay=0.3, weight=0.002)
    nb = c.netcon(("vecstim", b), syn, delay=0.0, weight=0.001)
    c.probe_v(cell)
    c.probe_g(syn)
    c.record_spikes(na)
    c.record_spikes(nb)
    return c


def case_h():
    c = Case("h_watch", "WATCH: a point process on an hh soma spiking under an IClamp "
             "(del 1, dur 30, amp 0.15 nA) watches v > -20 (flag 2: count, net_event(t), "
             "then watch v < -50 with flag 3, which re-watches v > -20); its net_events "
             "drive an ExpSyn on a pas soma (delay 0.5, weight 0.002 uS). Compared with a "
             "threshold NetCon at -20 mV on the same soma (spikes at t + 1e-10 where "
             "WATCH gives t).", 35.0)
    a = c.cell("hh")
    b = c.cell("pas")
    c.iclamp(a, 1.0, 30.0, 0.15)
    syn = c.expsyn(b, 2.0, 0.0)
    c.watchcount(a, -20.0, -50.0)
    drive = c.netcon(("watchcount", 0), syn, delay=0.5, weight=0.002)
    thresh = c.netcon(("cell", a), None, threshold=-20.0)
    c.probe_v(a)
    c.probe_v(b)
    c.probe_g(syn)
    c.record_spikes(drive)
    c.record_spikes(thresh)
    return c


def case_j():
    c = Case("j_ring", "A ring of five hh somas: a NetStim (start 1, number 1) kicks cell 0; "
             "each cell drives the next through an ExpSyn (tau 2, e 0, weight 0.01 uS, "
             "delay 1.5, threshold -10); cell 2 also drives cells 0, 3 and 4 again with "
             "equal delays (a source with more than two NetCons of one delay: NEURON "
             "queues one event for all). Spikes of every cell recorded.", 40.0)
    cells = [c.cell("hh") for _ in range(5)]
    syns = [c.expsyn(k, 2.0, 0.0) for k in cells]
    kick = c.netstim(1.0, 10.0, 1)
    c.netcon(("netstim", kick), syns[0], delay=0.5, weight=0.01)
    out = []
    for k in cells:
        nxt = syns[(k + 1) % len(cells)]
        out.append(c.netcon(("cell", k), nxt, delay=1.5, weight=0.01, threshold=-10.0))
    for target in (0, 3, 4):
        c.netcon(("cell", 2), syns[target], delay=1.5, weight=0.002, threshold=-10.0)
    c.probe_v(0)
    c.probe_v(3)
    for nc in out:
        c.record_spikes(nc)
    return c


def case_i():
    c = Case("i_for_netcons", "FOR_NETCONS and per-connection NET_RECEIVE state: an "
             "ExpSyn-like FncSyn (tau 2, e 0) on a pas soma counts events per NetCon and "
             "rescales every NetCon's weight with a running total on each event. NetCons: "
             "source-less (w 0.002; NEURON's shared source-less PreSyn comes first), from a "
             "NetStim (start 1, interval 1.5, number 6, delay 0.5, w 0.001), source-less "
             "(w 0.003); NetCon.event at 2, 3, 4, 4. Records v, g and total.", 14.0)
    cell = c.cell("pas")
    syn = c.fncsyn(cell, 2.0, 0.0)
    ns = c.netstim(1.0, 1.5, 6)
    a = c.netcon(None, ("fncsyn", syn), weight=0.002)
    b = c.netcon(("netstim", ns), ("fncsyn", syn), delay=0.5, weight=0.001)
    d = c.netcon(None, ("fncsyn", syn), weight=0.003)
    for nc, t in [(a, 2.0), (d, 3.0), (d, 4.0), (a, 4.0)]:
        c.event(nc, t)
    c.probe_v(cell)
    c.probe_fnc("g")
    c.probe_fnc("total")
    c.record_spikes(b)
    return c


def compile_mods():
    """Compiles WATCH_MOD (and VECEVENT_MOD if given) and loads the library."""
    work = tempfile.mkdtemp(prefix="neurite_events_")
    with open(os.path.join(work, "watchcount.mod"), "w") as f:
        f.write(WATCH_MOD)
    with open(os.path.join(work, "fncsyn.mod"), "w") as f:
        f.write(FNC_MOD)
    vecevent = os.environ.get("VECEVENT_MOD")
    if vecevent:
        shutil.copy(vecevent, os.path.join(work, "vecevent.mod"))
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    subprocess.run([nrnivmodl, "."], cwd=work, check=True, capture_output=True)
    h.nrn_load_dll(os.path.join(work, "x86_64", "libnrnmech.so"))


def main():
    h.usetable_hh = 0
    compile_mods()
    cases = [case_a, case_b, case_c, case_e, case_f, case_h, case_i, case_j]
    if hasattr(h, "VecStim"):
        cases.append(case_g)
    else:
        print("VecStim not available: case g skipped (see the module docstring)")
    for make in cases:
        make().write()


if __name__ == "__main__":
    main()
