#!/usr/bin/env python3
"""Reference random-number streams from NEURON 9.0.2, for Neurite's tests.

Writes three files under tests/reference/data/:

  random_streams.json   HOC Random objects: Random123 (several ids, a global
                        index), MCellRan4 (with and without a low index) and the
                        default `new Random(seed)`, each through every
                        distribution of the class (values from repick), plus
                        seq() before and after.
  random_nmodl.json     NMODL random functions, recorded as spike times of the
                        test artificial cells in tests/reference/mod/:
                        ScopStim (scop_random, exprand, normrand, set_seed) and
                        RanStim (a RANDOM variable: random_uniform, random_negexp,
                        random_normal, random_setseq, random_setids), and
                        NEURON's built-in NetStim with noise.
  random_noise.json     tests/reference/mod/NoiseCur.mod: a current drawn in
                        BEFORE BREAKPOINT from a RANDOM stream (as Gfluct
                        draws), on two passive somata; voltages at every step.
  random_synapse.json   tests/reference/mod/StochSyn.mod (the setRNG/urand/erand
                        VERBATIM idiom of the Blue Brain Prob* synapses) on two
                        passive somata driven by a NetStim: one synapse with a
                        Random123 stream, one with a HOC Random; soma voltages at
                        every step and release counts.

Every scenario runs in a fresh NEURON process, because NEURON numbers the
default streams of RANDOM variables (ids 1, 0, n) in the order instances are
made over the whole process.

Usage: /work/venv-neuron/bin/python tests/reference/random_reference.py
(nrnivmodl from the same environment compiles the test mechanisms in a
temporary folder).
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
TEST_MODS = ["ScopStim.mod", "RanStim.mod", "StochSyn.mod", "NoiseCur.mod"]

DISTS = [
    ("uniform", [0, 1]),
    ("uniform", [3, -2]),
    ("normal", [0, 1]),
    ("normal", [1, 4]),
    ("negexp", [2]),
    ("poisson", [3]),
    ("discunif", [1, 6]),
    ("lognormal", [2, 1]),
    ("binomial", [10, 0.3]),
    ("geometric", [0.6]),
    ("erlang", [3, 2]),
    ("weibull", [1.5, 2]),
    ("hypergeo", [2, 8]),
]
GENERATORS = [
    ("Random123", [1, 2, 3], 0),
    ("Random123", [7], 3),
    ("Random123", [4294967295, 12, 99], 0),
    ("MCellRan4", [1], 0),
    ("MCellRan4", [123, 7], 0),
    ("MCellRan4", [4000000000, 0], 0),
]
N = 25


def streams(h):
    out = {"generators": [], "default": []}
    for gen, args, gix in GENERATORS:
        for dist, dargs in DISTS:
            r = h.Random()
            r.Random123_globalindex(gix)
            ret = getattr(r, gen)(*args)
            seq0 = r.seq()
            first = getattr(r, dist)(*dargs)
            values = [first] + [r.repick() for _ in range(N - 1)]
            out["generators"].append(
                {
                    "generator": gen,
                    "args": args,
                    "globalindex": gix,
                    "returned": ret,
                    "seq_before": seq0,
                    "distribution": dist,
                    "dist_args": dargs,
                    "values": values,
                    "seq_after": r.seq(),
                }
            )
    h.Random().Random123_globalindex(0)
    # setting the sequence of a Random123 stream
    r = h.Random()
    r.Random123(5, 6, 7)
    r.uniform(0, 1)
    r.seq(4 * 11 + 2)
    out["seq_set"] = {
        "ids": [5, 6, 7],
        "seq": 4 * 11 + 2,
        "values": [r.repick() for _ in range(10)],
        "seq_after": r.seq(),
    }
    for seed in [None, 0, 5, 123456]:
        r = h.Random() if seed is None else h.Random(seed)
        values = [r.repick() for _ in range(N)]
        r2 = h.Random() if seed is None else h.Random(seed)
        uni = [r2.uniform(0, 1)] + [r2.repick() for _ in range(N - 1)]
        out["default"].append(
            {"seed": seed, "normal_values": values, "uniform_values": uni, "seq_after": r2.seq()}
        )
    # HOC's mcell_ran4 function on a sequence index (and its global low index)
    x = h.ref(17)
    out["mcell_ran4"] = {"start": 17, "values": [h.mcell_ran4(x) for _ in range(10)], "end": x[0]}
    h.mcell_ran4_init(5)
    x = h.ref(17)
    out["mcell_ran4_low5"] = {"start": 17, "values": [h.mcell_ran4(x) for _ in range(10)], "end": x[0]}
    h.mcell_ran4_init(0)
    return out


def spikes(h, cells, tstop):
    recs = []
    for c in cells:
        nc = h.NetCon(c, None)
        v = h.Vector()
        nc.record(v)
        recs.append((nc, v))
    h.dt = 0.025
    h.finitialize(-65)
    h.continuerun(tstop)
    return [list(v) for _, v in recs]


def scenario_scop(h):
    cases = []
    for mode, seed in [(0, 1), (0, 42), (1, 7), (2, 3), (2, -1)]:
        c = h.ScopStim()
        c.mode, c.seed, c.mean, c.sd = mode, seed, 5, 2
        cases.append({"mode": mode, "seed": seed, "mean": 5, "sd": 2})
        # one cell per run: the scop generator is shared by all instances
        times = spikes(h, [c], 200)[0]
        cases[-1]["spikes"] = times
        del c
    return {"tstop": 200, "cases": cases}


def scenario_ranstim(h):
    cells, cases = [], []
    spec = [
        (0, 0, -1),
        (1, 0, -1),
        (2, 0, -1),
        (3, 0, -1),
        (4, 5, -1),
        (5, 6, -1),
        (1, 0, 9),
    ]
    for mode, seq, id1 in spec:
        c = h.RanStim()
        c.mode, c.seq, c.id1, c.id2, c.id3 = mode, seq, id1, 4, 2
        cells.append(c)
        cases.append(
            {"mode": mode, "seq": seq, "id1": id1, "id2": 4, "id3": 2, "mean": 5, "sd": 2}
        )
    times = spikes(h, cells, 100)
    for case, t in zip(cases, times):
        case["spikes"] = t
    return {"tstop": 100, "cases": cases}


def scenario_netstim(h, gix):
    h.Random().Random123_globalindex(gix)
    cells, cases = [], []
    for k, (noise, ids) in enumerate([(1, None), (1, None), (0.5, None), (1, [5, 6, 7]), (0.3, [5, 6, 8])]):
        ns = h.NetStim()
        ns.interval, ns.number, ns.start, ns.noise = 10, 30, 5, noise
        if ids is not None:
            ns.noiseFromRandom123(*ids)
        cells.append(ns)
        cases.append({"interval": 10, "number": 30, "start": 5, "noise": noise, "ids": ids})
    times = spikes(h, cells, 400)
    for case, t in zip(cases, times):
        case["spikes"] = t
    return {"tstop": 400, "globalindex": gix, "cases": cases}


def scenario_synapse(h):
    somas, syns = [], []
    r = h.Random()
    r.Random123(4, 5, 6)
    r.uniform(0, 1)
    for k in range(2):
        s = h.Section(name="soma%d" % k)
        s.L = s.diam = 20
        s.insert("pas")
        s.g_pas, s.e_pas = 1e-4, -65
        syn = h.StochSyn(s(0.5))
        syn.Pr, syn.tau = 0.6, 3
        somas.append(s)
        syns.append(syn)
    syns[0].setRNG(1, 2, 3)
    syns[1].setRNG(r)
    ns = h.NetStim()
    ns.interval, ns.number, ns.start, ns.noise = 4, 40, 5, 0
    ncs = [h.NetCon(ns, syn) for syn in syns]
    for nc in ncs:
        nc.weight[0] = 0.002
        nc.delay = 1
    vs = []
    for s in somas:
        v = h.Vector()
        v.record(s(0.5)._ref_v)
        vs.append(v)
    h.dt = 0.025
    h.finitialize(-65)
    h.continuerun(200)
    return {
        "dt": 0.025,
        "tstop": 200,
        "soma": {"L": 20, "diam": 20, "g_pas": 1e-4, "e_pas": -65},
        "synapse": {"Pr": 0.6, "tau": 3, "weight": 0.002, "delay": 1},
        "netstim": {"interval": 4, "number": 40, "start": 5},
        "rng": ["Random123(1, 2, 3) through setRNG(1, 2, 3)",
                "HOC Random: Random123(4, 5, 6), uniform(0, 1), through setRNG(r)"],
        "v": [list(v) for v in vs],
        "nrelease": [syn.nrelease for syn in syns],
    }


def scenario_noise(h):
    somas, curs, vs = [], [], []
    for k in range(2):
        s = h.Section(name="soma%d" % k)
        s.L = s.diam = 20
        s.insert("pas")
        s.g_pas, s.e_pas = 1e-4, -65
        c = h.NoiseCur(s(0.5))
        somas.append(s)
        curs.append(c)
        v = h.Vector()
        v.record(s(0.5)._ref_v)
        vs.append(v)
    h.dt = 0.025
    h.finitialize(-65)
    h.continuerun(100)
    return {
        "dt": 0.025,
        "tstop": 100,
        "soma": {"L": 20, "diam": 20, "g_pas": 1e-4, "e_pas": -65},
        "noisecur": {"m": 0.01, "sd": 0.02, "tau": 2},
        "v": [list(v) for v in vs],
    }


def run_scenario(name, libdir):
    from neuron import h

    h.nrn_load_dll(os.path.join(libdir, "x86_64", "libnrnmech.so"))
    h.load_file("stdrun.hoc")
    if name == "streams":
        return streams(h)
    if name == "scop":
        return scenario_scop(h)
    if name == "ranstim":
        return scenario_ranstim(h)
    if name == "netstim0":
        return scenario_netstim(h, 0)
    if name == "netstim3":
        return scenario_netstim(h, 3)
    if name == "synapse":
        return scenario_synapse(h)
    if name == "noise":
        return scenario_noise(h)
    raise SystemExit("unknown scenario " + name)


def in_fresh_process(name, libdir):
    out = subprocess.run(
        [sys.executable, __file__, "--scenario", name, libdir],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def write(name, obj):
    path = os.path.join(DATA, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--scenario":
        print(json.dumps(run_scenario(sys.argv[2], sys.argv[3])))
        return
    import neuron

    version = neuron.__version__
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    with tempfile.TemporaryDirectory() as libdir:
        for m in TEST_MODS:
            shutil.copy(os.path.join(MOD, m), libdir)
        subprocess.run([nrnivmodl], cwd=libdir, check=True, capture_output=True)
        common = {"neuron_version": version, "script": "tests/reference/random_reference.py"}
        write("random_streams.json", {**common, **in_fresh_process("streams", libdir)})
        nmodl = {
            "scop": in_fresh_process("scop", libdir),
            "ranstim": in_fresh_process("ranstim", libdir),
            "netstim": [in_fresh_process("netstim0", libdir), in_fresh_process("netstim3", libdir)],
        }
        write("random_nmodl.json", {**common, **nmodl})
        write("random_synapse.json", {**common, **in_fresh_process("synapse", libdir)})
        write("random_noise.json", {**common, **in_fresh_process("noise", libdir)})


if __name__ == "__main__":
    main()
