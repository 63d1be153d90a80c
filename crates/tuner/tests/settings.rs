//! Settings as bmtool users write them: defaults, the reference settings, and a clear
//! error (key, file, nearest valid name) for each kind of mistake.

mod support;

use neurite_tuner::catalog::load_catalog;
use neurite_tuner::settings::{
    validate_gap, validate_synapse, GapTunerSettings, GeneralSettings, ModelCatalog, SettingsError,
    SynapseTunerSettings,
};
use neurite_tuner::MetricsMode;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// A settings file placed at the repository root, so `mod_files` and `templates/`
/// resolve as in the reference settings.
fn at_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tune.json")
}

/// The repository's mechanisms and templates, read once.
fn root_catalog() -> &'static ModelCatalog {
    static CATALOG: std::sync::OnceLock<ModelCatalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        load_catalog(
            &root.join("mod_files"),
            &root.join("templates/neurite_cells.hoc"),
        )
        .expect("catalog")
    })
}

fn exc_settings() -> serde_json::Value {
    let file: support::SynapseFile = support::load("bmtool_synapse_exc.json");
    file.settings
}

fn parse(value: &serde_json::Value) -> Result<SynapseTunerSettings, SettingsError> {
    SynapseTunerSettings::from_json(&value.to_string(), &at_root())
}

fn check(value: &serde_json::Value) -> Result<SynapseTunerSettings, SettingsError> {
    let s = parse(value)?;
    validate_synapse(&s, &at_root(), root_catalog())?;
    Ok(s)
}

fn message(e: SettingsError) -> String {
    let text = e.to_string();
    assert!(text.contains("tune.json"), "the file is named: {text}");
    text
}

#[test]
fn defaults_are_bmtools() {
    let g = GeneralSettings::default();
    assert_eq!(g.rise_interval, (0.1, 0.9));
    assert_eq!(
        (g.tstart, g.tdur, g.threshold, g.delay),
        (500.0, 100.0, -15.0, 1.3)
    );
    assert_eq!(
        (g.weight, g.dt, g.celsius, g.vclamp),
        (1.0, 0.025, 20.0, false)
    );
    let s = SynapseTunerSettings::from_json("{}", &at_root()).expect("empty settings");
    assert_eq!(s.current_name, "i");
    assert_eq!(s.metrics, MetricsMode::Correct);
    let gap = GapTunerSettings::from_json("{}", &at_root()).expect("empty gap settings");
    let gg = gap.general_settings;
    assert_eq!(
        (gg.tstart, gg.tdur, gg.dt, gg.celsius),
        (500.0, 500.0, 0.025, 20.0)
    );
    assert_eq!(gg.iclamp_amp, -0.01);
}

#[test]
fn reference_settings_validate_against_our_files() {
    let s = check(&exc_settings()).expect("valid");
    assert_eq!(s.selected_connection(&at_root()).expect("one"), "exc");
    let spec = &s.conn_type_settings["exc"].spec_settings;
    assert_eq!((spec.sec_id, spec.sec_x, spec.vclamp_amp), (1, 0.5, -70.0));
    let mut bm = exc_settings();
    bm["metrics"] = "bmtool".into();
    assert_eq!(check(&bm).expect("valid").metrics, MetricsMode::Bmtool);
}

#[test]
fn unknown_keys_name_the_nearest() {
    let mut v = exc_settings();
    v["general_settings"]["tsart"] = 1.0.into();
    let e = message(parse(&v).expect_err("unknown key"));
    assert!(
        e.contains("`tsart`") && e.contains("general_settings"),
        "{e}"
    );
    assert!(e.contains("did you mean `tstart`"), "{e}");

    let mut v = exc_settings();
    v["mechanism_dir"] = "mod_files".into();
    let e = message(parse(&v).expect_err("unknown key"));
    assert!(e.contains("did you mean `mechanisms_dir`"), "{e}");

    let mut v = exc_settings();
    v["conn_type_settings"]["exc"]["spec_settings"]["post_cel"] = "x".into();
    let e = message(parse(&v).expect_err("unknown key"));
    assert!(e.contains("conn_type_settings.exc.spec_settings"), "{e}");
    assert!(e.contains("did you mean `post_cell`"), "{e}");
}

#[test]
fn wrong_types_and_missing_keys_name_the_key() {
    let mut v = exc_settings();
    v["general_settings"]["tstart"] = "soon".into();
    let e = message(parse(&v).expect_err("type"));
    assert!(e.contains("general_settings.tstart"), "{e}");

    let mut v = exc_settings();
    let spec = v["conn_type_settings"]["exc"]["spec_settings"]
        .as_object_mut()
        .expect("object");
    spec.remove("post_cell");
    let e = message(parse(&v).expect_err("missing"));
    assert!(
        e.contains("spec_settings.post_cell") && e.contains("missing"),
        "{e}"
    );

    let mut v = exc_settings();
    v["general_settings"]["rise_interval"] = serde_json::json!([0.9, 0.1]);
    let e = message(check(&v).expect_err("range"));
    assert!(e.contains("rise_interval"), "{e}");
}

#[test]
fn missing_templates_mechanisms_and_parameters() {
    let mut v = exc_settings();
    v["conn_type_settings"]["exc"]["spec_settings"]["post_cell"] = "NeuritePasive".into();
    let e = message(check(&v).expect_err("template"));
    assert!(
        e.contains("neurite_cells.hoc") && e.contains("did you mean `NeuritePassive`"),
        "{e}"
    );

    let mut v = exc_settings();
    v["conn_type_settings"]["exc"]["spec_settings"]["level_of_detail"] = "AMPA_NMDA_SPT".into();
    let e = message(check(&v).expect_err("mechanism"));
    assert!(
        e.contains("mod_files") && e.contains("did you mean `AMPA_NMDA_STP`"),
        "{e}"
    );

    let mut v = exc_settings();
    v["conn_type_settings"]["exc"]["spec_syn_param"]["tau_d_AMPAA"] = 2.0.into();
    let e = message(check(&v).expect_err("parameter"));
    assert!(
        e.contains("AMPA_NMDA_STP.mod") && e.contains("did you mean `tau_d_AMPA`"),
        "{e}"
    );

    let mut v = exc_settings();
    v["other_vars_to_record"] = serde_json::json!(["record_Pr", "record_us"]);
    let e = message(check(&v).expect_err("variable"));
    assert!(e.contains("did you mean `record_use`"), "{e}");

    let mut v = exc_settings();
    v["mechanisms_dir"] = "no_such_dir".into();
    let e = message(check(&v).expect_err("path"));
    assert!(
        e.contains("mechanisms_dir") && e.contains("no_such_dir"),
        "{e}"
    );
}

#[test]
fn connection_choice() {
    let mut v = exc_settings();
    v["connection"] = "exx".into();
    let e = message(check(&v).expect_err("connection"));
    assert!(e.contains("did you mean `exc`"), "{e}");
    let mut two = exc_settings();
    two["conn_type_settings"]["inh"] = two["conn_type_settings"]["exc"].clone();
    two.as_object_mut().expect("object").remove("connection");
    let e = message(check(&two).expect_err("ambiguous"));
    assert!(e.contains("`connection` is required"), "{e}");
}

#[test]
fn builtin_aliases_resolve_as_in_bmtool() {
    let mut v = exc_settings();
    let conn = &mut v["conn_type_settings"]["exc"];
    conn["spec_settings"]["level_of_detail"] = "exp2syn".into();
    conn["spec_syn_param"] = serde_json::json!({"tau1": 0.5, "tau2": 3.0, "e": 0.0});
    check(&v).expect("exp2syn is Exp2Syn");
    let catalog = root_catalog();
    let found = catalog
        .find_mechanism("ampa_nmda_stp")
        .expect("case-insensitive");
    assert_eq!(found.name, "AMPA_NMDA_STP");
}

#[test]
fn gap_settings_validate() {
    let file: support::GapFile = support::load("bmtool_gap.json");
    let _ = file.dt;
    let text = r#"{
        "mechanisms_dir": "mod_files",
        "templates_dir": "templates/neurite_cells.hoc",
        "general_settings": {"tstart": 500.0, "tdur": 500.0, "iclamp_amp": -0.01},
        "conn_type_settings": {"pas2pas_gj": {"cell": "NeuritePassive", "sec_id": 0, "sec_x": 0.5}},
        "conductances_uS": [0.0001, 0.001, 0.01]
    }"#;
    let s = GapTunerSettings::from_json(text, &at_root()).expect("gap settings");
    validate_gap(&s, &at_root(), root_catalog()).expect("valid");
    assert_eq!(
        s.selected_connection(&at_root()).expect("first"),
        "pas2pas_gj"
    );
    let bad = text.replace("\"cell\"", "\"cel\"");
    let e = message(GapTunerSettings::from_json(&bad, &at_root()).expect_err("typo"));
    assert!(e.contains("did you mean `cell`"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn no_input_panics(text in ".{0,200}") {
        let _ = SynapseTunerSettings::from_json(&text, &at_root());
        let _ = GapTunerSettings::from_json(&text, &at_root());
    }

    #[test]
    fn no_json_value_panics(tstart in proptest::num::f64::ANY, key in "[a-z_]{1,12}") {
        let mut v = exc_settings();
        v["general_settings"]["tstart"] = serde_json::json!(tstart);
        v["conn_type_settings"]["exc"]["spec_syn_param"][key] = 1.0.into();
        if let Ok(s) = parse(&v) {
            let _ = validate_synapse(&s, &at_root(), root_catalog());
        }
    }
}

#[test]
fn json_folder_updates_spec_syn_param() {
    let dir = std::env::temp_dir().join(format!("neurite-tuner-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let update = r#"{"Use": 0.7, "level_of_detail": "AMPA_NMDA_STP"}"#;
    std::fs::write(dir.join("exc.json"), update).expect("write");
    let mut v = exc_settings();
    v["json_folder_path"] = dir.display().to_string().into();
    let mut two = v.clone();
    two["conn_type_settings"]["other"] = two["conn_type_settings"]["exc"].clone();
    let mut s = parse(&two).expect("settings");
    let done = s.apply_json_folder(&at_root()).expect("applied");
    assert_eq!(s.conn_type_settings["exc"].spec_syn_param["Use"], 0.7);
    assert_eq!(s.conn_type_settings["other"].spec_syn_param["Use"], 0.3);
    assert_eq!(done.missing, vec!["other".to_string()]);
    assert_eq!(done.skipped, vec!["exc.level_of_detail".to_string()]);
    std::fs::write(dir.join("exc.json"), "[1, 2]").expect("write");
    let e = parse(&v).expect("settings").apply_json_folder(&at_root());
    assert!(e
        .expect_err("not an object")
        .to_string()
        .contains("exc.json"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A BMTK layout: simulation config → circuit config → components, with manifest
/// variables, as bmtool's `load_templates_from_config` reads it.
#[test]
fn bmtk_config_names_the_components() {
    use neurite_tuner::catalog::catalog_for;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("neurite-tuner-bmtk-{}", std::process::id()));
    let mods = dir.join("components/mechanisms/modfiles");
    let templates = dir.join("components/templates");
    std::fs::create_dir_all(&mods).expect("dirs");
    std::fs::create_dir_all(&templates).expect("dirs");
    for name in ["AMPA_NMDA_STP.mod", "Gap.mod"] {
        std::fs::copy(root.join("mod_files").join(name), mods.join(name)).expect("copy");
    }
    let hoc = root.join("templates/neurite_cells.hoc");
    std::fs::copy(hoc, templates.join("neurite_cells.hoc")).expect("copy");
    let sim = r#"{"manifest": {"$BASE_DIR": "${configdir}"},
                  "network": "$BASE_DIR/circuit_config.json",
                  "run": {"tstop": 100.0}}"#;
    let circuit = r#"{"manifest": {"$BASE_DIR": "${configdir}",
                                   "$COMPONENTS_DIR": "$BASE_DIR/components"},
                      "components": {"mechanisms_dir": "$COMPONENTS_DIR/mechanisms",
                                     "templates_dir": "${COMPONENTS_DIR}/templates"}}"#;
    std::fs::write(dir.join("simulation_config.json"), sim).expect("write");
    std::fs::write(dir.join("circuit_config.json"), circuit).expect("write");
    let config = dir.join("simulation_config.json");
    let found = neurite_tuner::bmtk::components(&config).expect("components");
    assert_eq!(found.templates_dir, dir.join("components/templates"));
    let catalog = catalog_for(None, None, Some(&config)).expect("catalog");
    assert!(catalog.find_mechanism("AMPA_NMDA_STP").is_some());
    assert!(catalog.templates.contains(&"NeuritePassive".to_string()));
    let broken = r#"{"manifest": {"$A": "$B", "$B": "$A"}}"#;
    std::fs::write(dir.join("simulation_config.json"), broken).expect("write");
    let e = neurite_tuner::bmtk::components(&config).expect_err("cycle");
    assert!(
        e.to_string()
            .contains("unable to resolve manifest variables"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
