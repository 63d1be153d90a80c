#!/usr/bin/env python3
"""Generate NEURON reference data for the neurite-hines cable solver.

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python):

    python tests/reference/cable_reference.py

Each case is written to tests/reference/data/<case>.json with NEURON's version,
dt, secondorder, the per-node geometry (area in um^2, ri in MOhm, exactly as
`seg.area()` / `seg.ri()` report them) and the recorded traces (mV, nA).
The Rust tests in crates/hines/tests/ rebuild the same models and compare.
"""
import json
import os
import sys

from neuron import h

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
V_INIT = -65.0
DT = 0.025


def sec_spec(sec):
    return {
        "name": sec.name(),
        "L": sec.L,
        "diam": sec(0.5).diam,
        "Ra": sec.Ra,
        "cm": sec.cm,
        "nseg": sec.nseg,
    }


def geometry(sections):
    """Per section: area and ri of every segment centre, and ri of the x=1 node."""
    out = []
    for sec in sections:
        out.append({
            "section": sec.name(),
            "L": sec.L,
            "x": [seg.x for seg in sec],
            "area": [seg.area() for seg in sec],
            "ri": [seg.ri() for seg in sec],
            "ri_end": sec(1.0).ri() if sec.orientation() == 0 else sec(0.0).ri(),
            "diam": [seg.diam for seg in sec],
        })
    return out


def run(probes, tstop, secondorder, celsius=6.3):
    h.dt = DT
    h.secondorder = secondorder
    h.celsius = celsius
    vecs = []
    for _, ref in probes:
        vec = h.Vector()
        vec.record(ref)
        vecs.append(vec)
    tvec = h.Vector()
    tvec.record(h._ref_t)
    h.finitialize(V_INIT)
    nsteps = int(round(tstop / DT))
    for _ in range(nsteps):
        h.fadvance()
    return {
        "secondorder": secondorder,
        "celsius": celsius,
        "t": [round(x, 12) for x in tvec],
        "traces": [
            {"probe": name, "values": [float("%.11g" % x) for x in vec]}
            for (name, _), vec in zip(probes, vecs)
        ],
    }


def write(case, description, sections, stims, runs, extra=None):
    doc = {
        "case": case,
        "description": description,
        "neuron_version": h.nrnversion(),
        "dt": DT,
        "v_init": V_INIT,
        "celsius": 6.3,
        "sections": [sec_spec(s) for s in sections],
        "stimuli": stims,
        "geometry": geometry(sections),
        "runs": runs,
    }
    if extra:
        doc.update(extra)
    path = os.path.join(DATA, case + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


def case_a():
    """Single-compartment passive soma with an IClamp step."""
    soma = h.Section(name="soma")
    soma.L = 20.0
    soma.diam = 20.0
    soma.Ra = 100.0
    soma.cm = 1.0
    soma.nseg = 1
    soma.insert("pas")
    soma.g_pas = 0.001
    soma.e_pas = -70.0
    stim = h.IClamp(soma(0.5))
    stim.delay = 2.0
    stim.dur = 10.0
    stim.amp = 0.1
    probes = [("v soma(0.5)", soma(0.5)._ref_v), ("i IClamp", stim._ref_i)]
    runs = [run(probes, 20.0, so) for so in (0, 2)]
    stims = [{"section": "soma", "x": 0.5, "del": 2.0, "dur": 10.0, "amp": 0.1}]
    write("a_soma_iclamp", case_a.__doc__, [soma], stims, runs,
          {"pas": [{"section": "soma", "g": 0.001, "e": -70.0}],
           "probes": [{"section": "soma", "x": 0.5}, {"iclamp": 0}]})


BRANCHED_PT3D = {
    # name: (parent, parent_x, nseg, Ra, cm, points[(x, y, z, d)])
    "soma": (None, None, 3, 123.0, 1.0,
             [(0, 0, 0, 8.0), (5, 0, 0, 16.0), (10, 0.5, 0, 18.5),
              (15, 0, 0, 12.25), (20, 0, 0, 6.0)]),
    "dend1": ("soma", 1.0, 5, 150.0, 1.2,
              [(20, 0, 0, 3.0), (40, 10, 0, 2.5), (40, 10, 0, 2.1),
               (70, 25, 5, 1.8), (110, 30, 5, 1.1), (150, 31, 6, 0.9)]),
    "dend1a": ("dend1", 1.0, 4, 150.0, 1.2,
               [(150, 31, 6, 0.8), (190, 45, 6, 0.7), (230, 50, 9, 0.5)]),
    "dend1b": ("dend1", 0.7, 7, 90.0, 0.8,
               [(100, 30, 5, 1.0), (101, 60, 5, 0.95), (103, 70, 5, 0.6),
                (104, 71, 5, 0.6), (110, 75, 5, 0.4), (111, 90, 6, 0.3),
                (112, 95, 6, 0.3), (113, 99, 6, 0.25), (114, 101, 6, 0.2)]),
    "dend2": ("soma", 0.0, 2, 200.0, 1.0,
              [(0, 0, 0, 2.0), (-30, -5, 0, 1.7), (-60, -20, 0, 1.5),
               (-90, -25, 0, 1.0)]),
    "dend3": ("soma", 0.5, 9, 80.0, 2.0,
              [(10, 0, 0, 1.5), (10, -40, 0, 1.5), (12, -80, 3, 1.0)]),
}
BRANCHED_ORDER = ["soma", "dend1", "dend1a", "dend1b", "dend2", "dend3"]
BRANCHED_PAS = {"soma": (0.0012, -68.0), "dend1": (0.0004, -70.0),
                "dend1a": (0.0003, -72.0), "dend1b": (0.0005, -71.0),
                "dend2": (0.0002, -66.0), "dend3": (0.0001, -70.5)}


def case_b():
    """Branched passive cell (soma + 3 dendrites, one with two children) from 3-D points
    with varying diameters, nseg > 1, IClamp at the soma; secondorder 0 and 2."""
    secs = {}
    for name in BRANCHED_ORDER:
        parent, px, nseg, ra, cm, pts = BRANCHED_PT3D[name]
        sec = h.Section(name=name)
        for p in pts:
            sec.pt3dadd(*p)
        sec.nseg = nseg
        sec.Ra = ra
        sec.cm = cm
        sec.insert("pas")
        sec.g_pas, sec.e_pas = BRANCHED_PAS[name]
        if parent is not None:
            sec.connect(secs[parent](px), 0)
        secs[name] = sec
    s = secs
    stim = h.IClamp(s["soma"](0.5))
    stim.delay, stim.dur, stim.amp = 1.0, 5.0, 0.3
    stim2 = h.IClamp(s["dend1b"](0.9))
    stim2.delay, stim2.dur, stim2.amp = 3.0, 20.0, -0.05
    locs = [("soma", 0.5), ("soma", 0.0), ("soma", 1.0), ("dend1", 0.3), ("dend1", 1.0),
            ("dend1a", 0.99), ("dend1b", 0.5), ("dend2", 0.9), ("dend3", 0.5)]
    probes = [("v %s(%g)" % (n, x), s[n](x)._ref_v) for n, x in locs]
    runs = [run(probes, 12.0, so) for so in (0, 2)]
    stims = [{"section": "soma", "x": 0.5, "del": 1.0, "dur": 5.0, "amp": 0.3},
             {"section": "dend1b", "x": 0.9, "del": 3.0, "dur": 20.0, "amp": -0.05}]
    pt3d = {n: [list(p) for p in BRANCHED_PT3D[n][5]] for n in BRANCHED_ORDER}
    conns = [{"child": n, "child_end": 0, "parent": BRANCHED_PT3D[n][0],
              "x": BRANCHED_PT3D[n][1]} for n in BRANCHED_ORDER[1:]]
    pas = [{"section": n, "g": BRANCHED_PAS[n][0], "e": BRANCHED_PAS[n][1]}
           for n in BRANCHED_ORDER]
    write("b_branched_pt3d", case_b.__doc__, [s[n] for n in BRANCHED_ORDER], stims, runs,
          {"pt3d": pt3d, "connections": conns, "pas": pas,
           "probes": [{"section": n, "x": x} for n, x in locs]})


def case_c():
    """A forest of three cells built from L/diam only (no 3-D points): soma + dendrite with
    dendrite nseg 1, 3 and 9; the nseg-9 cell has a second dendrite connected by its 1 end
    and a tapered dendrite with per-segment diam and cm; both then change nseg (NEURON
    carries per-segment values over)."""
    cells = []
    sections, conns, stims, pas, locs, edits, cm_edits = [], [], [], [], [], [], []
    initial_nseg = {}
    for k, nseg in enumerate((1, 3, 9)):
        soma = h.Section(name="soma%d" % k)
        soma.L, soma.diam, soma.Ra, soma.cm, soma.nseg = 15.0, 15.0, 110.0, 1.0, 1
        dend = h.Section(name="dend%d" % k)
        dend.L, dend.diam, dend.Ra, dend.cm, dend.nseg = 400.0, 1.5, 150.0, 1.5, nseg
        dend.connect(soma(1.0), 0)
        conns.append({"child": dend.name(), "child_end": 0, "parent": soma.name(), "x": 1.0})
        secs = [soma, dend]
        if nseg == 9:
            rev = h.Section(name="rev%d" % k)
            rev.L, rev.diam, rev.Ra, rev.cm, rev.nseg = 120.0, 0.8, 90.0, 1.0, 5
            rev.connect(dend(0.45), 1)
            conns.append({"child": rev.name(), "child_end": 1, "parent": dend.name(),
                          "x": 0.45})
            taper = h.Section(name="taper%d" % k)
            taper.L, taper.diam, taper.Ra, taper.cm, taper.nseg = 200.0, 2.0, 120.0, 1.0, 4
            taper.connect(soma(0.0), 0)
            conns.append({"child": taper.name(), "child_end": 0, "parent": soma.name(),
                          "x": 0.0})
            initial_nseg.update({rev.name(): 5, taper.name(): 4})
            for seg, d in zip(taper, (3.0, 2.4, 1.7, 0.9)):
                seg.diam = d
                edits.append({"section": taper.name(), "x": seg.x, "diam": d})
            for seg in rev:
                seg.diam = 0.5 + seg.x
                edits.append({"section": rev.name(), "x": seg.x, "diam": 0.5 + seg.x})
            for seg, c in zip(taper, (1.0, 2.5, 0.7, 1.8)):
                seg.cm = c
                cm_edits.append({"section": taper.name(), "x": seg.x, "cm": c})
            taper.nseg = 7
            rev.nseg = 3
            secs += [rev, taper]
            locs += [(rev, 0.0), (rev, 0.3), (rev, 1.0), (taper, 0.6), (taper, 1.0)]
        for sec in secs:
            sec.insert("pas")
            sec.g_pas, sec.e_pas = 0.0005, -65.0 - k
            pas.append({"section": sec.name(), "g": 0.0005, "e": -65.0 - k})
        stim = h.IClamp(soma(0.5))
        stim.delay, stim.dur, stim.amp = 0.5 + k, 6.0, 0.05 * (k + 1)
        stims.append({"section": soma.name(), "x": 0.5, "del": stim.delay, "dur": 6.0,
                      "amp": stim.amp})
        cells.append(stim)
        sections += secs
        locs += [(soma, 0.5), (dend, 0.5), (dend, 1.0)]
    probes = [("v %s(%g)" % (s.name(), x), s(x)._ref_v) for s, x in locs]
    runs = [run(probes, 12.0, 0)]
    write("c_forest_ldiam", case_c.__doc__, sections, stims, runs,
          {"connections": conns, "pas": pas, "initial_nseg": initial_nseg,
           "segment_diam": edits, "segment_cm": cm_edits,
           "probes": [{"section": s.name(), "x": x} for s, x in locs]})


TOPOLOGY = [
    # name, parent, parent_x, child_end, nseg, points or (L, diam)
    ("trunk", None, None, 0, 4, (60.0, 3.0)),
    ("obl", "trunk", 0.5, 0, 3, (40.0, 1.2)),
    ("twin_a", "trunk", 0.5, 0, 2, (30.0, 0.9)),
    ("up", "trunk", 0.0, 0, 2, (25.0, 1.1)),
    ("up_child", "up", 0.0, 0, 3, (35.0, 0.7)),
    ("rev3d", "trunk", 1.0, 1, 6,
     [(60, 0, 0, 2.0), (70, 5, 0, 1.6), (85, 5, 2, 1.6), (85, 5, 2, 1.0), (100, 9, 2, 0.6)]),
    ("rev_child", "rev3d", 0.2, 0, 2, (20.0, 0.5)),
    ("rev_end", "rev3d", 0.0, 0, 1, (15.0, 0.6)),
    ("one_pt", "obl", 1.0, 0, 1, [(0, 0, 0, 1.3), (0, 0, 0, 1.3), (12, 0, 0, 1.3)]),
    ("stretched", "trunk", 0.9, 0, 3, [(60, 0, 0, 1.0), (63, 4, 1, 0.8), (75, 9, 1, 0.5)]),
]
# L assigned after the 3-D points: NEURON stretches the points
STRETCH = {"stretched": 41.3}


def case_d():
    """Topology edge cases: children at x = 0.5 of an even-nseg parent (two at the same
    position), a child at the 0 end of a non-root section (joins the grandparent's node),
    a 3-D section connected by its 1 end with children of its own, repeated 3-D points,
    a 3-D section stretched by assigning L; secondorder 0 and 1."""
    secs = {}
    order = []
    conns, pas = [], []
    for name, parent, px, end, nseg, geo in TOPOLOGY:
        sec = h.Section(name=name)
        if isinstance(geo, tuple):
            sec.L, sec.diam = geo
        else:
            for p in geo:
                sec.pt3dadd(*p)
        if name in STRETCH:
            sec.L = STRETCH[name]
        sec.nseg, sec.Ra, sec.cm = nseg, 100.0, 1.0
        sec.insert("pas")
        sec.g_pas, sec.e_pas = 0.0003, -67.0
        pas.append({"section": name, "g": 0.0003, "e": -67.0})
        if parent is not None:
            sec.connect(secs[parent](px), end)
            conns.append({"child": name, "child_end": end, "parent": parent, "x": px})
        secs[name] = sec
        order.append(sec)
    # IClamps on a membrane node, on a zero-area end node with children (trunk(1)) and on
    # the far-end node of the reversed section (rev3d(0)): the last two use 100/area = 1
    stims = [{"section": "rev3d", "x": 0.3, "del": 0.5, "dur": 4.0, "amp": 0.2},
             {"section": "trunk", "x": 1.0, "del": 1.0, "dur": 2.0, "amp": 0.05},
             {"section": "rev3d", "x": 0.0, "del": 2.0, "dur": 3.0, "amp": -0.03}]
    iclamps = []
    for st in stims:
        stim = h.IClamp(secs[st["section"]](st["x"]))
        stim.delay, stim.dur, stim.amp = st["del"], st["dur"], st["amp"]
        iclamps.append(stim)
    locs = [("trunk", 0.0), ("trunk", 0.5), ("obl", 0.5), ("twin_a", 1.0), ("up", 0.0),
            ("up_child", 0.8), ("rev3d", 0.0), ("rev3d", 0.95), ("rev_child", 1.0),
            ("rev_end", 0.5), ("one_pt", 0.5)]
    probes = [("v %s(%g)" % (n, x), secs[n](x)._ref_v) for n, x in locs]
    runs = [run(probes, 8.0, so) for so in (0, 1)]
    pt3d = {n: [list(p) for p in geo] for n, _, _, _, _, geo in TOPOLOGY
            if not isinstance(geo, tuple)}
    write("d_topology_edges", case_d.__doc__, order, stims, runs,
          {"pt3d": pt3d, "connections": conns, "pas": pas, "set_length": STRETCH,
           "probes": [{"section": n, "x": x} for n, x in locs]})


def case_e():
    """Active cell: soma and axon with hh (usetable_hh = 0, rates computed directly), a
    passive dendrite; two IClamp pulses give spikes. Records v, hh's m, ina and ik;
    secondorder 0 and 2 at 6.3 degC and secondorder 0 at 18.5 degC (q10 != 1)."""
    h.usetable_hh = 0
    soma = h.Section(name="soma")
    soma.L, soma.diam, soma.Ra, soma.cm, soma.nseg = 20.0, 20.0, 100.0, 1.0, 1
    axon = h.Section(name="axon")
    axon.L, axon.diam, axon.Ra, axon.cm, axon.nseg = 300.0, 1.0, 100.0, 1.0, 11
    dend = h.Section(name="dend")
    dend.L, dend.diam, dend.Ra, dend.cm, dend.nseg = 200.0, 2.0, 100.0, 1.0, 5
    axon.connect(soma(1.0), 0)
    dend.connect(soma(0.0), 0)
    for sec in (soma, axon):
        sec.insert("hh")
    dend.insert("pas")
    dend.g_pas, dend.e_pas = 0.0002, -65.0
    stims = [{"section": "soma", "x": 0.5, "del": 1.0, "dur": 1.0, "amp": 0.3},
             {"section": "soma", "x": 0.5, "del": 8.0, "dur": 1.0, "amp": 0.4}]
    keep = []
    for st in stims:
        stim = h.IClamp(soma(st["x"]))
        stim.delay, stim.dur, stim.amp = st["del"], st["dur"], st["amp"]
        keep.append(stim)
    probes = [("v soma(0.5)", soma(0.5)._ref_v), ("v axon(1)", axon(1.0)._ref_v), ("v dend(0.5)", dend(0.5)._ref_v),
              ("hh.m soma(0.5)", soma(0.5).hh._ref_m), ("ina soma(0.5)", soma(0.5)._ref_ina),
              ("ik axon(0.5)", axon(0.5)._ref_ik)]
    specs = [{"section": "soma", "x": 0.5}, {"section": "axon", "x": 1.0}, {"section": "dend", "x": 0.5},
             {"hh": "m", "section": "soma", "x": 0.5},
             {"ion": "na", "section": "soma", "x": 0.5},
             {"ion": "k", "section": "axon", "x": 0.5}]
    runs = [run(probes, 12.0, 0), run(probes, 12.0, 2), run(probes, 12.0, 0, 18.5)]
    write("e_hh_spikes", case_e.__doc__, [soma, axon, dend], stims, runs,
          {"connections": [{"child": "axon", "child_end": 0, "parent": "soma", "x": 1.0},
                           {"child": "dend", "child_end": 0, "parent": "soma", "x": 0.0}],
           "pas": [{"section": "dend", "g": 0.0002, "e": -65.0}],
           "hh": ["soma", "axon"], "probes": specs})


def case_f():
    """Ion styles: an hh soma whose na and k ions compute erev from concentrations
    (ion_style(1, 2, einit=1, eadvance=1, cinit=0)), with nai = 15 mM and ko = 5 mM;
    records v, ena, ek and ina at 6.3 degC (secondorder 0) and 25 degC (secondorder 2)."""
    h.usetable_hh = 0
    soma = h.Section(name="soma")
    soma.L, soma.diam, soma.Ra, soma.cm, soma.nseg = 20.0, 20.0, 100.0, 1.0, 1
    soma.insert("hh")
    ions = {"na": {"conc_in": 15.0, "conc_out": 140.0},
            "k": {"conc_in": 54.4, "conc_out": 5.0}}
    for name, ion in ions.items():
        h.ion_style(name + "_ion", 1, 2, 1, 1, 0, sec=soma)
        ion.update({"einit": 1, "eadvance": 1, "cinit": 0})
    soma.nai, soma.ko = 15.0, 5.0
    stims = [{"section": "soma", "x": 0.5, "del": 1.0, "dur": 1.0, "amp": 0.3}]
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 1.0, 1.0, 0.3
    probes = [("v soma(0.5)", soma(0.5)._ref_v), ("ena soma(0.5)", soma(0.5)._ref_ena),
              ("ek soma(0.5)", soma(0.5)._ref_ek), ("ina soma(0.5)", soma(0.5)._ref_ina)]
    specs = [{"section": "soma", "x": 0.5},
             {"ion": "na", "section": "soma", "x": 0.5, "column": "erev"},
             {"ion": "k", "section": "soma", "x": 0.5, "column": "erev"},
             {"ion": "na", "section": "soma", "x": 0.5}]
    runs = [run(probes, 6.0, 0), run(probes, 6.0, 2, 25.0)]
    write("f_ion_style", case_f.__doc__, [soma], stims, runs,
          {"pas": [], "hh": ["soma"], "ions": ions, "probes": specs})


CASES = {"a": case_a, "b": case_b, "c": case_c, "d": case_d, "e": case_e, "f": case_f}

if __name__ == "__main__":
    os.makedirs(DATA, exist_ok=True)
    which = sys.argv[1:] or sorted(CASES)
    for name in which:
        # each case in a fresh process keeps section lists independent
        if len(which) > 1:
            os.system("%s %s %s" % (sys.executable, os.path.abspath(__file__), name))
        else:
            CASES[name]()
