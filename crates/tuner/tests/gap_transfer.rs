//! The gap-junction tuner with a user's `Gap` whose state reads `vgap`: the runner's
//! `ParallelContext` transfer must copy each cell's voltage when NEURON's does (before
//! INITIAL, and after each voltage update before the states advance), or the gate
//! lags a step behind NEURON's.
//!
//! The user's mechanism is Neurite's test file `tests/reference/mod/gapgate.mod` under
//! the name bmtool creates (`Gap`), the cell a lone passive soma as in
//! `tests/reference/data/gap_gated.json` (NEURON 9.0.2, `tests/reference/stp_reference.py`),
//! whose IClamp step, conductances and gate parameters become the tuner's settings.

mod support;

use neurite_tuner::runner::GapJunctionTuner;
use neurite_tuner::settings::GapTunerSettings;
use serde_json::{json, Value};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, found {v}"))
}

/// A stored trace's samples as (step, value).
fn samples(trace: &Value) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for seg in trace["samples"].as_array().expect("sample segments") {
        let (from, stride) = (
            num(&seg["from_step"]) as usize,
            num(&seg["stride"]) as usize,
        );
        for (j, v) in seg["values"].as_array().expect("values").iter().enumerate() {
            out.push((from + j * stride, num(v)));
        }
    }
    out
}

/// A scratch folder holding the user's mechanisms (`Gap` = GapGate) and a one-soma template.
fn user_model(doc: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("neurite-gap-transfer-{}", std::process::id()));
    let mech = dir.join("mechanisms");
    std::fs::create_dir_all(&mech).expect("scratch folder");
    let gate = std::fs::read_to_string(repo().join("tests/reference/mod/gapgate.mod"))
        .expect("gapgate.mod");
    assert!(gate.contains("POINT_PROCESS GapGate"));
    let gap = gate.replace("POINT_PROCESS GapGate", "POINT_PROCESS Gap");
    std::fs::write(mech.join("Gap.mod"), gap).expect("Gap.mod");
    let s = &doc["soma"];
    let template = format!(
        "begintemplate GatedSoma\npublic soma, all\ncreate soma[1]\nobjref all\n\
         proc init() {{\n all = new SectionList()\n soma[0] all.append()\n soma[0] {{\n  \
         L = {} diam = {} nseg = {} Ra = {} cm = {}\n  insert pas g_pas = {} e_pas = {}\n }}\n}}\n\
         endtemplate GatedSoma\n",
        num(&s["L"]),
        num(&s["diam"]),
        num(&s["nseg"]),
        num(&s["Ra"]),
        num(&s["cm"]),
        num(&s["g_pas"]),
        num(&s["e_pas"]),
    );
    std::fs::write(dir.join("cells.hoc"), template).expect("cells.hoc");
    dir
}

#[test]
fn a_user_gap_with_a_vgap_gate_matches_neuron_through_the_tuner() {
    let doc: Value = support::load("gap_gated.json");
    assert!(
        num(&doc["v_init"]) == -70.0,
        "the tuner initialises at -70 mV"
    );
    assert!(num(&doc["secondorder"]) == 0.0);
    let dir = user_model(&doc);
    let stim = &doc["iclamp"];
    let settings = json!({
        "mechanisms_dir": dir.join("mechanisms"),
        "templates_dir": dir.join("cells.hoc"),
        "general_settings": {
            "tstart": num(&stim["delay"]), "tdur": num(&stim["dur"]), "dt": num(&doc["dt"]),
            "celsius": num(&doc["celsius"]), "iclamp_amp": num(&stim["amp"]),
        },
        "conn_type_settings": {"gated": {
            "cell": "GatedSoma", "sec_id": 0, "sec_x": 0.5,
            "spec_syn_param": doc["gapgate"].clone(),
        }},
    });
    let path = dir.join("gap.json");
    let text = settings.to_string();
    let settings = GapTunerSettings::from_json(&text, &path).expect("gap settings");
    let tuner = GapJunctionTuner::from_settings(&settings, &path, None).expect("gap tuner");
    let nsteps = num(&doc["nsteps"]) as usize;
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 2);
    for run in runs {
        let g = num(&run["g"]);
        let ours = tuner.run(g).expect("gap run");
        assert!(ours.t.len() > nsteps, "the tuner's run covers NEURON's");
        let trace = |probe: &str| {
            let t = run["traces"]
                .as_array()
                .expect("traces")
                .iter()
                .find(|t| t["probe"] == probe)
                .unwrap_or_else(|| panic!("no {probe} in gap_gated.json"));
            samples(t)
        };
        // the gate moves: its state follows the transferred voltage
        let s2 = trace("gap2 s");
        let s_span = s2.iter().map(|p| (p.1 - s2[0].1).abs()).fold(0.0, f64::max);
        assert!(s_span > 0.1, "gate of cell 2 moves by {s_span}");
        let mut worst = 0.0f64;
        let mut v2_rise = 0.0f64;
        for (probe, v) in [("v soma1(0.5)", &ours.v1), ("v soma2(0.5)", &ours.v2)] {
            for (step, theirs) in trace(probe) {
                assert!((ours.t[step] - step as f64 * num(&doc["dt"])).abs() < 1e-9);
                worst = worst.max((v[step] - theirs).abs());
                if probe == "v soma2(0.5)" {
                    v2_rise = v2_rise.max(theirs - num(&doc["v_init"]));
                }
            }
        }
        println!("gated Gap g = {g:e} uS: cell 2 rises {v2_rise:.3} mV, |dV| {worst:.2e} mV");
        assert!(v2_rise > 1.0, "the junction carries the step: {v2_rise} mV");
        assert!(
            worst < 1e-3,
            "g = {g}: voltages differ from NEURON 9.0.2 by {worst} mV"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
