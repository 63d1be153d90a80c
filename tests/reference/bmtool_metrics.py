#!/usr/bin/env python3
"""Reference numbers from bmtool 0.8.7's SynapseTuner and GapJunctionTuner.

Runs bmtool's own tuners (not a re-implementation) on Neurite's mechanisms
(mod_files/AMPA_NMDA_STP.mod, GABA_A_STP.mod, Gap.mod, compiled with nrnivmodl
in a temporary folder: NEURON refuses duplicates of its built-in mechanisms, so
only these three are compiled) and Neurite's template file
templates/neurite_cells.hoc, and writes, for `crates/tuner/tests/`:

  tests/reference/data/bmtool_synapse_exc.json  AMPA_NMDA_STP on the dendrite
  tests/reference/data/bmtool_synapse_inh.json  GABA_A_STP on the soma
  tests/reference/data/bmtool_gap.json          Gap between two passive cells

Each holds the settings, the recorded traces bmtool analysed and the numbers
bmtool computed from them, captured from bmtool's own calls (SingleEvent's
_get_syn_prop result and np.trapz integral, stp_frequency_response's
_response_amplitude and ratios, GapJunctionTuner.coupling_ratio).

Traces are stored exactly (little-endian float64, base64) for the sample range
the metrics read: from shortly before the first presynaptic spike to the end
of the run. When every earlier sample has one value (the synaptic current is
exactly 0 before the first event), that value is stored as `prefix` so the whole
trace can be rebuilt; otherwise `prefix` is null and earlier samples are unknown.

Usage (a venv outside the repo, see tests/reference/data/README.md):
    python -m venv /work/venv-bmtool
    /work/venv-bmtool/bin/pip install bmtool==0.8.7 neuron==8.2.4 'numpy<2.4'
    /work/venv-bmtool/bin/python tests/reference/bmtool_metrics.py
"""

import base64
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "reference", "data")
MODS = ["AMPA_NMDA_STP.mod", "GABA_A_STP.mod", "Gap.mod"]
TEMPLATE = os.path.join(ROOT, "templates", "neurite_cells.hoc")

GENERAL_SETTINGS = {
    "vclamp": False,
    "rise_interval": [0.1, 0.9],
    "tstart": 500.0,
    "tdur": 100.0,
    "threshold": -15.0,
    "delay": 1.3,
    "weight": 1.0,
    "dt": 0.025,
    "celsius": 20,
}

CONN_TYPE_SETTINGS = {
    "exc": {
        "spec_settings": {
            "post_cell": "NeuritePassive",
            "vclamp_amp": -70.0,
            "sec_x": 0.5,
            "sec_id": 1,
            "level_of_detail": "AMPA_NMDA_STP",
        },
        "spec_syn_param": {
            "initW": 2.0,
            "tau_r_AMPA": 0.2,
            "tau_d_AMPA": 1.7,
            "tau_r_NMDA": 0.29,
            "tau_d_NMDA": 43.0,
            "Use": 0.3,
            "Dep": 100.0,
            "Fac": 50.0,
            "gmax_AMPA": 0.001,
            "gmax_NMDA": 0.0007,
        },
    },
    "inh": {
        "spec_settings": {
            "post_cell": "NeuritePassive",
            "vclamp_amp": -40.0,
            "sec_x": 0.5,
            "sec_id": 0,
            "level_of_detail": "GABA_A_STP",
        },
        "spec_syn_param": {
            "initW": 1.5,
            "tau_r_GABAA": 0.2,
            "tau_d_GABAA": 8.0,
            "Use": 0.6,
            "Dep": 300.0,
            "Fac": 0.0,
            "gmax": 0.001,
        },
    },
}

TRAIN_FREQ = 50.0
TRAIN_DELAY = 250.0
TRAIN_DT = 0.05  # the train runs use a coarser step to keep the stored traces small
PRE_SAMPLES = 40  # samples kept before the first spike (1 ms at dt = 0.025)

GAP_GENERAL_SETTINGS = {
    "tstart": 500.0,
    "tdur": 500.0,
    "dt": 0.025,
    "celsius": 20,
    "iclamp_amp": -0.01,
}
GAP_CONN_TYPE_SETTINGS = {"pas2pas_gj": {"cell": "NeuritePassive", "sec_id": 0, "sec_x": 0.5}}
GAP_CONDUCTANCES = [1e-4, 1e-3, 1e-2]
GAP_WINDOW = 20  # samples kept on each side of t_start and t_end
GAP_DECIMATE = 80  # every 80th sample (2 ms) for plots


def compile_mechanisms():
    """nrnivmodl on the three mod files only, in a fresh temporary folder."""
    tmp = tempfile.mkdtemp(prefix="neurite-bmtool-mods-")
    for name in MODS:
        shutil.copy(os.path.join(ROOT, "mod_files", name), tmp)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    subprocess.run([nrnivmodl], cwd=tmp, check=True, capture_output=True)
    return tmp


def encode(values, start, prefix_ok=True):
    """Samples [start:] exactly, with the constant prefix when there is one."""
    values = np.asarray(values, dtype="<f8")
    head = values[:start]
    prefix = None
    if prefix_ok and head.size and np.all(head == head[0]):
        prefix = float(head[0])
    return {
        "start": int(start),
        "len_full": int(values.size),
        "prefix": prefix,
        "f64le_base64": base64.b64encode(values[start:].tobytes()).decode("ascii"),
    }


def decimate(values, step):
    return [float(x) for x in np.asarray(values)[::step]]


def versions():
    import bmtool
    import neuron
    import scipy

    bm = getattr(bmtool, "__version__", None)
    if bm is None:
        from importlib.metadata import version

        bm = version("bmtool")
    return {
        "bmtool": bm,
        "neuron": neuron.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": sys.version.split()[0],
    }


class Spy:
    """Wraps a callable and keeps every result it returned."""

    def __init__(self, func):
        self.func = func
        self.results = []

    def __call__(self, *args, **kwargs):
        out = self.func(*args, **kwargs)
        self.results.append(out)
        return out


def props_json(props, integral):
    out = {k: float(v) for k, v in props.items()}
    out["integral"] = float(integral)
    return out


def single_event(tuner, h):
    """SingleEvent in both modes; bmtool's simulation is the same in both."""
    results, traces = {}, None
    for mode, vclamp in (("current_clamp", False), ("vclamp", True)):
        tuner.vclamp = vclamp
        prop_spy = Spy(tuner._get_syn_prop)
        tuner._get_syn_prop = prop_spy
        trapz_spy = Spy(np.trapz)
        np.trapz = trapz_spy
        try:
            tuner.SingleEvent(plot_and_print=False)
        finally:
            np.trapz = trapz_spy.func
            del tuner._get_syn_prop
        results[mode] = props_json(prop_spy.results[0], trapz_spy.results[0])
        now = recorded(tuner)
        if traces is not None:
            assert all(np.array_equal(now[k], traces[k]) for k in now), "runs differ"
        traces = now
    return pack_run(tuner, h, traces, results)


def recorded(tuner):
    return {
        "t": np.array(tuner.t),
        "i": np.array(tuner.rec_vectors[tuner.current_name]),
        "ivcl": np.array(tuner.ivcl),
        "soma_v": np.array(tuner.soma_v),
        "tspk": np.array(tuner.tspk),
    }


def pack_run(tuner, h, traces, results):
    tspk = traces["tspk"]
    start = max(int(np.floor(tspk[0] / h.dt)) - PRE_SAMPLES, 0)
    t = traces["t"]
    return {
        "dt": float(h.dt),
        "tstop": float(h.tstop),
        "t0": float(t[0]),
        "t_last": float(t[-1]),
        "spike_times": [float(x) for x in tspk],
        "traces": {
            "i": encode(traces["i"], start),
            "ivcl": encode(traces["ivcl"], start, prefix_ok=False),
        },
        "bmtool": results,
    }


def train(tuner, h):
    """stp_frequency_response at one frequency, in both modes."""
    results, traces = {}, None
    for mode, vclamp in (("current_clamp", False), ("vclamp", True)):
        tuner.vclamp = vclamp
        amp_spy = Spy(tuner._response_amplitude)
        peaks = []
        tuner._response_amplitude = lambda: (amp_spy(), peaks.append(list(tuner.ispk)))[0]
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                res = tuner.stp_frequency_response(
                    freqs=[TRAIN_FREQ], delay=TRAIN_DELAY, plot=False, log_plot=False
                )
        finally:
            del tuner._response_amplitude
        short = tuner._get_syn_prop(short=True, dt=h.dt)
        results[mode] = {
            "amplitudes_nA": [float(a) for a in amp_spy.results[0]],
            "peak_indices": [int(i) for i in peaks[0]],
            "baseline": float(short["baseline"]),
            "sign": float(short["sign"]),
            "ppr": res["ppr"][0],
            "induction": res["induction"][0],
            "recovery": res["recovery"][0],
            "simple_ppr": res["simple_ppr"][0],
        }
        now = recorded(tuner)
        if traces is not None:
            assert all(np.array_equal(now[k], traces[k]) for k in now), "runs differ"
        traces = now
    run = pack_run(tuner, h, traces, results)
    run.update({"freq": TRAIN_FREQ, "recovery_delay": TRAIN_DELAY})
    return run


def frequency_response(tuner):
    """stp_frequency_response with bmtool's default frequencies, current clamp.

    Only the amplitudes bmtool measured and the ratios it computed are stored (no
    traces): they check the ratio formulas over a wide range of plasticity states.
    """
    tuner.vclamp = False
    amp_spy = Spy(tuner._response_amplitude)
    tuner._response_amplitude = amp_spy
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            res = tuner.stp_frequency_response(delay=TRAIN_DELAY, plot=False)
    finally:
        del tuner._response_amplitude
    out = {k: [float(x) for x in v] for k, v in res.items()}
    out["amplitudes_nA"] = [[float(a) for a in amps] for amps in amp_spy.results]
    out["recovery_delay"] = TRAIN_DELAY
    return out


def train_single_netcon(tuner, h):
    """The same 12 pulses through ONE NetCon (Neurite's correct protocol).

    bmtool sends pulses 9-12 through a second NetCon, whose NET_RECEIVE state
    starts afresh. Here every pulse goes through one source-less NetCon; the
    bmtool formulas (_response_amplitude, _calc_ppr_induction_recovery) are then
    applied to this run in current-clamp mode.
    """
    interval = 1000.0 / TRAIN_FREQ
    tstart = tuner.general_settings["tstart"]
    times = [tstart + k * interval for k in range(8)]
    second = tstart + 7 * interval + TRAIN_DELAY
    times += [second + k * interval for k in range(4)]
    tstop = second + 4 * interval
    nc = h.NetCon(None, tuner.syn)
    nc.delay = tuner.general_settings["delay"]
    nc.weight[0] = tuner.general_settings["weight"]
    tuner.nstim.number = 0
    tuner.nstim2.number = 0
    fih = h.FInitializeHandler(lambda: [nc.event(x + nc.delay) for x in times])
    h.tstop = tstop
    tuner.tstop = tstop
    h.finitialize(70.0)
    h.continuerun(tstop)
    del fih
    tuner.tspk = h.Vector(times)
    tuner.vclamp = False
    amp = tuner._response_amplitude()
    ppr, induction, recovery, simple_ppr = tuner._calc_ppr_induction_recovery(amp, print_math=False)
    traces = recorded(tuner)
    traces["tspk"] = np.array(times)
    formulas = {
        "amplitudes_nA": [float(a) for a in amp],
        "ppr": float(ppr),
        "induction": float(induction),
        "recovery": float(recovery),
        "simple_ppr": float(simple_ppr),
    }
    formulas["peak_indices"] = [int(i) for i in tuner.ispk]
    run = pack_run(tuner, h, traces, {"current_clamp": formulas})
    del run["traces"]["ivcl"]
    run.update({"freq": TRAIN_FREQ, "recovery_delay": TRAIN_DELAY})
    return run


def make_tuner(name, mech_dir, dt):
    from bmtool.synapses import SynapseTuner

    settings = dict(GENERAL_SETTINGS, dt=dt)
    settings["rise_interval"] = tuple(settings["rise_interval"])
    return SynapseTuner(
        conn_type_settings=json.loads(json.dumps(CONN_TYPE_SETTINGS)),
        connection=name,
        current_name="i",
        mechanisms_dir=mech_dir,
        templates_dir=TEMPLATE,
        general_settings=settings,
    )


def synapse_case(name, mech_dir, h):
    """Single events at dt = 0.025 ms; trains at TRAIN_DT (a second tuner)."""
    with contextlib.redirect_stdout(io.StringIO()):
        single = single_event(make_tuner(name, mech_dir, GENERAL_SETTINGS["dt"]), h)
        tuner = make_tuner(name, mech_dir, TRAIN_DT)
        out = {
            "versions": versions(),
            "settings": settings_json(name),
            "single": single,
            "train": train(tuner, h),
            "frequency_response": frequency_response(tuner),
            "train_single_netcon": train_single_netcon(tuner, h),
        }
    return out


def settings_json(name):
    return {
        "mechanisms_dir": "mod_files",
        "templates_dir": "templates/neurite_cells.hoc",
        "connection": name,
        "current_name": "i",
        "general_settings": GENERAL_SETTINGS,
        "conn_type_settings": {name: CONN_TYPE_SETTINGS[name]},
    }


def gap_case(mech_dir, h):
    from bmtool.synapses import GapJunctionTuner

    with contextlib.redirect_stdout(io.StringIO()):
        tuner = GapJunctionTuner(
            mechanisms_dir=mech_dir,
            templates_dir=TEMPLATE,
            general_settings=dict(GAP_GENERAL_SETTINGS),
            conn_type_settings=json.loads(json.dumps(GAP_CONN_TYPE_SETTINGS)),
        )
    runs = [gap_run(tuner, h, g) for g in GAP_CONDUCTANCES]
    return {
        "versions": versions(),
        "settings": {
            "mechanisms_dir": "mod_files",
            "templates_dir": "templates/neurite_cells.hoc",
            "general_settings": GAP_GENERAL_SETTINGS,
            "conn_type_settings": GAP_CONN_TYPE_SETTINGS,
        },
        "dt": float(h.dt),
        "tstop": float(h.tstop),
        "runs": runs,
    }


def gap_run(tuner, h, g):
    tuner.model(g)
    cc = tuner.coupling_ratio()
    t = np.array(tuner.t_vec)
    v1 = np.array(tuner.soma_v_1)
    v2 = np.array(tuner.soma_v_2)
    t_start = tuner.general_settings["tstart"]
    t_end = t_start + tuner.general_settings["tdur"]
    windows = []
    for edge in (t_start, t_end):
        idx = int(np.nonzero(t < edge)[0][-1])
        lo, hi = idx - GAP_WINDOW, idx + GAP_WINDOW + 1
        windows.append(
            {
                "start": lo,
                "t": [float(x) for x in t[lo:hi]],
                "v1": [float(x) for x in v1[lo:hi]],
                "v2": [float(x) for x in v2[lo:hi]],
            }
        )
    return {
        "bmtool_resistance_argument": g,
        "gap_g_uS": float(tuner.gap_junc_1.g),
        "cc": float(cc),
        "windows": windows,
        "plot": {
            "step": GAP_DECIMATE,
            "t": decimate(t, GAP_DECIMATE),
            "v1": decimate(v1, GAP_DECIMATE),
            "v2": decimate(v2, GAP_DECIMATE),
        },
    }


def write(name, data):
    path = os.path.join(DATA, name)
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)")


def main():
    mech_dir = compile_mechanisms()
    from neuron import h

    os.makedirs(DATA, exist_ok=True)
    write("bmtool_synapse_exc.json", synapse_case("exc", mech_dir, h))
    write("bmtool_synapse_inh.json", synapse_case("inh", mech_dir, h))
    write("bmtool_gap.json", gap_case(mech_dir, h))
    shutil.rmtree(mech_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
