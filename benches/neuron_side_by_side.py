#!/usr/bin/env python3
"""Time NEURON 9.0.2 (built-in hh) and Neurite (mod_files/hh.mod through the
executable NMODL form) on the same models and print the ratio.

Models: a 1000-compartment hh cable (L = 1000 um, diam 1 um, nseg 1000) with an
IClamp (0.5 nA, 1-91 ms) at its first segment, and a single hh soma (20 x 20 um)
with the same IClamp; 100 ms at dt = 0.025 ms, secondorder 0, celsius 6.3.

    /work/venv-neuron/bin/python benches/neuron_side_by_side.py

Neurite's side runs `cargo run --release --example hh_cable_timing` (built first,
not timed), which prints one `<model> <seconds> <v_end>` line per model.
Only the finitialize + run part is timed on both sides (NEURON: `continuerun`,
its C loop); best of 3.
"""
import os
import subprocess
import time

from neuron import h

h.load_file("stdrun.hoc")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def neuron_time(nseg):
    sec = h.Section(name="cable")
    sec.L, sec.diam, sec.nseg = (1000.0, 1.0, nseg) if nseg > 1 else (20.0, 20.0, 1)
    sec.insert("hh")
    stim = h.IClamp(sec((0.5) / nseg))
    stim.delay, stim.dur, stim.amp = 1.0, 90.0, 0.5
    h.dt, h.secondorder, h.celsius = 0.025, 0, 6.3
    best = None
    for _ in range(3):
        start = time.perf_counter()
        h.finitialize(-65.0)
        h.continuerun(100.0)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    v_end = sec((0.5) / nseg).v
    return best, v_end


def neurite_times():
    cmd = ["cargo", "run", "--quiet", "--release", "--example", "hh_cable_timing"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    best = {}
    for _ in range(3):
        out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            name, secs, v = line.split()
            prev = best.get(name)
            if prev is None or float(secs) < prev[0]:
                best[name] = (float(secs), float(v))
    return best


def main():
    ours = neurite_times()
    for name, nseg in [("cable1000", 1000), ("soma", 1)]:
        t_nrn, v_nrn = neuron_time(nseg)
        t_us, v_us = ours[name]
        print("%-10s NEURON %.4f s  Neurite %.4f s  Neurite/NEURON = %.2f  (v_end %.6f vs %.6f)"
              % (name, t_nrn, t_us, t_us / t_nrn, v_nrn, v_us))


if __name__ == "__main__":
    main()
