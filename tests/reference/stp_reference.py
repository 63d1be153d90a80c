#!/usr/bin/env python3
"""NEURON reference data for Neurite's STP synapses and the Gap junction.

Run with NEURON 9.0.2's Python (e.g. /work/venv-neuron/bin/python):

    python tests/reference/stp_reference.py

The script copies Neurite's own AMPA_NMDA_STP.mod, GABA_A_STP.mod, GABA_B_STP.mod
and Gap.mod (only these: mod_files/ also holds NEURON built-in names that NEURON
refuses to load twice) to a temporary directory, compiles them with the
nrnivmodl next to this Python, loads the library and writes

    data/stp_<config>.json   one passive soma + one synapse, events at fixed times
    data/gap_coupling.json   two passive somas joined by a pair of Gap processes
    data/gap_hh.json         two hh somas joined by a pair of Gap processes
    data/gap_gated.json      two passive somas joined by GapGate (tests/reference/mod/)
    data/netstim_hh_synapses.json   NetStim trains into hh via ExpSyn and Exp2Syn

It also checks the physics with assertions and prints the checks:
  * the per-event utilisation u and release Pr = u*R that the mod file reports
    (record_use, record_Pr and the NetCon's R, u, tsyn) equal the Tsodyks-Markram
    recursion computed here from the equations;
  * the recorded conductances equal the superposition of dual-exponential
    kernels scaled by those analytic releases (g_NMDA also through the
    Jahr-Stevens Mg block at the recorded v), so every peak follows the recursion;
  * the gap coupling coefficient dV2/dV1 at steady state equals g/(g + G_in2).
"""
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")
MODS = ["AMPA_NMDA_STP.mod", "GABA_A_STP.mod", "GABA_B_STP.mod", "Gap.mod"]
TEST_MODS = ["gapgate.mod"]  # Neurite's test files in tests/reference/mod/

DT = 0.025
V_INIT = -70.0
SECONDORDER = 0
CELSIUS = 34.0
SOMA = {"L": 20.0, "diam": 20.0, "Ra": 100.0, "cm": 1.0, "nseg": 1,
        "g_pas": 1e-4, "e_pas": -70.0}
TRAIN_START = 50.0
N_PULSES = 8
RECOVERY_AFTER = 250.0     # bmtool SynapseTuner's default recovery delay
TAIL = 100.0
SINGLE_AT = 20.0
SINGLE_TSTOP = 300.0
SINGLE_FINE_MS = 60.0     # single event: every 4th step for this long after the event
FINE_STRIDE = 4           # 0.1 ms
COARSE_STRIDE = 80        # 2 ms
TRAIN_FINE_MS = 5.0       # trains: every 4th step for this long after each event
GAP_STRIDE = 40           # 1 ms


def compile_mechanisms():
    tmp = tempfile.mkdtemp(prefix="neurite_stp_")
    for name in MODS:
        shutil.copy(os.path.join(ROOT, "mod_files", name), tmp)
    for name in TEST_MODS:
        shutil.copy(os.path.join(HERE, "mod", name), tmp)
    nrnivmodl = os.path.join(os.path.dirname(sys.executable), "nrnivmodl")
    out = subprocess.run([nrnivmodl, "."], cwd=tmp, capture_output=True, text=True)
    log = out.stdout + out.stderr
    if out.returncode != 0:
        sys.exit("nrnivmodl failed:\n" + log)
    noisy = [l for l in log.splitlines() if "warning" in l.lower()]
    assert not noisy, "nrnivmodl warnings:\n" + "\n".join(noisy)
    lib = glob.glob(os.path.join(tmp, "*", "libnrnmech.so")) + \
        glob.glob(os.path.join(tmp, "*", ".libs", "libnrnmech.so"))
    assert lib, "no libnrnmech.so in " + tmp
    return tmp, lib[0]


TMP, LIB = compile_mechanisms()
os.chdir(tempfile.mkdtemp(prefix="neurite_cwd_", dir=TMP))  # nothing to auto-load here
from neuron import h  # noqa: E402

h.nrn_load_dll(LIB)
h.load_file("stdrun.hoc")


def fmt(x):
    return float("%.12g" % x)


# ---------------------------------------------------------------------------
# Synapse configurations (names and values as a bmtool user sets them)
# ---------------------------------------------------------------------------
CONFIGS = {
    "ampa_nmda": {
        "mechanism": "AMPA_NMDA_STP", "weight": 0.5,
        "params": {"initW": 2.0, "Use": 0.3, "Dep": 150.0, "Fac": 50.0, "u0": 0.1,
                   "tau_r_AMPA": 0.2, "tau_d_AMPA": 1.7, "tau_r_NMDA": 0.29,
                   "tau_d_NMDA": 43.0, "NMDA_ratio": 0.71, "mg": 1.0, "e": 0.0},
        "probe_i": "i", "protocols": ["single", "train_10Hz", "train_20Hz", "train_50Hz"],
        "note": "facilitation and depression, u0 > 0, initW != 1 (scales i only)",
    },
    "ampa_nmda_fac": {
        "mechanism": "AMPA_NMDA_STP", "weight": 1.0,
        "params": {"initW": 0.76, "tau_r_AMPA": 0.45, "tau_d_AMPA": 7.5,
                   "Use": 0.13, "Dep": 0.0, "Fac": 200.0},
        "probe_i": "i", "protocols": ["train_20Hz"],
        "note": "bmtool tutorial's facilitating connection; Dep = 0 (no depression branch)",
    },
    "gaba_a": {
        "mechanism": "GABA_A_STP", "weight": 1.0,
        "params": {"initW": 20.0, "tau_r_GABAA": 0.9, "tau_d_GABAA": 15.0,
                   "e_GABAA": -75.0, "Use": 0.4, "Dep": 190.0, "Fac": 0.0},
        "probe_i": "i", "protocols": ["single", "train_10Hz", "train_20Hz", "train_50Hz"],
        "note": "bmtool tutorial's depressing connection; Fac = 0 (u = Use at each event)",
    },
    "gaba_b": {
        "mechanism": "GABA_B_STP", "weight": 2.0,
        "params": {"initW": 1.0, "Use": 0.5, "Dep": 100.0, "Fac": 20.0,
                   "tau_r_GABAB": 3.5, "tau_d_GABAB": 260.9, "e_GABAB": -97.0},
        "probe_i": "i", "protocols": ["single", "train_10Hz", "train_20Hz", "train_50Hz"],
        "note": "slow GABA_B kernel with facilitation and depression",
    },
}

# NET_RECEIVE argument positions of R, u, tsyn in the NetCon weight vector
NC_SLOTS = {"AMPA_NMDA_STP": (3, 5, 6), "GABA_A_STP": (1, 2, 3), "GABA_B_STP": (1, 2, 3)}


PARAM_NAMES = {
    "AMPA_NMDA_STP": ["initW", "tau_r_AMPA", "tau_d_AMPA", "tau_r_NMDA", "tau_d_NMDA", "Use",
                      "Dep", "Fac", "u0", "NMDA_ratio", "mg", "e"],
    "GABA_A_STP": ["initW", "tau_r_GABAA", "tau_d_GABAA", "Use", "Dep", "Fac", "u0", "e_GABAA"],
    "GABA_B_STP": ["initW", "tau_r_GABAB", "tau_d_GABAB", "Use", "Dep", "Fac", "u0", "e_GABAB"],
}


def protocol_times(name):
    if name == "single":
        return [SINGLE_AT], SINGLE_TSTOP
    hz = float(name.split("_")[1][:-2])
    isi = 1000.0 / hz
    times = [TRAIN_START + k * isi for k in range(N_PULSES)]
    times.append(times[-1] + RECOVERY_AFTER)
    return times, times[-1] + TAIL


def tm_recursion(p, times):
    """Tsodyks-Markram (Fuhrmann et al. 2002) at the event times, from t = 0."""
    Use, Dep, Fac = p["Use"], p["Dep"], p["Fac"]
    u, R, tsyn = p["u0"], 1.0, 0.0
    out = []
    for te in times:
        dtk = te - tsyn
        if Fac > 0:
            decayed = u * math.exp(-dtk / Fac)
            u = decayed + Use * (1.0 - decayed)
        else:
            u = Use
        if Dep > 0:
            R = 1.0 - (1.0 - R) * math.exp(-dtk / Dep)
            Pr = u * R
            R = R - Pr
        else:
            Pr = u
        tsyn = te
        out.append({"t": te, "u": u, "Pr": Pr, "R_after": R})
    return out


def peak_norm(tr, td):
    tp = tr * td / (td - tr) * math.log(td / tr)
    return 1.0 / (math.exp(-tp / td) - math.exp(-tp / tr))


def kernel_sum(releases, tr, td, t):
    """sum_k Pr_k*factor*(exp(-(t-tk)/td) - exp(-(t-tk)/tr)) over events at or before t."""
    f = peak_norm(tr, td)
    s = 0.0
    for ev in releases:
        if ev["t"] <= t + 1e-9:
            a = t - ev["t"]
            s += ev["Pr"] * f * (math.exp(-a / td) - math.exp(-a / tr))
    return s


def make_soma(name="soma"):
    soma = h.Section(name=name)
    soma.L, soma.diam, soma.Ra, soma.cm, soma.nseg = (
        SOMA["L"], SOMA["diam"], SOMA["Ra"], SOMA["cm"], SOMA["nseg"])
    soma.insert("pas")
    soma.g_pas, soma.e_pas = SOMA["g_pas"], SOMA["e_pas"]
    return soma


def sample(vec, nsteps, segments):
    out = []
    for start, stop, stride in segments:
        out.append({"from_step": start, "stride": stride,
                    "values": [fmt(vec[k]) for k in range(start, min(stop, nsteps) + 1, stride)]})
    return out


def peaks(vec, idx_events, nsteps):
    """Per inter-event window, the sample of largest |x - x(window start)|."""
    res = {"t": [], "value": []}
    bounds = list(idx_events) + [nsteps + 1]
    for a, b in zip(bounds[:-1], bounds[1:]):
        base = vec[a]
        best = max(range(a, b), key=lambda k: abs(vec[k] - base))
        res["t"].append(round(best * DT, 9))
        res["value"].append(fmt(vec[best]))
    return res


def run_synapse(cfg, protocol, mode):
    times, tstop = protocol_times(protocol)
    soma = make_soma()
    syn = getattr(h, cfg["mechanism"])(soma(0.5))
    for k, v in cfg["params"].items():
        setattr(syn, k, v)
    nc = h.NetCon(None, syn)
    nc.weight[0] = cfg["weight"]
    nc.delay = 0.0

    def queue():
        for te in times:
            nc.event(te)
    fih = h.FInitializeHandler(queue)  # noqa: F841 (kept alive while running)

    clamp = None
    if mode == "seclamp":
        clamp = h.SEClamp(soma(0.5))
        clamp.dur1, clamp.amp1, clamp.rs = tstop + 100.0, -70.0, 1.0
    recs = {"t": h._ref_t, "v": soma(0.5)._ref_v, "i": syn._ref_i, "g": syn._ref_g,
            "record_use": syn._ref_record_use, "record_Pr": syn._ref_record_Pr}
    if cfg["mechanism"] == "AMPA_NMDA_STP":
        recs["g_AMPA"] = syn._ref_g_AMPA
        recs["g_NMDA"] = syn._ref_g_NMDA
    if clamp is not None:
        recs["clamp_i"] = clamp._ref_i
    vecs = {}
    for k, ref in recs.items():
        vecs[k] = h.Vector()
        vecs[k].record(ref)
    h.dt = DT
    h.secondorder = SECONDORDER
    h.celsius = CELSIUS
    h.finitialize(V_INIT)
    nsteps = int(round(tstop / DT))
    after_event = {int(round(te / DT)) + 1 for te in times}
    per_event = []
    for step in range(1, nsteps + 1):
        h.fadvance()
        if step in after_event:  # the NetCon's weights once the event is delivered
            per_event.append([nc.weight[j] for j in range(int(nc.wcnt()))])
    vals = {k: list(v) for k, v in vecs.items()}
    vals["netcon_per_event"] = per_event
    assert len(vals["v"]) == nsteps + 1
    nc_state = [nc.weight[j] for j in range(int(nc.wcnt()))]
    gmax_fields = {}
    if cfg["mechanism"] == "AMPA_NMDA_STP":
        gmax_fields = {"gmax_AMPA": syn.gmax_AMPA, "gmax_NMDA": syn.gmax_NMDA}
    else:
        gmax_fields = {"gmax": syn.gmax}
    full = {k: getattr(syn, k) for k in PARAM_NAMES[cfg["mechanism"]]}
    del fih
    return times, tstop, nsteps, vals, nc_state, full, gmax_fields


def check_synapse(name, cfg, protocol, times, nsteps, vals, nc_state, p, gm):
    """Assertions: event-by-event TM recursion and conductance superposition."""
    mech = cfg["mechanism"]
    w = cfg["weight"]
    ana = tm_recursion(p, times)
    idx = [int(round(te / DT)) for te in times]
    rows = []
    for ev, k in zip(ana, idx):
        u_mod, pr_mod = vals["record_use"][k + 1], vals["record_Pr"][k + 1]
        if p["Dep"] > 0:
            r_mod = vals["netcon_per_event"][len(rows)][NC_SLOTS[mech][0]]
            assert abs(r_mod - ev["R_after"]) < 1e-12, (name, protocol, ev, r_mod)
        assert abs(u_mod - ev["u"]) < 1e-12, (name, protocol, ev, u_mod)
        assert abs(pr_mod - ev["Pr"]) < 1e-12, (name, protocol, ev, pr_mod)
        rows.append((ev["t"], ev["u"], u_mod, ev["Pr"], pr_mod))
    iR, iu, it = NC_SLOTS[mech]
    if p["Dep"] > 0:
        assert abs(nc_state[iR] - ana[-1]["R_after"]) < 1e-12
    assert abs(nc_state[iu] - ana[-1]["u"]) < 1e-12
    assert abs(nc_state[it] - times[-1]) < 1e-9, (nc_state[it], times[-1])

    # Conductance superposition. The value recorded at step n+1 is computed from
    # the states at t_n (after the events delivered at the start of that step).
    if mech == "AMPA_NMDA_STP":
        parts = [("g_AMPA", p["tau_r_AMPA"], p["tau_d_AMPA"], gm["gmax_AMPA"] * w, False),
                 ("g_NMDA", p["tau_r_NMDA"], p["tau_d_NMDA"],
                  gm["gmax_NMDA"] * w * p["NMDA_ratio"], True)]
    else:
        sfx = "GABAA" if mech == "GABA_A_STP" else "GABAB"
        parts = [("g", p["tau_r_" + sfx], p["tau_d_" + sfx], gm["gmax"] * p["initW"] * w, False)]
    worst = 0.0
    peak_rows = []
    for probe, tr, td, scale, mgblock in parts:
        rec = vals[probe]
        gmaxabs = max(abs(x) for x in rec)
        lin = [scale * kernel_sum(ana, tr, td, n * DT) for n in range(nsteps)]
        for n in range(nsteps):
            expect = lin[n]
            if mgblock:
                expect *= 1.0 / (1.0 + math.exp(-0.062 * vals["v"][n]) * (p["mg"] / 3.57))
            worst = max(worst, abs(rec[n + 1] - expect) / gmaxabs)
        # peak per event window against the analytic peak
        bounds = idx + [nsteps]
        for j, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
            pk_rec = max(rec[a + 1:b + 1])
            if mgblock:
                pk_ana = None
            else:
                pk_ana = max(lin[a:b])
                assert abs(pk_rec - pk_ana) <= 1e-9 * gmaxabs, (probe, j, pk_rec, pk_ana)
            peak_rows.append((probe, j, pk_rec, pk_ana))
    assert worst < 1e-9, (name, protocol, worst)
    return rows, peak_rows, worst


def synapse_case(name, cfg):
    doc = {
        "case": "stp_" + name,
        "description": cfg["note"],
        "neuron_version": h.nrnversion(),
        "dt": DT, "secondorder": SECONDORDER, "celsius": CELSIUS, "v_init": V_INIT,
        "soma": SOMA,
        "mechanism": cfg["mechanism"],
        "location": "soma(0.5)",
        "params": cfg["params"],
        "netcon_weight": cfg["weight"],
        "events": "NetCon(None, syn).event(t) for each t, queued in an FInitializeHandler",
        "seclamp": {"amp1": -70.0, "rs": 1.0, "dur1": "tstop + 100"},
        "sampling": ("values[j] is the sample after from_step + j*stride fadvance calls "
                     "(step 0 = finitialize; segments may overlap); peaks: per window "
                     "[event_k, event_k+1) the sample of largest |x - x(event_k)|, full "
                     "resolution; release: u and Pr from record_use/record_Pr and the "
                     "NetCon's R, read once each event is delivered"),
        "runs": [],
    }
    for protocol in cfg["protocols"]:
        for mode in ("iclamp", "seclamp"):
            times, tstop, nsteps, vals, nc_state, p, gm = run_synapse(cfg, protocol, mode)
            rows, peak_rows, worst = check_synapse(name, cfg, protocol, times, nsteps, vals,
                                                   nc_state, p, gm)
            idx = [int(round(te / DT)) for te in times]
            if protocol == "single":
                cut = idx[0] + int(round(SINGLE_FINE_MS / DT))
                segs = [(0, cut, FINE_STRIDE), (cut + COARSE_STRIDE, nsteps, COARSE_STRIDE)]
            else:
                # every 2 ms, and every 0.1 ms for TRAIN_FINE_MS after each event
                segs = [(0, nsteps, COARSE_STRIDE)] + [
                    (k, k + int(round(TRAIN_FINE_MS / DT)), FINE_STRIDE) for k in idx]
            gs = [("syn g", "g")]
            if cfg["mechanism"] == "AMPA_NMDA_STP":
                gs += [("syn g_AMPA", "g_AMPA"), ("syn g_NMDA", "g_NMDA")]
            if mode == "iclamp":
                probes = [("v soma(0.5)", "v"), ("syn i", "i")] + gs
            else:
                probes = [("SEClamp i", "clamp_i"), ("syn i", "i"), ("v soma(0.5)", "v")]
            run = {
                "protocol": protocol, "mode": mode, "event_times": times,
                "tstop": tstop, "nsteps": nsteps,
                "release": {"u": [fmt(r[2]) for r in rows], "Pr": [fmt(r[4]) for r in rows],
                            "R": [fmt(w[NC_SLOTS[cfg["mechanism"]][0]])
                                  for w in vals["netcon_per_event"]]},
                "netcon_weight_after": [fmt(x) for x in nc_state],
                "traces": [{"probe": pn, "samples": sample(vals[key], nsteps, segs),
                            "peaks": peaks(vals[key], idx, nsteps)} for pn, key in probes],
            }
            doc["runs"].append(run)
            print("%-14s %-10s %-7s events %2d  max |g - analytic|/max g = %.1e"
                  % (name, protocol, mode, len(times), worst))
            if mode == "iclamp" and protocol in ("train_20Hz",):
                print("    t (ms)    u(analytic)   u(mod)        Pr(analytic)  Pr(mod)")
                for r in rows:
                    print("    %7.1f   %.10f  %.10f  %.10f  %.10f" % r)
                print("    peak of %s per event (mod vs analytic superposition):" % peak_rows[0][0])
                for probe, j, pr_, pa in peak_rows:
                    if pa is not None and probe == peak_rows[0][0]:
                        print("      #%d  %.9e  %.9e" % (j + 1, pr_, pa))
    path = os.path.join(DATA, "stp_%s.json" % name)
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


# ---------------------------------------------------------------------------
# Gap junctions
# ---------------------------------------------------------------------------
GAP_G = [1e-4, 5e-4, 2e-3, 1e-2]
GAP_STIM = {"delay": 50.0, "dur": 200.0, "amp": 0.02}
GAP_TSTOP = 300.0


def gap_case():
    soma1, soma2 = make_soma("soma1"), make_soma("soma2")
    pc = h.ParallelContext()
    gap1, gap2 = h.Gap(soma1(0.5)), h.Gap(soma2(0.5))
    pc.source_var(soma1(0.5)._ref_v, 0, sec=soma1)
    pc.target_var(gap2, gap2._ref_vgap, 0)
    pc.source_var(soma2(0.5)._ref_v, 1, sec=soma2)
    pc.target_var(gap1, gap1._ref_vgap, 1)
    pc.setup_transfer()
    stim = h.IClamp(soma1(0.5))
    stim.delay, stim.dur, stim.amp = GAP_STIM["delay"], GAP_STIM["dur"], GAP_STIM["amp"]
    area = soma2(0.5).area()                   # um2
    g_in = SOMA["g_pas"] * area * 1e-2         # S/cm2 * um2 -> uS
    nsteps = int(round(GAP_TSTOP / DT))
    i_on = int(round(GAP_STIM["delay"] / DT))
    i_ss = int(round((GAP_STIM["delay"] + GAP_STIM["dur"]) / DT))
    doc = {
        "case": "gap_coupling",
        "description": ("two identical passive somas joined by a pair of Gap point processes "
                        "(vgap set by ParallelContext.source_var/target_var/setup_transfer, one "
                        "process); IClamp step on soma1; v of both somas for 4 conductances"),
        "neuron_version": h.nrnversion(),
        "dt": DT, "secondorder": SECONDORDER, "celsius": CELSIUS, "v_init": V_INIT,
        "soma": SOMA, "area_um2": area, "input_conductance_uS": g_in,
        "iclamp": dict(GAP_STIM, section="soma1", x=0.5),
        "transfer": [{"source": "soma1(0.5).v", "sgid": 0, "target": "gap on soma2: vgap"},
                     {"source": "soma2(0.5).v", "sgid": 1, "target": "gap on soma1: vgap"}],
        "tstop": GAP_TSTOP, "nsteps": nsteps,
        "sampling": "values[j] is the sample after j*stride fadvance calls",
        "cc_definition": ("(v2[n_ss] - v2[n_on]) / (v1[n_ss] - v1[n_on]) with n_on = "
                          "round(delay/dt) and n_ss = round((delay + dur)/dt) samples"),
        "runs": [],
    }
    print("gap coupling: G_in2 = %.9g uS (area %.6g um2)" % (g_in, area))
    for g in GAP_G:
        gap1.g = gap2.g = g
        v1, v2, i1 = h.Vector(), h.Vector(), h.Vector()
        v1.record(soma1(0.5)._ref_v)
        v2.record(soma2(0.5)._ref_v)
        i1.record(gap1._ref_i)
        h.dt = DT
        h.secondorder = SECONDORDER
        h.celsius = CELSIUS
        h.finitialize(V_INIT)
        for _ in range(nsteps):
            h.fadvance()
        cc = (v2[i_ss] - v2[i_on]) / (v1[i_ss] - v1[i_on])
        cc_ana = g / (g + g_in)
        # the Gap current on soma1 is g*(v1 - v2) (v2 of the previous step via the transfer)
        assert abs(i1[i_ss] - g * (v1[i_ss] - v2[i_ss])) < 1e-6 * abs(i1[i_ss])
        # steady-state input resistance of the pair seen from soma1
        dv1_ana = GAP_STIM["amp"] / (g_in + g * g_in / (g + g_in))  # nA/uS = mV
        dv1 = v1[i_ss] - v1[i_on]
        print("  g = %-7g uS  cc = %.12f  analytic g/(g+G_in2) = %.12f  |diff| = %.1e;"
              "  dV1 = %.9f mV (analytic %.9f)" % (g, cc, cc_ana, abs(cc - cc_ana), dv1, dv1_ana))
        assert abs(cc - cc_ana) < 1e-7, (g, cc, cc_ana)
        assert abs(dv1 - dv1_ana) < 1e-6 * abs(dv1_ana), (g, dv1, dv1_ana)
        doc["runs"].append({
            "g": g, "cc": cc, "cc_analytic": cc_ana, "dv1": dv1,
            "traces": [{"probe": name, "samples": sample(vec, nsteps, [(0, nsteps, GAP_STRIDE)])}
                       for name, vec in (("v soma1(0.5)", v1), ("v soma2(0.5)", v2))],
            "at_steady_state": {"step": i_ss, "v1": v1[i_ss], "v2": v2[i_ss],
                                "gap1_i": i1[i_ss]},
        })
    pc.gid_clear()  # drops the transfer before the sections go
    path = os.path.join(DATA, "gap_coupling.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


# ---------------------------------------------------------------------------
# NetStim trains into an hh soma through ExpSyn and Exp2Syn (NEURON built-ins)
# ---------------------------------------------------------------------------
NS_SOMA = {"L": 20.0, "diam": 20.0, "Ra": 100.0, "cm": 1.0, "nseg": 1}
NS_CELSIUS = 6.3
NS_V_INIT = -65.0
NS_TSTOP = 260.0
NS_STRIDE = 8
NS_SYNAPSES = [{"name": "ExpSyn", "params": {"tau": 2.0, "e": 0.0}},
               {"name": "Exp2Syn", "params": {"tau1": 0.5, "tau2": 3.0, "e": 0.0}}]
NS_STIMS = [{"start": 5.0, "interval": 20.0, "number": 8, "noise": 0.0},
            {"start": 180.0, "interval": 8.0, "number": 8, "noise": 0.0}]
NS_NETCONS = [{"source": "netstim 0", "target": "synapse 0", "delay": 1.0, "weight": 0.003},
              {"source": "netstim 1", "target": "synapse 1", "delay": 0.5, "weight": 0.001},
              {"source": "soma v", "target": None, "threshold": 10.0, "delay": 1.0,
               "weight": 0.0}]


def netstim_case():
    soma = h.Section(name="soma")
    soma.L, soma.diam, soma.Ra, soma.cm, soma.nseg = (
        NS_SOMA["L"], NS_SOMA["diam"], NS_SOMA["Ra"], NS_SOMA["cm"], NS_SOMA["nseg"])
    soma.insert("hh")  # defaults, usetable_hh = 1
    syns = []
    for spec in NS_SYNAPSES:
        syn = getattr(h, spec["name"])(soma(0.5))
        for k, v in spec["params"].items():
            setattr(syn, k, v)
        syns.append(syn)
    stims = []
    for spec in NS_STIMS:
        ns = h.NetStim()
        for k, v in spec.items():
            setattr(ns, k, v)
        stims.append(ns)
    ncs = []
    for spec in NS_NETCONS:
        if spec["source"] == "soma v":
            nc = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
            nc.threshold = spec["threshold"]
        else:
            nc = h.NetCon(stims[int(spec["source"].split()[1])],
                          syns[int(spec["target"].split()[1])])
        nc.delay = spec["delay"]
        nc.weight[0] = spec["weight"]
        ncs.append(nc)
    nsteps = int(round(NS_TSTOP / DT))
    doc = {
        "case": "netstim_hh_synapses",
        "description": ("an hh soma (NEURON's hh, usetable_hh 1) driven by two NetStim trains "
                        "(noise 0): 8 events at 50 Hz through an ExpSyn (each one spikes) and "
                        "8 at 125 Hz through an Exp2Syn (only summed events spike); spike times "
                        "of both NetStims and of the soma (NetCon.record)"),
        "neuron_version": h.nrnversion(),
        "dt": DT, "celsius": NS_CELSIUS, "v_init": NS_V_INIT, "soma": NS_SOMA,
        "synapses": NS_SYNAPSES, "netstims": NS_STIMS, "netcons": NS_NETCONS,
        "tstop": NS_TSTOP, "nsteps": nsteps,
        "sampling": "values[j] is the sample after from_step + j*stride fadvance calls",
        "runs": [],
    }
    for so in (0, 2):
        recs = [("v soma(0.5)", soma(0.5)._ref_v)]
        for spec, syn in zip(NS_SYNAPSES, syns):
            recs += [(spec["name"] + " g", syn._ref_g), (spec["name"] + " i", syn._ref_i)]
        vecs = []
        for _, ref in recs:
            vec = h.Vector()
            vec.record(ref)
            vecs.append(vec)
        spikes = [h.Vector() for _ in ncs]
        for nc, vec in zip(ncs, spikes):
            nc.record(vec)
        h.dt, h.secondorder, h.celsius = DT, so, NS_CELSIUS
        h.finitialize(NS_V_INIT)
        for _ in range(nsteps):
            h.fadvance()
        assert len(vecs[0]) == nsteps + 1
        sp = [list(v) for v in spikes]
        assert len(sp[0]) == 8 and len(sp[1]) == 8, sp
        assert 8 < len(sp[2]) < 16, sp[2]  # every ExpSyn event, some Exp2Syn sums
        print("netstim_hh secondorder %d: soma spikes at %s" % (so, ["%.3f" % x for x in sp[2]]))
        doc["runs"].append({
            "secondorder": so,
            "spikes": {spec["source"]: times for spec, times in zip(NS_NETCONS, sp)},
            "traces": [{"probe": name,
                        "samples": sample(vec, nsteps, [(0, nsteps, NS_STRIDE)])}
                       for (name, _), vec in zip(recs, vecs)],
        })
        for nc in ncs:
            nc.record()  # stop recording into this run's vectors
    path = os.path.join(DATA, "netstim_hh_synapses.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


# ---------------------------------------------------------------------------
# Gap junctions between two hh somas: spikes carried across the junction
# ---------------------------------------------------------------------------
GAP_HH_G = [1e-3, 5e-3, 1e-2, 5e-2, 1e-1]
GAP_HH_STIM = {"delay": 10.0, "dur": 100.0, "amp": 0.6}
GAP_HH_TSTOP = 150.0
GAP_HH_STRIDE = 8
GAP_HH_THRESHOLD = 0.0


def gap_hh_case():
    somas = []
    for name in ("soma1", "soma2"):
        sec = h.Section(name=name)
        sec.L, sec.diam, sec.Ra, sec.cm, sec.nseg = (
            NS_SOMA["L"], NS_SOMA["diam"], NS_SOMA["Ra"], NS_SOMA["cm"], NS_SOMA["nseg"])
        sec.insert("hh")  # defaults, usetable_hh = 1
        somas.append(sec)
    soma1, soma2 = somas
    pc = h.ParallelContext()
    gap1, gap2 = h.Gap(soma1(0.5)), h.Gap(soma2(0.5))
    pc.source_var(soma1(0.5)._ref_v, 0, sec=soma1)
    pc.target_var(gap2, gap2._ref_vgap, 0)
    pc.source_var(soma2(0.5)._ref_v, 1, sec=soma2)
    pc.target_var(gap1, gap1._ref_vgap, 1)
    pc.setup_transfer()
    stim = h.IClamp(soma1(0.5))
    stim.delay, stim.dur, stim.amp = GAP_HH_STIM["delay"], GAP_HH_STIM["dur"], GAP_HH_STIM["amp"]
    spikes = [h.Vector(), h.Vector()]
    ncs = []
    for sec, vec in zip(somas, spikes):
        nc = h.NetCon(sec(0.5)._ref_v, None, sec=sec)
        nc.threshold = GAP_HH_THRESHOLD
        nc.record(vec)
        ncs.append(nc)
    nsteps = int(round(GAP_HH_TSTOP / DT))
    doc = {
        "case": "gap_hh",
        "description": ("two hh somas (NEURON's hh, usetable_hh 1) joined by a pair of Gap point "
                        "processes (ParallelContext.source_var/target_var/setup_transfer); an "
                        "IClamp step makes soma1 fire; soma2 fires only through the junction. "
                        "v of both somas and the spike times of both (NetCon.record, threshold "
                        "0 mV: under this step later spikes peak below 10 mV) for 5 "
                        "conductances"),
        "neuron_version": h.nrnversion(),
        "dt": DT, "secondorder": SECONDORDER, "celsius": NS_CELSIUS, "v_init": NS_V_INIT,
        "soma": NS_SOMA, "iclamp": dict(GAP_HH_STIM, section="soma1", x=0.5),
        "threshold": GAP_HH_THRESHOLD, "tstop": GAP_HH_TSTOP, "nsteps": nsteps,
        "sampling": "values[j] is the sample after from_step + j*stride fadvance calls",
        "runs": [],
    }
    for g in GAP_HH_G:
        gap1.g = gap2.g = g
        v1, v2 = h.Vector(), h.Vector()
        v1.record(soma1(0.5)._ref_v)
        v2.record(soma2(0.5)._ref_v)
        h.dt, h.secondorder, h.celsius = DT, SECONDORDER, NS_CELSIUS
        h.finitialize(NS_V_INIT)
        for _ in range(nsteps):
            h.fadvance()
        sp = [list(v) for v in spikes]
        print("gap_hh g = %-6g uS: soma1 %2d spikes, soma2 %2d spikes"
              % (g, len(sp[0]), len(sp[1])))
        assert len(sp[0]) > 5 and len(sp[1]) > 0, sp
        assert all(abs(x) < 200 for x in v2), "unstable coupling"
        doc["runs"].append({
            "g": g, "spikes": {"soma1": sp[0], "soma2": sp[1]},
            "traces": [{"probe": name,
                        "samples": sample(vec, nsteps, [(0, nsteps, GAP_HH_STRIDE)])}
                       for name, vec in (("v soma1(0.5)", v1), ("v soma2(0.5)", v2))],
        })
    pc.gid_clear()
    path = os.path.join(DATA, "gap_hh.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


# ---------------------------------------------------------------------------
# A gap junction gated by the transferred voltage: when the copy happens
# ---------------------------------------------------------------------------
GATED_G = [2e-3, 1e-2]
GATED_STIM = {"delay": 20.0, "dur": 100.0, "amp": 0.03}
GATED_TSTOP = 150.0
GATED_STRIDE = 8
GATED_PARAMS = {"tau": 3.0, "vh": -60.0, "k": 4.0}


def gap_gated_case():
    soma1, soma2 = make_soma("soma1"), make_soma("soma2")
    pc = h.ParallelContext()
    gap1, gap2 = h.GapGate(soma1(0.5)), h.GapGate(soma2(0.5))
    for gap in (gap1, gap2):
        for k, v in GATED_PARAMS.items():
            setattr(gap, k, v)
    pc.source_var(soma1(0.5)._ref_v, 0, sec=soma1)
    pc.target_var(gap2, gap2._ref_vgap, 0)
    pc.source_var(soma2(0.5)._ref_v, 1, sec=soma2)
    pc.target_var(gap1, gap1._ref_vgap, 1)
    pc.setup_transfer()
    stim = h.IClamp(soma1(0.5))
    stim.delay, stim.dur, stim.amp = GATED_STIM["delay"], GATED_STIM["dur"], GATED_STIM["amp"]
    nsteps = int(round(GATED_TSTOP / DT))
    doc = {
        "case": "gap_gated",
        "description": ("two passive somas joined by a pair of GapGate point processes "
                        "(tests/reference/mod/gapgate.mod: i = g*s*(v - vgap), s relaxing to "
                        "1/(1 + exp(-(vgap - vh)/k)) with tau, s = sinf at INITIAL) whose vgap "
                        "is set by ParallelContext.source_var/target_var; IClamp step on soma1. "
                        "INITIAL and the states read the transferred vgap, so the traces fix "
                        "when the transfer happens"),
        "neuron_version": h.nrnversion(),
        "dt": DT, "secondorder": SECONDORDER, "celsius": CELSIUS, "v_init": V_INIT,
        "soma": SOMA, "gapgate": GATED_PARAMS,
        "iclamp": dict(GATED_STIM, section="soma1", x=0.5),
        "tstop": GATED_TSTOP, "nsteps": nsteps,
        "sampling": "values[j] is the sample after from_step + j*stride fadvance calls",
        "runs": [],
    }
    for g in GATED_G:
        gap1.g = gap2.g = g
        recs = [("v soma1(0.5)", soma1(0.5)._ref_v), ("v soma2(0.5)", soma2(0.5)._ref_v),
                ("gap1 s", gap1._ref_s), ("gap2 s", gap2._ref_s),
                ("gap1 i", gap1._ref_i), ("gap2 i", gap2._ref_i),
                ("gap1 vgap", gap1._ref_vgap), ("gap2 vgap", gap2._ref_vgap)]
        vecs = []
        for _, ref in recs:
            vec = h.Vector()
            vec.record(ref)
            vecs.append(vec)
        h.dt, h.secondorder, h.celsius = DT, SECONDORDER, CELSIUS
        gap1.vgap = gap2.vgap = 0.0  # so that only the transfer can set them
        h.finitialize(V_INIT)
        init = {"gap1 sinf0": gap1.sinf0, "gap2 sinf0": gap2.sinf0}
        assert abs(init["gap1 sinf0"] - 1 / (1 + math.exp(-(V_INIT - GATED_PARAMS["vh"])
                                                         / GATED_PARAMS["k"]))) < 1e-12
        for _ in range(nsteps):
            h.fadvance()
        v1, v2, _, _, _, _, vg1, vg2 = [list(v) for v in vecs]
        # the recorded vgap is the other side's v of the same sample
        assert vg2 == v1 and vg1 == v2
        print("gap_gated g = %-6g uS: s2 %.4f -> %.4f, max v1 %.4f mV"
              % (g, vecs[3][0], max(vecs[3]), max(v1)))
        doc["runs"].append({
            "g": g, "initial": init,
            "traces": [{"probe": name,
                        "samples": sample(vec, nsteps, [(0, nsteps, GATED_STRIDE)])}
                       for (name, _), vec in zip(recs, vecs) if "vgap" not in name],
        })
    pc.gid_clear()
    path = os.path.join(DATA, "gap_gated.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


def main():
    which = sys.argv[1:]
    print("NEURON", h.nrnversion())
    for name, cfg in CONFIGS.items():
        if not which or name in which:
            synapse_case(name, cfg)
    if not which or "netstim" in which:
        netstim_case()
    if not which or "gap" in which:
        gap_case()
    if not which or "gap_hh" in which:
        gap_hh_case()
    if not which or "gap_gated" in which:
        gap_gated_case()
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
