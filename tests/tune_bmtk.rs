//! `neurite tune synapse --config simulation_config.json`: the BMTK network of
//! `tests/data/bmtk_net/` (see its `make_network.py`) through the binary. The listed
//! names are bmtool 0.8.7's (`bmtool_connections.json`), and a connection tuned from
//! the config gives exactly the numbers of the same connection tuned from a
//! hand-written bmtool-style settings file (`handwritten/`). A biophysical post cell
//! (`ctdb:Biophys1.hoc`, aibs_perisomatic, bmtk's own morphology and fit from the
//! bmtk wheel) is built as bmtk builds it and tunes as bmtool does on bmtk's cell
//! (`biophys/`).

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn net_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/bmtk_net")
}

/// `neurite tune synapse ARGS`, run in the network's folder as a user would.
fn tune(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_neurite"))
        .current_dir(net_dir())
        .args(["tune", "synapse"])
        .args(args)
        .output()
        .expect("the neurite binary runs")
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

fn bmtool_names() -> Vec<Value> {
    let text = std::fs::read_to_string(net_dir().join("bmtool_connections.json"))
        .expect("bmtool_connections.json");
    let v: Value = serde_json::from_str(&text).expect("parses");
    v["connections"].as_array().expect("names").clone()
}

#[test]
fn without_a_connection_the_connections_are_listed_as_bmtool_names_them() {
    let v = json(&tune(&["--config", "simulation_config.json"]));
    let names: Vec<Value> = v["connections"]
        .as_array()
        .expect("connections")
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(names, bmtool_names());
    let pv2exc = &v["connections"][1];
    assert_eq!(pv2exc["synapse_type"], "GABA_A_STP");
    assert_eq!(pv2exc["post_cell"], "NeuritePassive");
    assert_eq!(
        (pv2exc["sec_id"].as_u64(), pv2exc["sec_x"].as_f64()),
        (Some(1), Some(0.25))
    );
}

/// Every key of `a` equals `b`'s, exactly.
fn same_report(a: &Value, b: &Value) {
    let a = a.as_object().expect("report");
    assert!(
        a.contains_key("amp") && a.contains_key("decay_time"),
        "{a:?}"
    );
    for (k, v) in a {
        assert_eq!(Some(v), b.get(k), "`{k}`");
    }
    assert_eq!(a.len(), b.as_object().map_or(0, |b| b.len()));
}

#[test]
fn a_connection_tunes_as_the_same_hand_written_settings() {
    let args = ["--connection", "PV2Exc"];
    let from_config = json(&tune(
        &[&["--config", "simulation_config.json"][..], &args].concat(),
    ));
    let by_hand = json(&tune(&["--config", "handwritten/PV2Exc.json"]));
    assert_eq!(from_config["connection"], "PV2Exc");
    same_report(&from_config, &by_hand);
}

#[test]
fn settings_naming_the_config_tune_in_bmtool_mode_as_bmtool_builds_the_connection() {
    // `connection`, `metrics` and `general_settings` from the settings file; the
    // synapse on the soma, where bmtool puts it (it ignores the edges' sec_id).
    let from_config = json(&tune(&[
        "--config",
        "tune_from_config_bmtool.json",
        "--train",
        "100",
    ]));
    let by_hand = json(&tune(&[
        "--config",
        "handwritten/Exc2PV_bmtool.json",
        "--train",
        "100",
    ]));
    assert_eq!(from_config["metrics"], "bmtool");
    same_report(&from_config, &by_hand);
}

#[test]
fn an_unknown_connection_names_the_config_and_the_nearest() {
    let out = tune(&[
        "--config",
        "simulation_config.json",
        "--connection",
        "Exc2Pv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("simulation_config.json: connection `Exc2Pv` is not in the BMTK network (did you mean `Exc2PV`?)"),
        "{err}"
    );
}

#[test]
fn table_without_a_connection_tunes_every_connection() {
    let out = tune(&["--config", "simulation_config.json", "--table"]);
    let v = json(&out);
    let rows = v["connections"].as_array().expect("rows");
    let names: Vec<Value> = rows.iter().map(|r| r["connection"].clone()).collect();
    assert_eq!(names, bmtool_names());
    for r in rows {
        assert!(r["amp"].as_f64().is_some_and(|a| a > 0.0), "{r}");
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Thal2Exc: Exp2Syn has no `initW`"), "{err}");
    let out = tune(&[
        "--config",
        "simulation_config.json",
        "--table",
        "--plot",
        "x.svg",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--plot: needs --connection NAME"));
}

/// bmtool 0.8.7's own SingleEvent (NEURON 8.2.4) on connections it built from the
/// same config (`single_event` in bmtool_connections.json), against `neurite tune
/// synapse` with `"metrics": "bmtool"` and the same general settings. The issue's
/// rule is 1e-3 relative and one dt; measured: amplitudes and the integral agree to
/// rounding (1e-9 asserted), times exactly, the decay fit to 2.5e-7 (1e-6 asserted).
#[test]
fn connections_from_the_config_agree_with_bmtools_single_event() {
    let text = std::fs::read_to_string(net_dir().join("bmtool_connections.json"))
        .expect("bmtool_connections.json");
    let reference: Value = serde_json::from_str(&text).expect("parses");
    let cases = reference["single_event"]["connections"]
        .as_object()
        .expect("single_event");
    assert_eq!(cases.len(), 2);
    for (name, theirs) in cases {
        let ours = json(&tune(&[
            "--config",
            "tune_bmtool_mode.json",
            "--connection",
            name,
        ]));
        let get = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
        for (k, rel) in [
            ("amp", 1e-9),
            ("integral", 1e-9),
            ("baseline", 1e-9),
            ("sign", 0.0),
            ("decay_time", 1e-6),
        ] {
            let (a, b) = (get(&ours, k), get(theirs, k));
            assert!(
                (a - b).abs() <= rel * b.abs().max(1e-12),
                "{name} {k}: neurite {a}, bmtool {b}"
            );
        }
        for k in ["latency", "rise_time", "half_width"] {
            let (a, b) = (get(&ours, k), get(theirs, k));
            assert!((a - b).abs() <= 1e-9, "{name} {k}: neurite {a}, bmtool {b}");
        }
    }
}

/// A config for `biophys/network` whose components are the bmtk wheel's
/// (morphologies, fits, channel mod files) plus Neurite's AMPA_NMDA_STP.mod.
fn biophys_config(dir: &Path) -> PathBuf {
    let bionet = support::pypi_package(support::BMTK).join("bmtk/utils/scripts/bionet");
    let mechanisms = dir.join("mechanisms");
    std::fs::create_dir_all(&mechanisms).expect("scratch");
    for f in std::fs::read_dir(bionet.join("mechanisms/modfiles")).expect("bmtk mod files") {
        let path = f.expect("entry").path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(name) = name.filter(|n| n.ends_with(".mod") && n != "vecevent.mod") {
            std::fs::copy(&path, mechanisms.join(name)).expect("copy");
        }
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        repo.join("mod_files/AMPA_NMDA_STP.mod"),
        mechanisms.join("AMPA_NMDA_STP.mod"),
    )
    .expect("copy");
    let net = net_dir().join("biophys/network");
    let file = |n: &str| net.join(n).display().to_string();
    let config = serde_json::json!({
        "manifest": {"$BASE_DIR": "${configdir}"},
        "run": {"dL": 20.0},
        "components": {
            "mechanisms_dir": "$BASE_DIR/mechanisms",
            "templates_dir": repo.join("templates"),
            "synaptic_models_dir": net_dir().join("components/synaptic_models"),
            "morphologies_dir": bionet.join("morphologies"),
            "biophysical_neuron_models_dir": bionet.join("biophysical_neuron_models"),
        },
        "networks": {
            "nodes": [
                {"nodes_file": file("bio_nodes.h5"), "node_types_file": file("bio_node_types.csv")},
                {"nodes_file": file("inp_nodes.h5"), "node_types_file": file("inp_node_types.csv")},
            ],
            "edges": [{"edges_file": file("inp_bio_edges.h5"),
                       "edge_types_file": file("inp_bio_edge_types.csv")}],
        },
    });
    let path = dir.join("simulation_config.json");
    std::fs::write(&path, config.to_string()).expect("write config");
    path
}

/// bmtool 0.8.7's SingleEvent on the cells bmtk builds for `ctdb:Biophys1.hoc`
/// nodes, aibs_perisomatic and aibs_allactive (`biophys/bmtool_biophys.json`, made
/// by `biophys/make_biophys.py`), against `neurite tune synapse` on the same
/// network's config, `"metrics": "bmtool"`. (With the soma clamped, the two
/// processings' axon stubs differ by 2e-9 in `amp`; each result must be nearer its
/// own processing's.)
#[test]
fn a_biophysical_post_cell_is_built_as_bmtk_builds_it() {
    let dir = std::env::temp_dir().join(format!("neurite-tune-bmtk-bio-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = biophys_config(&dir);
    let text = std::fs::read_to_string(net_dir().join("biophys/bmtool_biophys.json"))
        .expect("bmtool_biophys.json");
    let reference: Value = serde_json::from_str(&text).expect("parses");
    let settings = serde_json::json!({
        "config": config,
        "metrics": "bmtool",
        "general_settings": reference["general_settings"],
    });
    let settings_file = dir.join("tune.json");
    std::fs::write(&settings_file, settings.to_string()).expect("write settings");
    let listed = json(&tune(&["--config", &config.display().to_string()]));
    let cases = reference["connections"].as_object().expect("connections");
    let names: Vec<&str> = cases.keys().map(String::as_str).collect();
    let listed_names: Vec<&str> = listed["connections"]
        .as_array()
        .expect("listed")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(listed_names, names);
    for (name, case) in cases {
        assert_eq!(
            listed["connections"][0]["post_cell"],
            case["bmtool_post_cell"]
        );
        let ours = json(&tune(&[
            "--config",
            &settings_file.display().to_string(),
            "--connection",
            name,
        ]));
        let theirs = &case["single_event"];
        let get = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
        // NEURON's define_shape gives the allactive stub 3-D points, which hold its
        // diameter in single precision (0.56975800260 -> 0.56975799799); Neurite's
        // define_shape leaves sections without points alone: 1.2e-9 in `amp`.
        let close = if case["model_processing"] == "aibs_allactive" {
            5e-9
        } else {
            1e-9
        };
        let other = cases
            .values()
            .find(|c| c["model_processing"] != case["model_processing"])
            .map(|c| get(&c["single_event"], "amp"))
            .unwrap_or(f64::NAN);
        let amp = get(&ours, "amp");
        assert!(
            (amp - get(theirs, "amp")).abs() < (amp - other).abs(),
            "{name}: nearer the other processing's amp"
        );
        for (k, rel) in [
            ("amp", close),
            ("integral", close),
            ("baseline", close),
            ("decay_time", 1e-6),
            ("latency", 1e-9),
            ("rise_time", 1e-9),
            ("half_width", 1e-9),
        ] {
            let (a, b) = (get(&ours, k), get(theirs, k));
            assert!(
                (a - b).abs() <= rel * b.abs().max(1e-12),
                "{name} ({}) {k}: neurite {a}, bmtool {b}",
                case["model_processing"]
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
