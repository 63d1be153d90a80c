//! Loading the mechanisms of `--mod-dir` folders: file by file, so that one
//! file Neurite cannot run (C code in VERBATIM, say) does not stop the rest,
//! as `nrnivmodl` would have compiled it. What was skipped is kept
//! ([`Skipped`]): using its mechanism is then an error that says why.

use crate::EngineError;
use neurite_nmodl::check::{check_source, collect_mod_files};
use neurite_nmodl::exec::{ExecError, MechanismLibrary};
use neurite_nmodl::span::SourceFile;
use std::path::{Path, PathBuf};

/// A `.mod` file that could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub path: PathBuf,
    /// Its mechanism's name, when the file could be read that far.
    pub mechanism: Option<String>,
    /// Whether that mechanism is a point process or an artificial cell.
    pub point: bool,
    /// Every diagnostic, rendered (`file:line:col: error: ...`).
    pub report: String,
}

impl Skipped {
    /// The first line of the report (the first error), without the file name.
    pub fn reason(&self) -> &str {
        let first = self.report.lines().next().unwrap_or_default();
        let path = self.path.display().to_string();
        first
            .strip_prefix(path.as_str())
            .and_then(|r| r.strip_prefix(':'))
            .map_or(first, |r| r.trim_start())
    }
}

/// Mechanisms NEURON has built in that `mod_files/` does not provide yet,
/// written for the engine (`crates/engine/mod_files/`).
const ENGINE_BUILTIN: [(&str, &str); 1] =
    [("NetStim.mod", include_str!("../mod_files/NetStim.mod"))];

/// Neurite's own mechanisms, plus the engine's for the names they lack.
pub(crate) fn builtin() -> Result<MechanismLibrary, EngineError> {
    let mut library = MechanismLibrary::builtin()?;
    for (file, text) in ENGINE_BUILTIN {
        let name = file.trim_end_matches(".mod");
        if library.get(name).is_err() {
            let source = SourceFile::new(format!("crates/engine/mod_files/{file}"), text);
            library.add_sources(vec![source])?;
        }
    }
    Ok(library)
}

/// Neurite's own mechanisms plus every `.mod` file of `dirs` that loads.
pub(crate) fn load(dirs: &[PathBuf]) -> Result<(MechanismLibrary, Vec<Skipped>), EngineError> {
    let mut library = builtin()?;
    let mut skipped = Vec::new();
    for dir in dirs {
        let (files, missing) = collect_mod_files(std::slice::from_ref(dir));
        if let Some((path, e)) = missing.into_iter().next() {
            return Err(io_error(&path, &e).into());
        }
        for path in files {
            if let Some(s) = load_file(&mut library, &path)? {
                skipped.push(s);
            }
        }
    }
    Ok((library, skipped))
}

fn io_error(path: &Path, e: &std::io::Error) -> ExecError {
    ExecError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn load_file(library: &mut MechanismLibrary, path: &Path) -> Result<Option<Skipped>, EngineError> {
    let source = SourceFile::read(path).map_err(|e| io_error(path, &e))?;
    match library.add_sources(vec![source.clone()]) {
        Ok(()) => Ok(None),
        Err(ExecError::Load { report }) => {
            let checked = check_source(source);
            let name = checked.mechanism.name.clone();
            Ok(Some(Skipped {
                path: path.to_path_buf(),
                mechanism: (!name.is_empty()).then_some(name),
                point: checked.mechanism.kind.is_point(),
                report,
            }))
        }
        Err(e) => Err(e.into()),
    }
}
