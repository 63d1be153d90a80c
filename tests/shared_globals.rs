//! Variables NEURON keeps once for all instances (a GLOBAL, a file-level
//! LOCAL), against NEURON 9.0.2 (`tests/reference/data/shared_globals.json`,
//! made by `tests/reference/shared_reference.py` from
//! `tests/reference/mod/shared/ShareVol.mod`).
//!
//! Three somas of different diameters assign both from diam in INITIAL; the
//! BREAKPOINT reads them. In NEURON every instance then reads the last
//! instance's values, and so must Neurite, though it runs the instances as
//! columns.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};
use std::path::PathBuf;

mod support;

const V_TOL: f64 = 1e-9;

#[test]
fn globals_and_file_locals_are_shared_by_all_instances_as_neuron() {
    let doc = support::reference_data("shared_globals.json");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/mod/shared");
    let engine = Engine::with_mod_dirs(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut hoc = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    let program = doc["program"].as_str().unwrap_or_default();
    hoc.execute_str(program, "shared_globals.hoc")
        .unwrap_or_else(|e| panic!("{}: {}", e.location, e.message));
    let mut failures = Vec::new();
    for k in 0..7 {
        let ours = support::hoc_vector(&mut hoc, &out, &format!("rec[{k}]"));
        let theirs: Vec<f64> = doc["vectors"][format!("rec{k}")]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_f64())
            .collect();
        assert_eq!(ours.len(), theirs.len(), "rec[{k}]: sample count");
        let worst = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
            .fold(0.0, f64::max);
        println!("rec[{k}]: max |diff| {worst:.2e}");
        if worst > V_TOL || worst.is_nan() {
            failures.push(format!("rec[{k}]: {worst:e}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
