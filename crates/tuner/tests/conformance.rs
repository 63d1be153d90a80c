//! Keeps `tests/conformance/tuner.md` true: how many of bmtool 0.8.7's numbers
//! Neurite's metrics (`"metrics": "bmtool"`) reproduce from the stored traces, and by
//! how much they differ at most.
//!
//! `NEURITE_BLESS=1 cargo test -p neurite-tuner --test conformance` rewrites the rows
//! after an intended change.

mod support;

use neurite_tuner::metrics::{
    coupling_coefficient, single_event, stp_ratios, train_response, GapResistance,
};
use neurite_tuner::{MetricsMode, Recording};
use support::{load, GapFile, Run, SynapseFile};

const SUMMARY: &str = "../../tests/conformance/tuner.md";
const BEGIN: &str = "<!-- begin: rows kept true by crates/tuner/tests/conformance.rs -->";
const END: &str = "<!-- end: rows kept true by crates/tuner/tests/conformance.rs -->";

/// Comparisons of one case: (ours, bmtool's, is a time).
#[derive(Default)]
struct Case {
    label: String,
    pairs: Vec<(f64, f64, bool)>,
    dt: f64,
}

impl Case {
    fn new(label: String, dt: f64) -> Self {
        Case {
            label,
            pairs: Vec::new(),
            dt,
        }
    }

    fn add(&mut self, ours: f64, theirs: f64) {
        self.pairs.push((ours, theirs, false));
    }

    fn add_time(&mut self, ours: f64, theirs: f64) {
        self.pairs.push((ours, theirs, true));
    }

    fn within(&self, &(a, b, time): &(f64, f64, bool)) -> bool {
        if time {
            (a - b).abs() <= self.dt
        } else {
            (a - b).abs() <= 1e-3 * b.abs() + 1e-12
        }
    }

    fn row(&self) -> String {
        let identical = self.pairs.iter().filter(|(a, b, _)| a == b).count();
        let within = self.pairs.iter().filter(|p| self.within(p)).count();
        let worst = self
            .pairs
            .iter()
            .map(|(a, b, _)| (a - b).abs() / b.abs().max(1e-300))
            .filter(|d| d.is_finite())
            .fold(0.0f64, f64::max);
        let worst = if worst == 0.0 {
            "0".to_string()
        } else {
            format!("< 1e{}", worst.log10().floor() as i32 + 1)
        };
        let n = self.pairs.len();
        format!(
            "| {} | {n} | {identical} | {within} | {worst} |",
            self.label
        )
    }
}

fn recording<'a>(run: &'a Run, syn: &'a [f64], clamp: &'a [f64]) -> Recording<'a> {
    Recording {
        dt: run.dt,
        spike_times: &run.spike_times,
        syn_current: syn,
        clamp_current: clamp,
    }
}

fn single_case(name: &str, run: &Run, mode: &str, vclamp: bool) -> Case {
    let (syn, clamp) = (run.trace("i"), run.trace("ivcl"));
    let rec = recording(run, &syn, &clamp);
    let e = single_event(&rec, vclamp, (0.1, 0.9), MetricsMode::Bmtool).expect("single");
    let mut case = Case::new(format!("{name} single event, {mode}"), run.dt);
    let p = e.props;
    for (ours, key) in [(p.baseline, "baseline"), (p.sign, "sign"), (p.amp, "amp")] {
        case.add(ours, run.number(mode, key));
    }
    case.add(p.decay_time, run.number(mode, "decay_time"));
    case.add(e.integral, run.number(mode, "integral"));
    for (ours, key) in [
        (p.latency, "latency"),
        (p.rise_time, "rise_time"),
        (p.half_width, "half_width"),
    ] {
        case.add_time(ours, run.number(mode, key));
    }
    case
}

fn train_case(label: String, run: &Run, mode: &str, vclamp: bool) -> Case {
    let (syn, clamp) = (run.trace("i"), run.trace("ivcl"));
    let rec = recording(run, &syn, &clamp);
    let r = train_response(&rec, vclamp, run.tstop, 1.3, MetricsMode::Bmtool).expect("train");
    let mut case = Case::new(label, run.dt);
    for (a, b) in r.amplitudes.iter().zip(run.numbers(mode, "amplitudes_nA")) {
        case.add(*a, b);
    }
    for (i, j) in r.peak_indices.iter().zip(run.numbers(mode, "peak_indices")) {
        case.add(*i as f64, j);
    }
    let s = stp_ratios(&r.amplitudes).expect("ratios");
    for (ours, key) in [
        (s.ppr, "ppr"),
        (s.simple_ppr, "simple_ppr"),
        (s.induction, "induction"),
        (s.recovery, "recovery"),
    ] {
        case.add(ours, run.number(mode, key));
    }
    case
}

fn frequency_case(name: &str, file: &SynapseFile) -> Case {
    let f = &file.frequency_response;
    let mut case = Case::new(format!("{name} ratios at 16 frequencies (1-200 Hz)"), 0.05);
    for (k, amps) in f.amplitudes_na.iter().enumerate() {
        let s = stp_ratios(amps).expect("ratios");
        case.add(s.ppr, f.ppr[k]);
        case.add(s.simple_ppr, f.simple_ppr[k]);
        case.add(s.induction, f.induction[k]);
        case.add(s.recovery, f.recovery[k]);
    }
    case
}

fn gap_case() -> Case {
    let file: GapFile = load("bmtool_gap.json");
    let mut case = Case::new(
        "gap junction: cc, resistance (3 conductances)".into(),
        file.dt,
    );
    for run in &file.runs {
        let cat = |f: fn(&support::GapWindow) -> &Vec<f64>| -> Vec<f64> {
            run.windows
                .iter()
                .flat_map(|w| f(w).iter().copied())
                .collect()
        };
        let (t, v1, v2) = (cat(|w| &w.t), cat(|w| &w.v1), cat(|w| &w.v2));
        let cc = coupling_coefficient(&t, &v1, &v2, 500.0, 1000.0).expect("cc");
        case.add(cc, run.cc);
        let g = GapResistance::from_conductance(run.gap_g_us, MetricsMode::Bmtool).expect("g");
        case.add(g.resistance_MOhm, run.bmtool_resistance_argument);
    }
    case
}

fn all_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (name, file_name) in [
        ("exc (AMPA_NMDA_STP)", "bmtool_synapse_exc.json"),
        ("inh (GABA_A_STP)", "bmtool_synapse_inh.json"),
    ] {
        let file: SynapseFile = load(file_name);
        for (mode, vclamp) in [("current_clamp", false), ("vclamp", true)] {
            cases.push(single_case(name, &file.single, mode, vclamp));
            let label = format!("{name} 50 Hz train, {mode}");
            cases.push(train_case(label, &file.train, mode, vclamp));
        }
        cases.push(frequency_case(name, &file));
        let label = format!("{name} train through one NetCon");
        cases.push(train_case(
            label,
            &file.train_single_netcon,
            "current_clamp",
            false,
        ));
    }
    cases.push(gap_case());
    cases
}

#[test]
fn conformance_summary_is_true() {
    let cases = all_cases();
    let rows: Vec<String> = cases.iter().map(Case::row).collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SUMMARY);
    let text = std::fs::read_to_string(&path).expect("read tests/conformance/tuner.md");
    let (head, rest) = text.split_once(BEGIN).expect("begin marker");
    let (_, tail) = rest.split_once(END).expect("end marker");
    let new = format!("{head}{BEGIN}\n{}\n{END}{tail}", rows.join("\n"));
    if std::env::var_os("NEURITE_BLESS").is_some() {
        std::fs::write(&path, &new).expect("rewrite the conformance summary");
    }
    assert_eq!(
        text, new,
        "tests/conformance/tuner.md is out of date (NEURITE_BLESS=1)"
    );
    for case in &cases {
        let all = case.pairs.iter().all(|p| case.within(p));
        assert!(all, "{} is outside the acceptance rule", case.label);
    }
}
