#!/usr/bin/env python3
"""Time bmtool 0.8.7 (NEURON 8.2.4) and `neurite tune synapse` on the same work.

Both sides tune the `exc` connection of tests/reference/data/bmtool_synapse_exc.json
(AMPA_NMDA_STP on the dendrite of templates/neurite_cells.hoc's NeuritePassive,
`"metrics": "bmtool"`, dt 0.025 ms):

  (a) the STP frequency response: bmtool's `stp_frequency_response` over its 16
      default frequencies (1-200 Hz, recovery delay 250 ms) plus one `SingleEvent`;
      Neurite's `neurite tune synapse --frequencies default` (the same 16 trains
      plus its single event);
  (b) one optimisation: bmtool's `SynapseOptimizer.optimize_parameters` (SLSQP,
      `init_guess="middle_guess"`, trains at 50 Hz, no single event) and Neurite's
      `--optimize` (Nelder-Mead from the middle of the bounds), same bounds and
      target (`induction`). The two algorithms take different numbers of
      simulations, so the time per simulation is printed too.

Run with bmtool's venv (bmtool 0.8.7, neuron 8.2.4, numpy < 2.4):

    /work/venv-bmtool/bin/python benches/tuner_side_by_side.py [--skip-build]

bmtool's models are Neurite's mod_files/AMPA_NMDA_STP.mod compiled with that
NEURON's nrnivmodl in a temporary folder (as tests/reference/bmtool_metrics.py
does); NEURON's VClamp is its built-in. Neurite runs the release binary (built
first unless --skip-build; the build is not timed; CARGO_TARGET_DIR is honoured).
Timed on each side: from building the tuner (bmtool: `SynapseTuner(...)`, after
`import bmtool`; Neurite: the whole process) to the result. Both wall-clock and
CPU time are printed: on a machine shared with other work the CPU time is the
steadier measure. The results of (a) are compared (largest |difference| of the
four ratios over the 16 frequencies) so that a faster run that computes something
else is caught.
"""
import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "tests", "reference", "data", "bmtool_synapse_exc.json")
TEMPLATE = os.path.join(ROOT, "templates", "neurite_cells.hoc")
DELAY = 250.0
OPT_BOUNDS = {"Use": [0.1, 0.9], "Dep": [20.0, 400.0]}
OPT_TARGETS = {"induction": -0.2}
OPT_TRAIN_HZ = 50.0


def settings():
    with open(REFERENCE) as f:
        s = json.load(f)["settings"]
    s["mechanisms_dir"] = os.path.join(ROOT, "mod_files")
    s["templates_dir"] = TEMPLATE
    s["metrics"] = "bmtool"
    return s


def compile_mechanisms():
    tmp = tempfile.mkdtemp(prefix="neurite-bench-mods-")
    shutil.copy(os.path.join(ROOT, "mod_files", "AMPA_NMDA_STP.mod"), tmp)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    subprocess.run([nrnivmodl], cwd=tmp, check=True, capture_output=True)
    return tmp


class Clock:
    """Wall and CPU seconds of this process (bmtool's side)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def bmtool_tuner(s, mech_dir):
    from bmtool.synapses import SynapseTuner

    g = dict(s["general_settings"])
    g["rise_interval"] = tuple(g["rise_interval"])
    return SynapseTuner(
        conn_type_settings=json.loads(json.dumps(s["conn_type_settings"])),
        connection=s["connection"],
        current_name=s["current_name"],
        mechanisms_dir=mech_dir,
        templates_dir=TEMPLATE,
        general_settings=g,
    )


def bmtool_frequency_response(s, mech_dir):
    with Clock() as c, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        tuner = bmtool_tuner(s, mech_dir)
        tuner.SingleEvent(plot_and_print=False)
        res = tuner.stp_frequency_response(delay=DELAY, plot=False)
    return c, res


def bmtool_optimisation(s, mech_dir):
    from bmtool.synapses import SynapseOptimizer

    with Clock() as c, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        tuner = bmtool_tuner(s, mech_dir)
        opt = SynapseOptimizer(tuner)
        result = opt.optimize_parameters(
            target_metrics=dict(OPT_TARGETS),
            param_bounds={k: tuple(v) for k, v in OPT_BOUNDS.items()},
            train_frequency=OPT_TRAIN_HZ,
            train_delay=DELAY,
            init_guess="middle_guess",
        )
    # every objective evaluation is one train; the final metrics one more
    runs = len(result.optimization_path) + 1
    return c, result, runs


def neurite_binary(skip_build):
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    if not skip_build:
        subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "neurite"],
                       cwd=ROOT, check=True)
    return os.path.join(target, "release", "neurite")


def neurite_run(binary, args):
    """Runs `neurite tune synapse ARGS`; returns (wall, cpu, JSON report)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([binary, "tune", "synapse"] + args, check=True,
                         capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(out.stdout)


def line(what, theirs, ours, runs=None):
    (bw, bc), (nw, nc) = theirs, ours
    text = ("%-22s bmtool %8.2f s wall %8.2f s CPU | Neurite %7.2f s wall %7.2f s CPU | "
            "speed-up %5.1fx wall %5.1fx CPU" % (what, bw, bc, nw, nc, bw / nw, bc / nc))
    print(text)
    if runs:
        rb, rn = runs
        print("%-22s bmtool %d simulations (%.1f ms CPU each) | Neurite %d (%.1f ms CPU each) "
              "| per simulation %.1fx" % ("", rb, 1e3 * bc / rb, rn, 1e3 * nc / rn,
                                            (bc / rb) / (nc / rn)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    import bmtool  # noqa: F401  (imported before timing, as a user's session has it)
    import neuron

    s = settings()
    mech_dir = compile_mechanisms()
    binary = neurite_binary(args.skip_build)
    work = tempfile.mkdtemp(prefix="neurite-bench-")
    config = os.path.join(work, "exc.json")
    with open(config, "w") as f:
        json.dump(s, f)
    spec = os.path.join(work, "optimize.json")
    with open(spec, "w") as f:
        json.dump({"bounds": OPT_BOUNDS, "targets": OPT_TARGETS, "train_hz": OPT_TRAIN_HZ}, f)
    print("bmtool %s with NEURON %s; Neurite %s; %d CPUs" % (
        getattr(bmtool, "__version__", "0.8.7"), neuron.__version__, binary, os.cpu_count()))

    # (a) frequency response
    c, res = bmtool_frequency_response(s, mech_dir)
    wall, cpu, report = neurite_run(binary, ["--config", config, "--frequencies", "default",
                                             "--delay", str(DELAY)])
    ours = report["frequency_response"]
    worst = max(abs(a - b) for k in ("ppr", "induction", "recovery", "simple_ppr")
                for a, b in zip(ours[k], res[k]))
    line("frequency response", (c.wall, c.cpu), (wall, cpu))
    print("%-22s 16 frequencies; largest |difference| of the ratios %.1e" % ("", worst))

    # (b) one optimisation
    c, result, runs = bmtool_optimisation(s, mech_dir)
    wall, cpu, report = neurite_run(binary, ["--config", config, "--optimize", spec,
                                             "--delay", str(DELAY)])
    found = report["optimization"]
    line("optimisation", (c.wall, c.cpu), (wall, cpu), (runs, found["evaluations"] + 1))
    print("%-22s bmtool %s error %.2e | Neurite %s error %.2e" % (
        "", {k: round(float(v), 4) for k, v in result.optimal_params.items()},
        float(result.error),
        {k: round(float(v), 4) for k, v in found["optimal_params"].items()}, found["error"]))


if __name__ == "__main__":
    main()
