//! NMODL's LONGITUDINAL_DIFFUSION run by Neurite against NEURON 9.0.2: the
//! branched cell of `tests/reference/ldifus_cable.hoc` with Neurite's test
//! mechanisms of `tests/reference/mod/ldifus/` (calcium in radial shells with
//! a mobile buffer, sodium diffusing as the ion's own `nai`, a scalar
//! heat-like quantity whose coefficient comes through a FUNCTION) is run with
//! the same HOC record statements as `tests/reference/ldifus_reference.py`,
//! and every trace is compared sample by sample with
//! `tests/reference/data/ldifus_cable.json`.
//!
//! Acceptance: |Δ| ≤ 1e-6 mV for v, and for the other quantities
//! |Δ| ≤ 1e-9·(1 + |NEURON's value|) (relative 1e-9 for concentrations of
//! ~1e-3 mM and larger, absolute 1e-9 mM below): the solve is NEURON's, the
//! only differences are the rounding of sums in another order.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};
use serde_json::Value;
use std::path::Path;

const TOL_V: f64 = 1e-6;
const TOL_REL: f64 = 1e-9;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> Value {
    let path = root().join("tests/reference/data/ldifus_cable.json");
    let text = std::fs::read_to_string(path).expect("reference data is committed");
    let v: Value = serde_json::from_str(&text).expect("reference data parses");
    assert!(v["neuron_version"]
        .as_str()
        .is_some_and(|s| s.contains("9.0.2")));
    v
}

/// Runs the cable in Neurite; returns every recorded trace, every
/// `every`-th sample.
fn run_neurite(reference: &Value) -> Vec<Vec<f64>> {
    let mods = root().join("tests/reference/mod/ldifus");
    let engine = Engine::with_mod_dirs(&[mods]).unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    let model = root().join("tests/reference/ldifus_cable.hoc");
    let text = std::fs::read_to_string(&model).expect("model file");
    it.execute_str(&text, "ldifus_cable.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let traces = reference["traces"].as_array().expect("traces");
    for tr in traces {
        let record = tr["record"].as_str().expect("record statement");
        it.execute_str(record, "record.hoc")
            .unwrap_or_else(|e| panic!("{record}: {e}"));
    }
    let every = reference["every"].as_u64().expect("every");
    let run = format!(
        "finitialize({})\nwhile (t < tstop - dt/2) {{ fadvance() }}\n\
         for k = 0, recs.count - 1 {{\n printf(\"trace\\n\")\n \
         for (j = 0; j < recs.o(k).size(); j += {every}) printf(\"%.17g\\n\", recs.o(k).x[j])\n}}\n",
        reference["v_init"].as_f64().expect("v_init")
    );
    let before = out.text().len();
    it.execute_str(&run, "run.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let text = out.text()[before..].to_string();
    let mut got: Vec<Vec<f64>> = Vec::new();
    for line in text.lines() {
        if line == "trace" {
            got.push(Vec::new());
        } else if let (Some(t), Ok(x)) = (got.last_mut(), line.trim().parse::<f64>()) {
            t.push(x);
        }
    }
    got
}

#[test]
fn longitudinal_diffusion_matches_neuron_on_a_branched_cell() {
    let reference = reference();
    let got = run_neurite(&reference);
    let traces = reference["traces"].as_array().expect("traces");
    assert_eq!(got.len(), traces.len(), "one printed trace per record");
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (tr, mine) in traces.iter().zip(&got) {
        let label = tr["label"].as_str().unwrap_or_default();
        let want: Vec<f64> = tr["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|x| x.as_f64().unwrap_or(f64::NAN))
            .collect();
        assert_eq!(mine.len(), want.len(), "{label}: sample count");
        let mut worst = 0.0f64;
        for (k, (a, b)) in mine.iter().zip(&want).enumerate() {
            let tol = if label.starts_with("v ") {
                TOL_V
            } else {
                TOL_REL * (1.0 + b.abs())
            };
            let d = (a - b).abs();
            if (d > tol || d.is_nan()) && failures.len() < 40 {
                failures.push(format!(
                    "{label}: sample {k}: Neurite {a}, NEURON {b} (|Δ| {d:.3e} > {tol:.1e})"
                ));
            }
            worst = worst.max(d);
        }
        report.push(format!("{label}: max |Δ| {worst:.2e}"));
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // the diffusion is seen: heat reaches dend[4] only along the cable
    let u4 = traces
        .iter()
        .position(|t| t["label"] == "u dend[4](0.5)")
        .expect("u dend[4]");
    assert!(got[u4].last().is_some_and(|&u| u > 0.5));
}

/// A STATE that diffuses must be in a COMPARTMENT statement before the
/// LONGITUDINAL_DIFFUSION one (nocmodl: "must be declared in COMPARTMENT");
/// loading says where, and nothing panics.
#[test]
fn a_diffusing_state_without_compartment_is_a_load_error() {
    let text = "NEURON { SUFFIX nocomp }\n\
                STATE { a b }\n\
                BREAKPOINT { SOLVE k METHOD sparse }\n\
                KINETIC k {\n\
                \x20   COMPARTMENT 2 {a}\n\
                \x20   LONGITUDINAL_DIFFUSION 1 {a b}\n\
                \x20   ~ a <-> b (1, 1)\n\
                }\n";
    let mut lib =
        neurite_nmodl::exec::MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    let err = lib
        .add_sources(vec![neurite_nmodl::span::SourceFile::new(
            "nocomp.mod",
            text,
        )])
        .expect_err("b has no COMPARTMENT");
    let report = err.to_string();
    assert!(
        report.contains("nocomp.mod:6:33")
            && report.contains("`b`")
            && report.contains("COMPARTMENT"),
        "{report}"
    );
}
