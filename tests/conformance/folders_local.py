#!/usr/bin/env python3
"""Local conformance check, whole mechanisms folders at a time: NEURON 9.0.2 versus
`neurite run`.

For every real mechanisms folder of the public repositories named in CORPUS.md (read
from bare git mirrors, symbolic links resolved as a checkout would resolve them):

1. The folder is compiled with NEURON's `nrnivmodl`. Files NEURON itself cannot load are
   left out, as a user would have to: files whose mechanism NEURON already has built in
   (loading them stops nrniv with "The user defined name ... already exists"), a second
   file with a mechanism name already taken in the folder, and files `nrnivmodl` rejects
   (nocmodl or the C++ compile fails).
2. One HOC script is written for the folder: one 20 x 20 um soma per mechanism. A density
   mechanism is inserted together with `pas`; a point process is placed at 0.5 of a soma
   with `pas`, and an artificial cell is created beside it. Every target with a
   NET_RECEIVE is driven by one NetStim (start 5 ms, interval 10 ms, 4 spikes) through a
   NetCon (delay 1 ms, weight 0.01; 1 for an
   artificial cell). Every soma has an IClamp step (10-30 ms, 0.1 nA).
   v(0.5) of every soma is recorded, and the spike times of every artificial cell; the
   run is finitialize(-65) and fixed steps of 0.025 ms to 50 ms; the traces are printed.
3. The script runs in `nrniv` with the compiled library and in
   `neurite run SCRIPT --mod-dir FOLDER`. When either stops with an error, the mechanism
   of the failing line is taken out (and named) and the script is run again without it,
   so that the rest of the folder is still measured.
4. The traces are compared point by point.

Writes the table between the markers of tests/conformance/folders.md with --write, and
prints it. Not run by CI: the repositories are not reachable there.

    /work/venv-neuron/bin/python tests/conformance/folders_local.py \
        --neurite /work/target-folders/release/neurite \
        --mirrors /work/.mirror [--only SUBSTRING] [--write]
"""
import argparse
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
TABLE = ROOT / "tests" / "conformance" / "folders.md"
BEGIN = "<!-- begin: rows written by tests/conformance/folders_local.py -->"
END = "<!-- end: rows written by tests/conformance/folders_local.py -->"

# (mirror name, folder inside the repository). Folders with the same files as an
# earlier one are measured once and named as duplicates.
FOLDERS = [
    ("BlueBrain+neurodamus-models", "common/mod"),
    ("BlueBrain+neurodamus-models", "common/mod/ngv"),
    ("BlueBrain+neurodamus-models", "common/mod/optimized"),
    ("BlueBrain+neurodamus-models", "neocortex/mod/v6"),
    ("BlueBrain+neurodamus-models", "neocortex/mod/v5"),
    ("BlueBrain+neurodamus-models", "neocortex/mod/common"),
    ("BlueBrain+neurodamus-models", "neocortex/mod/metabolism"),
    ("BlueBrain+neurodamus-models", "neocortex/mod/plasticity"),
    ("BlueBrain+neurodamus-models", "hippocampus/mod"),
    ("BlueBrain+neurodamus-models", "thalamus/mod"),
    ("BlueBrain+neurodamus-models", "thalamus/mod/other_versions"),
    ("BlueBrain+neurodamus-models", "mousify/mod"),
    ("cyneuro+bmtool", "docs/examples/cli/single_cell/modfiles"),
    ("cyneuro+bmtool", "docs/examples/notebooks/single_cell/modfiles"),
    ("cyneuro+bmtool", "docs/examples/notebooks/single_cell/components/mechanisms/modfiles"),
    ("cyneuro+bmtool", "docs/examples/notebooks/synapses/gap_junction_tuner/modfiles"),
    ("cyneuro+bmtool", "docs/examples/notebooks/synapses/synaptic_tuner/modfiles"),
    ("cyneuro+bmtool",
     "docs/examples/notebooks/synapses/synaptic_tuner/bmtk_files/components/mechanisms"),
    ("BlueBrain+BluePyOpt", "examples/l5pc/mechanisms"),
    ("BlueBrain+BluePyOpt", "examples/stochkv/mechanisms"),
    ("BlueBrain+BluePyOpt", "examples/thalamocortical-cell/mechanisms"),
    ("AllenInstitute+bmtk", "bmtk/utils/scripts/bionet/mechanisms/modfiles"),
    ("AllenInstitute+bmtk", "bmtk/tests/simulator/bionet/components/mechanisms/modfiles"),
    ("AllenInstitute+bmtk", "docs/environments/bionet/mechanisms/modfiles"),
    ("AllenInstitute+bmtk", "docs/tutorial/modeling_tut_2021/components/mechanisms/modfiles"),
    ("AllenInstitute+bmtk", "docs/tutorial/sources/bionet_files/components/mechanisms/modfiles"),
    ("AllenInstitute+bmtk", "examples/bio_all_active_sweep/models/neuronal_model_491766131/modfiles"),
    ("AllenInstitute+bmtk", "examples/bio_components/mechanisms/modfiles"),
    ("AllenInstitute+bmtk", "examples/bio_nsg/bio_450cells"),
    ("AllenInstitute+bmtk", "examples/bio_nsg/bio_450cells/components/mechanisms/modfiles"),
    ("AllenInstitute+bmtk", "examples/bio_nsg/bio_template"),
    ("AllenInstitute+bmtk", "examples/bio_nsg/bio_template/components/mechanisms/modfiles"),
    ("neuronsimulator+nrn", "share/demo/release"),
    ("neuronsimulator+nrn", "share/examples/nrniv/netcon"),
    ("neuronsimulator+nrn", "share/examples/nrniv/nmodl"),
    ("neuronsimulator+nrn", "share/lib/python/neuron/nmodl/ext/example"),
    ("neuronsimulator+nrn", "docs/courses/code"),
    ("neuronsimulator+nrn", "docs/guide/data"),
    ("neuronsimulator+nrn", "docs/nmodl/mod"),
]

TSTOP = 50.0
DT = 0.025


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", **kw)


# ---------------------------------------------------------------- sources


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                          check=True).stdout


def git_entry(repo, path, depth=0):
    """(mode, object) of `path` at HEAD, following symbolic links as a checkout would."""
    parts = pathlib.PurePosixPath(path).parts
    for i in range(1, len(parts) + 1):
        prefix = "/".join(parts[:i])
        line = git(repo, "ls-tree", "HEAD", "--", prefix).decode().strip()
        if not line:
            return None
        mode, _, obj = line.split("\t")[0].split()
        if mode == "120000" and depth < 8:
            target = git(repo, "cat-file", "blob", obj).decode().strip()
            parent = pathlib.PurePosixPath(*parts[:i - 1]) if i > 1 else pathlib.PurePosixPath()
            resolved = os.path.normpath(str(parent / target))
            rest = "/".join(parts[i:])
            return git_entry(repo, resolved + ("/" + rest if rest else ""), depth + 1)
    return mode, obj, path


def gather(mirrors, name, folder):
    """The folder's .mod files (and the .inc files they may INCLUDE) at HEAD of the
    mirror, symbolic links resolved."""
    repo = mirrors / name / "repo"
    mods, incs = {}, {}
    entry = git_entry(repo, folder)
    if entry is None:
        return mods, incs
    listing = git(repo, "ls-tree", "HEAD", "--", entry[2] + "/").decode().splitlines()
    for line in listing:
        meta, path = line.split("\t", 1)
        fname = pathlib.PurePosixPath(path).name
        if not fname.endswith((".mod", ".inc")):
            continue
        e = git_entry(repo, path)
        if e is None or e[0] not in ("100644", "100755"):
            continue
        text = git(repo, "cat-file", "blob", e[1]).decode(errors="replace")
        (mods if fname.endswith(".mod") else incs)[fname] = text
    return mods, incs


def strip_comments(text):
    text = re.sub(r"(?ms)^\s*COMMENT\b.*?^\s*ENDCOMMENT\b", "", text)
    text = re.sub(r"(?ms)^\s*VERBATIM\b.*?^\s*ENDVERBATIM\b", "", text)
    return "\n".join(re.split(r"[:?]", line, maxsplit=1)[0] for line in text.splitlines())


def mechanism_of(text):
    """(name, kind) from the NEURON block: kind is density, point or artificial."""
    text = strip_comments(text)
    m = re.search(r"\bNEURON\s*\{(.*?)\}", text, re.S)
    if not m:
        return None, None
    block = m.group(1)
    for word, kind in (("SUFFIX", "density"), ("POINT_PROCESS", "point"),
                       ("ARTIFICIAL_CELL", "artificial")):
        n = re.search(rf"\b{word}\s+([A-Za-z_][A-Za-z0-9_]*)", block)
        if n:
            return n.group(1), kind
    return None, None


def has_net_receive(text):
    return re.search(r"^\s*NET_RECEIVE\b", strip_comments(text), re.M) is not None


# ---------------------------------------------------------------- NEURON


def neuron_builtins(python):
    code = ("from neuron import h\n"
            "s=h.ref('')\n"
            "for k in (0,1):\n"
            "  mt=h.MechanismType(k)\n"
            "  for i in range(int(mt.count())):\n"
            "    mt.select(i); mt.selected(s); print('MECH', s[0])\n")
    out = sh([python, "-c", code]).stdout
    return {line.split()[1] for line in out.splitlines() if line.startswith("MECH ")}


def nrn_bin(python, tool):
    return str(pathlib.Path(python).parent / tool)


def nocmodl_accepts(python, path, outdir):
    """nrnivmodl's verdict on one file: nocmodl, then the C++ compile of its output."""
    import neuron  # noqa: F401

    base = pathlib.Path(neuron.__file__).parent / ".data"
    env = dict(os.environ, NRNUNITS=str(base / "share" / "nrn" / "lib" / "nrnunits.lib"))
    done = sh([str(base / "bin" / "nocmodl"), "-o", outdir, path.name], cwd=path.parent,
              env=env, timeout=120)
    if done.returncode != 0:
        return (done.stderr + done.stdout).strip().splitlines()[-1:] or ["nocmodl failed"]
    cpp = pathlib.Path(outdir) / (path.stem + ".cpp")
    done = sh(["g++", "-std=c++17", "-fsyntax-only", f"-I{base / 'include'}", str(cpp)],
              timeout=300)
    if done.returncode != 0:
        errs = [ln for ln in done.stderr.splitlines() if "error" in ln]
        return errs[:1] or ["C++ compile failed"]
    return None


def compile_folder(python, moddir, work):
    """Runs nrnivmodl in `work` over `moddir`; returns the library path or None."""
    lib = work / "x86_64" / "libnrnmech.so"
    if lib.exists():
        return lib
    # -O0: the same IEEE double arithmetic as nrnivmodl's -O2 on x86-64 (no FMA
    # contraction without -mfma), compiled several times faster.
    env = dict(os.environ, MAKEFLAGS="CXXFLAGS=-O0\\ -std=c++17")
    done = sh([nrn_bin(python, "nrnivmodl"), str(moddir)], cwd=work, env=env, timeout=3000)
    if done.returncode != 0 or not lib.exists():
        (work / "nrnivmodl.log").write_text(done.stdout + done.stderr)
        return None
    return lib


# ---------------------------------------------------------------- the script


def hoc_script(mechs):
    """One soma per mechanism; `mechs` is a list of (name, kind, net_receive)."""
    n = len(mechs)
    npp = sum(1 for _, k, _ in mechs if k != "density")
    L = [f"// {n} mechanisms: {' '.join(m for m, _, _ in mechs)}",
         f"create s[{n}]",
         f"objref vr[{n}], ic[{n}], pp[{max(npp, 1)}], nc[{max(npp, 1)}], "
         f"sv[{max(npp, 1)}], snc[{max(npp, 1)}], ns, nil",
         "ns = new NetStim()",
         "ns.start = 5",
         "ns.interval = 10",
         "ns.number = 4",
         "ns.noise = 0"]
    lines_of = {}
    j = 0
    for k, (name, kind, receive) in enumerate(mechs):
        start = len(L) + 1
        L.append(f"s[{k}] {{ L = 20  diam = 20  nseg = 1  insert pas }}")
        if kind == "density":
            L.append(f"s[{k}] insert {name}")
        elif kind == "point":
            L.append(f"s[{k}] pp[{j}] = new {name}(0.5)")
        else:
            L.append(f"pp[{j}] = new {name}()")
        if kind != "density":
            if receive:
                L.append(f"nc[{j}] = new NetCon(ns, pp[{j}])")
                L.append(f"nc[{j}].delay = 1")
                L.append(f"nc[{j}].weight = {1 if kind == 'artificial' else 0.01}")
            if kind == "artificial":
                L.append(f"sv[{j}] = new Vector()")
                L.append(f"snc[{j}] = new NetCon(pp[{j}], nil)")
                L.append(f"snc[{j}].record(sv[{j}])")
            j += 1
        L.append(f"s[{k}] ic[{k}] = new IClamp(0.5)")
        L.append(f"ic[{k}].del = 10")
        L.append(f"ic[{k}].dur = 20")
        L.append(f"ic[{k}].amp = 0.1")
        L.append(f"vr[{k}] = new Vector()")
        L.append(f"vr[{k}].record(&s[{k}].v(0.5))")
        for line in range(start, len(L) + 1):
            lines_of[line] = name
    L += ["dt = 0.025",
          "finitialize(-65)",
          f"while (t < {TSTOP} - dt/2) {{ fadvance() }}"]
    run_start = len(L) - 1
    j = 0
    for k, (name, kind, _) in enumerate(mechs):
        L.append(f'for i = 0, vr[{k}].size() - 1 {{ printf("V {k} %.17g\\n", vr[{k}].x[i]) }}')
        if kind != "density":
            if kind == "artificial":
                L.append(f'for i = 0, sv[{j}].size() - 1 {{ printf("S {k} %.17g\\n", sv[{j}].x[i]) }}')
            j += 1
    L.append('printf("END\\n")')
    return "\n".join(L) + "\n", lines_of, run_start


def parse_output(text):
    traces, spikes, done = {}, {}, False
    for line in text.splitlines():
        if line.startswith("V "):
            _, k, x = line.split()
            traces.setdefault(int(k), []).append(float(x))
        elif line.startswith("S "):
            _, k, x = line.split()
            spikes.setdefault(int(k), []).append(float(x))
        elif line.strip() == "END":
            done = True
    return traces, spikes, done


HOC_LINE = re.compile(r"folder\.hoc[^0-9]{0,20}(\d+)")


def failing_line(text):
    """The script line an error message names (nrniv: 'folder.hoc near line N')."""
    m = re.search(r"folder\.hoc near line (\d+)", text) or re.search(r"folder\.hoc:(\d+)", text)
    return int(m.group(1)) if m else None


def first_error(text):
    """The message that says why a run stopped (nrniv's own line, a crash, or Neurite's
    `file:line: message`), not the lines around it."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    noise = ("hoc_run1: caught exception", "Aborting", "near line", "Backtrace", "/lib",
             "^", "neurite run: warning")
    useful = [ln for ln in lines if not any(n in ln for n in noise)]
    for pick in (lambda ln: "Segmentation" in ln or "violation" in ln,
                 lambda ln: ln.startswith("nrniv:") or ": error" in ln or "error:" in ln,
                 lambda ln: "rror" in ln,
                 lambda ln: True):
        hits = [ln for ln in useful if pick(ln)]
        if hits:
            return hits[0][:300]
    return (lines or ["(no message)"])[0][:300]


def run_tool(kind, mechs, work, python, lib, neurite, moddir):
    script, lines_of, _ = hoc_script(mechs)
    path = work / "folder.hoc"
    path.write_text(script)
    if kind == "nrniv":
        cmd = [nrn_bin(python, "nrniv"), "-nogui", "-nobanner", "-dll", str(lib), str(path)]
    else:
        cmd = [neurite, "run", str(path), "--mod-dir", str(moddir)]
    try:
        done = sh(cmd, cwd=work, timeout=900, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, None, "timed out after 900 s", lines_of
    traces, spikes, ok = parse_output(done.stdout)
    if ok and done.returncode == 0:
        return traces, spikes, None, lines_of
    return None, None, done.stderr + "\n" + done.stdout[-2000:], lines_of


def run_until_clean(kind, mechs, work, python, lib, neurite, moddir):
    """Runs, taking out the mechanism of each failing line; returns (traces, spikes,
    mechanisms that ran, {mechanism: error})."""
    mechs = list(mechs)
    failed = {}
    while mechs:
        traces, spikes, err, lines_of = run_tool(kind, mechs, work, python, lib, neurite, moddir)
        if err is None:
            return traces, spikes, mechs, failed
        line = failing_line(err)
        name = lines_of.get(line) if line else None
        if name is None:
            # Not on a mechanism's line (the run itself): find the culprit alone.
            culprit = None
            for m in mechs:
                _, _, e1, _ = run_tool(kind, [m], work, python, lib, neurite, moddir)
                if e1 is not None:
                    culprit, err = m, e1
                    break
            if culprit is None:
                return None, None, [], {m[0]: first_error(err) for m in mechs}
            name = culprit[0]
        failed[name] = first_error(err)
        mechs = [m for m in mechs if m[0] != name]
    return {}, {}, [], failed


# ---------------------------------------------------------------- one folder


def measure(label, mods, incs, work, python, neurite, builtins):
    row = {"folder": label, "files": len(mods), "notes": []}
    moddir = work / "mods"
    shutil.rmtree(moddir, ignore_errors=True)
    moddir.mkdir(parents=True)
    for name, text in incs.items():
        (moddir / name).write_text(text)
    kept, seen = {}, {}
    for fname, text in sorted(mods.items()):
        name, kind = mechanism_of(text)
        if name is None:
            row["notes"].append(f"{fname}: no mechanism name found")
            continue
        if name in builtins:
            row["notes"].append(f"{fname}: {name} is built into NEURON (left out)")
            continue
        if name in seen:
            row["notes"].append(f"{fname}: {name} already defined by {seen[name]} (left out)")
            continue
        seen[name] = fname
        kept[fname] = (name, kind, has_net_receive(text))
        (moddir / fname).write_text(text)
    # NEURON's verdict on the folder; files it rejects are left out, then recompiled.
    lib = compile_folder(python, moddir, work)
    if lib is None:
        with tempfile.TemporaryDirectory() as out:
            for fname in list(kept):
                why = nocmodl_accepts(python, moddir / fname, out)
                if why:
                    row["notes"].append(f"{fname}: rejected by nrnivmodl ({why[0][:120]})")
                    (moddir / fname).unlink()
                    del kept[fname]
        shutil.rmtree(work / "x86_64", ignore_errors=True)
        lib = compile_folder(python, moddir, work)
        if lib is None:
            row["error"] = "nrnivmodl failed on the folder; see nrnivmodl.log"
            return row
    row["neuron_files"] = len(kept)
    mechs = [kept[f] for f in sorted(kept)]
    by_name = {m[0]: f for f, m in kept.items()}
    # Neurite's load verdict, file by file (what `neurite run` warns about).
    probe = work / "probe.hoc"
    probe.write_text("x = 1\n")
    done = sh([neurite, "run", str(probe), "--mod-dir", str(moddir)], timeout=600)
    skipped = {}
    for line in done.stderr.splitlines():
        m = re.match(r"neurite run: warning: (.*?) not loaded \((.*)\); using", line)
        if m:
            skipped[pathlib.Path(m.group(1)).name] = m.group(2)
    row["loaded"] = len(kept) - len([f for f in skipped if f in kept])
    row["skipped"] = {f: skipped[f] for f in sorted(skipped) if f in kept}
    # NEURON first: what it cannot run with default parameters is left out of both.
    nt, ns, nran, nfail = run_until_clean("nrniv", mechs, work, python, lib, neurite, moddir)
    row["neuron_ran"] = len(nran)
    row["neuron_failed"] = nfail
    ours = [m for m in nran if by_name[m[0]] not in skipped]
    wt, ws, wran, wfail = run_until_clean("neurite", ours, work, python, lib, neurite, moddir)
    row["ran"] = len(wran)
    row["neurite_failed"] = wfail
    # Compare on the mechanisms both ran: index by name.
    nidx = {m[0]: k for k, m in enumerate(nran)}
    widx = {m[0]: k for k, m in enumerate(wran)}
    worst, worst_name, per = 0.0, None, {}
    spike_note = []
    for name in widx:
        a = nt.get(nidx[name], [])
        b = wt.get(widx[name], [])
        if len(a) != len(b) or not a:
            per[name] = float("inf")
        else:
            d = 0.0
            for x, y in zip(a, b):
                if x != x or y != y:
                    dd = 0.0 if (x != x and y != y) else float("inf")
                else:
                    dd = abs(x - y)
                d = max(d, dd)
            per[name] = d
        sa, sb = ns.get(nidx[name], []), ws.get(widx[name], [])
        if len(sa) != len(sb) or any(abs(x - y) > 1e-6 for x, y in zip(sa, sb)):
            spike_note.append(f"{name}: NEURON {len(sa)} spikes, Neurite {len(sb)}")
        if per[name] > worst or worst_name is None:
            worst, worst_name = per[name], name
    row["max_dv"] = worst if widx else None
    row["worst"] = worst_name
    row["per"] = per
    row["spikes"] = spike_note
    return row


def fmt_dv(x):
    if x is None:
        return "–"
    if x == float("inf"):
        return "∞"
    return f"{x:.1e}"


def table(rows):
    out = ["| folder | files | NEURON loads | Neurite loads | ran (Neurite/NEURON) "
           "| max \\|Δv\\| mV (mechanism) | first failing file: error |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        if "dup" in r:
            out.append(f"| {r['folder']} | {r['files']} | same files as {r['dup']} | | | | |")
            continue
        if "error" in r:
            out.append(f"| {r['folder']} | {r['files']} | {r['error']} | | | | |")
            continue
        first = ""
        if r["skipped"]:
            f, why = next(iter(r["skipped"].items()))
            first = f"{f}: {why}"
        elif r["neurite_failed"]:
            name, why = next(iter(r["neurite_failed"].items()))
            first = f"{name}: {why}"
        first = first.replace("|", "\\|")
        worst = f"{fmt_dv(r['max_dv'])} ({r['worst']})" if r["worst"] else "–"
        out.append(f"| {r['folder']} | {r['files']} | {r['neuron_files']} | {r['loaded']} "
                   f"| {r['ran']}/{r['neuron_ran']} | {worst} | {first} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--neurite", required=True)
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--cache", default=str(ROOT / "target" / "folders-local"))
    ap.add_argument("--only", default=None, help="measure folders whose label contains this")
    ap.add_argument("--json", default=None, help="also write every row (details) here")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--from-log", default=None,
                    help="make the table from the rows a run printed on stderr (a partial run)")
    args = ap.parse_args()
    if args.from_log:
        rows = [json.loads(line) for line in pathlib.Path(args.from_log).read_text().splitlines()
                if line.startswith("{")]
        finish(rows, args)
        return
    python = sys.executable
    neurite = str(pathlib.Path(args.neurite).resolve())
    cache = pathlib.Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    builtins = neuron_builtins(python)
    rows, seen = [], {}
    for repo, folder in FOLDERS:
        label = f"{repo.replace('+', '/')} `{folder}`"
        if args.only and args.only not in label:
            continue
        mods, incs = gather(pathlib.Path(args.mirrors), repo, folder)
        key = hashlib.sha256(json.dumps([sorted(mods.items()), sorted(incs.items())])
                             .encode()).hexdigest()[:16]
        if key in seen:
            rows.append({"folder": label, "files": len(mods), "dup": seen[key]})
            continue
        seen[key] = label
        work = cache / "work" / key
        work.mkdir(parents=True, exist_ok=True)
        print(f"== {label} ({len(mods)} files)", file=sys.stderr, flush=True)
        row = measure(label, mods, incs, work, python, neurite, builtins)
        rows.append(row)
        print(json.dumps(row, default=str), file=sys.stderr, flush=True)
    finish(rows, args)


def finish(rows, args):
    text = table(rows)
    print(text)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1, default=str))
    if args.write:
        doc = TABLE.read_text()
        a, b = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        TABLE.write_text(doc[:a] + "\n" + text + "\n" + doc[b:])


if __name__ == "__main__":
    main()
