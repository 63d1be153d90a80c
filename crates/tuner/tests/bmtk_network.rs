//! A BMTK network's connections against bmtool 0.8.7's: the network in
//! `tests/data/bmtk_net/` (made by its `make_network.py` with bmtk 1.2.0's
//! NetworkBuilder) and what bmtool built from it (`bmtool_connections.json`, written by
//! the same script): the connection names in bmtool's order, per network, and every
//! connection's settings. Then the errors: each names the file and the key.

use neurite_tuner::bmtk::{self, connections, BmtkError};
use neurite_tuner::settings::ConnTypeSettings;
use neurite_tuner::MetricsMode;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn net_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/bmtk_net")
}

fn config() -> PathBuf {
    net_dir().join("simulation_config.json")
}

fn bmtool() -> Value {
    let path = net_dir().join("bmtool_connections.json");
    let text = std::fs::read_to_string(&path).expect("bmtool_connections.json");
    serde_json::from_str(&text).expect("bmtool_connections.json parses")
}

fn names(mode: MetricsMode, network: Option<&str>) -> Vec<String> {
    connections(&config(), network, mode)
        .expect("the network reads")
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a name").to_string())
        .collect()
}

#[test]
fn connection_names_are_bmtools() {
    let reference = bmtool();
    assert_eq!(reference["bmtool_version"], "0.8.7");
    let expected = strings(&reference["connections"]);
    assert_eq!(
        expected,
        ["Exc2PV", "PV2Exc", "Exc2PV_type_102", "Thal2Exc", "Thal2PV"],
        "the stored list"
    );
    for mode in [MetricsMode::Bmtool, MetricsMode::Correct] {
        assert_eq!(names(mode, None), expected, "{mode:?}");
    }
    for (network, list) in reference["networks"].as_object().expect("networks") {
        assert_eq!(
            names(MetricsMode::Bmtool, Some(network)),
            strings(list),
            "{network}"
        );
    }
}

/// bmtool's stored settings of every connection, as Neurite's type.
fn bmtool_settings() -> BTreeMap<String, ConnTypeSettings> {
    serde_json::from_value(bmtool()["conn_type_settings"].clone())
        .expect("bmtool's conn_type_settings read as Neurite's settings")
}

#[test]
fn bmtool_mode_settings_equal_bmtools() {
    let expected = bmtool_settings();
    let found = connections(&config(), None, MetricsMode::Bmtool).expect("network");
    assert_eq!(found.len(), expected.len());
    for c in &found {
        assert_eq!(c.settings, expected[&c.name], "{}", c.name);
    }
    // What the settings came from: the dynamics file, the CSV's syn_weight, the
    // HDF5 file's per-edge syn_weight where the CSV has NULL, afferent_section_*.
    let pv2exc = &expected["PV2Exc"];
    assert_eq!(pv2exc.spec_settings.sec_id, 1);
    assert_eq!(pv2exc.spec_settings.sec_x, 0.25);
    assert_eq!(pv2exc.spec_syn_param["initW"], 1.0);
    assert_eq!(pv2exc.spec_syn_param["tau_d_GABAA"], 8.0);
    assert_eq!(expected["Exc2PV_type_102"].spec_syn_param["initW"], 3.0);
    assert_eq!(expected["Exc2PV"].spec_syn_param["initW"], 1.0);
    // virt_to_net: the HDF5 group's text `model_template` over the CSV's `Exp2Syn`,
    // its `dynamics_params/<name>` values.
    let thal2pv = &expected["Thal2PV"];
    assert_eq!(thal2pv.spec_settings.level_of_detail, "exp2syn");
    assert_eq!(thal2pv.spec_syn_param["tau2"], 5.0);
    assert_eq!(thal2pv.spec_syn_param["initW"], 0.002);
    let exc2pv = found.iter().find(|c| c.name == "Exc2PV").expect("Exc2PV");
    assert_eq!((exc2pv.edges, exc2pv.delay), (6, Some(2.0)));
    assert_eq!(
        (exc2pv.source_pop.as_str(), exc2pv.target_pop.as_str()),
        ("Exc", "PV")
    );
}

#[test]
fn correct_mode_places_synapses_at_bmtks_sec_id_and_sec_x() {
    let expected = bmtool_settings();
    let found = connections(&config(), None, MetricsMode::Correct).expect("network");
    for c in &found {
        let mut want = expected[&c.name].clone();
        if c.name == "Exc2PV" {
            // The edges carry BMTK's `sec_id`/`sec_x`, which bmtool does not read.
            assert_eq!(
                (want.spec_settings.sec_id, want.spec_settings.sec_x),
                (0, 0.5)
            );
            want.spec_settings.sec_id = 1;
            want.spec_settings.sec_x = 0.75;
        }
        assert_eq!(c.settings, want, "{}", c.name);
    }
}

#[test]
fn tuner_settings_leave_out_what_the_mechanism_lacks() {
    let net = bmtk::settings_for_config(&config()).expect("settings");
    assert_eq!(
        net.names(),
        ["Exc2PV", "PV2Exc", "Exc2PV_type_102", "Thal2Exc", "Thal2PV"]
    );
    let thal = &net.settings.conn_type_settings["Thal2Exc"];
    assert!(thal.spec_syn_param.is_empty(), "{thal:?}");
    let warnings = net.warnings_for(Some("Thal2Exc"));
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("Exp2Syn has no `initW`"),
        "{warnings:?}"
    );
    assert!(net.warnings_for(Some("PV2Exc")).is_empty());
    let one = net.for_connection("PV2Exc").expect("PV2Exc");
    assert_eq!(
        one.conn_type_settings.keys().collect::<Vec<_>>(),
        ["PV2Exc"]
    );
    assert_eq!(one.connection.as_deref(), Some("PV2Exc"));
}

#[test]
fn an_unknown_connection_is_named_with_the_nearest() {
    let net = bmtk::settings_for_config(&config()).expect("settings");
    let e = net.for_connection("PV2Ecx").expect_err("unknown");
    let text = e.to_string();
    assert!(text.contains("simulation_config.json"), "{text}");
    assert!(text.contains("did you mean `PV2Exc`?"), "{text}");
    assert!(
        text.contains("Exc2PV, PV2Exc, Exc2PV_type_102, Thal2Exc, Thal2PV"),
        "{text}"
    );
}

/// A scratch folder with a config whose networks are the test network's files,
/// `edit` applied to the circuit part.
fn broken(name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("neurite-bmtk-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch");
    let net = net_dir().canonicalize().expect("network folder");
    let text = std::fs::read_to_string(net.join("circuit_config.json")).expect("circuit");
    let mut circuit: Value = serde_json::from_str(&text).expect("circuit parses");
    circuit["manifest"]["$BASE_DIR"] = Value::String(net.display().to_string());
    edit(&mut circuit);
    let path = dir.join("simulation_config.json");
    std::fs::write(&path, circuit.to_string()).expect("write");
    path
}

fn error_of(config: &Path) -> String {
    let e: BmtkError = connections(config, None, MetricsMode::Correct).expect_err("an error");
    e.to_string()
}

#[test]
fn a_missing_file_names_the_config_and_the_key() {
    let config = broken("missing", |c| {
        c["networks"]["edges"][1]["edges_file"] = "$NETWORK_DIR/nowhere_edges.h5".into();
    });
    let text = error_of(&config);
    assert!(text.contains(&config.display().to_string()), "{text}");
    assert!(text.contains("`networks.edges[1].edges_file`"), "{text}");
    assert!(text.contains("nowhere_edges.h5"), "{text}");
}

#[test]
fn an_unknown_manifest_variable_names_the_key() {
    let config = broken("variable", |c| {
        c["networks"]["nodes"][0]["nodes_file"] = "$NETWORKDIR/net_nodes.h5".into();
    });
    let text = error_of(&config);
    assert!(
        text.contains("`networks.nodes[0].nodes_file` uses the manifest variable `$NETWORKDIR`"),
        "{text}"
    );
    let config = broken("cycle", |c| {
        c["manifest"]["$NETWORK_DIR"] = "$LOOP/network".into();
        c["manifest"]["$LOOP"] = "$NETWORK_DIR".into();
    });
    let text = error_of(&config);
    assert!(
        text.contains("unable to resolve manifest variables: LOOP, NETWORK_DIR"),
        "{text}"
    );
}

#[test]
fn a_missing_dynamics_file_names_the_synaptic_models_dir() {
    let config = broken("dynamics", |c| {
        c["components"]["synaptic_models_dir"] = "$BASE_DIR/network".into();
    });
    let text = error_of(&config);
    assert!(
        text.contains("`components.synaptic_models_dir (dynamics_params `Exc2PV.json`)`"),
        "{text}"
    );
}

#[test]
fn a_file_that_is_not_hdf5_names_the_file() {
    let config = broken("not_hdf5", |c| {
        c["networks"]["edges"][0]["edges_file"] = "$NETWORK_DIR/net_net_edge_types.csv".into();
    });
    let text = error_of(&config);
    assert!(
        text.contains("net_net_edge_types.csv: /: not a readable HDF5 file"),
        "{text}"
    );
    let config = broken("no_networks", |c| {
        c.as_object_mut().expect("object").remove("networks");
    });
    assert!(error_of(&config).contains("no `networks.nodes`"));
}

#[test]
fn an_unknown_network_lists_the_edge_populations() {
    let e = connections(&config(), Some("net_to_nett"), MetricsMode::Bmtool).expect_err("unknown");
    let text = e.to_string();
    assert!(
        text.contains("`network` = `net_to_nett` is not an edges population of the config (it has net_to_net, extnet_to_net, virt_to_net)"),
        "{text}"
    );
}

/// bmtool's `SynapseTuner(config=..., network=..., json_folder_path=...)`: one edges
/// population's connections, updated from `<connection>.json` files.
#[test]
fn settings_naming_the_config_take_its_network_and_json_folder() {
    let dir = std::env::temp_dir().join(format!("neurite-bmtk-{}-folder", std::process::id()));
    let folder = dir.join("tuned");
    std::fs::create_dir_all(&folder).expect("scratch");
    std::fs::write(
        folder.join("PV2Exc.json"),
        r#"{"Use": 0.6, "tau_d_GABAA": 12.0, "note": "by hand"}"#,
    )
    .expect("write");
    let file = dir.join("settings.json");
    let config = config().canonicalize().expect("config");
    let text = serde_json::json!({
        "config": config,
        "network": "net_to_net",
        "json_folder_path": "tuned",
        "metrics": "bmtool",
    });
    std::fs::write(&file, text.to_string()).expect("write");
    let settings =
        neurite_tuner::settings::SynapseTunerSettings::from_file(&file).expect("settings");
    let net = bmtk::complete_settings(settings, &file).expect("network");
    assert_eq!(net.names(), ["Exc2PV", "PV2Exc", "Exc2PV_type_102"]);
    let pv2exc = &net.settings.conn_type_settings["PV2Exc"];
    assert_eq!(pv2exc.spec_syn_param["Use"], 0.6);
    assert_eq!(pv2exc.spec_syn_param["tau_d_GABAA"], 12.0);
    assert_eq!(pv2exc.spec_syn_param["Dep"], 400.0);
    let warnings = net.warnings_for(Some("PV2Exc"));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`PV2Exc.note` is not a number")),
        "{warnings:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Damaged edges files (bytes flipped, files cut short) give an error or a reading,
/// never a panic.
#[test]
fn a_damaged_edges_file_is_never_a_panic() {
    let dir = net_dir().join("network");
    let bytes = std::fs::read(dir.join("net_net_edges.h5")).expect("edges file");
    let csv = dir.join("net_net_edge_types.csv");
    let tmp = std::env::temp_dir().join(format!("neurite-bmtk-{}-damaged.h5", std::process::id()));
    let mut errors = 0;
    for k in 0..300usize {
        let mut b = bytes.clone();
        let at = (k * 7919) % b.len();
        b[at] ^= 0xFF;
        if k % 3 == 0 {
            b.truncate((k * 104_729) % bytes.len());
        }
        std::fs::write(&tmp, &b).expect("write");
        match bmtk::sonata::read_edges(&tmp, &csv) {
            Err(e) => {
                errors += 1;
                assert!(e.to_string().contains("damaged.h5"), "{e}");
            }
            Ok(set) => assert!(!set.name.is_empty()),
        }
    }
    assert!(errors > 50, "{errors} errors");
    let _ = std::fs::remove_file(&tmp);
}
