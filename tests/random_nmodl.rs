//! NMODL random functions run by Neurite against NEURON 9.0.2
//! (tests/reference/data/random_nmodl.json, made by
//! tests/reference/random_reference.py with the test mechanisms of
//! tests/reference/mod/): spike times whose intervals are the draws must agree
//! within 1e-6 ms, one by one.
//!
//! Each test runs on its own thread, and the scop generator and the count of
//! default RANDOM streams are per thread, so each starts as a fresh NEURON
//! process does.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};
use serde_json::Value;
use std::path::{Path, PathBuf};

const TOL: f64 = 1e-6;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> Value {
    let path = root().join("tests/reference/data/random_nmodl.json");
    let text = std::fs::read_to_string(path).expect("reference data is committed");
    let v: Value = serde_json::from_str(&text).expect("reference data parses");
    assert!(v["neuron_version"]
        .as_str()
        .is_some_and(|s| s.starts_with("9.0.2")));
    v
}

fn interpreter(mod_dirs: &[PathBuf]) -> (Interpreter, CapturedOutput) {
    let engine = Engine::with_mod_dirs(mod_dirs).unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    (it, out)
}

/// Runs `code`, then prints every spike vector `spk[i]` (i < n): returns them.
fn spikes(it: &mut Interpreter, out: &CapturedOutput, code: &str, n: usize) -> Vec<Vec<f64>> {
    let print = format!(
        "for i = 0, {} {{\n printf(\"cell\\n\")\n for j = 0, spk[i].size() - 1 printf(\"%.17g\\n\", spk[i].x[j])\n}}\n",
        n - 1
    );
    let before = out.text().len();
    it.execute_str(&format!("{code}\n{print}"), "random_test.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let text = out.text()[before..].to_string();
    let mut cells: Vec<Vec<f64>> = Vec::new();
    for line in text.lines() {
        if line == "cell" {
            cells.push(Vec::new());
        } else if let (Some(c), Ok(x)) = (cells.last_mut(), line.trim().parse::<f64>()) {
            c.push(x);
        }
    }
    cells
}

fn compare(what: &str, got: &[f64], want: &Value) -> f64 {
    let want: Vec<f64> = want
        .as_array()
        .expect("spike list")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: spike count {got:?} vs {want:?}"
    );
    let mut worst = 0.0f64;
    for (k, (a, b)) in got.iter().zip(&want).enumerate() {
        assert!((a - b).abs() <= TOL, "{what}: spike {k} at {a}, NEURON {b}");
        worst = worst.max((a - b).abs());
    }
    worst
}

/// `n` cells made by `make(i)` (HOC statements setting `cells[i]`), each
/// recorded into `spk[i]`.
fn network(n: usize, make: impl Fn(usize) -> String, tstop: f64) -> String {
    let mut code = format!(
        "load_file(\"stdrun.hoc\")\ncreate soma\nobjref cells[{n}], ncs[{n}], spk[{n}], nil\n"
    );
    for i in 0..n {
        code += &make(i);
        code += &format!(
            "ncs[{i}] = new NetCon(cells[{i}], nil)\nspk[{i}] = new Vector()\nncs[{i}].record(spk[{i}])\n"
        );
    }
    code + &format!("dt = 0.025\ntstop = {tstop}\nrun()\n")
}

fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn scop_random_exprand_normrand_and_set_seed_match_neuron() {
    let data = reference();
    let tstop = num(&data["scop"], "tstop");
    let mut worst = 0.0f64;
    for (k, case) in data["scop"]["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .enumerate()
    {
        let make = |_| {
            format!(
                "cells[0] = new ScopStim()\ncells[0].mode = {}\ncells[0].seed = {}\ncells[0].mean = {}\ncells[0].sd = {}\n",
                num(case, "mode"),
                num(case, "seed"),
                num(case, "mean"),
                num(case, "sd")
            )
        };
        // a fresh model per case (the scop generator goes on, as in NEURON's
        // process, where each case's cell was deleted before the next)
        let (mut it, out) = interpreter(&[root().join("tests/reference/mod")]);
        let got = spikes(&mut it, &out, &network(1, make, tstop), 1);
        worst = worst.max(compare(&format!("scop case {k}"), &got[0], &case["spikes"]));
    }
    eprintln!("ScopStim: max |dt| {worst:.3e} ms");
}

#[test]
fn random_variables_match_neuron() {
    let data = reference();
    neurite_hines::random::reset_default_stream_count();
    let (mut it, out) = interpreter(&[root().join("tests/reference/mod")]);
    let cases = data["ranstim"]["cases"].as_array().expect("cases");
    let make = |i: usize| {
        let c = &cases[i];
        let mut s = format!("cells[{i}] = new RanStim()\n");
        for key in ["mode", "seq", "id1", "id2", "id3", "mean", "sd"] {
            s += &format!("cells[{i}].{key} = {}\n", num(c, key));
        }
        s
    };
    let code = network(cases.len(), make, num(&data["ranstim"], "tstop"));
    let got = spikes(&mut it, &out, &code, cases.len());
    let mut worst = 0.0f64;
    for (k, (g, c)) in got.iter().zip(cases).enumerate() {
        worst = worst.max(compare(&format!("RanStim case {k}"), g, &c["spikes"]));
    }
    eprintln!("RanStim: max |dt| {worst:.3e} ms");
}

fn synapse_reference() -> Value {
    let path = root().join("tests/reference/data/random_synapse.json");
    let text = std::fs::read_to_string(path).expect("reference data is committed");
    serde_json::from_str(&text).expect("reference data parses")
}

/// StochSyn (the setRNG/urand/erand VERBATIM idiom of the Blue Brain Prob*
/// synapses): one synapse on a Random123 stream given by ids, one on a HOC
/// Random; soma voltages within 1e-3 mV at every step, release counts equal.
#[test]
fn stochastic_synapse_verbatim_idiom_matches_neuron() {
    let data = synapse_reference();
    let (mut it, out) = interpreter(&[root().join("tests/reference/mod")]);
    let code = r#"
load_file("stdrun.hoc")
objref r, syns[2], ns, ncs[2], vs[2]
create soma[2]
r = new Random()
r.Random123(4, 5, 6)
r.uniform(0, 1)
for i = 0, 1 soma[i] {
    L = 20
    diam = 20
    insert pas
    g_pas = 1e-4
    e_pas = -65
    syns[i] = new StochSyn(0.5)
    syns[i].Pr = 0.6
    syns[i].tau = 3
}
syns[0].setRNG(1, 2, 3)
syns[1].setRNG(r)
ns = new NetStim()
ns.interval = 4
ns.number = 40
ns.start = 5
ns.noise = 0
for i = 0, 1 {
    ncs[i] = new NetCon(ns, syns[i])
    ncs[i].weight[0] = 0.002
    ncs[i].delay = 1
    vs[i] = new Vector()
    vs[i].record(&soma[i].v(0.5))
}
dt = 0.025
tstop = 200
run()
for i = 0, 1 {
    printf("cell %.17g\n", syns[i].nrelease)
    for j = 0, vs[i].size() - 1 printf("%.17g\n", vs[i].x[j])
}
"#;
    it.execute_str(code, "stochsyn.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cells: Vec<(f64, Vec<f64>)> = Vec::new();
    for line in out.text().lines() {
        if let Some(n) = line.strip_prefix("cell ") {
            cells.push((n.trim().parse().unwrap_or(f64::NAN), Vec::new()));
        } else if let (Some(c), Ok(x)) = (cells.last_mut(), line.trim().parse::<f64>()) {
            c.1.push(x);
        }
    }
    assert_eq!(cells.len(), 2);
    for (k, (nrelease, v)) in cells.iter().enumerate() {
        assert_eq!(
            Some(*nrelease),
            data["nrelease"][k].as_f64(),
            "synapse {k} releases"
        );
        let want: Vec<f64> = data["v"][k]
            .as_array()
            .expect("trace")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        assert_eq!(v.len(), want.len(), "synapse {k}: trace length");
        let worst = v
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        eprintln!("StochSyn {k}: {nrelease} releases, max |dV| {worst:.3e} mV");
        assert!(worst <= 1e-3, "synapse {k}: max |dV| {worst} mV");
    }
}

/// NEURON's built-in NetStim with noise: default streams (ids 1, 0, n in
/// creation order), noiseFromRandom123 ids, and a Random123 global index.
#[test]
fn netstim_noise_matches_neuron() {
    let data = reference();
    for scenario in data["netstim"].as_array().expect("scenarios") {
        neurite_hines::random::reset_default_stream_count();
        let (mut it, out) = interpreter(&[]);
        let cases = scenario["cases"].as_array().expect("cases");
        let gix = num(scenario, "globalindex");
        let make = |i: usize| {
            let c = &cases[i];
            let mut s = format!("cells[{i}] = new NetStim()\n");
            for key in ["interval", "number", "start", "noise"] {
                s += &format!("cells[{i}].{key} = {}\n", num(c, key));
            }
            if let Some(ids) = c["ids"].as_array() {
                let ids: Vec<String> = ids.iter().map(|x| x.to_string()).collect();
                s += &format!("cells[{i}].noiseFromRandom123({})\n", ids.join(", "));
            }
            s
        };
        let code = format!(
            "objref rr\nrr = new Random()\nrr.Random123_globalindex({gix})\n{}",
            network(cases.len(), make, num(scenario, "tstop"))
        );
        let got = spikes(&mut it, &out, &code, cases.len());
        neurite_hines::random::set_global_index(0);
        let mut worst = 0.0f64;
        for (k, (g, c)) in got.iter().zip(cases).enumerate() {
            worst = worst.max(compare(
                &format!("NetStim gix {gix} case {k}"),
                g,
                &c["spikes"],
            ));
        }
        eprintln!("NetStim (global index {gix}): max |dt| {worst:.3e} ms");
    }
}

/// NoiseCur: a current drawn in BEFORE BREAKPOINT from a RANDOM stream (the
/// Gfluct pattern); soma voltages within 1e-3 mV at every step.
#[test]
fn before_breakpoint_noise_matches_neuron() {
    let path = root().join("tests/reference/data/random_noise.json");
    let text = std::fs::read_to_string(path).expect("reference data is committed");
    let data: Value = serde_json::from_str(&text).expect("reference data parses");
    neurite_hines::random::reset_default_stream_count();
    let (mut it, out) = interpreter(&[root().join("tests/reference/mod")]);
    let code = r#"
load_file("stdrun.hoc")
objref curs[2], vs[2]
create soma[2]
for i = 0, 1 soma[i] {
    L = 20
    diam = 20
    insert pas
    g_pas = 1e-4
    e_pas = -65
    curs[i] = new NoiseCur(0.5)
    vs[i] = new Vector()
    vs[i].record(&soma[i].v(0.5))
}
dt = 0.025
tstop = 100
run()
for i = 0, 1 {
    printf("cell\n")
    for j = 0, vs[i].size() - 1 printf("%.17g\n", vs[i].x[j])
}
"#;
    it.execute_str(code, "noisecur.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cells: Vec<Vec<f64>> = Vec::new();
    for line in out.text().lines() {
        if line == "cell" {
            cells.push(Vec::new());
        } else if let (Some(c), Ok(x)) = (cells.last_mut(), line.trim().parse::<f64>()) {
            c.push(x);
        }
    }
    assert_eq!(cells.len(), 2);
    for (k, v) in cells.iter().enumerate() {
        let want: Vec<f64> = data["v"][k]
            .as_array()
            .expect("trace")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        assert_eq!(v.len(), want.len(), "cell {k}: trace length");
        let worst = v
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        eprintln!("NoiseCur {k}: max |dV| {worst:.3e} mV");
        assert!(worst <= 1e-3, "cell {k}: max |dV| {worst} mV");
    }
}
