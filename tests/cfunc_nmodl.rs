//! VERBATIM C translated by Neurite (top-level C functions, macros, FUNCTIONs
//! written wholly in C with loops, `break`/`continue` and nested `do`/`while`
//! rejection loops drawing from `urand()`) against NEURON 9.0.2:
//! tests/reference/mod/BinoK.mod, a stochastic potassium channel in the style
//! of the Blue Brain StochKv channels, with the reference made by
//! tests/reference/cfunc_reference.py (tests/reference/data/cfunc_binok.json).
//! Channel counts must be equal and soma voltages agree at every step.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> Value {
    let path = root().join("tests/reference/data/cfunc_binok.json");
    let text = std::fs::read_to_string(path).expect("reference data is committed");
    let v: Value = serde_json::from_str(&text).expect("reference data parses");
    assert!(v["neuron_version"]
        .as_str()
        .is_some_and(|s| s.starts_with("9.0.2")));
    v
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` in the reference"))
}

#[test]
fn stochastic_channel_in_c_matches_neuron() {
    let data = reference();
    let cells = data["cells"].as_array().expect("cells");
    let soma = &data["soma"];
    let clamp = &data["iclamp"];
    let engine = Engine::with_mod_dirs(&[root().join("tests/reference/mod")])
        .unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    let mut code = format!(
        "load_file(\"stdrun.hoc\")\nobjref r1, r2, r3, stims[{n}], vs[{n}]\ncreate soma[{n}]\n\
         r1 = new Random()\nr1.MCellRan4(7, 11)\nr1.uniform(0, 1)\n\
         r2 = new Random()\nr2.Random123(4, 5, 6)\nr2.uniform(0, 1)\n\
         r3 = new Random()\nr3.MCellRan4(3)\nr3.uniform(0, 1)\n",
        n = cells.len()
    );
    for (i, c) in cells.iter().enumerate() {
        code += &format!(
            "soma[{i}] {{\n L = {L}\n diam = {diam}\n insert hh\n gnabar_hh = {gna}\n \
             gkbar_hh = {gk}\n gl_hh = {gl}\n insert BinoK\n gamma_BinoK = {gamma}\n \
             gkbar_BinoK = {gkbar}\n deterministic_BinoK = {det}\n \
             stims[{i}] = new IClamp(0.5)\n stims[{i}].del = {del}\n stims[{i}].dur = {dur}\n \
             stims[{i}].amp = {amp}\n vs[{i}] = new Vector()\n vs[{i}].record(&v(0.5))\n}}\n",
            L = num(soma, "L"),
            diam = num(soma, "diam"),
            gna = num(soma, "gnabar_hh"),
            gk = num(soma, "gkbar_hh"),
            gl = num(soma, "gl_hh"),
            gamma = num(c, "gamma"),
            gkbar = num(c, "gkbar"),
            det = num(c, "deterministic"),
            del = num(clamp, "del"),
            dur = num(clamp, "dur"),
            amp = num(clamp, "amp"),
        );
    }
    code += "soma[0] setdata_BinoK(0.5)\nsetRNG_BinoK(1, 2, 3)\n\
             soma[1] setdata_BinoK(0.5)\nsetRNG_BinoK(r1)\n\
             soma[2] setdata_BinoK(0.5)\nsetRNG_BinoK(r2)\n\
             soma[3] setdata_BinoK(0.5)\nsetRNG_BinoK(r3)\n";
    code += &format!(
        "dt = {}\ntstop = {}\nrun()\nfor i = 0, {} soma[i] {{\n\
         printf(\"cell %.17g %.17g %.17g\\n\", N_BinoK(0.5), halfN_BinoK(0.5), nmoves_BinoK(0.5))\n\
         for j = 0, vs[i].size() - 1 printf(\"%.17g\\n\", vs[i].x[j])\n}}\n",
        num(&data, "dt"),
        num(&data, "tstop"),
        cells.len() - 1
    );
    it.execute_str(&code, "binok.hoc")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut got: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    for line in out.text().lines() {
        if let Some(rest) = line.strip_prefix("cell ") {
            let counts = rest
                .split_whitespace()
                .map(|x| x.parse().unwrap_or(f64::NAN))
                .collect();
            got.push((counts, Vec::new()));
        } else if let (Some(c), Ok(x)) = (got.last_mut(), line.trim().parse::<f64>()) {
            c.1.push(x);
        }
    }
    assert_eq!(got.len(), cells.len(), "one trace per soma");
    for (k, (counts, v)) in got.iter().enumerate() {
        for (j, key) in ["N", "halfN", "nmoves"].into_iter().enumerate() {
            assert_eq!(
                Some(counts[j]),
                data[key][k].as_f64(),
                "soma {k}: {key} (Neurite, NEURON)"
            );
        }
        let want: Vec<f64> = data["v"][k]
            .as_array()
            .expect("trace")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        assert_eq!(v.len(), want.len(), "soma {k}: trace length");
        let worst = v
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        eprintln!(
            "BinoK soma {k}: {} channels moved, max |dv| {worst:.3e} mV",
            counts[2]
        );
        assert!(worst <= 1e-6, "soma {k}: max |dv| {worst} mV");
    }
}
