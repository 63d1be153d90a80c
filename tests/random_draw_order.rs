//! The order of draws from NMODL's one scop generator, against NEURON 9.0.2
//! (`tests/reference/data/draw_order.json`, made by
//! `tests/reference/draw_order_reference.py` from
//! `tests/reference/mod/draworder/DrawOrder.mod`).
//!
//! Three somas carry a mechanism that draws in INITIAL, in a SOLVEd PROCEDURE
//! and in its current; every draw comes from the one shared generator. NEURON
//! runs each block instance after instance (the current twice per instance, at
//! v + 0.001 and at v), so the values agree only if Neurite takes the draws in
//! the same order.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};
use std::path::PathBuf;

mod support;

/// Every value is a draw or follows from draws: they must be equal, up to the
/// rounding of the cable equation for v.
const DRAW_TOL: f64 = 1e-12;
const V_TOL: f64 = 1e-9;

#[test]
fn scop_draws_are_taken_instance_after_instance_as_neuron() {
    let doc = support::reference_data("draw_order.json");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/mod/draworder");
    let engine = Engine::with_mod_dirs(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut hoc = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    let program = doc["program"].as_str().unwrap_or_default();
    hoc.execute_str(program, "draw_order.hoc")
        .unwrap_or_else(|e| panic!("{}: {}", e.location, e.message));
    let mut failures = Vec::new();
    for k in 0..3 {
        for (j, name) in ["a", "b", "c", "last", "v"].iter().enumerate() {
            let key = format!("{name}{k}");
            let theirs: Vec<f64> = doc["vectors"][&key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_f64())
                .collect();
            let ours = support::hoc_vector(&mut hoc, &out, &format!("rec[{}]", 5 * k + j));
            assert_eq!(ours.len(), theirs.len(), "{key}: sample count");
            let worst = ours
                .iter()
                .zip(&theirs)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            let limit = if *name == "v" { V_TOL } else { DRAW_TOL };
            println!("{key}: max |diff| {worst:.2e}");
            if worst > limit || worst.is_nan() {
                failures.push(format!("{key}: {worst:e} (limit {limit:e})"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
