//! Neurite's executable NMODL against NEURON 9.0.2 for networks of a few
//! cells: the short-term-plasticity synapses, gap junctions and NetStim trains
//! into an hh cell. Each case rebuilds NEURON's model with `neurite-hines` and
//! mechanisms loaded from `.mod` text (`mod_files/`, and the engine's
//! `NetStim.mod`), never the built-in Rust mechanisms, and compares point by
//! point with the committed reference data:
//!
//! - `tests/reference/data/stp_*.json` (`tests/reference/stp_reference.py`):
//!   AMPA_NMDA_STP, GABA_A_STP and GABA_B_STP after a single event and 8-pulse
//!   trains at 10, 20 and 50 Hz with a recovery pulse, on a free passive soma
//!   and under SEClamp: v, the synapse's `i` and `g`s, the clamp current, the
//!   per-event u, Pr and R, the NetCon's final R, u, tsyn, and the peaks.
//! - `tests/reference/data/gap_coupling.json`: two passive somas joined by a
//!   pair of `Gap`s whose `vgap` is fed by `Simulation::add_transfer`, as
//!   `ParallelContext.source_var`/`target_var` do, for four conductances;
//!   `gap_hh.json`: the same between two hh somas, spikes crossing the
//!   junction, for five conductances; `gap_gated.json`: a junction gated by
//!   the transferred voltage (`tests/reference/mod/gapgate.mod`), which pins
//!   down when the copy is made.
//! - `tests/reference/data/netstim_hh_synapses.json` and `events_*.json`
//!   (`tests/reference/events_reference.py`): hh cells driven by NetStim
//!   trains through ExpSyn and Exp2Syn, spike times recorded.
//!
//! Acceptance and measured errors: `tests/reference/README.md`.

use neurite_hines::{
    MechanismId, Model, NetConId, NetConSource, NetConSpec, NetConTarget, Probe, ProbeId,
    SecondOrder, SectionId, SectionSpec, SimConfig, Simulation, TransferSource, TransferTarget,
};
use neurite_nmodl::exec::{Instantiator, MechanismLibrary};
use neurite_nmodl::span::SourceFile;
use serde_json::Value;
use std::path::PathBuf;

mod support;
use support::reference_data;

/// |ΔV| allowed (mV). The project's limit is 1e-3 mV.
const V_TOL: f64 = 1e-7;
/// |Δ| allowed relative to the largest |value| of a current or conductance
/// trace. The project's limit is 1e-3.
const REL_TOL: f64 = 1e-7;
/// Event and spike times (ms).
const TIME_TOL: f64 = 1e-6;
/// Per-event u, Pr, R and the NetCon's final weights.
const STATE_TOL: f64 = 1e-9;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, found {v}"))
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, found {v}"))
        .iter()
        .map(num)
        .collect()
}

/// The built-ins (hh, pas, IClamp, SEClamp, ExpSyn, Exp2Syn), the STP synapses
/// and Gap read from `mod_files/`, and the engine's NetStim.
fn library() -> MechanismLibrary {
    let mut lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    let files = [
        "mod_files/AMPA_NMDA_STP.mod",
        "mod_files/GABA_A_STP.mod",
        "mod_files/GABA_B_STP.mod",
        "mod_files/Gap.mod",
        "crates/engine/mod_files/NetStim.mod",
    ];
    let sources = files
        .iter()
        .map(|f| SourceFile::read(&root().join(f)).unwrap_or_else(|e| panic!("{f}: {e}")))
        .collect();
    lib.add_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    lib
}

fn config(doc: &Value) -> SimConfig {
    SimConfig {
        dt: num(&doc["dt"]),
        celsius: num(&doc["celsius"]),
        secondorder: SecondOrder::from_value(doc["secondorder"].as_i64().unwrap_or(0) as i32)
            .unwrap_or_else(|| panic!("secondorder")),
    }
}

/// One single-compartment section per name, from the document's `soma`.
fn somas(doc: &Value, names: &[&str]) -> (Model, Vec<SectionId>) {
    let soma = &doc["soma"];
    let mut model = Model::new();
    let ids = names
        .iter()
        .map(|name| {
            model
                .add_section(SectionSpec {
                    name: (*name).into(),
                    length: num(&soma["L"]),
                    diam: num(&soma["diam"]),
                    ra: num(&soma["Ra"]),
                    cm: num(&soma["cm"]),
                    nseg: 1,
                })
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    (model, ids)
}

fn point(
    ins: &mut Instantiator<'_>,
    sim: &mut Simulation,
    name: &str,
    node: usize,
    params: &[(&str, f64)],
) -> MechanismId {
    let id = ins
        .insert_point(sim, name, node)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    for (p, v) in params {
        ins.set(sim, id, p, 0, *v)
            .unwrap_or_else(|e| panic!("{name}.{p}: {e}"));
    }
    id
}

fn pas(ins: &mut Instantiator<'_>, sim: &mut Simulation, node: usize, g: f64, e: f64) {
    let id = ins
        .insert_density(sim, "pas", &[node])
        .unwrap_or_else(|e| panic!("{e}"));
    ins.set(sim, id, "g", 0, g)
        .unwrap_or_else(|e| panic!("{e}"));
    ins.set(sim, id, "e", 0, e)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The two somas `soma1` and `soma2` of `doc`, the simulation built from them and
/// their centre nodes.
fn soma_pair(doc: &Value) -> (Simulation, Vec<SectionId>, Vec<usize>) {
    let (model, secs) = somas(doc, &["soma1", "soma2"]);
    let sim = Simulation::new(&model, config(doc)).unwrap_or_else(|e| panic!("{e}"));
    let nodes = secs
        .iter()
        .map(|&s| {
            sim.discretization()
                .node_at(s, 0.5)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    (sim, secs, nodes)
}

/// The reference's IClamp (`delay`, `dur`, `amp`) at `node`.
fn iclamp(ins: &mut Instantiator<'_>, sim: &mut Simulation, node: usize, stim: &Value) {
    let params = [
        ("del", num(&stim["delay"])),
        ("dur", num(&stim["dur"])),
        ("amp", num(&stim["amp"])),
    ];
    point(ins, sim, "IClamp", node, &params);
}

/// `pc.source_var(&v(0.5), k)` on each soma and `pc.target_var(&gap._ref_vgap, k)`
/// on the gap of the other one: `gaps[k]` sits at `nodes[k]` and reads the other
/// node's voltage.
fn cross_transfer(
    ins: &Instantiator<'_>,
    sim: &mut Simulation,
    nodes: &[usize],
    gaps: [MechanismId; 2],
) {
    for (src, gap) in [(nodes[1], gaps[0]), (nodes[0], gaps[1])] {
        let column = ins.column(gap, "vgap").unwrap_or_else(|e| panic!("{e}"));
        let target = TransferTarget {
            mechanism: gap,
            instance: 0,
            column,
        };
        sim.add_transfer(TransferSource::Voltage { node: src }, target)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// The stored samples of a probe as (step, value) pairs.
fn stored_samples(samples: &Value) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for seg in samples.as_array().into_iter().flatten() {
        let from = seg["from_step"].as_u64().unwrap_or(0) as usize;
        let stride = seg["stride"].as_u64().unwrap_or(1) as usize;
        for (j, v) in nums(&seg["values"]).into_iter().enumerate() {
            out.push((from + j * stride, v));
        }
    }
    out
}

/// Largest |ours − theirs| over stored (step, value) pairs.
fn max_diff(ours: &[f64], theirs: &[(usize, f64)], what: &str) -> f64 {
    theirs.iter().fold(0.0, |m: f64, &(k, v)| {
        let a = *ours
            .get(k)
            .unwrap_or_else(|| panic!("{what}: no sample {k} (have {})", ours.len()));
        let d = (a - v).abs();
        if d.is_nan() {
            f64::INFINITY
        } else {
            m.max(d)
        }
    })
}

/// Worst errors of a group of runs, printed by each test.
#[derive(Debug, Default, Clone, Copy)]
struct Worst {
    v: f64,
    rel: f64,
    state: f64,
    time: f64,
}

impl Worst {
    fn merge(&mut self, o: Worst) {
        self.v = self.v.max(o.v);
        self.rel = self.rel.max(o.rel);
        self.state = self.state.max(o.state);
        self.time = self.time.max(o.time);
    }

    fn check(&self, what: &str) {
        println!(
            "{what}: max |dV| {:.2e} mV, max |di|/max|i| {:.2e}, max |d state| {:.2e}, max |dt| {:.2e} ms",
            self.v, self.rel, self.state, self.time
        );
        assert!(self.v <= V_TOL, "{what}: |dV| {:e} mV", self.v);
        assert!(self.rel <= REL_TOL, "{what}: relative {:e}", self.rel);
        assert!(self.state <= STATE_TOL, "{what}: state {:e}", self.state);
        assert!(self.time <= TIME_TOL, "{what}: time {:e} ms", self.time);
    }
}

// ---------------------------------------------------------------------------
// STP synapses
// ---------------------------------------------------------------------------

/// NET_RECEIVE argument positions of R, u, tsyn (as the script's NC_SLOTS).
fn netcon_slots(mechanism: &str) -> (usize, usize, usize) {
    match mechanism {
        "AMPA_NMDA_STP" => (3, 5, 6),
        _ => (1, 2, 3),
    }
}

/// The step index of NEURON's peak per window [event_k, event_k+1): the
/// first sample of largest |x − x(event_k)|.
fn peak_steps(trace: &[f64], events: &[usize]) -> Vec<usize> {
    let mut bounds = events.to_vec();
    bounds.push(trace.len());
    bounds
        .windows(2)
        .map(|w| {
            let base = trace[w[0]];
            let mut best = w[0];
            for k in w[0]..w[1] {
                if (trace[k] - base).abs() > (trace[best] - base).abs() {
                    best = k;
                }
            }
            best
        })
        .collect()
}

fn stp_run(lib: &MechanismLibrary, doc: &Value, run: &Value) -> Worst {
    let mech = doc["mechanism"].as_str().unwrap_or_default();
    let mode = run["mode"].as_str().unwrap_or_default();
    let label = format!(
        "{} {} {}",
        doc["case"].as_str().unwrap_or_default(),
        run["protocol"].as_str().unwrap_or_default(),
        mode
    );
    let (model, secs) = somas(doc, &["soma"]);
    let mut sim = Simulation::new(&model, config(doc)).unwrap_or_else(|e| panic!("{e}"));
    let node = sim
        .discretization()
        .node_at(secs[0], 0.5)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ins = Instantiator::new(lib);
    pas(
        &mut ins,
        &mut sim,
        node,
        num(&doc["soma"]["g_pas"]),
        num(&doc["soma"]["e_pas"]),
    );
    let params: Vec<(&str, f64)> = doc["params"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), num(v)))
        .collect();
    let syn = point(&mut ins, &mut sim, mech, node, &params);
    let tstop = num(&run["tstop"]);
    let clamp = (mode == "seclamp").then(|| {
        let c = &doc["seclamp"];
        let amp1 = num(&c["amp1"]);
        let rs = num(&c["rs"]);
        point(
            &mut ins,
            &mut sim,
            "SEClamp",
            node,
            &[("dur1", tstop + 100.0), ("amp1", amp1), ("rs", rs)],
        )
    });
    let spec = NetConSpec::new(
        NetConSource::None,
        Some(NetConTarget {
            mechanism: syn,
            instance: 0,
        }),
    )
    .weight(num(&doc["netcon_weight"]))
    .delay(0.0);
    let nc = sim.add_netcon(spec).unwrap_or_else(|e| panic!("{e}"));

    // every probe the data may hold, plus the per-event state at full resolution
    let rec = |sim: &mut Simulation, ins: &Instantiator<'_>, id, var: &str| {
        ins.record(sim, id, var, 0)
            .unwrap_or_else(|e| panic!("{var}: {e}"))
    };
    let mut probes: Vec<(String, ProbeId)> = Vec::new();
    let v = sim
        .record(Probe::Voltage {
            section: secs[0],
            x: 0.5,
        })
        .unwrap_or_else(|e| panic!("{e}"));
    probes.push(("v soma(0.5)".into(), v));
    let syn_vars: &[&str] = if mech == "AMPA_NMDA_STP" {
        &["i", "g", "g_AMPA", "g_NMDA"]
    } else {
        &["i", "g"]
    };
    for var in syn_vars {
        let p = rec(&mut sim, &ins, syn, var);
        probes.push((format!("syn {var}"), p));
    }
    if let Some(c) = clamp {
        let p = rec(&mut sim, &ins, c, "i");
        probes.push(("SEClamp i".into(), p));
    }
    let use_ = rec(&mut sim, &ins, syn, "record_use");
    let pr = rec(&mut sim, &ins, syn, "record_Pr");

    sim.finitialize(num(&doc["v_init"]))
        .unwrap_or_else(|e| panic!("{e}"));
    let times = nums(&run["event_times"]);
    for &t in &times {
        sim.netcon_event(nc, t).unwrap_or_else(|e| panic!("{e}"));
    }
    let nsteps = run["nsteps"].as_u64().unwrap_or(0) as usize;
    let dt = num(&doc["dt"]);
    // the NetCon's weights (R, u, tsyn) once each event is delivered
    let event_steps: Vec<usize> = times.iter().map(|t| (t / dt).round() as usize).collect();
    let mut weights_per_event = Vec::new();
    for step in 1..=nsteps {
        sim.fadvance().unwrap_or_else(|e| panic!("{label}: {e}"));
        if event_steps.iter().any(|&k| k + 1 == step) {
            let w = sim.netcon_weights(nc).unwrap_or_else(|e| panic!("{e}"));
            weights_per_event.push(w.to_vec());
        }
    }
    assert!(
        (sim.t() - tstop).abs() < 1e-6,
        "{label}: t {} tstop {tstop}",
        sim.t()
    );

    let mut worst = Worst::default();
    // per-event release and state
    let trace = |p: ProbeId| sim.trace(p).unwrap_or_else(|e| panic!("{e}")).to_vec();
    let (use_trace, pr_trace) = (trace(use_), trace(pr));
    let release = &run["release"];
    for (key, ours) in [("u", &use_trace), ("Pr", &pr_trace)] {
        let theirs = nums(&release[key]);
        assert_eq!(theirs.len(), event_steps.len(), "{label}: {key} per event");
        for (&k, b) in event_steps.iter().zip(&theirs) {
            worst.state = worst.state.max((ours[k + 1] - b).abs());
        }
    }
    let (ir, iu, it) = netcon_slots(mech);
    if let Some(per_event) = release.get("R").filter(|r| !r.is_null()) {
        let per_event = nums(per_event);
        assert_eq!(
            per_event.len(),
            weights_per_event.len(),
            "{label}: R per event"
        );
        for (w, r) in weights_per_event.iter().zip(per_event) {
            worst.state = worst.state.max((w[ir] - r).abs());
        }
    }
    let after = nums(&run["netcon_weight_after"]);
    let ours_after = sim.netcon_weights(nc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ours_after.len(), after.len(), "{label}: weight vector");
    for slot in [ir, iu] {
        worst.state = worst.state.max((ours_after[slot] - after[slot]).abs());
    }
    worst.time = worst.time.max((ours_after[it] - after[it]).abs());

    // traces and peaks
    for tr in run["traces"].as_array().into_iter().flatten() {
        let name = tr["probe"].as_str().unwrap_or_default();
        let probe = probes
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{label}: no probe {name}"))
            .1;
        let ours = trace(probe);
        assert_eq!(ours.len(), nsteps + 1, "{label} {name}: samples");
        let theirs = stored_samples(&tr["samples"]);
        let peaks_t = nums(&tr["peaks"]["t"]);
        let peaks_v = nums(&tr["peaks"]["value"]);
        let scale = theirs
            .iter()
            .map(|p| p.1.abs())
            .chain(peaks_v.iter().map(|p| p.abs()))
            .fold(0.0, f64::max);
        let mut d = max_diff(&ours, &theirs, name);
        let ours_peaks = peak_steps(&ours, &event_steps);
        assert_eq!(ours_peaks.len(), peaks_t.len(), "{label} {name}: peaks");
        for ((&k, &t), &val) in ours_peaks.iter().zip(&peaks_t).zip(&peaks_v) {
            let theirs_k = (t / dt).round() as usize;
            d = d.max((ours[theirs_k] - val).abs());
            if k != theirs_k {
                // a tie within the tolerance moves the first maximum; the
                // values must still agree
                d = d.max((ours[k] - val).abs());
            }
        }
        if name.starts_with("v ") {
            worst.v = worst.v.max(d);
        } else {
            assert!(scale > 0.0, "{label} {name}: an all-zero trace");
            worst.rel = worst.rel.max(d / scale);
        }
    }
    worst
}

/// Every run of `file` in `mode` ("iclamp" or "seclamp").
fn stp_case(file: &str, mode: &str) {
    let lib = library();
    let doc = reference_data(file);
    let mut worst = Worst::default();
    let runs: Vec<Value> = doc["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["mode"] == mode)
        .cloned()
        .collect();
    assert!(!runs.is_empty(), "{file}: no {mode} runs");
    for run in &runs {
        let w = stp_run(&lib, &doc, run);
        println!(
            "  {} {:>10} {:>7}: |dV| {:.2e}, rel {:.2e}, state {:.2e}, time {:.2e}",
            file,
            run["protocol"].as_str().unwrap_or_default(),
            mode,
            w.v,
            w.rel,
            w.state,
            w.time
        );
        worst.merge(w);
    }
    worst.check(&format!("{file} {mode}"));
}

#[test]
fn ampa_nmda_stp_under_current_clamp_matches_neuron() {
    stp_case("stp_ampa_nmda.json", "iclamp");
    stp_case("stp_ampa_nmda_fac.json", "iclamp");
}

#[test]
fn ampa_nmda_stp_under_seclamp_matches_neuron() {
    stp_case("stp_ampa_nmda.json", "seclamp");
    stp_case("stp_ampa_nmda_fac.json", "seclamp");
}

#[test]
fn gaba_a_stp_under_current_clamp_matches_neuron() {
    stp_case("stp_gaba_a.json", "iclamp");
}

#[test]
fn gaba_a_stp_under_seclamp_matches_neuron() {
    stp_case("stp_gaba_a.json", "seclamp");
}

#[test]
fn gaba_b_stp_under_current_clamp_matches_neuron() {
    stp_case("stp_gaba_b.json", "iclamp");
}

#[test]
fn gaba_b_stp_under_seclamp_matches_neuron() {
    stp_case("stp_gaba_b.json", "seclamp");
}

// ---------------------------------------------------------------------------
// Gap junctions
// ---------------------------------------------------------------------------

#[test]
fn gap_junction_pair_matches_neuron() {
    let lib = library();
    let doc = reference_data("gap_coupling.json");
    let dt = num(&doc["dt"]);
    let stim = &doc["iclamp"];
    let n_on = (num(&stim["delay"]) / dt).round() as usize;
    let mut worst = Worst::default();
    let mut worst_cc: f64 = 0.0;
    let runs = doc["runs"].as_array().cloned().unwrap_or_default();
    assert_eq!(runs.len(), 4, "four conductances");
    for run in &runs {
        let g = num(&run["g"]);
        let (mut sim, secs, nodes) = soma_pair(&doc);
        let area = sim.discretization().area()[nodes[1]];
        assert!((area - num(&doc["area_um2"])).abs() < 1e-9 * area);
        let mut ins = Instantiator::new(&lib);
        let (gp, ep) = (num(&doc["soma"]["g_pas"]), num(&doc["soma"]["e_pas"]));
        for &n in &nodes {
            pas(&mut ins, &mut sim, n, gp, ep);
        }
        let gap1 = point(&mut ins, &mut sim, "Gap", nodes[0], &[("g", g)]);
        let gap2 = point(&mut ins, &mut sim, "Gap", nodes[1], &[("g", g)]);
        iclamp(&mut ins, &mut sim, nodes[0], stim);
        // pc.source_var(soma1(0.5)._ref_v, 0); pc.target_var(gap2._ref_vgap, 0), and back
        cross_transfer(&ins, &mut sim, &nodes, [gap1, gap2]);
        let probe = |sim: &mut Simulation, s| {
            sim.record(Probe::Voltage { section: s, x: 0.5 })
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let (p1, p2) = (probe(&mut sim, secs[0]), probe(&mut sim, secs[1]));
        let pi = ins
            .record(&mut sim, gap1, "i", 0)
            .unwrap_or_else(|e| panic!("{e}"));
        sim.finitialize(num(&doc["v_init"]))
            .unwrap_or_else(|e| panic!("{e}"));
        sim.run(num(&doc["tstop"]))
            .unwrap_or_else(|e| panic!("{e}"));
        let tr = |p| sim.trace(p).unwrap_or_else(|e| panic!("{e}")).to_vec();
        let (v1, v2, i1) = (tr(p1), tr(p2), tr(pi));
        assert_eq!(v1.len(), doc["nsteps"].as_u64().unwrap_or(0) as usize + 1);
        let mut d: f64 = 0.0;
        for (k, t) in run["traces"].as_array().into_iter().flatten().enumerate() {
            let ours = if k == 0 { &v1 } else { &v2 };
            d = d.max(max_diff(ours, &stored_samples(&t["samples"]), "gap v"));
        }
        let ss = &run["at_steady_state"];
        let n_ss = ss["step"].as_u64().unwrap_or(0) as usize;
        d = d.max((v1[n_ss] - num(&ss["v1"])).abs());
        d = d.max((v2[n_ss] - num(&ss["v2"])).abs());
        let rel_i = (i1[n_ss] - num(&ss["gap1_i"])).abs() / num(&ss["gap1_i"]).abs();
        let cc = (v2[n_ss] - v2[n_on]) / (v1[n_ss] - v1[n_on]);
        let dcc = (cc - num(&run["cc"])).abs();
        println!(
            "gap g = {g:e} uS: cc {cc:.12} (NEURON {:.12}), |dV| {d:.2e} mV, gap i rel {rel_i:.2e}",
            num(&run["cc"])
        );
        worst.merge(Worst {
            v: d,
            rel: rel_i,
            ..Worst::default()
        });
        worst_cc = worst_cc.max(dcc);
    }
    println!("gap: max |d cc| {worst_cc:.2e}");
    assert!(worst_cc <= 1e-9, "coupling coefficient off by {worst_cc:e}");
    worst.check("gap_coupling");
}

/// `gap_hh.json`: two hh somas joined by a Gap pair; soma1 is stepped and
/// soma2 fires only through the junction (2 to 10 spikes as g grows).
#[test]
fn gap_junction_carries_hh_spikes_as_neuron() {
    let lib = library();
    let doc = reference_data("gap_hh.json");
    let stim = &doc["iclamp"];
    let mut worst = Worst::default();
    let runs = doc["runs"].as_array().cloned().unwrap_or_default();
    assert_eq!(runs.len(), 5, "five conductances");
    for run in &runs {
        let g = num(&run["g"]);
        let (mut sim, secs, nodes) = soma_pair(&doc);
        let mut ins = Instantiator::new(&lib);
        ins.insert_density(&mut sim, "hh", &nodes)
            .unwrap_or_else(|e| panic!("{e}"));
        let gaps = [
            point(&mut ins, &mut sim, "Gap", nodes[0], &[("g", g)]),
            point(&mut ins, &mut sim, "Gap", nodes[1], &[("g", g)]),
        ];
        iclamp(&mut ins, &mut sim, nodes[0], stim);
        cross_transfer(&ins, &mut sim, &nodes, gaps);
        let mut probes = Vec::new();
        let mut ncs = Vec::new();
        for (&s, &node) in secs.iter().zip(&nodes) {
            let p = sim
                .record(Probe::Voltage { section: s, x: 0.5 })
                .unwrap_or_else(|e| panic!("{e}"));
            probes.push(p);
            let source = NetConSource::Voltage {
                node,
                threshold: Some(num(&doc["threshold"])),
            };
            let nc = sim
                .add_netcon(NetConSpec::new(source, None))
                .unwrap_or_else(|e| panic!("{e}"));
            sim.record_spikes(nc).unwrap_or_else(|e| panic!("{e}"));
            ncs.push(nc);
        }
        sim.finitialize(num(&doc["v_init"]))
            .unwrap_or_else(|e| panic!("{e}"));
        sim.run(num(&doc["tstop"]))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut w = Worst::default();
        for (p, t) in probes
            .iter()
            .zip(run["traces"].as_array().into_iter().flatten())
        {
            let ours = sim.trace(*p).unwrap_or_else(|e| panic!("{e}"));
            w.v =
                w.v.max(max_diff(ours, &stored_samples(&t["samples"]), "gap_hh v"));
        }
        let mut counts = Vec::new();
        for (nc, name) in ncs.iter().zip(["soma1", "soma2"]) {
            let theirs = nums(&run["spikes"][name]);
            let ours = sim.spike_times(*nc).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                ours.len(),
                theirs.len(),
                "g {g}: {name} spikes {ours:?} vs NEURON {theirs:?}"
            );
            for (a, b) in ours.iter().zip(&theirs) {
                w.time = w.time.max((a - b).abs());
            }
            counts.push(ours.len());
        }
        println!(
            "gap_hh g = {g:e} uS: spikes {counts:?}, |dV| {:.2e} mV, spike times {:.2e} ms",
            w.v, w.time
        );
        worst.merge(w);
    }
    worst.check("gap_hh");
}

/// `gap_gated.json`: a gap junction whose gate relaxes towards a sigmoid of
/// the transferred `vgap` (`tests/reference/mod/gapgate.mod`). Its INITIAL and
/// DERIVATIVE blocks read `vgap`, so these traces agree with NEURON only if
/// the copy is made before INITIAL and, in every step, after the voltage
/// update and before the states advance.
#[test]
fn gated_gap_junction_sees_the_transfer_when_neuron_does() {
    let mut lib = library();
    let file = root().join("tests/reference/mod/gapgate.mod");
    let source = SourceFile::read(&file).unwrap_or_else(|e| panic!("{e}"));
    lib.add_sources(vec![source])
        .unwrap_or_else(|e| panic!("{e}"));
    let doc = reference_data("gap_gated.json");
    let stim = &doc["iclamp"];
    let gate: Vec<(&str, f64)> = doc["gapgate"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), num(v)))
        .collect();
    let mut worst = Worst::default();
    let runs = doc["runs"].as_array().cloned().unwrap_or_default();
    assert_eq!(runs.len(), 2, "two conductances");
    for run in &runs {
        let g = num(&run["g"]);
        let (mut sim, secs, nodes) = soma_pair(&doc);
        let mut ins = Instantiator::new(&lib);
        let (gp, ep) = (num(&doc["soma"]["g_pas"]), num(&doc["soma"]["e_pas"]));
        for &n in &nodes {
            pas(&mut ins, &mut sim, n, gp, ep);
        }
        let mut params = gate.clone();
        params.push(("g", g));
        // vgap starts at 0 as in the script: only the transfer can set it
        params.push(("vgap", 0.0));
        let gaps = [
            point(&mut ins, &mut sim, "GapGate", nodes[0], &params),
            point(&mut ins, &mut sim, "GapGate", nodes[1], &params),
        ];
        iclamp(&mut ins, &mut sim, nodes[0], stim);
        cross_transfer(&ins, &mut sim, &nodes, gaps);
        let mut probes: Vec<(String, ProbeId)> = Vec::new();
        for (k, &s) in secs.iter().enumerate() {
            let p = sim
                .record(Probe::Voltage { section: s, x: 0.5 })
                .unwrap_or_else(|e| panic!("{e}"));
            probes.push((format!("v soma{}(0.5)", k + 1), p));
        }
        for (k, &gap) in gaps.iter().enumerate() {
            for var in ["s", "i", "vgap"] {
                let p = ins
                    .record(&mut sim, gap, var, 0)
                    .unwrap_or_else(|e| panic!("{e}"));
                probes.push((format!("gap{} {var}", k + 1), p));
            }
        }
        sim.finitialize(num(&doc["v_init"]))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut w = Worst::default();
        for (k, &gap) in gaps.iter().enumerate() {
            let name = format!("gap{} sinf0", k + 1);
            let ours = ins
                .get(&sim, gap, "sinf0", 0)
                .unwrap_or_else(|e| panic!("{e}"));
            w.state = w
                .state
                .max((ours - num(&run["initial"][name.as_str()])).abs());
        }
        sim.run(num(&doc["tstop"]))
            .unwrap_or_else(|e| panic!("{e}"));
        let trace = |name: &str| {
            let p = probes
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("no probe {name}"))
                .1;
            sim.trace(p).unwrap_or_else(|e| panic!("{e}")).to_vec()
        };
        // the recorded vgap is the other side's v of the same sample
        assert_eq!(trace("gap2 vgap"), trace("v soma1(0.5)"));
        assert_eq!(trace("gap1 vgap"), trace("v soma2(0.5)"));
        for t in run["traces"].as_array().into_iter().flatten() {
            let name = t["probe"].as_str().unwrap_or_default();
            let ours = trace(name);
            let theirs = stored_samples(&t["samples"]);
            let d = max_diff(&ours, &theirs, name);
            if name.starts_with("v ") {
                w.v = w.v.max(d);
            } else if name.ends_with(" s") {
                w.state = w.state.max(d);
            } else {
                let scale = theirs.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
                w.rel = w.rel.max(d / scale);
            }
        }
        println!(
            "gap_gated g = {g:e} uS: |dV| {:.2e} mV, |ds| {:.2e}, gap i rel {:.2e}",
            w.v, w.state, w.rel
        );
        worst.merge(w);
    }
    worst.check("gap_gated");
}

// ---------------------------------------------------------------------------
// NetStim trains into hh cells through ExpSyn and Exp2Syn
// ---------------------------------------------------------------------------

/// `netstim_hh_synapses.json`: two NetStim trains, ExpSyn and Exp2Syn on an hh
/// soma (NEURON's hh with its rate tables), secondorder 0 and 2.
#[test]
fn netstim_trains_through_expsyn_and_exp2syn_match_neuron() {
    let lib = library();
    let doc = reference_data("netstim_hh_synapses.json");
    let mut worst = Worst::default();
    for run in doc["runs"].as_array().into_iter().flatten() {
        let so = run["secondorder"].as_i64().unwrap_or(0);
        let mut cfg = config(&doc);
        cfg.secondorder = SecondOrder::from_value(so as i32).unwrap_or_else(|| panic!("{so}"));
        let (model, secs) = somas(&doc, &["soma"]);
        let mut sim = Simulation::new(&model, cfg).unwrap_or_else(|e| panic!("{e}"));
        let node = sim
            .discretization()
            .node_at(secs[0], 0.5)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut ins = Instantiator::new(&lib);
        ins.insert_density(&mut sim, "hh", &[node])
            .unwrap_or_else(|e| panic!("{e}"));
        let mut syns = Vec::new();
        let mut probes = vec![(
            "v soma(0.5)".to_string(),
            sim.record(Probe::Voltage {
                section: secs[0],
                x: 0.5,
            })
            .unwrap_or_else(|e| panic!("{e}")),
        )];
        for s in doc["synapses"].as_array().into_iter().flatten() {
            let name = s["name"].as_str().unwrap_or_default();
            let params: Vec<(&str, f64)> = s["params"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), num(v)))
                .collect();
            let id = point(&mut ins, &mut sim, name, node, &params);
            for var in ["g", "i"] {
                let p = ins
                    .record(&mut sim, id, var, 0)
                    .unwrap_or_else(|e| panic!("{e}"));
                probes.push((format!("{name} {var}"), p));
            }
            syns.push(id);
        }
        let mut stims = Vec::new();
        for s in doc["netstims"].as_array().into_iter().flatten() {
            let params: Vec<(&str, f64)> = s
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), num(v)))
                .collect();
            // an artificial cell sits on no node; node 0 as the engine does
            stims.push(point(&mut ins, &mut sim, "NetStim", 0, &params));
        }
        let index = |s: &Value| {
            s.as_str()
                .and_then(|s| s.rsplit(' ').next())
                .and_then(|k| k.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("bad reference {s}"))
        };
        let mut ncs: Vec<(String, NetConId)> = Vec::new();
        for c in doc["netcons"].as_array().into_iter().flatten() {
            let source_name = c["source"].as_str().unwrap_or_default().to_string();
            let source = if source_name == "soma v" {
                NetConSource::Voltage {
                    node,
                    threshold: Some(num(&c["threshold"])),
                }
            } else {
                NetConSource::Instance {
                    mechanism: stims[index(&c["source"])],
                    instance: 0,
                }
            };
            let target = (!c["target"].is_null()).then(|| NetConTarget {
                mechanism: syns[index(&c["target"])],
                instance: 0,
            });
            let spec = NetConSpec::new(source, target)
                .delay(num(&c["delay"]))
                .weight(num(&c["weight"]));
            let id = sim.add_netcon(spec).unwrap_or_else(|e| panic!("{e}"));
            sim.record_spikes(id).unwrap_or_else(|e| panic!("{e}"));
            ncs.push((source_name, id));
        }
        sim.finitialize(num(&doc["v_init"]))
            .unwrap_or_else(|e| panic!("{e}"));
        sim.run(num(&doc["tstop"]))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut w = Worst::default();
        for tr in run["traces"].as_array().into_iter().flatten() {
            let name = tr["probe"].as_str().unwrap_or_default();
            let probe = probes
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("no probe {name}"))
                .1;
            let ours = sim.trace(probe).unwrap_or_else(|e| panic!("{e}"));
            let theirs = stored_samples(&tr["samples"]);
            let d = max_diff(ours, &theirs, name);
            if name.starts_with("v ") {
                w.v = w.v.max(d);
            } else {
                let scale = theirs.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
                w.rel = w.rel.max(d / scale);
            }
        }
        for (source, id) in &ncs {
            let theirs = nums(&run["spikes"][source.as_str()]);
            let ours = sim.spike_times(*id).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                ours.len(),
                theirs.len(),
                "secondorder {so}, {source}: spikes {ours:?} vs NEURON {theirs:?}"
            );
            for (a, b) in ours.iter().zip(&theirs) {
                w.time = w.time.max((a - b).abs());
            }
        }
        println!(
            "  secondorder {so}: |dV| {:.2e} mV, rel {:.2e}, spike times {:.2e} ms",
            w.v, w.rel, w.time
        );
        worst.merge(w);
    }
    worst.check("netstim_hh_synapses");
}

/// The NetStim/ExpSyn/hh cases of `events_*.json` (checked in
/// `crates/hines/tests/events` with the built-in Rust mechanisms) rebuilt
/// with the executable `hh.mod`, `pas.mod`, `IClamp.mod`, `ExpSyn.mod` and
/// `NetStim.mod`. The other cases (g VecStim, h WATCH, i FOR_NETCONS) run
/// through mod files in `tests/nmodl_events.rs`.
fn events_case(lib: &MechanismLibrary, name: &str) -> Worst {
    let doc = reference_data(&format!("events_{name}.json"));
    let mut worst = Worst::default();
    let cells = doc["cells"].as_array().cloned().unwrap_or_default();
    let names: Vec<String> = (0..cells.len()).map(|k| format!("cell{k}")).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    for run in doc["runs"].as_array().into_iter().flatten() {
        let so = run["secondorder"].as_i64().unwrap_or(0);
        let cfg = SimConfig {
            dt: num(&doc["dt"]),
            celsius: num(&doc["celsius"]),
            secondorder: SecondOrder::from_value(so as i32).unwrap_or_else(|| panic!("{so}")),
        };
        let (model, secs) = somas(&doc, &name_refs);
        let mut sim = Simulation::new(&model, cfg).unwrap_or_else(|e| panic!("{e}"));
        let nodes: Vec<usize> = secs
            .iter()
            .map(|&s| {
                sim.discretization()
                    .node_at(s, 0.5)
                    .unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let mut ins = Instantiator::new(lib);
        for (cell, &node) in cells.iter().zip(&nodes) {
            if cell["mech"] == "hh" {
                let id = ins
                    .insert_density(&mut sim, "hh", &[node])
                    .unwrap_or_else(|e| panic!("{e}"));
                ins.set(&mut sim, id, "usetable", 0, 0.0)
                    .unwrap_or_else(|e| panic!("{e}"));
            } else {
                pas(&mut ins, &mut sim, node, num(&cell["g"]), num(&cell["e"]));
            }
        }
        let at = |v: &Value| nodes[v.as_u64().unwrap_or(0) as usize];
        for s in doc["iclamps"].as_array().into_iter().flatten() {
            let p = [
                ("del", num(&s["del"])),
                ("dur", num(&s["dur"])),
                ("amp", num(&s["amp"])),
            ];
            point(&mut ins, &mut sim, "IClamp", at(&s["cell"]), &p);
        }
        let expsyns: Vec<MechanismId> = doc["expsyns"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                let p = [("tau", num(&s["tau"])), ("e", num(&s["e"]))];
                point(&mut ins, &mut sim, "ExpSyn", at(&s["cell"]), &p)
            })
            .collect();
        let netstims: Vec<MechanismId> = doc["netstims"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| {
                let p = [
                    ("start", num(&g["start"])),
                    ("interval", num(&g["interval"])),
                    ("number", num(&g["number"])),
                ];
                point(&mut ins, &mut sim, "NetStim", 0, &p)
            })
            .collect();
        let mut ncs = Vec::new();
        for c in doc["netcons"].as_array().into_iter().flatten() {
            let kind = |r: &Value| r["kind"].as_str().unwrap_or_default().to_string();
            let idx = |r: &Value| r["index"].as_u64().unwrap_or(0) as usize;
            let source = match &c["source"] {
                Value::Null => NetConSource::None,
                r if kind(r) == "netstim" => NetConSource::Instance {
                    mechanism: netstims[idx(r)],
                    instance: 0,
                },
                r if kind(r) == "cell" => NetConSource::Voltage {
                    node: nodes[idx(r)],
                    threshold: Some(num(&c["threshold"])),
                },
                r => panic!("{name}: source {r}"),
            };
            let target = match &c["target"] {
                Value::Null => None,
                r => Some(NetConTarget {
                    mechanism: match kind(r).as_str() {
                        "netstim" => netstims[idx(r)],
                        "expsyn" => expsyns[idx(r)],
                        other => panic!("{name}: target {other}"),
                    },
                    instance: 0,
                }),
            };
            let spec = NetConSpec::new(source, target)
                .delay(num(&c["delay"]))
                .weight(num(&c["weight"]));
            ncs.push(sim.add_netcon(spec).unwrap_or_else(|e| panic!("{e}")));
        }
        let mut probes = Vec::new();
        for p in doc["probes"].as_array().into_iter().flatten() {
            let (is_v, probe) = if let Some(cell) = p["v"].as_u64() {
                let section = secs[cell as usize];
                (true, sim.record(Probe::Voltage { section, x: 0.5 }))
            } else {
                let syn = expsyns[p["g"].as_u64().unwrap_or(0) as usize];
                (
                    false,
                    ins.record(&mut sim, syn, "g", 0).map_err(|e| panic!("{e}")),
                )
            };
            probes.push((is_v, probe.unwrap_or_else(|e| panic!("{e}"))));
        }
        let records: Vec<usize> = doc["spike_records"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|k| k.as_u64().unwrap_or(0) as usize)
            .collect();
        for &k in &records {
            sim.record_spikes(ncs[k]).unwrap_or_else(|e| panic!("{e}"));
        }
        sim.finitialize(num(&doc["v_init"]))
            .unwrap_or_else(|e| panic!("{e}"));
        for e in doc["events"].as_array().into_iter().flatten() {
            let nc = ncs[e["netcon"].as_u64().unwrap_or(0) as usize];
            sim.netcon_event(nc, num(&e["t"]))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let times = nums(&run["t"]);
        for _ in 1..times.len() {
            sim.fadvance().unwrap_or_else(|e| panic!("{e}"));
        }
        let mut w = Worst::default();
        for (a, b) in sim.times().iter().zip(&times) {
            w.time = w.time.max((a - b).abs());
        }
        let traces = run["traces"].as_array().cloned().unwrap_or_default();
        for (&(is_v, probe), theirs) in probes.iter().zip(&traces) {
            let theirs: Vec<(usize, f64)> = nums(theirs).into_iter().enumerate().collect();
            let ours = sim.trace(probe).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(ours.len(), theirs.len(), "{name}: samples");
            let d = max_diff(ours, &theirs, name);
            if is_v {
                w.v = w.v.max(d);
            } else {
                let scale = theirs.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
                w.rel = w.rel.max(if scale > 0.0 { d / scale } else { d });
            }
        }
        let spikes = run["spikes"].as_array().cloned().unwrap_or_default();
        for (&k, theirs) in records.iter().zip(&spikes) {
            let theirs = nums(theirs);
            let ours = sim.spike_times(ncs[k]).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(ours.len(), theirs.len(), "{name}: {ours:?} vs {theirs:?}");
            for (a, b) in ours.iter().zip(&theirs) {
                w.time = w.time.max((a - b).abs());
            }
        }
        println!(
            "  events_{name} secondorder {so}: |dV| {:.2e} mV, g rel {:.2e}, spike/sample times {:.2e} ms",
            w.v, w.rel, w.time
        );
        worst.merge(w);
    }
    worst
}

#[test]
fn events_cases_match_neuron_through_executable_nmodl() {
    let lib = library();
    let mut worst = Worst::default();
    for name in [
        "a_netstim_hh",
        "b_event_times",
        "c_two_cells",
        "e_netstim_fanout",
        "f_netstim_gate",
        "j_ring",
    ] {
        worst.merge(events_case(&lib, name));
    }
    worst.check("events_* through executable NMODL");
}
