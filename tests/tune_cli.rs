//! `neurite tune`: the built-in example, bad settings, plots and the gap tuner,
//! through the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn neurite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_neurite"))
        .args(args)
        .output()
        .expect("the neurite binary runs")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("neurite-tune-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn json(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).expect("one JSON object on stdout")
}

#[test]
fn the_built_in_example_prints_bmtools_keys() {
    let out = neurite(&["tune", "synapse"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    for key in [
        "amp",
        "latency",
        "rise_time",
        "decay_time",
        "half_width",
        "integral",
    ] {
        assert!(v[key].is_number(), "{key} in {v}");
    }
    assert_eq!(v["amplitudes"].as_array().map(Vec::len), Some(12));
    assert_eq!(v["connection"], "exc");
    assert!((v["latency"].as_f64().unwrap_or(0.0) - 1.35).abs() < 1e-9);
}

fn write_settings(dir: &Path, general: &str) -> PathBuf {
    let path = dir.join("settings.json");
    let text = format!(
        r#"{{"mechanisms_dir": "{m}", "templates_dir": "{t}", "metrics": "bmtool",
            "general_settings": {general},
            "conn_type_settings": {{"inh": {{"spec_settings": {{"post_cell": "NeuritePassive",
              "vclamp_amp": -40.0, "sec_id": 0, "level_of_detail": "GABA_A_STP"}},
              "spec_syn_param": {{"initW": 1.5, "tau_d_GABAA": 8.0, "Use": 0.6, "Dep": 300.0}}}}}}}}"#,
        m = repo().join("mod_files").display(),
        t = repo().join("templates/neurite_cells.hoc").display(),
    );
    std::fs::write(&path, text).expect("settings written");
    path
}

#[test]
fn a_bad_key_names_the_key_and_the_file() {
    let dir = scratch("badkey");
    let path = write_settings(&dir, r#"{"tsart": 500}"#);
    let out = neurite(&["tune", "synapse", "--config", path.to_str().unwrap_or("")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tsart") && err.contains("tstart"), "{err}");
    assert!(err.contains("settings.json"), "{err}");
    assert!(out.stdout.is_empty());
    let missing = neurite(&["tune", "synapse", "--config", "/nonexistent/x.json"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/x.json"));
}

#[test]
fn plot_writes_a_valid_svg_and_nothing_on_failure() {
    let dir = scratch("plot");
    let path = write_settings(&dir, r#"{"tstart": 50, "tdur": 50}"#);
    let svg = dir.join("inh.svg");
    let out = neurite(&[
        "tune",
        "synapse",
        "--config",
        path.to_str().unwrap_or(""),
        "--plot",
        svg.to_str().unwrap_or(""),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(json(&out)["amp"].is_number());
    let bad = dir.join("bad.svg");
    let out = neurite(&[
        "tune",
        "synapse",
        "--config",
        path.to_str().unwrap_or(""),
        "--frequencies",
        "10,abc",
        "--plot",
        bad.to_str().unwrap_or(""),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--frequencies"));
    assert!(!bad.exists());
}

#[test]
fn gap_reports_the_coupling_and_sweeps() {
    let dir = scratch("gap");
    let path = dir.join("gap.json");
    let text = format!(
        r#"{{"mechanisms_dir": "{m}", "templates_dir": "{t}", "metrics": "bmtool",
            "general_settings": {{"tstart": 500.0, "tdur": 500.0}},
            "conn_type_settings": {{"pas2pas_gj": {{"cell": "NeuritePassive"}}}}}}"#,
        m = repo().join("mod_files").display(),
        t = repo().join("templates/neurite_cells.hoc").display(),
    );
    std::fs::write(&path, text).expect("settings written");
    let config = path.to_str().unwrap_or("");
    let out = neurite(&["tune", "gap", "--config", config, "--conductance", "0.001"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    // bmtool 0.8.7's coupling coefficient at g = 1e-3 uS (tests/reference/data/bmtool_gap.json).
    let cc = v["cc"].as_f64().unwrap_or(0.0);
    assert!((cc - 0.2873471761364942).abs() < 1e-9 * 0.29, "{v}");
    assert_eq!(v["resistance_MOhm"], 0.001);
    let out = neurite(&[
        "tune",
        "gap",
        "--config",
        config,
        "--sweep",
        "0.001,0.002,2",
    ]);
    assert!(out.status.success());
    assert_eq!(json(&out)["sweep"].as_array().map(Vec::len), Some(2));
    let bad = neurite(&["tune", "gap", "--config", config, "--sweep", "1,0"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--sweep"));
}

#[test]
fn a_section_the_cell_lacks_is_an_error() {
    let dir = scratch("secid");
    let path = write_settings(&dir, "{}");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, text.replace("\"sec_id\": 0", "\"sec_id\": 7")).expect("rewritten");
    let out = neurite(&["tune", "synapse", "--config", path.to_str().unwrap_or("")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sec_id 7") && err.contains("NeuritePassive"),
        "{err}"
    );
}

#[test]
fn an_optimizer_file_with_an_unknown_metric_is_refused() {
    let dir = scratch("optimize");
    let path = write_settings(&dir, "{}");
    let spec = dir.join("fit.json");
    let text = r#"{"bounds": {"Use": [0.1, 0.9]}, "targets": {"inductoin": -0.3}}"#;
    std::fs::write(&spec, text).expect("optimizer file");
    let out = neurite(&[
        "tune",
        "synapse",
        "--config",
        path.to_str().unwrap_or(""),
        "--optimize",
        spec.to_str().unwrap_or(""),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fit.json") && err.contains("inductoin"),
        "{err}"
    );
}
