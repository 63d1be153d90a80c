#!/usr/bin/env python3
"""Local NMODL conformance check: NEURON's translator versus `neurite check-mod`.

For every `.mod` file under each checkout given on the command line (symbolic links
skipped), take NEURON 9.0.2's verdict as `nrnivmodl` would give it, that is `nocmodl`
(from the `neuron` PyPI wheel) followed by a C++ syntax check of the code it writes
(`g++ -fsyntax-only` against the wheel's headers: nocmodl only warns about some errors
that the compile then rejects, such as an undefined name), and Neurite's front end; count
the files where both accept or both reject. Prints the table rows and
every disagreement; with --write, replaces the local rows of tests/conformance/nmodl.md.

    python3 tests/conformance/nmodl_local.py --neurite target/release/neurite \
        'neuronsimulator/nrn@67fb8c6=/path/to/checkout' ... [--write]

Needs `pip install neuron==9.0.2`. Not run by CI (the repositories are not reachable there).
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

BEGIN = "<!-- begin: local rows written by tests/conformance/nmodl_local.py -->"
END = "<!-- end: local rows written by tests/conformance/nmodl_local.py -->"


def neuron_tools():
    import neuron  # noqa: F401  (the wheel's binaries live beside the package)

    base = pathlib.Path(neuron.__file__).parent / ".data"
    nocmodl = base / "bin" / "nocmodl"
    units = base / "share" / "nrn" / "lib" / "nrnunits.lib"
    version = neuron.__version__
    return nocmodl, units, version, base / "include"


def neuron_accepts(tools, path, outdir):
    nocmodl, units, _, include = tools
    env = dict(os.environ, NRNUNITS=str(units))
    try:
        done = subprocess.run(
            [str(nocmodl), "-o", outdir, path.name],
            cwd=path.parent, env=env, capture_output=True, timeout=60,
        )
        if done.returncode != 0:
            return False
        cpp = pathlib.Path(outdir) / (path.stem + ".cpp")
        done = subprocess.run(
            ["g++", "-std=c++17", "-fsyntax-only", f"-I{include}", str(cpp)],
            capture_output=True, timeout=120,
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def neurite_verdicts(neurite, files):
    verdicts = {}
    for i in range(0, len(files), 200):
        chunk = files[i:i + 200]
        done = subprocess.run(
            [neurite, "check-mod", "--json", *map(str, chunk)],
            capture_output=True, text=True,
        )
        if not done.stdout.strip():
            sys.exit(f"neurite produced no report:\n{done.stderr}")
        for entry in json.loads(done.stdout)["files"]:
            verdicts[entry["path"]] = entry
    return verdicts


def check_source(label, root, neurite, tools):
    files = sorted(p for p in pathlib.Path(root).rglob("*.mod") if p.is_file() and not p.is_symlink())
    ours = neurite_verdicts(neurite, files)
    agree, neuron_ok, neurite_ok, disagreements = 0, 0, 0, []
    with tempfile.TemporaryDirectory() as out:
        for path in files:
            theirs = neuron_accepts(tools, path, out)
            entry = ours.get(str(path))
            mine = entry is not None and entry["status"] == "ok"
            neuron_ok += theirs
            neurite_ok += mine
            if theirs == mine:
                agree += 1
            else:
                first = entry["diagnostics"][0]["rendered"].splitlines()[0] if entry and entry["diagnostics"] else ""
                disagreements.append(f"{path.relative_to(root)}: NEURON {'accepts' if theirs else 'rejects'}, Neurite {'accepts' if mine else 'rejects'} {first}")
    row = f"| `{label}` | {len(files)} | {neuron_ok} | {neurite_ok} | {agree}/{len(files)} |"
    return row, disagreements


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="+", help="LABEL=DIR")
    ap.add_argument("--neurite", required=True, help="path to the neurite binary")
    ap.add_argument("--write", action="store_true", help="update tests/conformance/nmodl.md")
    args = ap.parse_args()
    tools = neuron_tools()
    rows = [f"Checked against NEURON {tools[2]} (`nocmodl`, then `g++ -fsyntax-only` on its output).", "",
            "| source | files | accepted by NEURON | accepted by Neurite | agree |",
            "|---|---|---|---|---|"]
    notes = []
    for spec in args.sources:
        label, _, root = spec.partition("=")
        row, dis = check_source(label, root, args.neurite, tools)
        rows.append(row)
        notes += [f"- `{label}`: {d}" for d in dis]
    text = "\n".join(rows) + "\n"
    if notes:
        text += "\nDisagreements:\n\n" + "\n".join(notes) + "\n"
    print(text)
    if args.write:
        path = pathlib.Path(__file__).with_name("nmodl.md")
        doc = path.read_text()
        if BEGIN not in doc:
            doc = doc.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        path.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")


if __name__ == "__main__":
    main()
