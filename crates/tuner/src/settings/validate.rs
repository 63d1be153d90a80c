//! Checks of parsed settings: value ranges, paths, and names against the mechanisms
//! and templates the settings point at.
//!
//! The names come in as a [`ModelCatalog`], built by whoever read the mechanisms and
//! templates (Neurite's NMODL and HOC front ends); this module never reads a `.mod` or
//! `.hoc` file itself.

use super::error::{nearest, MechanismRef, SettingsError};
use super::{GapTunerSettings, GeneralSettings, SynapseTunerSettings};
use std::path::{Path, PathBuf};

/// What the settings may name in one mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct MechanismInfo {
    /// The POINT_PROCESS / SUFFIX name.
    pub name: String,
    /// The `.mod` file it comes from.
    pub file: PathBuf,
    /// A point process (a synapse can only be one).
    pub point_process: bool,
    /// Variables visible from HOC/Python: RANGE, GLOBAL, PARAMETER, STATE.
    pub variables: Vec<String>,
}

/// The mechanisms and templates available to the tuner.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelCatalog {
    /// Where the mechanisms were read from (for messages).
    pub mechanisms_source: PathBuf,
    pub mechanisms: Vec<MechanismInfo>,
    /// Where the templates were read from (for messages).
    pub templates_source: PathBuf,
    /// Template names (`begintemplate Name`).
    pub templates: Vec<String>,
}

impl ModelCatalog {
    /// bmtool's lookup of `level_of_detail`: its aliases for NEURON's built-ins, then
    /// the exact name, then a case-insensitive match.
    pub fn find_mechanism(&self, name: &str) -> Option<&MechanismInfo> {
        let resolved = match name.to_lowercase().as_str() {
            "exp2syn" => "Exp2Syn",
            "expsyn" => "ExpSyn",
            "alphasynapse" => "AlphaSynapse",
            _ => name,
        };
        let exact = self.mechanisms.iter().find(|m| m.name == resolved);
        exact.or_else(|| {
            self.mechanisms
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(resolved))
        })
    }

    fn has_template(&self, name: &str) -> bool {
        self.templates.iter().any(|t| t == name)
    }
}

/// Checks a synapse tuner's settings against `catalog`; `file` is the settings file.
pub fn validate_synapse(
    settings: &SynapseTunerSettings,
    file: &Path,
    catalog: &ModelCatalog,
) -> Result<(), SettingsError> {
    check_general(&settings.general_settings, file)?;
    check_sources(
        &settings.mechanisms_dir,
        &settings.templates_dir,
        &settings.config,
        file,
    )?;
    if let Some(dir) = &settings.json_folder_path {
        exists(dir, "json_folder_path", file)?;
    }
    settings.selected_connection(file)?;
    for (name, conn) in &settings.conn_type_settings {
        let at = |key: &str| format!("conn_type_settings.{name}.{key}");
        let spec = &conn.spec_settings;
        check_fraction(spec.sec_x, &at("spec_settings.sec_x"), file)?;
        check_template(
            &spec.post_cell,
            &at("spec_settings.post_cell"),
            file,
            catalog,
        )?;
        let key = at("spec_settings.level_of_detail");
        let mech = find_point_process(&spec.level_of_detail, &key, file, catalog)?;
        for param in conn.spec_syn_param.keys() {
            check_variable(mech, param, &at("spec_syn_param"), file)?;
        }
        check_variable(mech, &settings.current_name, "current_name", file)?;
        for var in &settings.other_vars_to_record {
            check_variable(mech, var, "other_vars_to_record", file)?;
        }
    }
    Ok(())
}

/// Checks a gap-junction tuner's settings against `catalog` (which must hold `Gap`).
pub fn validate_gap(
    settings: &GapTunerSettings,
    file: &Path,
    catalog: &ModelCatalog,
) -> Result<(), SettingsError> {
    let g = &settings.general_settings;
    positive(g.dt, "general_settings.dt", file)?;
    positive(g.tdur, "general_settings.tdur", file)?;
    non_negative(g.tstart, "general_settings.tstart", file)?;
    finite(g.iclamp_amp, "general_settings.iclamp_amp", file)?;
    check_sources(
        &settings.mechanisms_dir,
        &settings.templates_dir,
        &settings.config,
        file,
    )?;
    for (k, &c) in settings.conductances_us.iter().enumerate() {
        non_negative(c, &format!("conductances_uS[{k}]"), file)?;
    }
    settings.selected_connection(file)?;
    let gap = find_point_process("Gap", "the gap junction mechanism", file, catalog)?;
    for (name, conn) in &settings.conn_type_settings {
        let at = |key: &str| format!("conn_type_settings.{name}.{key}");
        check_fraction(conn.sec_x, &at("sec_x"), file)?;
        check_template(&conn.cell, &at("cell"), file, catalog)?;
        for param in conn.spec_syn_param.keys() {
            check_variable(gap, param, &at("spec_syn_param"), file)?;
        }
    }
    Ok(())
}

fn check_general(g: &GeneralSettings, file: &Path) -> Result<(), SettingsError> {
    positive(g.dt, "general_settings.dt", file)?;
    positive(g.tdur, "general_settings.tdur", file)?;
    non_negative(g.tstart, "general_settings.tstart", file)?;
    non_negative(g.delay, "general_settings.delay", file)?;
    finite(g.weight, "general_settings.weight", file)?;
    finite(g.threshold, "general_settings.threshold", file)?;
    finite(g.celsius, "general_settings.celsius", file)?;
    let (lo, hi) = g.rise_interval;
    if (0.0..1.0).contains(&lo) && lo < hi && hi <= 1.0 {
        Ok(())
    } else {
        Err(invalid(
            file,
            "general_settings.rise_interval",
            format!("must be two fractions 0 <= a < b <= 1, got [{lo}, {hi}]"),
        ))
    }
}

fn invalid(file: &Path, key: &str, message: String) -> SettingsError {
    SettingsError::Invalid {
        path: file.to_path_buf(),
        key: key.to_string(),
        message,
    }
}

fn finite(x: f64, key: &str, file: &Path) -> Result<(), SettingsError> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(invalid(
            file,
            key,
            format!("must be a finite number, got {x}"),
        ))
    }
}

fn positive(x: f64, key: &str, file: &Path) -> Result<(), SettingsError> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(invalid(file, key, format!("must be positive, got {x}")))
    }
}

fn non_negative(x: f64, key: &str, file: &Path) -> Result<(), SettingsError> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(invalid(file, key, format!("must be at least 0, got {x}")))
    }
}

fn check_fraction(x: f64, key: &str, file: &Path) -> Result<(), SettingsError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(invalid(file, key, format!("must lie in [0, 1], got {x}")))
    }
}

/// bmtool needs a BMTK config, or both folders.
fn check_sources(
    mechanisms: &Option<PathBuf>,
    templates: &Option<PathBuf>,
    config: &Option<PathBuf>,
    file: &Path,
) -> Result<(), SettingsError> {
    if let Some(c) = config {
        return exists(c, "config", file);
    }
    let missing = |key: &str| {
        invalid(
            file,
            key,
            "is required unless `config` (a BMTK simulation_config.json) is given".into(),
        )
    };
    exists(
        mechanisms
            .as_ref()
            .ok_or_else(|| missing("mechanisms_dir"))?,
        "mechanisms_dir",
        file,
    )?;
    exists(
        templates.as_ref().ok_or_else(|| missing("templates_dir"))?,
        "templates_dir",
        file,
    )
}

fn exists(target: &Path, key: &'static str, file: &Path) -> Result<(), SettingsError> {
    if target.exists() {
        Ok(())
    } else {
        Err(SettingsError::MissingPath {
            path: file.to_path_buf(),
            key,
            target: target.to_path_buf(),
        })
    }
}

fn check_template(
    name: &str,
    key: &str,
    file: &Path,
    catalog: &ModelCatalog,
) -> Result<(), SettingsError> {
    if catalog.has_template(name) {
        return Ok(());
    }
    Err(SettingsError::UnknownTemplate {
        path: file.to_path_buf(),
        key: key.to_string(),
        template: name.to_string(),
        templates: catalog.templates_source.clone().into_boxed_path(),
        suggestion: nearest(name, catalog.templates.iter().map(String::as_str)),
    })
}

fn find_point_process<'a>(
    name: &str,
    key: &str,
    file: &Path,
    catalog: &'a ModelCatalog,
) -> Result<&'a MechanismInfo, SettingsError> {
    match catalog.find_mechanism(name) {
        Some(m) if m.point_process => Ok(m),
        _ => Err(SettingsError::UnknownMechanism {
            path: file.to_path_buf(),
            key: key.to_string(),
            mechanism: name.to_string(),
            mechanisms: catalog.mechanisms_source.clone().into_boxed_path(),
            suggestion: nearest(
                name,
                catalog
                    .mechanisms
                    .iter()
                    .filter(|m| m.point_process)
                    .map(|m| m.name.as_str()),
            ),
        }),
    }
}

fn check_variable(
    mech: &MechanismInfo,
    name: &str,
    key: &str,
    file: &Path,
) -> Result<(), SettingsError> {
    if mech.variables.iter().any(|v| v == name) {
        return Ok(());
    }
    Err(SettingsError::UnknownVariable {
        path: file.to_path_buf(),
        key: key.to_string(),
        mechanism: Box::new(MechanismRef {
            name: mech.name.clone(),
            file: mech.file.clone(),
        }),
        name: name.to_string(),
        suggestion: nearest(name, mech.variables.iter().map(String::as_str)),
    })
}
