#!/usr/bin/env python3
"""Local check (not run in CI): the public repositories' mod files with
LONGITUDINAL_DIFFUSION, run by NEURON 9.0.2 (nrnivmodl + nrniv) and by
`neurite run` on the same HOC, traces compared point by point.

    /work/venv-neuron/bin/python tests/reference/ldifus_local.py \
        --corpus /work/lead-corpus --neurite target/release/neurite

The corpus folder holds extracted copies of the repositories
(<owner+name>/<path>); nothing of them is copied into this repository. Each
file is run alone on a small branched cell (soma nseg 3, a dendrite nseg 5
with two children at its 1 end and one on soma(0.5)), with Neurite's test
mechanism capulse (tests/reference/mod/ldifus/) as calcium source in the
soma, hh and an IClamp for sodium, and the heat_eqn files' `x` set to each
segment's position. Prints, per file, whether both ran and the largest
difference of each trace.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

CELL = """
create soma, dend[4]
soma { L = 20  diam = 6  nseg = 3 }
dend[0] { L = 100  diam = 2  nseg = 5 }
dend[1] { L = 60  diam = 1  nseg = 3 }
dend[2] { L = 50  diam = 1.5  nseg = 2 }
dend[3] { L = 40  diam = 0.8  nseg = 2 }
connect dend[0](0), soma(1)
connect dend[1](0), dend[0](1)
connect dend[2](0), dend[0](1)
connect dend[3](0), soma(0.5)
forall { Ra = 100  cm = 1  insert pas  g_pas = 1e-4  e_pas = -65 }
dt = 0.025
tstop = 20
"""

CA_SOURCE = "soma { insert capulse  amp_capulse = 0.01 }\n"
NA_SOURCE = ("soma { insert hh }\nobjref stim\nsoma stim = new IClamp(0.5)\n"
             "stim.del = 1\nstim.dur = 15\nstim.amp = 0.3\n")
PLACES = [("soma", 0.5), ("soma", 1 / 6), ("dend[0]", 0.1), ("dend[0]", 0.5),
          ("dend[1]", 0.5), ("dend[3]", 0.75)]

# (repository, path, suffix, extra setup, variables recorded)
CASES = [
    ("neuronsimulator+nrn", "share/examples/nrniv/nmodl/cadif.mod", "cadif", CA_SOURCE, ["cai"]),
    ("neuronsimulator+nrn", "docs/nmodl/mod/cadif.mod", "cadifus", CA_SOURCE, ["cai"]),
    ("neuronsimulator+nrn", "share/examples/nrniv/nmodl/cadifusl.mod", "cadifus", CA_SOURCE,
     ["cai", "ica"]),
    ("neuronsimulator+nrn", "share/examples/nrniv/nmodl/nadifl.mod", "nadifl", NA_SOURCE,
     ["nai"]),
]
for name in ["scalar", "global", "thread_vars", "function"]:
    CASES.append(("neuronsimulator+nrn",
                  f"test/nmodl/transpiler/usecases/longitudinal_diffusion/heat_eqn_{name}.mod",
                  f"heat_eqn_{name}", None, [f"X_heat_eqn_{name}"]))
CASES.append(("neuronsimulator+nrn",
              "test/nmodl/transpiler/usecases/longitudinal_diffusion/heat_eqn_array.mod",
              "heat_eqn_array", None, []))
CASES += [
    ("BlueBrain+neurodamus-models", "common/mod/ngv/cadifus.mod", "cadifus", "",
     ["caerAll_cadifus", "reporter_cadifus"]),
    ("BlueBrain+neurodamus-models", "common/mod/ngv/mcd13.mod", "mcd", CA_SOURCE, ["cai"]),
    ("BlueBrain+neurodamus-models", "neocortex/mod/metabolism/internal_ions.mod",
     "internal_ions", CA_SOURCE + NA_SOURCE, ["cai", "nai"]),
]


def program(suffix, setup, variables):
    hoc = CELL + f"forall insert {suffix}\n"
    if setup is None:
        hoc += f"forall for (x, 0) x_{suffix}(x) = x\n"
    else:
        hoc += setup
    hoc += "objref recs, f\nrecs = new List()\n"
    hoc += "{recs.append(new Vector())  recs.o(0).record(&soma.v(0.5))}\n"
    k = 1
    for var in variables:
        for sec, x in PLACES:
            hoc += f"{{recs.append(new Vector())  recs.o({k}).record(&{sec}.{var}({x!r}))}}\n"
            k += 1
    hoc += """finitialize(-65)
while (t < tstop - dt/2) { fadvance() }
f = new File()
f.wopen("out.txt")
for k = 0, recs.count - 1 {
    f.printf("trace\\n")
    for j = 0, recs.o(k).size() - 1 f.printf("%.17g\\n", recs.o(k).x[j])
}
f.close()
"""
    return hoc


def read(path):
    traces = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line == "trace":
                traces.append([])
            elif line:
                traces[-1].append(float(line))
    return traces


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/work/lead-corpus")
    ap.add_argument("--neurite", default="target/release/neurite")
    ap.add_argument("--only", default="", help="run only files whose path contains this")
    args = ap.parse_args()
    neurite = os.path.abspath(args.neurite)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    nrniv = os.path.join(os.path.dirname(sys.executable), "nrniv")
    for repo, path, suffix, setup, variables in CASES:
        label = f"{repo}/{path}"
        if args.only not in label:
            continue
        src = os.path.join(args.corpus, repo, path)
        work = tempfile.mkdtemp(prefix="neurite-ldifus-local-")
        mods = os.path.join(work, "mods")
        os.makedirs(mods)
        shutil.copy(src, mods)
        if setup and "capulse" in setup:
            shutil.copy(os.path.join(HERE, "mod", "ldifus", "capulse.mod"), mods)
        hoc = os.path.join(work, "model.hoc")
        with open(hoc, "w") as f:
            f.write(program(suffix, setup, variables))
        built = subprocess.run([nrnivmodl, "mods"], cwd=work, capture_output=True, text=True)
        if built.returncode != 0:
            print(f"{label}: nrnivmodl fails")
            continue
        ran = subprocess.run([nrniv, "-nogui", "model.hoc"], cwd=work, capture_output=True,
                             text=True)
        if ran.returncode != 0 or not os.path.exists(os.path.join(work, "out.txt")):
            print(f"{label}: nrniv fails: {ran.stderr.strip()[-300:]}")
            continue
        os.rename(os.path.join(work, "out.txt"), os.path.join(work, "neuron.txt"))
        mine = subprocess.run([neurite, "run", "--mod-dir", "mods", "model.hoc"], cwd=work,
                              capture_output=True, text=True)
        if mine.returncode != 0 or not os.path.exists(os.path.join(work, "out.txt")):
            print(f"{label}: neurite fails: {(mine.stderr or mine.stdout).strip()[-400:]}")
            continue
        want, got = read(os.path.join(work, "neuron.txt")), read(os.path.join(work, "out.txt"))
        names = ["v soma(0.5)"] + [f"{v} {s}({x:.3g})" for v in variables for s, x in PLACES]
        worst = []
        for name, a, b in zip(names, got, want):
            if len(a) != len(b):
                worst.append(f"{name}: {len(a)} vs {len(b)} samples")
                continue
            d = max(abs(p - q) for p, q in zip(a, b))
            scale = max(abs(q) for q in b) or 1.0
            worst.append(f"{name} {d:.2e} (rel {d / scale:.1e})")
        print(f"{label}: both ran; max |Δ|: " + "; ".join(worst))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
