//! The runner: the tuner's protocols through Neurite's simulation.
//!
//! This is the simulation stage between [`crate::protocol`] (what to deliver) and
//! [`crate::metrics`] (what the traces mean). It builds bmtool's setup as HOC, the way
//! bmtool builds it through NEURON's Python interface, and runs it with
//! [`neurite_hoc::Interpreter`] over a [`neurite_engine::Engine`]: every `.hoc` file of
//! `templates_dir` is loaded with `load_file`, the mechanisms of `mechanisms_dir` are
//! loaded at run time beside Neurite's own. Recorded vectors are read back exactly
//! ([`neurite_hoc::Interpreter::global_vector`]).
//!
//! [`synapse`] runs `SynapseTuner`'s single event and trains, [`gap`] the
//! `GapJunctionTuner`'s coupled pair. Names from the settings reach the HOC text only
//! after [`hoc_name`] has checked they are plain identifiers.

pub mod gap;
pub mod synapse;

use crate::catalog::CatalogError;
use crate::settings::SettingsError;
use neurite_engine::Engine;
use neurite_hoc::Interpreter;
use std::path::{Path, PathBuf};

pub use gap::GapJunctionTuner;
pub use synapse::{SynapseRun, SynapseTuner};

/// Why a tuner run could not be set up or completed.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("loading mechanisms from {dir}: {message}")]
    Mechanisms { dir: PathBuf, message: String },
    #[error("{path}: {message}")]
    Template { path: PathBuf, message: String },
    #[error("`{name}` ({what}) is not a HOC identifier")]
    BadName { what: &'static str, name: String },
    #[error("simulation failed while {stage}: {message}")]
    Simulation { stage: String, message: String },
    #[error("recorded vector `{name}`: {message}")]
    Readback { name: String, message: String },
    #[error(transparent)]
    Protocol(#[from] crate::protocol::ProtocolError),
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
    #[error(transparent)]
    Optimize(#[from] crate::optimize::OptimizeError),
}

/// Where a run's model comes from: the mechanism folder and the template file or
/// folder (as [`crate::catalog::catalog_for`] resolves them).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSources {
    pub mechanisms_dir: PathBuf,
    pub templates: PathBuf,
}

/// A HOC interpreter over a fresh engine with the model's mechanisms and templates.
pub(crate) struct Session {
    hoc: Interpreter,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

impl Session {
    /// Loads the mechanisms (plus Neurite's own), `stdrun.hoc` and every template.
    pub(crate) fn new(sources: &ModelSources) -> Result<Session, RunnerError> {
        let dirs = [sources.mechanisms_dir.clone()];
        let engine = Engine::with_mod_dirs(&dirs).map_err(|e| RunnerError::Mechanisms {
            dir: sources.mechanisms_dir.clone(),
            message: e.to_string(),
        })?;
        // What the model prints is not part of the result; errors come back as values.
        let mut hoc = Interpreter::with_output(Box::new(engine), Box::new(std::io::sink()));
        hoc.set_error_output(Box::new(std::io::sink()));
        let mut session = Session { hoc };
        session.exec("load_file(\"stdrun.hoc\")", "loading stdrun.hoc")?;
        for file in template_files(&sources.templates)? {
            session
                .hoc
                .load_file(&file)
                .map_err(|e| RunnerError::Template {
                    path: file.clone(),
                    message: e.message,
                })?;
        }
        Ok(session)
    }

    /// Runs HOC text; `stage` names what it was doing in an error.
    pub(crate) fn exec(&mut self, code: &str, stage: &str) -> Result<(), RunnerError> {
        self.hoc
            .execute_str(code, "neurite-tuner")
            .map_err(|e| RunnerError::Simulation {
                stage: stage.to_string(),
                message: format!("{}: {}", e.location, e.message),
            })
    }

    /// The samples of the top-level HOC Vector `name`, exactly.
    pub(crate) fn vector(&mut self, name: &str) -> Result<Vec<f64>, RunnerError> {
        self.hoc
            .global_vector(name)
            .ok_or_else(|| RunnerError::Readback {
                name: name.to_string(),
                message: "no such Vector".to_string(),
            })
    }

    /// Value of a top-level HOC variable.
    pub(crate) fn number(&mut self, name: &str) -> Option<f64> {
        self.hoc.global_number(name)
    }
}

/// The `.hoc` files of a template path: the file itself, or a folder's `.hoc` files
/// in name order.
fn template_files(path: &Path) -> Result<Vec<PathBuf>, RunnerError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let read = std::fs::read_dir(path).map_err(|e| RunnerError::Template {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "hoc"))
        .collect();
    files.sort();
    Ok(files)
}

/// `name` if it is a plain HOC identifier (what may be spliced into HOC text).
pub(crate) fn hoc_name<'a>(what: &'static str, name: &'a str) -> Result<&'a str, RunnerError> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(name)
    } else {
        Err(RunnerError::BadName {
            what,
            name: name.to_string(),
        })
    }
}

/// A number as HOC text that reads back as the same `f64`.
pub(crate) fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:e}")
    } else {
        "0".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert!(hoc_name("x", "AMPA_NMDA_STP").is_ok());
        assert!(hoc_name("x", "a b").is_err());
        assert!(hoc_name("x", "1a").is_err());
        assert!(hoc_name("x", "").is_err());
        assert_eq!(num(0.1), "1e-1");
        assert_eq!(num(-70.0).parse::<f64>().ok(), Some(-70.0));
    }
}
