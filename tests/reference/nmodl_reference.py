#!/usr/bin/env python3
"""Generate NEURON reference traces for Neurite's executable NMODL mechanisms.

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python), with
bmtk==1.2.0 installed (`pip install --no-deps bmtk==1.2.0`):

    python tests/reference/nmodl_reference.py

Every case is one soma (L = diam = 20 um, nseg 1, cm 1) with mechanisms, driven
by an IClamp step (or a clamp/synapse), simulated for 50 ms at dt = 0.025 ms,
secondorder 0 (2 for the `so2_` cases), celsius 6.3 (34 for the bmtk channels). Case `nmodl_<name>.json`
holds NEURON's version, dt, secondorder, celsius, the mechanisms with their
parameters, and the traces sampled every 4th step (including t = 0).

Neurite's own cases use NEURON's built-in hh, pas, IClamp, SEClamp and
AlphaSynapse (and ExpSyn/Exp2Syn driven by NetCon.event at fixed times);
the Rust side runs Neurite's mod_files/ versions of them. The bmtk cases and
the `demo_` cases (NEURON's own share/nrn/demo/release mechanisms: KINETIC
pumps with COMPARTMENT, CONSERVE, `<<` and STEADYSTATE) compile the files of
the installed wheels with nrnivmodl in a temporary folder (or load the library
named by NEURITE_BMTK_LIB); nothing of them is copied into the repository.
`own_cadi` uses tests/reference/mod/cadi.mod, Neurite's own test file for
`derivimplicit`.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
DT = 0.025
TSTOP = 50.0
EVERY = 4
V_INIT = -65.0


def bmtk_modfiles():
    import bmtk
    root = os.path.dirname(bmtk.__file__)
    return os.path.join(root, "utils", "scripts", "bionet", "mechanisms", "modfiles")


def demo_modfiles():
    import neuron
    root = os.path.dirname(neuron.__file__)
    return os.path.join(root, ".data", "share", "nrn", "demo", "release")


def compile_bmtk():
    tmp = tempfile.mkdtemp(prefix="neurite-bmtk-")
    for folder in (bmtk_modfiles(), demo_modfiles(), os.path.join(HERE, "mod")):
        for f in glob.glob(os.path.join(folder, "*.mod")):
            shutil.copy(f, tmp)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    subprocess.run([nrnivmodl], cwd=tmp, check=True, capture_output=True)
    return os.path.join(tmp, "x86_64", "libnrnmech.so")


# (name, density mechanisms [(suffix, {param: value})], point processes
#  [(name, {param: value})], traces [(label, kind, what)], celsius)
STEP = ("IClamp", {"del": 5.0, "dur": 30.0, "amp": 0.1})
PAS = ("pas", {"g": 1e-4, "e": -70.0})
NEURITE_CASES = [
    ("hh", [("hh", {})], [STEP], [("v", "v", None), ("m_hh", "range", "m_hh")], 6.3),
    ("hh_notable", [("hh", {"usetable": 0.0})], [STEP],
     [("v", "v", None), ("m_hh", "range", "m_hh")], 6.3),
    ("pas", [("pas", {"g": 1e-3, "e": -70.0})], [STEP], [("v", "v", None)], 6.3),
    ("seclamp", [("hh", {})],
     [("SEClamp", {"dur1": 10.0, "amp1": -65.0, "dur2": 20.0, "amp2": -20.0,
                   "dur3": 10.0, "amp3": -70.0, "rs": 1.0})],
     [("v", "v", None), ("i", "point", "i")], 6.3),
    ("alphasynapse", [("hh", {})],
     [("AlphaSynapse", {"onset": 5.0, "tau": 1.0, "gmax": 0.01, "e": 0.0})],
     [("v", "v", None), ("i", "point", "i")], 6.3),
    ("expsyn", [("hh", {})], [("ExpSyn", {"tau": 2.0, "e": 0.0})],
     [("v", "v", None), ("i", "point", "i")], 6.3),
    ("exp2syn", [("hh", {})], [("Exp2Syn", {"tau1": 0.5, "tau2": 3.0, "e": 0.0})],
     [("v", "v", None), ("i", "point", "i")], 6.3),
]

# NetCon.event deliveries (ms) and weight (uS) for the synapse cases
NETCON = {"expsyn": (0.005, [5.0, 15.0, 15.5, 30.0]),
          "exp2syn": (0.004, [5.0, 15.0, 15.5, 30.0])}

CHANNEL_GBAR = {
    "Ca_HVA": 1e-3, "Ca_LVA": 1e-3, "Ih": 1e-3, "Im": 5e-3, "Im_v2": 5e-3,
    "K_P": 5e-3, "K_T": 5e-3, "Kd": 5e-3, "Kv2like": 5e-3, "Kv3_1": 5e-3,
    "NaTa": 5e-2, "NaTs": 5e-2, "NaV": 5e-2, "Nap": 1e-3, "SK": 5e-3,
}


def bmtk_cases():
    cases = []
    for name, gbar in CHANNEL_GBAR.items():
        mechs = [PAS, (name, {"gbar": gbar})]
        if name == "SK":
            mechs = [PAS, ("Ca_HVA", {"gbar": 1e-3}), ("CaDynamics", {}), (name, {"gbar": gbar})]
        traces = [("v", "v", None)]
        cases.append(("bmtk_" + name, mechs, [STEP], traces, 34.0))
    cases.append(("own_cadi", [PAS, ("hh", {}), ("Ca_HVA", {"gbar": 1e-3}), ("cadi", {})],
                  [STEP], [("v", "v", None), ("cai", "ion", "cai"), ("x_cadi", "range", "x_cadi")],
                  6.3))
    cases.append(("bmtk_CaDynamics", [PAS, ("Ca_HVA", {"gbar": 1e-3}), ("CaDynamics", {})],
                  [STEP], [("v", "v", None), ("cai", "ion", "cai")], 34.0))
    return cases


def demo_cases():
    """NEURON's own demo mechanisms (share/nrn/demo/release of the wheel)."""
    hh = [("HHna", {}), ("HHk", {})]
    return [
        ("demo_HHna_HHk", [PAS] + hh, [STEP], [("v", "v", None)], 6.3),
        ("demo_capmpr", [PAS] + hh + [("cachan", {"pcabar": 2e-7}), ("capmpr", {})],
         [STEP], [("v", "v", None), ("cai", "ion", "cai")], 6.3),
        ("demo_cadifpmp", [PAS] + hh + [("cachan", {"pcabar": 2e-7}), ("cadifpmp", {})],
         [STEP], [("v", "v", None), ("cai", "ion", "cai"), ("ca[4]", "range", "ca[4]_cadifpmp")],
         6.3),
        ("demo_cachan1_capump_nacax_trel",
         [PAS] + hh + [("cachan1", {}), ("capump", {}), ("nacax", {}), ("trel", {})],
         [STEP], [("v", "v", None), ("cai", "ion", "cai"), ("Ves_trel", "range", "Ves_trel")],
         6.3),
    ]


def secondorder_cases():
    """hh (cnexp, ion currents corrected) and NaV (sparse over dt/2) at secondorder 2."""
    return [
        ("so2_hh", [("hh", {})], [STEP], [("v", "v", None), ("m_hh", "range", "m_hh")], 6.3),
        ("so2_NaV", [PAS, ("NaV", {"gbar": 5e-2}), ("Kd", {"gbar": 5e-3})], [STEP],
         [("v", "v", None)], 34.0),
    ]


def run_case(h, name, mechs, points, traces, celsius):
    secondorder = 2 if name.startswith("so2_") else 0
    soma = h.Section(name="soma")
    soma.L = soma.diam = 20.0
    soma.nseg = 1
    soma.cm = 1.0
    for suffix, params in mechs:
        soma.insert(suffix)
        for p, val in params.items():
            if p == "usetable":  # a GLOBAL: usetable_<suffix>
                setattr(h, p + "_" + suffix, val)
            else:
                setattr(soma(0.5), p + "_" + suffix, val)
    objs = []
    for pname, params in points:
        pp = getattr(h, pname)(soma(0.5))
        for p, val in params.items():
            setattr(pp, p, val)
        objs.append(pp)
    vecs = []
    for label, kind, what in traces:
        vec = h.Vector()
        if kind == "v":
            vec.record(soma(0.5)._ref_v)
        elif "[" in what:  # an array element, written name[i]_suffix
            base, rest = what.split("[")
            index, suffix = rest.split("]_")
            vec.record(getattr(soma(0.5), "_ref_%s_%s" % (base, suffix))[int(index)])
        elif kind == "range" or kind == "ion":
            vec.record(getattr(soma(0.5), "_ref_" + what))
        else:
            vec.record(getattr(objs[-1], "_ref_" + what))
        vecs.append(vec)
    tvec = h.Vector()
    tvec.record(h._ref_t)
    h.dt = DT
    h.secondorder = secondorder
    h.celsius = celsius
    netcon = None
    if name in NETCON:
        netcon = h.NetCon(None, objs[-1])
        netcon.weight[0] = NETCON[name][0]
    h.finitialize(V_INIT)
    if netcon is not None:
        for t in NETCON[name][1]:
            netcon.event(t)
    while h.t < TSTOP - DT / 2:
        h.fadvance()
    for suffix, params in mechs:
        if "usetable" in params:
            setattr(h, "usetable_" + suffix, 1.0)  # the default again for later cases
    out = {
        "neuron_version": h.nrnversion(),
        "dt": DT, "secondorder": secondorder, "celsius": celsius, "v_init": V_INIT,
        "tstop": TSTOP, "every": EVERY,
        "soma": {"L": 20.0, "diam": 20.0, "cm": 1.0, "nseg": 1},
        "mechanisms": [{"name": s, "params": p} for s, p in mechs],
        "points": [{"name": n, "params": p} for n, p in points],
        "netcon": ({"weight": NETCON[name][0], "events": NETCON[name][1]}
                   if name in NETCON else None),
        "t": [round(x, 9) for x in list(tvec)[::EVERY]],
        "traces": {label: {"kind": kind, "what": what,
                           "values": [float("%.11g" % x) for x in list(vec)[::EVERY]]}
                   for (label, kind, what), vec in zip(traces, vecs)},
    }
    with open(os.path.join(DATA, "nmodl_%s.json" % name), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote", name, "max v", max(vecs[0]))


def main():
    from neuron import h
    h.load_file("stdrun.hoc")
    lib = os.environ.get("NEURITE_BMTK_LIB") or compile_bmtk()
    h.nrn_load_dll(lib)
    only = sys.argv[1:]
    for case in NEURITE_CASES + bmtk_cases() + demo_cases() + secondorder_cases():
        if not only or case[0] in only:
            run_case(h, *case)


if __name__ == "__main__":
    main()
