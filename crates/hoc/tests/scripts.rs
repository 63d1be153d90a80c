//! Runs every `tests/data/*.hoc` with the bookkeeping simulator and compares
//! what it prints with `*.out`, the output of NEURON 9.0.2 (`nrniv -nogui
//! script.hoc`, stdout only) for the same script. A script that NEURON stops
//! with an error has a `*.err` file holding words the error message must contain.

use neurite_hoc::{CapturedOutput, Interpreter, MemorySim};
use std::path::{Path, PathBuf};

fn run(script: &Path) -> (String, Option<String>) {
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(MemorySim::new()), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    let err = it.load_file(script).err().map(|e| e.to_string());
    (out.text(), err)
}

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "hoc"));
    v.sort();
    v
}

#[test]
fn output_matches_nrniv() {
    let mut failures = Vec::new();
    let all = scripts();
    // Scripts open data files relative to the current directory, as under nrniv
    // started in tests/data (this is the only test in this binary).
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    std::env::set_current_dir(&data).expect("tests/data exists");
    assert!(!all.is_empty(), "no scripts found");
    for script in &all {
        let expected = std::fs::read_to_string(script.with_extension("out")).unwrap_or_default();
        let want_err = std::fs::read_to_string(script.with_extension("err")).ok();
        let (got, err) = run(script);
        if got != expected {
            failures.push(format!(
                "{}: output differs\n--- nrniv\n{expected}\n--- neurite\n{got}",
                script.display()
            ));
        }
        match (want_err, err) {
            (None, None) => {}
            (Some(w), Some(e)) if e.contains(w.trim()) => {}
            (w, e) => failures.push(format!(
                "{}: expected error {w:?}, got {e:?}",
                script.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
