#!/usr/bin/env python3
"""Reference runs of NEURON 9.0.2's own artificial cells and event mechanisms,
for Neurite's tests (tests/artcell_reference.rs).

Each scenario is a HOC program, written here once and stored in the JSON with
what NEURON produced, so the Rust test runs exactly the same text with
NEURON's own mod files loaded into Neurite (the `netstim.mod` the `neuron`
wheel ships under share/modfile, or NEURON's `apcount.mod` and `pattern.mod`
for the local checks). Every program leaves its results in `spk[i]` (spike
times, one Vector per source) and `vals` (other numbers, in order).

  netstim_regular    NetStim without noise (two generators, one starting at 0)
  netstim_random123  noise > 0 with noiseFromRandom123 (three and two ids)
  netstim_hocrandom  noise > 0 with noiseFromRandom(hoc Random123 Random)
  netstim_default    noise > 0 on the default RANDOM streams (ids 1, 0, n)
  netstim_ranvar     the NMODLRandom API: ranvar.set_ids/get_ids/set_seq/
                     get_seq/uniform, and seed(x) in the middle of a run
  netstim_rebuild    NMODLRandom ids set after noiseFromRandom123 survive a
                     model change (a new section) and the next finitialize
  random_play        Random.play(&var) into a range variable, a global, a
                     point process variable (Random123 and MCellRan4) and a
                     HOC variable
  spikelog           tests/reference/mod/SpikeLog.mod (the C idiom of
                     APCount.record: a Vector filled from VERBATIM) on an hh
                     soma driven by an IClamp
  apcount            NEURON's APCount on the same cell (local check: the wheel
                     has no apcount.mod)
  patternstim        PatternStim.play(tvec, gidvec) driving ExpSyns through
                     ParallelContext.gid_connect (local check)
  fakefire           tests/reference/mod/FakeFire.mod: nrn_fake_fire(gid, t, 0)
                     from VERBATIM (PatternStim's C call) makes the input
                     ports of ParallelContext.gid_connect deliver to ExpSyns

Every scenario runs in a fresh NEURON process, because NEURON numbers the
default streams of RANDOM variables (ids 1, 0, n) in the order instances are
made over the whole process.

Usage: /work/venv-neuron/bin/python tests/reference/artcell_reference.py
Writes tests/reference/data/artcell.json.
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
TEST_MODS = ["SpikeLog.mod", "FakeFire.mod"]

RUN = """
proc run_to() {
    while (t < $1 - dt/2) { fadvance() }
}
"""

SCENARIOS = {
    "netstim_regular": """
objref ns[2], nc[2], spk[2], vals, nil
vals = new Vector()
for i = 0, 1 {
    ns[i] = new NetStim()
    spk[i] = new Vector()
    nc[i] = new NetCon(ns[i], nil)
    nc[i].record(spk[i])
}
ns[0].start = 5
ns[0].interval = 10
ns[0].number = 8
ns[1].start = 0
ns[1].interval = 3.3
ns[1].number = 30
finitialize(-65)
run_to(100)
vals.append(ns[0].noise, ns[1].number)
""",
    "netstim_random123": """
objref ns[3], nc[3], spk[3], vals, nil
vals = new Vector()
for i = 0, 2 {
    ns[i] = new NetStim()
    ns[i].start = 2
    ns[i].interval = 5
    ns[i].number = 40
    spk[i] = new Vector()
    nc[i] = new NetCon(ns[i], nil)
    nc[i].record(spk[i])
}
ns[0].noise = 0.5
ns[1].noise = 1
ns[2].noise = 0.2
ns[0].noiseFromRandom123(1, 2, 3)
ns[1].noiseFromRandom123(4, 5)
ns[2].noiseFromRandom123(7, 8, 9)
finitialize(-65)
run_to(150)
for i = 0, 2 {
    vals.append(ns[i].ranvar.get_seq())
    vals.append(ns[i].ranvar.get_ids())
}
""",
    "netstim_hocrandom": """
objref ns[2], nc[2], spk[2], vals, r[2], nil
vals = new Vector()
for i = 0, 1 {
    ns[i] = new NetStim()
    ns[i].start = 1
    ns[i].interval = 4
    ns[i].number = 50
    ns[i].noise = 0.6 + 0.3*i
    spk[i] = new Vector()
    nc[i] = new NetCon(ns[i], nil)
    nc[i].record(spk[i])
    r[i] = new Random()
}
r[0].Random123(11, 12, 13)
r[0].negexp(1)
r[1].Random123(21, 22)
r[1].uniform(0, 1)
r[1].seq(17)
ns[0].noiseFromRandom(r[0])
ns[1].noiseFromRandom(r[1])
for i = 0, 1 {
    vals.append(ns[i].ranvar.get_ids())
    vals.append(ns[i].ranvar.get_seq())
}
finitialize(-65)
run_to(150)
for i = 0, 1 {
    vals.append(ns[i].ranvar.get_seq(), r[i].seq())
}
""",
    "netstim_default": """
objref ns[3], nc[3], spk[3], vals, nil
vals = new Vector()
for i = 0, 2 {
    ns[i] = new NetStim()
    ns[i].start = 3
    ns[i].interval = 6
    ns[i].number = 25
    ns[i].noise = 0.4 + 0.3*i
    spk[i] = new Vector()
    nc[i] = new NetCon(ns[i], nil)
    nc[i].record(spk[i])
    vals.append(ns[i].ranvar.get_ids())
}
finitialize(-65)
run_to(160)
""",
    "netstim_ranvar": """
objref ns[2], nc[2], spk[2], vals, ids, nil
vals = new Vector()
for i = 0, 1 {
    ns[i] = new NetStim()
    ns[i].start = 0
    ns[i].interval = 8
    ns[i].number = 30
    ns[i].noise = 0.75
    spk[i] = new Vector()
    nc[i] = new NetCon(ns[i], nil)
    nc[i].record(spk[i])
}
ns[0].ranvar.set_ids(31, 32, 33).set_seq(9)
vals.append(ns[0].ranvar.get_seq())
vals.append(ns[0].ranvar.uniform(), ns[0].ranvar.uniform())
vals.append(ns[0].ranvar.get_seq())
ids = ns[0].ranvar.get_ids()
vals.append(ids)
ns[1].ranvar.set_ids(41, 42, 43)
finitialize(-65)
vals.append(ns[0].ranvar.get_seq(), ns[1].ranvar.get_seq())
run_to(100)
ns[1].seed(5)
vals.append(ns[1].ranvar.get_seq())
run_to(200)
vals.append(ns[0].ranvar.get_seq(), ns[1].ranvar.get_seq())
""",
    "netstim_rebuild": """
objref ns, nc, spk[1], vals, nil
vals = new Vector()
ns = new NetStim()
ns.start = 1
ns.interval = 5
ns.number = 20
ns.noise = 0.8
ns.noiseFromRandom123(1, 2, 3)
ns.ranvar.set_ids(5, 6, 7)
spk[0] = new Vector()
nc = new NetCon(ns, nil)
nc.record(spk[0])
finitialize(-65)
create soma
finitialize(-65)
run_to(80)
vals.append(ns.ranvar.get_ids(), ns.ranvar.get_seq())
""",
    "random_play": """
create soma
objref r[3], spk[3], vals, syn
vals = new Vector()
soma {
    L = 20
    diam = 20
    insert pas
    syn = new ExpSyn(0.5)
}
for i = 0, 2 r[i] = new Random()
r[0].Random123(3, 4, 5)
r[0].uniform(-70, -60)
r[0].play(&soma.e_pas(0.5))
r[1].Random123(6)
r[1].normal(6.3, 4)
r[1].play(&celsius)
r[2].MCellRan4(9, 2)
r[2].uniform(0, 0.01)
r[2].play(&syn.g)
for i = 0, 2 spk[i] = new Vector()
spk[0].record(&soma.v(0.5))
spk[1].record(&soma.e_pas(0.5))
spk[2].record(&syn.g)
objref rh
xh = 0
rh = new Random()
rh.Random123(1, 2, 3)
rh.normal(0, 1)
rh.play(&xh)
finitialize(-65)
vals.append(xh)
run_to(2)
vals.append(celsius, r[0].seq(), r[1].seq(), r[2].seq(), xh, rh.seq())
""",
    "spikelog": """
create soma
objref stim, sl[2], spk[2], vals
vals = new Vector()
soma {
    L = 20
    diam = 20
    insert hh
    stim = new IClamp(0.5)
    sl[0] = new SpikeLog(0.5)
    sl[1] = new SpikeLog(0.5)
}
stim.del = 2
stim.dur = 40
stim.amp = 0.3
sl[1].thresh = 20
for i = 0, 1 {
    spk[i] = new Vector()
    sl[i].keep(spk[i])
}
finitialize(-65)
run_to(60)
vals.append(sl[0].count, sl[0].last, sl[1].count, sl[1].last)
finitialize(-65)
run_to(30)
vals.append(sl[0].count, spk[0].size())
""",
    "apcount": """
create soma
objref stim, apc[2], spk[2], vals
vals = new Vector()
soma {
    L = 20
    diam = 20
    insert hh
    stim = new IClamp(0.5)
    apc[0] = new APCount(0.5)
    apc[1] = new APCount(0.5)
}
stim.del = 2
stim.dur = 40
stim.amp = 0.3
apc[1].thresh = 20
for i = 0, 1 {
    spk[i] = new Vector()
    apc[i].record(spk[i])
}
finitialize(-65)
run_to(60)
vals.append(apc[0].n, apc[0].time, apc[1].n, apc[1].time)
""",
    "patternstim": """
create soma[2]
objref syn[2], nc[2], pc, ps, tvec, gidvec, spk[2], vals, rec[2]
vals = new Vector()
pc = new ParallelContext()
for i = 0, 1 soma[i] {
    L = 20
    diam = 20
    insert pas
    e_pas = -65
    syn[i] = new ExpSyn(0.5)
    syn[i].tau = 2
    nc[i] = pc.gid_connect(10 + i, syn[i])
    nc[i].weight = 0.002*(i + 1)
    nc[i].delay = 1 + i
    spk[i] = new Vector()
    rec[i] = new Vector()
    rec[i].record(&soma[i].v(0.5))
}
tvec = new Vector()
gidvec = new Vector()
tvec.append(1, 3.3, 3.3, 7.125, 12, 20.05, 20.05, 35)
gidvec.append(10, 11, 10, 10, 11, 10, 11, 12)
ps = new PatternStim()
ps.play(tvec, gidvec)
pc.set_maxstep(10)
finitialize(-65)
pc.psolve(50)
for i = 0, 1 spk[i] = rec[i]
""",
    "fakefire": """
create soma[2]
objref syn[2], nc[3], pc, ff[3], spk[2], vals, rec[2]
vals = new Vector()
pc = new ParallelContext()
for i = 0, 1 soma[i] {
    L = 20
    diam = 20
    insert pas
    e_pas = -65
    syn[i] = new ExpSyn(0.5)
    syn[i].tau = 2
    nc[i] = pc.gid_connect(10 + i, syn[i])
    nc[i].weight = 0.002*(i + 1)
    nc[i].delay = 1 + i
    rec[i] = new Vector()
    rec[i].record(&soma[i].v(0.5))
}
nc[2] = pc.gid_connect(10, syn[1])
nc[2].weight = 0.003
nc[2].delay = 0.5
for i = 0, 2 ff[i] = new FakeFire()
ff[0].gid = 10
ff[0].start = 1
ff[0].interval = 3.3
ff[0].number = 5
ff[1].gid = 11
ff[1].start = 2.05
ff[1].interval = 7.125
ff[1].number = 3
ff[1].ahead = 4.5
ff[2].gid = 12
ff[2].start = 1
pc.set_maxstep(10)
finitialize(-65)
pc.psolve(40)
for i = 0, 1 spk[i] = rec[i]
for i = 0, 2 vals.append(ff[i].n)
""",
}


def run_scenario(name, libdir):
    from neuron import h

    h.nrn_load_dll(os.path.join(libdir, "x86_64", "libnrnmech.so"))
    h(RUN)
    h(SCENARIOS[name])
    n = int(h.spk.__len__()) if hasattr(h.spk, "__len__") else 0
    spikes = [list(h.spk[i]) for i in range(n)]
    return {"hoc": SCENARIOS[name], "spikes": spikes, "vals": list(h.vals)}


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

    with tempfile.TemporaryDirectory() as libdir:
        for m in TEST_MODS:
            shutil.copy(os.path.join(MOD, m), libdir)
        nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
        subprocess.run([nrnivmodl], cwd=libdir, check=True, capture_output=True)
        out = {
            "neuron_version": neuron.__version__,
            "script": "tests/reference/artcell_reference.py",
            "prelude": RUN,
            "scenarios": {name: in_fresh_process(name, libdir) for name in SCENARIOS},
        }
    write("artcell.json", out)


if __name__ == "__main__":
    main()
