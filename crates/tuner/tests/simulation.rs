//! End to end: bmtool's stored cases run through Neurite's simulation
//! (`neurite_tuner::runner`) in `"metrics": "bmtool"` mode, compared with bmtool's
//! numbers in `tests/reference/data/bmtool_*.json`. Keeps the "through Neurite's
//! simulation" table of `tests/conformance/tuner.md` true (`NEURITE_BLESS=1` rewrites
//! it) and checks the acceptance rule: amplitudes and ratios within 1e-3 relative,
//! times within one dt, the fitted gap conductance within 1e-3 relative. The soma is
//! clamped by `VClamp` on both sides (NEURON's built-in, Neurite's `mod_files/`), so the
//! clamp current's holding value (`baseline` in clamp mode) and the clamp-mode
//! `integral` bmtool computes from it are compared like every other number.

mod support;

use neurite_tuner::analysis::{synapse_report, TrainRun};
use neurite_tuner::report::SynapseReport;
use neurite_tuner::runner::{GapJunctionTuner, SynapseTuner};
use neurite_tuner::settings::{GapTunerSettings, SynapseTunerSettings};
use std::path::PathBuf;
use support::{load, GapFile, Run, SynapseFile};

const SUMMARY: &str = "../../tests/conformance/tuner.md";
const BEGIN: &str = "<!-- begin: simulation rows kept true by crates/tuner/tests/simulation.rs -->";
const END: &str = "<!-- end: simulation rows kept true by crates/tuner/tests/simulation.rs -->";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One case's comparisons: (name, ours, bmtool's, tolerance kind).
struct Case {
    label: String,
    dt: f64,
    pairs: Vec<(String, f64, f64, Tol)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Tol {
    Relative,
    Time,
}

impl Case {
    fn within(&self, a: f64, b: f64, tol: Tol) -> bool {
        match tol {
            Tol::Relative => (a - b).abs() <= 1e-3 * b.abs() + 1e-15,
            Tol::Time => (a - b).abs() <= self.dt * (1.0 + 1e-9),
        }
    }

    fn row(&self) -> String {
        let within = self
            .pairs
            .iter()
            .filter(|p| self.within(p.1, p.2, p.3))
            .count();
        // Numbers that are rounding noise (`recovery` of a depressed-and-recovered
        // train that repeats its first pulses exactly, ~1e-16) are compared within
        // 1e-15 absolute and left out of the relative column.
        let rel = |p: &(String, f64, f64, Tol)| {
            if p.1 == p.2 || p.2.abs() < 1e-12 {
                0.0
            } else {
                (p.1 - p.2).abs() / p.2.abs()
            }
        };
        let worst = self.pairs.iter().map(rel).fold(0.0, f64::max);
        let bound = if worst == 0.0 {
            "0".to_string()
        } else {
            format!("< 1e{}", worst.log10().ceil() as i32)
        };
        format!(
            "| {} | {} | {} | {} |",
            self.label,
            self.pairs.len(),
            within,
            bound
        )
    }

    fn failures(&self) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|p| !self.within(p.1, p.2, p.3))
            .map(|p| {
                format!(
                    "{}: {} {} (neurite {} bmtool {})",
                    self.label, p.0, "", p.1, p.2
                )
            })
            .collect()
    }
}

fn tuner(file: &SynapseFile, dt: f64) -> SynapseTuner {
    tuner_in(file, dt, "bmtool", false)
}

fn tuner_in(file: &SynapseFile, dt: f64, metrics: &str, vclamp: bool) -> SynapseTuner {
    let mut json = file.settings.clone();
    json["metrics"] = metrics.into();
    json["general_settings"]["vclamp"] = vclamp.into();
    json["general_settings"]["dt"] = dt.into();
    let path = repo().join("bmtool_settings.json");
    let settings = SynapseTunerSettings::from_json(&json.to_string(), &path).expect("settings");
    SynapseTuner::new(settings, &path, None).expect("tuner")
}

fn report(
    t: &SynapseTuner,
    vclamp: bool,
    single: bool,
    run: &neurite_tuner::runner::SynapseRun,
) -> SynapseReport {
    let mut settings = t.settings().clone();
    settings.general_settings.vclamp = vclamp;
    let rec = run.recording();
    let train = TrainRun {
        recording: rec,
        tstop: run.tstop,
    };
    let (one, many) = if single {
        (Some(&rec), None)
    } else {
        (None, Some(&train))
    };
    synapse_report(&settings, t.connection(), one, many).expect("report")
}

fn single_case(name: &str, mode: &str, r: &SynapseReport, s: &Run) -> Case {
    let mut c = Case {
        label: format!("{name} single event, {mode}"),
        dt: s.dt,
        pairs: Vec::new(),
    };
    let get = |x: Option<f64>| x.unwrap_or(f64::NAN);
    for (key, ours) in [("amp", r.amp), ("decay_time", r.decay_time)] {
        c.pairs
            .push((key.into(), get(ours), s.number(mode, key), Tol::Relative));
    }
    for (key, ours) in [
        ("latency", r.latency),
        ("rise_time", r.rise_time),
        ("half_width", r.half_width),
    ] {
        c.pairs
            .push((key.into(), get(ours), s.number(mode, key), Tol::Time));
    }
    c.pairs.push((
        "sign".into(),
        get(r.sign),
        s.number(mode, "sign"),
        Tol::Relative,
    ));
    for (key, ours) in [("baseline", r.baseline), ("integral", r.integral)] {
        c.pairs
            .push((key.into(), get(ours), s.number(mode, key), Tol::Relative));
    }
    c
}

fn train_case(name: &str, mode: &str, r: &SynapseReport, s: &Run) -> Case {
    let mut c = Case {
        label: format!("{name} 50 Hz train, {mode}"),
        dt: s.dt,
        pairs: Vec::new(),
    };
    let ours = r.amplitudes.clone().unwrap_or_default();
    for (k, (a, b)) in ours
        .iter()
        .zip(s.numbers(mode, "amplitudes_nA"))
        .enumerate()
    {
        c.pairs
            .push((format!("amplitude {}", k + 1), a / 1000.0, b, Tol::Relative));
    }
    let get = |x: Option<f64>| x.unwrap_or(f64::NAN);
    for (key, v) in [
        ("ppr", r.ppr),
        ("simple_ppr", r.simple_ppr),
        ("induction", r.induction),
        ("recovery", r.recovery),
    ] {
        c.pairs
            .push((key.into(), get(v), s.number(mode, key), Tol::Relative));
    }
    c
}

fn synapse_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (name, label) in [
        ("bmtool_synapse_exc.json", "exc (AMPA_NMDA_STP)"),
        ("bmtool_synapse_inh.json", "inh (GABA_A_STP)"),
    ] {
        let file: SynapseFile = load(name);
        let single = tuner(&file, file.single.dt)
            .single_event()
            .expect("single event");
        let t = tuner(&file, file.train.dt);
        let train = t.train(50.0, 250.0).expect("train");
        for (mode, vclamp) in [("current_clamp", false), ("vclamp", true)] {
            cases.push(single_case(
                label,
                mode,
                &report(&t, vclamp, true, &single),
                &file.single,
            ));
            cases.push(train_case(
                label,
                mode,
                &report(&t, vclamp, false, &train),
                &file.train,
            ));
        }
        // Neurite's correct train (one NetCon) with the soma clamped as in bmtool's
        // reference run: bmtool's formulas on a single-NetCon run.
        let one = tuner_in(&file, file.train.dt, "correct", true);
        let run = one.train(50.0, 250.0).expect("one-NetCon train");
        let r = report(&one, true, false, &run);
        let mut c = train_case(label, "current_clamp", &r, &file.train_single_netcon);
        c.label = format!("{label} train through one NetCon (correct protocol, clamped)");
        cases.push(c);
    }
    cases
}

fn gap_case() -> Case {
    let gap: GapFile = load("bmtool_gap.json");
    let text = r#"{"mechanisms_dir": "mod_files", "templates_dir": "templates/neurite_cells.hoc",
        "general_settings": {"tstart": 500.0, "tdur": 500.0, "dt": 0.025, "celsius": 20, "iclamp_amp": -0.01},
        "conn_type_settings": {"pas2pas_gj": {"cell": "NeuritePassive", "sec_id": 0, "sec_x": 0.5}},
        "metrics": "bmtool"}"#;
    let path = repo().join("bmtool_gap_settings.json");
    let settings = GapTunerSettings::from_json(text, &path).expect("gap settings");
    let t = GapJunctionTuner::from_settings(&settings, &path, None).expect("gap tuner");
    let mut c = Case {
        label: "gap junction: cc (3 conductances), fitted conductance".into(),
        dt: gap.dt,
        pairs: Vec::new(),
    };
    for run in &gap.runs {
        let cc = t.coupling(run.gap_g_us).expect("gap run");
        c.pairs.push((
            format!("cc at g = {}", run.gap_g_us),
            cc,
            run.cc,
            Tol::Relative,
        ));
    }
    let middle = &gap.runs[1];
    let fit = t.optimize(middle.cc).expect("optimize");
    c.pairs.push((
        "fitted g".into(),
        fit.conductance_us,
        middle.gap_g_us,
        Tol::Relative,
    ));
    c.pairs.push((
        "bmtool's resistance".into(),
        fit.resistance_mohm,
        middle.bmtool_resistance_argument,
        Tol::Relative,
    ));
    c
}

#[test]
fn bmtool_cases_through_the_simulation() {
    let handle = std::thread::spawn(gap_case);
    let mut cases = synapse_cases();
    cases.push(handle.join().expect("gap thread"));
    let failures: Vec<String> = cases.iter().flat_map(Case::failures).collect();
    assert!(
        failures.is_empty(),
        "outside the acceptance rule:\n{}",
        failures.join("\n")
    );
    let rows: Vec<String> = cases.iter().map(Case::row).collect();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SUMMARY);
    let text = std::fs::read_to_string(&path).expect("summary");
    let (head, rest) = text.split_once(BEGIN).expect("begin marker");
    let (_, tail) = rest.split_once(END).expect("end marker");
    let fresh = format!("{head}{BEGIN}\n{}\n{END}{tail}", rows.join("\n"));
    if std::env::var_os("NEURITE_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write summary");
    } else {
        assert_eq!(
            text, fresh,
            "tests/conformance/tuner.md is out of date (NEURITE_BLESS=1 rewrites it)"
        );
    }
}
