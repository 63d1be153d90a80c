"""Shared by the reference scripts that need test mechanisms compiled by NEURON.

`main(script, mod_dir, run_here)` compiles every `.mod` file of `mod_dir` with the
`nrnivmodl` beside this Python into a temporary folder, then runs
`script --lib FOLDER` in a fresh Python, where `main` calls `run_here(FOLDER)`
(after `load(FOLDER)` has loaded the compiled library into NEURON).
`write_json(path, out)` writes a result as the Rust tests read it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def load(libdir):
    from neuron import h
    h.nrn_load_dll(os.path.join(libdir, "x86_64", "libnrnmech.so"))
    return h


def write_json(path, out):
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


def main(script, mod_dir, run_here):
    if len(sys.argv) == 3 and sys.argv[1] == "--lib":
        run_here(sys.argv[2])
        return
    work = tempfile.mkdtemp(prefix="nrnmech-")
    try:
        for name in sorted(os.listdir(mod_dir)):
            if name.endswith(".mod"):
                shutil.copy(os.path.join(mod_dir, name), work)
        nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
        subprocess.run([nrnivmodl], cwd=work, check=True, capture_output=True)
        subprocess.run([sys.executable, script, "--lib", work], check=True)
    finally:
        shutil.rmtree(work)
