//! BEFORE/AFTER blocks, TABLEs of arrays, the halved dt of a derivimplicit
//! file under `secondorder`, and FUNCTION_TABLEs, run by Neurite against
//! NEURON 9.0.2: `tests/reference/data/nmodl_ba.json`, made by
//! `tests/reference/ba_reference.py` with the test mechanisms `baseq`,
//! `BaProbe`, `dimix`, `tarr` and `ftab` of `tests/reference/mod/`. The HOC
//! program is the one NEURON ran (kept in the JSON file); every recorded value
//! is compared at every sample: order stamps and counts exactly, the rest
//! within 1e-9 (ms, mV, or the variable's own unit).

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};
use serde_json::Value;
use std::path::{Path, PathBuf};

const TOL: f64 = 1e-9;
const MODS: [&str; 5] = [
    "baseq.mod",
    "baprobe.mod",
    "dimix.mod",
    "tarr.mod",
    "ftab.mod",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> Value {
    let path = root().join("tests/reference/data/nmodl_ba.json");
    let text = std::fs::read_to_string(path).expect("reference data is committed");
    let v: Value = serde_json::from_str(&text).expect("reference data parses");
    assert!(v["neuron_version"]
        .as_str()
        .is_some_and(|s| s.contains("9.0.2")));
    v
}

/// A folder (one per test) with only this file's mechanisms.
fn mod_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("nmodl_ba_{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    for m in MODS {
        std::fs::copy(root().join("tests/reference/mod").join(m), dir.join(m)).expect("copy");
    }
    dir
}

/// Runs the reference's HOC program, then each case; returns, per case, the
/// recorded vectors by name plus `spikes`.
fn run_neurite(data: &Value) -> Vec<Vec<(String, Vec<f64>)>> {
    let engine = Engine::with_mod_dirs(&[mod_dir("run")]).unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    let hoc = data["hoc"].as_str().expect("hoc text");
    it.execute_str(hoc, "nmodl_ba.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = data["names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let mut all = Vec::new();
    for case in data["runs"].as_array().expect("runs") {
        let (so, cel) = (case["secondorder"].as_f64(), case["celsius"].as_f64());
        let mut code = format!(
            "proc dumpvec() {{\n printf(\"vec\\n\")\n for j = 0, $o1.size() - 1 printf(\"%.17g\\n\", $o1.x[j])\n}}\nrun_case({}, {})\n",
            so.unwrap_or(0.0),
            cel.unwrap_or(0.0)
        );
        for k in 0..names.len() {
            code += &format!("dumpvec(rec[{k}])\n");
        }
        code += "dumpvec(spk)\n";
        let before = out.text().len();
        it.execute_str(&code, "nmodl_ba_case.hoc")
            .unwrap_or_else(|e| panic!("case {case_id}: {e}", case_id = so.unwrap_or(-1.0)));
        let text = out.text()[before..].to_string();
        let mut vecs: Vec<Vec<f64>> = Vec::new();
        for line in text.lines() {
            if line == "vec" {
                vecs.push(Vec::new());
            } else if let (Some(v), Ok(x)) = (vecs.last_mut(), line.trim().parse::<f64>()) {
                v.push(x);
            }
        }
        let mut named: Vec<(String, Vec<f64>)> = names.iter().cloned().zip(vecs.clone()).collect();
        named.push((
            "spikes".to_string(),
            vecs.last().cloned().unwrap_or_default(),
        ));
        all.push(named);
    }
    all
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

#[test]
fn before_after_tables_and_secondorder_match_neuron() {
    let data = reference();
    let got = run_neurite(&data);
    let mut report = Vec::new();
    for (case, named) in data["runs"].as_array().expect("runs").iter().zip(&got) {
        let label = format!(
            "secondorder {} celsius {}",
            case["secondorder"], case["celsius"]
        );
        for (name, ours) in named {
            let want = numbers(&case[name.as_str()]);
            assert_eq!(
                ours.len(),
                want.len(),
                "{label}: `{name}` has {} values, NEURON {}",
                ours.len(),
                want.len()
            );
            // order stamps and counts are exact (times may differ in the
            // last bit: Neurite accumulates t as t += dt/2 twice a step)
            let exact = ["n", "on"].contains(&name.as_str()) || name.starts_with('k');
            let tol = if exact { 0.0 } else { TOL };
            let mut worst = 0.0f64;
            for (j, (a, b)) in ours.iter().zip(&want).enumerate() {
                let d = (a - b).abs();
                assert!(
                    d <= tol || (a.is_nan() && b.is_nan()),
                    "{label}: `{name}` sample {j}: {a} vs NEURON {b}"
                );
                worst = worst.max(d);
            }
            report.push(format!("{label} {name}: {worst:.1e}"));
        }
    }
    println!("{}", report.join("\n"));
}

/// A FUNCTION_TABLE read before HOC gave it values stops with NEURON's
/// message (`table not specified in hoc_func_table`).
#[test]
fn unset_function_table_is_neurons_error() {
    let engine = Engine::with_mod_dirs(&[mod_dir("unset")]).unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out));
    it.set_error_output(Box::new(std::io::sink()));
    it.execute_str("create soma\nsoma insert ftab\n", "unset.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = it
        .execute_str("x = gtab_ftab(3)\n", "unset.hoc")
        .expect_err("an unset FUNCTION_TABLE is an error");
    assert!(
        err.to_string()
            .contains("table not specified in hoc_func_table"),
        "{err}"
    );
    // once given, it answers (constant form)
    it.execute_str("table_gtab_ftab(0.75)\nx = gtab_ftab(3)\n", "unset.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
}
