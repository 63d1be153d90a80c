//! Settings: the tuner's input, read from JSON as bmtool users write them.
//!
//! This is the first stage: it turns a settings file into typed, checked values. The
//! keys and defaults are bmtool 0.8.7's (`SynapseTuner(...)` and
//! `GapJunctionTuner(...)` arguments, `DEFAULT_GENERAL_SETTINGS`,
//! `DEFAULT_GAP_JUNCTION_GENERAL_SETTINGS`); Neurite adds `metrics` (see
//! [`MetricsMode`]) and, for gap junctions, `conductances_uS`. Unknown keys are
//! errors that name the file and suggest the nearest valid key; [`validate_synapse`]
//! and [`validate_gap`] check the names against the mechanisms and templates (a
//! [`ModelCatalog`]).
//!
//! Relative paths (`mechanisms_dir`, `templates_dir`, `config`, `json_folder_path`) are
//! taken relative to the settings file's folder.

mod error;
mod keys;
mod validate;

pub use error::{nearest, MechanismRef, SettingsError};
pub use validate::{validate_gap, validate_synapse, MechanismInfo, ModelCatalog};

use crate::MetricsMode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// bmtool's `general_settings` for the synapse tuner (`DEFAULT_GENERAL_SETTINGS`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GeneralSettings {
    /// Analyse the somatic clamp current instead of the synaptic current.
    pub vclamp: bool,
    /// Peak fractions between which the rise time is measured.
    pub rise_interval: (f64, f64),
    /// Time of the (first) presynaptic spike (ms).
    pub tstart: f64,
    /// Duration of a single-event run after `tstart` (ms).
    pub tdur: f64,
    /// NetCon threshold (mV).
    pub threshold: f64,
    /// NetCon delay (ms).
    pub delay: f64,
    /// NetCon weight.
    pub weight: f64,
    /// Time step (ms).
    pub dt: f64,
    /// Temperature (°C).
    pub celsius: f64,
}

impl Default for GeneralSettings {
    fn default() -> Self {
        GeneralSettings {
            vclamp: false,
            rise_interval: (0.1, 0.9),
            tstart: 500.0,
            tdur: 100.0,
            threshold: -15.0,
            delay: 1.3,
            weight: 1.0,
            dt: 0.025,
            celsius: 20.0,
        }
    }
}

/// bmtool's `general_settings` for the gap-junction tuner
/// (`DEFAULT_GAP_JUNCTION_GENERAL_SETTINGS`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GapGeneralSettings {
    /// Start of the current step into cell 1 (ms).
    pub tstart: f64,
    /// Duration of the step (ms); runs last `tstart + tdur + 100` ms.
    pub tdur: f64,
    /// Time step (ms).
    pub dt: f64,
    /// Temperature (°C).
    pub celsius: f64,
    /// Amplitude of the step into cell 1 (nA).
    pub iclamp_amp: f64,
    /// Accepted as bmtool does; the gap-junction tuner never clamps.
    pub vclamp: bool,
}

impl Default for GapGeneralSettings {
    fn default() -> Self {
        GapGeneralSettings {
            tstart: 500.0,
            tdur: 500.0,
            dt: 0.025,
            celsius: 20.0,
            iclamp_amp: -0.01,
            vclamp: false,
        }
    }
}

/// `spec_settings` of one connection: where the synapse goes and what it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecSettings {
    /// The template of the postsynaptic cell.
    pub post_cell: String,
    /// The somatic clamp's holding potential (mV); bmtool's builder default -70.
    #[serde(default = "default_vclamp_amp")]
    pub vclamp_amp: f64,
    /// Position along the section, 0..1; default 0.5.
    #[serde(default = "half")]
    pub sec_x: f64,
    /// Index of the section in the cell's `all` SectionList; default 0 (soma).
    #[serde(default)]
    pub sec_id: usize,
    /// The synapse's point process (`exp2syn`, `expsyn`, `alphasynapse` are aliases of
    /// NEURON's built-ins; other names match case-insensitively, as in bmtool).
    pub level_of_detail: String,
    /// The BMTK dynamics-params file the connection came from (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamics_params_file: Option<String>,
}

fn default_vclamp_amp() -> f64 {
    -70.0
}

fn half() -> f64 {
    0.5
}

/// One entry of `conn_type_settings` for the synapse tuner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnTypeSettings {
    pub spec_settings: SpecSettings,
    /// RANGE values assigned to the synapse (`setattr(syn, key, value)`).
    #[serde(default)]
    pub spec_syn_param: BTreeMap<String, f64>,
}

/// One entry of `conn_type_settings` for the gap-junction tuner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapConnSettings {
    /// The template of both cells.
    pub cell: String,
    /// Index of the section in `all` that carries the junction; default 0.
    #[serde(default)]
    pub sec_id: usize,
    /// Position of the voltage source along that section; default 0.5.
    #[serde(default = "half")]
    pub sec_x: f64,
    /// Written by bmtool's config builder; the step amplitude is general_settings'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iclamp_amp: Option<f64>,
    /// Read by bmtool's interactive tuner only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vclamp_amp: Option<f64>,
    /// Values for the Gap mechanism (bmtool's builder fills it from BMTK).
    #[serde(default)]
    pub spec_syn_param: BTreeMap<String, f64>,
}

/// A synapse-tuner settings file (`neurite tune synapse`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynapseTunerSettings {
    #[serde(default)]
    pub mechanisms_dir: Option<PathBuf>,
    /// A template file (bmtool passes it to `h.load_file`) or a folder of them.
    #[serde(default)]
    pub templates_dir: Option<PathBuf>,
    /// A BMTK `simulation_config.json` instead of the two folders.
    #[serde(default)]
    pub config: Option<PathBuf>,
    #[serde(default)]
    pub network: Option<String>,
    /// The connection to tune; may be left out when there is only one.
    #[serde(default)]
    pub connection: Option<String>,
    /// The synaptic current's RANGE name.
    #[serde(default = "default_current_name")]
    pub current_name: String,
    #[serde(default)]
    pub other_vars_to_record: Vec<String>,
    /// bmtool's interactive sliders; accepted, not used by the command line.
    #[serde(default)]
    pub slider_vars: Vec<String>,
    /// A folder of `<connection>.json` files whose values update `spec_syn_param`.
    #[serde(default)]
    pub json_folder_path: Option<PathBuf>,
    #[serde(default)]
    pub general_settings: GeneralSettings,
    #[serde(default)]
    pub conn_type_settings: BTreeMap<String, ConnTypeSettings>,
    #[serde(default)]
    pub metrics: MetricsMode,
}

fn default_current_name() -> String {
    "i".into()
}

/// What [`SynapseTunerSettings::apply_json_folder`] did not apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderUpdate {
    /// Connections with no `<name>.json` in the folder.
    pub missing: Vec<String>,
    /// `connection.key` entries whose value is not a number.
    pub skipped: Vec<String>,
}

/// A gap-junction-tuner settings file (`neurite tune gap`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapTunerSettings {
    #[serde(default)]
    pub mechanisms_dir: Option<PathBuf>,
    #[serde(default)]
    pub templates_dir: Option<PathBuf>,
    #[serde(default)]
    pub config: Option<PathBuf>,
    #[serde(default)]
    pub connection: Option<String>,
    #[serde(default)]
    pub general_settings: GapGeneralSettings,
    #[serde(default)]
    pub conn_type_settings: BTreeMap<String, GapConnSettings>,
    /// Neurite's: the Gap conductances to run (µS); bmtool's slider starts at 1e-3.
    #[serde(default = "default_conductances", rename = "conductances_uS")]
    pub conductances_us: Vec<f64>,
    #[serde(default)]
    pub metrics: MetricsMode,
}

fn default_conductances() -> Vec<f64> {
    vec![1e-3]
}

impl SynapseTunerSettings {
    /// Reads and parses a settings file; see [`validate_synapse`] for the checks
    /// that need the mechanisms and templates.
    pub fn from_file(path: &Path) -> Result<Self, SettingsError> {
        let text = read(path)?;
        Self::from_json(&text, path)
    }

    /// Parses settings text; `path` is the file named in errors and the base of
    /// relative paths.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, SettingsError> {
        let value = parse_value(text, path)?;
        keys::check_synapse(&value, path)?;
        let mut settings: Self = from_value(value, path, keys::explain_synapse)?;
        settings.resolve_paths(path);
        Ok(settings)
    }

    fn resolve_paths(&mut self, file: &Path) {
        for p in [
            &mut self.mechanisms_dir,
            &mut self.templates_dir,
            &mut self.config,
            &mut self.json_folder_path,
        ]
        .into_iter()
        .flatten()
        {
            *p = relative_to(file, p);
        }
    }

    /// bmtool's `_update_spec_syn_param`: for each connection, the numbers in
    /// `<json_folder_path>/<connection>.json` update its `spec_syn_param`. Returns the
    /// connections without such a file (bmtool prints "JSON file for … not found") and
    /// the non-numeric keys skipped (bmtool never assigns those to the synapse).
    pub fn apply_json_folder(&mut self, file: &Path) -> Result<FolderUpdate, SettingsError> {
        let mut update = FolderUpdate::default();
        let Some(folder) = self.json_folder_path.clone() else {
            return Ok(update);
        };
        for (name, conn) in &mut self.conn_type_settings {
            let path = folder.join(format!("{name}.json"));
            if !path.exists() {
                update.missing.push(name.clone());
                continue;
            }
            let text = read(&path)?;
            let value = parse_value(&text, &path)?;
            let map = value.as_object().ok_or_else(|| SettingsError::Invalid {
                path: path.clone(),
                key: format!(
                    "json_folder_path ({name}.json, named in {})",
                    file.display()
                ),
                message: "must hold a JSON object".into(),
            })?;
            for (key, v) in map {
                match v.as_f64() {
                    Some(x) => {
                        conn.spec_syn_param.insert(key.clone(), x);
                    }
                    None => update.skipped.push(format!("{name}.{key}")),
                }
            }
        }
        Ok(update)
    }

    /// The connection to tune: `connection`, or the only one there is.
    pub fn selected_connection(&self, file: &Path) -> Result<&str, SettingsError> {
        select(
            self.connection.as_deref(),
            self.conn_type_settings.keys(),
            file,
        )
    }
}

impl GapTunerSettings {
    /// Reads and parses a settings file; see [`validate_gap`].
    pub fn from_file(path: &Path) -> Result<Self, SettingsError> {
        let text = read(path)?;
        Self::from_json(&text, path)
    }

    /// Parses settings text; `path` is the file named in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, SettingsError> {
        let value = parse_value(text, path)?;
        keys::check_gap(&value, path)?;
        let mut settings: Self = from_value(value, path, keys::explain_gap)?;
        for p in [
            &mut settings.mechanisms_dir,
            &mut settings.templates_dir,
            &mut settings.config,
        ]
        .into_iter()
        .flatten()
        {
            *p = relative_to(path, p);
        }
        Ok(settings)
    }

    /// The connection to tune: `connection`, or bmtool's choice, the first one.
    pub fn selected_connection(&self, file: &Path) -> Result<&str, SettingsError> {
        match &self.connection {
            Some(_) => select(
                self.connection.as_deref(),
                self.conn_type_settings.keys(),
                file,
            ),
            None => self
                .conn_type_settings
                .keys()
                .next()
                .map(String::as_str)
                .ok_or_else(|| SettingsError::Invalid {
                    path: file.to_path_buf(),
                    key: "conn_type_settings".into(),
                    message: "is empty: it needs at least one connection".into(),
                }),
        }
    }
}

fn select<'a>(
    wanted: Option<&str>,
    names: impl Iterator<Item = &'a String> + Clone,
    file: &Path,
) -> Result<&'a str, SettingsError> {
    if let Some(w) = wanted {
        return names
            .clone()
            .find(|n| n.as_str() == w)
            .map(String::as_str)
            .ok_or_else(|| SettingsError::UnknownConnection {
                path: file.to_path_buf(),
                connection: w.to_string(),
                suggestion: nearest(w, names.map(String::as_str)),
            });
    }
    let all: Vec<&String> = names.collect();
    match all.as_slice() {
        [only] => Ok(only.as_str()),
        _ => Err(SettingsError::ConnectionRequired {
            path: file.to_path_buf(),
            count: all.len(),
            names: all
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn read(path: &Path) -> Result<String, SettingsError> {
    std::fs::read_to_string(path).map_err(|source| SettingsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_value(text: &str, path: &Path) -> Result<serde_json::Value, SettingsError> {
    serde_json::from_str(text).map_err(|e| json_error(&e, path))
}

/// Deserialises the checked value; a type error is located in its section by
/// `explain` (serde's message alone does not say where it is).
fn from_value<T: for<'de> Deserialize<'de>>(
    value: serde_json::Value,
    path: &Path,
    explain: fn(&serde_json::Value, &Path) -> Option<SettingsError>,
) -> Result<T, SettingsError> {
    serde_json::from_value(value.clone())
        .map_err(|e| explain(&value, path).unwrap_or_else(|| json_error(&e, path)))
}

fn json_error(e: &serde_json::Error, path: &Path) -> SettingsError {
    SettingsError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

fn relative_to(file: &Path, p: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p.to_path_buf(),
    }
}
