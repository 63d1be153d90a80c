//! Neurite's `VClamp` (`mod_files/VClamp.mod`) against NEURON 9.0.2's built-in
//! one: each `tests/reference/data/vclamp_*.json` (written by
//! `tests/reference/vclamp_reference.py`) holds a HOC program and the vectors
//! NEURON recorded running it; the same program runs here through Neurite's
//! interpreter and engine, and every sample is compared.
//!
//! Acceptance: soma and dendrite v and the amplifier output within 1e-3 mV; the
//! clamp current within 1e-3 relative (of the larger magnitude, with a floor of
//! 1e-6 nA); sample times within 1e-9 ms.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};

mod support;
use support::reference_cases;

/// Runs `program` and reads back the vectors `names` exactly.
fn run(program: &str, names: &[&str]) -> Vec<Vec<f64>> {
    let engine = Engine::builtin().unwrap_or_else(|e| panic!("engine: {e}"));
    let out = CapturedOutput::new();
    let mut hoc = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    hoc.execute_str(program, "vclamp case")
        .unwrap_or_else(|e| panic!("{}: {}", e.location, e.message));
    names
        .iter()
        .map(|name| support::hoc_vector(&mut hoc, &out, name))
        .collect()
}

/// Largest deviation of `ours` from `theirs` under `rule` (NaN or a length
/// mismatch counts as infinite).
fn worst(ours: &[f64], theirs: &[f64], rule: fn(f64, f64) -> f64) -> f64 {
    if ours.len() != theirs.len() {
        return f64::INFINITY;
    }
    ours.iter()
        .zip(theirs)
        .map(|(&a, &b)| rule(a, b))
        .fold(
            0.0,
            |m, d| if d.is_nan() { f64::INFINITY } else { m.max(d) },
        )
}

fn absolute(a: f64, b: f64) -> f64 {
    (a - b).abs()
}

/// Relative to the larger magnitude, with a 1e-6 nA floor (the clamp current is 0
/// while the clamp is off).
fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-6)
}

#[test]
fn vclamp_matches_neuron_builtin() {
    let files = reference_cases("vclamp_");
    assert_eq!(files.len(), 3, "reference cases");
    let names = ["tv", "vs", "iv", "vd", "vo"];
    let mut failures = Vec::new();
    for (_, case) in files {
        let program = case["program"].as_str().unwrap_or_default();
        let ours = run(program, &names);
        for (name, ours) in names.iter().zip(&ours) {
            let theirs: Vec<f64> = case["vectors"][name]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.as_f64().unwrap_or(f64::NAN))
                .collect();
            let (rule, limit): (fn(f64, f64) -> f64, f64) = match *name {
                "tv" => (absolute, 1e-9),
                "iv" => (relative, 1e-3),
                _ => (absolute, 1e-3),
            };
            let w = worst(ours, &theirs, rule);
            let label = format!("{} {name}", case["case"].as_str().unwrap_or("?"));
            println!("{label}: largest deviation {w:.3e} (limit {limit:e})");
            if w > limit {
                failures.push(format!("{label}: {w:e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "beyond the acceptance rule: {failures:#?}"
    );
}
