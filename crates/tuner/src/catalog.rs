//! The model catalog from the files themselves: mechanism names and variables through
//! Neurite's NMODL front end, template names through its HOC parser.
//!
//! This is the only module that touches `.mod` and `.hoc` text, and it does so only
//! through the front ends (`neurite-nmodl`, `neurite-hoc`); [`crate::settings`] sees
//! the resulting [`ModelCatalog`].

use crate::settings::{MechanismInfo, ModelCatalog};
use neurite_hoc::ast::StmtKind;
use neurite_nmodl::sema::{Mechanism, MechanismKind, Storage, SymbolKind};
use std::path::{Path, PathBuf};

/// Why the catalog could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Bmtk(#[from] crate::bmtk::BmtkError),
    #[error("give `config` (a BMTK config) or both `mechanisms_dir` and `templates_dir`")]
    NoSources,
    #[error("{path}: the NMODL front end found {errors} error(s):\n{rendered}")]
    InvalidMod {
        path: PathBuf,
        errors: usize,
        rendered: String,
    },
}

/// Reads every `.mod` file under `mechanisms_dir` and every template in `templates`
/// (a `.hoc` file, or a folder whose `.hoc` files are all read).
pub fn load_catalog(mechanisms_dir: &Path, templates: &Path) -> Result<ModelCatalog, CatalogError> {
    Ok(ModelCatalog {
        mechanisms_source: mechanisms_dir.to_path_buf(),
        mechanisms: load_mechanisms(mechanisms_dir)?,
        templates_source: templates.to_path_buf(),
        templates: load_templates(templates)?,
    })
}

/// The catalog from the settings' sources, as bmtool loads them: `mechanisms_dir` and
/// `templates_dir` when both are given, else those a BMTK `config` names.
pub fn catalog_for(
    mechanisms_dir: Option<&Path>,
    templates: Option<&Path>,
    config: Option<&Path>,
) -> Result<ModelCatalog, CatalogError> {
    match (mechanisms_dir, templates, config) {
        (Some(m), Some(t), _) => load_catalog(m, t),
        (_, _, Some(c)) => {
            let found = crate::bmtk::components(c)?;
            load_catalog(&found.mechanisms_dir, &found.templates_dir)
        }
        _ => Err(CatalogError::NoSources),
    }
}

/// The mechanisms of the `.mod` files under `dir`.
pub fn load_mechanisms(dir: &Path) -> Result<Vec<MechanismInfo>, CatalogError> {
    let (files, errors) = neurite_nmodl::check::collect_mod_files(&[dir.to_path_buf()]);
    if let Some((path, source)) = errors.into_iter().next() {
        return Err(CatalogError::Io { path, source });
    }
    let mut out = Vec::with_capacity(files.len());
    for path in files {
        let checked =
            neurite_nmodl::check::check_file(&path).map_err(|source| CatalogError::Io {
                path: path.clone(),
                source,
            })?;
        if !checked.is_accepted() {
            return Err(CatalogError::InvalidMod {
                errors: checked.error_count(),
                rendered: checked.render_diagnostics(),
                path,
            });
        }
        out.push(describe(&checked.mechanism, path));
    }
    Ok(out)
}

fn describe(mech: &Mechanism, file: PathBuf) -> MechanismInfo {
    let visible = |kind: &SymbolKind| match kind {
        SymbolKind::Parameter { storage, .. } | SymbolKind::Assigned { storage } => {
            matches!(storage, Storage::Range | Storage::Global)
        }
        SymbolKind::State { .. } => true,
        _ => false,
    };
    MechanismInfo {
        name: mech.name.clone(),
        file,
        point_process: matches!(mech.kind, MechanismKind::PointProcess),
        variables: mech
            .symbols
            .iter()
            .filter(|s| visible(&s.kind))
            .map(|s| s.name.clone())
            .collect(),
    }
}

/// The templates defined at the top level of `path` (a file, or a folder's `.hoc`
/// files). Statements the HOC parser cannot read are skipped: a template after them
/// is still found when the parser recovers.
pub fn load_templates(path: &Path) -> Result<Vec<String>, CatalogError> {
    let files = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| io_error(path, source))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "hoc"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|source| io_error(&file, source))?;
        let parsed = neurite_hoc::parse(&text);
        names.extend(parsed.program.stmts.iter().filter_map(|s| match &s.kind {
            StmtKind::Template(t) => Some(t.name.clone()),
            _ => None,
        }));
    }
    Ok(names)
}

fn io_error(path: &Path, source: std::io::Error) -> CatalogError {
    CatalogError::Io {
        path: path.to_path_buf(),
        source,
    }
}
