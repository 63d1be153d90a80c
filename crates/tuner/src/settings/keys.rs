//! The keys each section of a settings file accepts, checked before deserialising so
//! that an unknown or missing key is reported with its section, the file and the
//! nearest valid key.

use super::error::{nearest, SettingsError};
use super::{ConnTypeSettings, GapConnSettings, GapGeneralSettings, GeneralSettings};
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

const SYNAPSE_TOP: &[&str] = &[
    "mechanisms_dir",
    "templates_dir",
    "config",
    "network",
    "connection",
    "current_name",
    "other_vars_to_record",
    "slider_vars",
    "json_folder_path",
    "general_settings",
    "conn_type_settings",
    "metrics",
];
const GAP_TOP: &[&str] = &[
    "mechanisms_dir",
    "templates_dir",
    "config",
    "connection",
    "general_settings",
    "conn_type_settings",
    "conductances_uS",
    "metrics",
];
const GENERAL: &[&str] = &[
    "vclamp",
    "rise_interval",
    "tstart",
    "tdur",
    "threshold",
    "delay",
    "weight",
    "dt",
    "celsius",
];
const GAP_GENERAL: &[&str] = &["tstart", "tdur", "dt", "celsius", "iclamp_amp", "vclamp"];
const CONN: &[&str] = &["spec_settings", "spec_syn_param"];
const CONN_REQUIRED: &[&str] = &["spec_settings"];
const SPEC: &[&str] = &[
    "post_cell",
    "vclamp_amp",
    "sec_x",
    "sec_id",
    "level_of_detail",
    "dynamics_params_file",
];
const SPEC_REQUIRED: &[&str] = &["post_cell", "level_of_detail"];
const GAP_CONN: &[&str] = &[
    "cell",
    "sec_id",
    "sec_x",
    "iclamp_amp",
    "vclamp_amp",
    "spec_syn_param",
];
const GAP_CONN_REQUIRED: &[&str] = &["cell"];

/// Checks every key of a synapse-tuner settings value.
pub(super) fn check_synapse(value: &Value, path: &Path) -> Result<(), SettingsError> {
    check_object(value, "the settings file", SYNAPSE_TOP, &[], path)?;
    if let Some(general) = value.get("general_settings") {
        check_object(general, "general_settings", GENERAL, &[], path)?;
    }
    for (name, conn) in connections(value, path)? {
        let section = format!("conn_type_settings.{name}");
        check_object(conn, &section, CONN, CONN_REQUIRED, path)?;
        if let Some(spec) = conn.get("spec_settings") {
            let section = format!("{section}.spec_settings");
            check_object(spec, &section, SPEC, SPEC_REQUIRED, path)?;
        }
    }
    Ok(())
}

/// Checks every key of a gap-junction-tuner settings value.
pub(super) fn check_gap(value: &Value, path: &Path) -> Result<(), SettingsError> {
    check_object(value, "the settings file", GAP_TOP, &[], path)?;
    if let Some(general) = value.get("general_settings") {
        check_object(general, "general_settings", GAP_GENERAL, &[], path)?;
    }
    for (name, conn) in connections(value, path)? {
        let section = format!("conn_type_settings.{name}");
        check_object(conn, &section, GAP_CONN, GAP_CONN_REQUIRED, path)?;
    }
    Ok(())
}

fn connections<'a>(
    value: &'a Value,
    path: &Path,
) -> Result<Vec<(&'a String, &'a Value)>, SettingsError> {
    match value.get("conn_type_settings") {
        None => Ok(Vec::new()),
        Some(Value::Object(map)) => Ok(map.iter().collect()),
        Some(_) => Err(not_an_object("conn_type_settings", path)),
    }
}

fn not_an_object(key: &str, path: &Path) -> SettingsError {
    SettingsError::Invalid {
        path: path.to_path_buf(),
        key: key.into(),
        message: "must be a JSON object".into(),
    }
}

fn check_object(
    value: &Value,
    section: &str,
    allowed: &[&str],
    required: &[&str],
    path: &Path,
) -> Result<(), SettingsError> {
    let Value::Object(map) = value else {
        return Err(not_an_object(section, path));
    };
    if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(SettingsError::UnknownKey {
            path: path.to_path_buf(),
            section: section.to_string(),
            key: key.clone(),
            suggestion: nearest(key, allowed.iter().copied()),
        });
    }
    match required.iter().find(|k| !map.contains_key(**k)) {
        Some(key) => Err(SettingsError::Invalid {
            path: path.to_path_buf(),
            key: format!("{section}.{key}"),
            message: "is required but missing".into(),
        }),
        None => Ok(()),
    }
}

/// Finds the section of a synapse settings value that does not deserialise.
pub(super) fn explain_synapse(value: &Value, path: &Path) -> Option<SettingsError> {
    explain_general::<GeneralSettings>(value, path)
        .or_else(|| explain_connections::<ConnTypeSettings>(value, path))
}

/// Finds the section of a gap settings value that does not deserialise.
pub(super) fn explain_gap(value: &Value, path: &Path) -> Option<SettingsError> {
    explain_general::<GapGeneralSettings>(value, path)
        .or_else(|| explain_connections::<GapConnSettings>(value, path))
}

fn explain_general<T: for<'de> Deserialize<'de>>(
    value: &Value,
    path: &Path,
) -> Option<SettingsError> {
    let general = value.get("general_settings")?;
    let map = general.as_object()?;
    for (key, v) in map {
        let single = Value::Object([(key.clone(), v.clone())].into_iter().collect());
        if let Err(e) = serde_json::from_value::<T>(single) {
            return Some(invalid(&format!("general_settings.{key}"), &e, path));
        }
    }
    None
}

fn explain_connections<T: for<'de> Deserialize<'de>>(
    value: &Value,
    path: &Path,
) -> Option<SettingsError> {
    let map = value.get("conn_type_settings")?.as_object()?;
    map.iter().find_map(|(name, conn)| {
        serde_json::from_value::<T>(conn.clone())
            .err()
            .map(|e| invalid(&format!("conn_type_settings.{name}"), &e, path))
    })
}

fn invalid(key: &str, e: &serde_json::Error, path: &Path) -> SettingsError {
    SettingsError::Invalid {
        path: path.to_path_buf(),
        key: key.to_string(),
        message: format!("is invalid: {e}"),
    }
}
