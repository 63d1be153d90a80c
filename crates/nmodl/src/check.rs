//! The whole front end over one file or one folder: read, lex, parse, analyse.
//!
//! This is what `neurite check-mod` and the mechanism loader call. It owns no stage of
//! its own; it runs them in order and gathers every diagnostic, errors and warnings,
//! sorted by position.

use crate::diagnostic::Diagnostic;
use crate::sema::{self, Mechanism};
use crate::span::{SourceFile, Span};
use crate::{ast, include, parser};
use std::path::{Path, PathBuf};

/// The outcome of checking one `.mod` file.
#[derive(Debug)]
pub struct CheckedFile {
    pub source: SourceFile,
    /// The program with every `INCLUDE` replaced by the items of the included file.
    pub program: ast::Program,
    /// The semantic model; present even when there are errors (it is then partial).
    pub mechanism: Mechanism,
    /// Every problem found, in source order. Spans at or past `source`'s length point
    /// into an included file: see [`CheckedFile::locate`].
    pub diagnostics: Vec<Diagnostic>,
    /// Files pulled in by `INCLUDE`, each with the offset its spans start at.
    pub includes: Vec<(u32, SourceFile)>,
}

impl CheckedFile {
    /// A file is accepted when it has no errors; warnings are allowed.
    pub fn is_accepted(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// The file a diagnostic points into, and the diagnostic with its spans made
    /// relative to that file.
    pub fn locate(&self, diagnostic: &Diagnostic) -> (&SourceFile, Diagnostic) {
        let at = diagnostic.span.start;
        let found = self.includes.iter().rev().find(|(base, _)| at >= *base);
        let Some((base, file)) = found else {
            return (&self.source, diagnostic.clone());
        };
        let shift = |span: Span| Span {
            start: span.start.saturating_sub(*base),
            end: span.end.saturating_sub(*base),
        };
        let mut d = diagnostic.clone();
        d.span = shift(d.span);
        d.labels.retain(|l| l.span.start >= *base);
        for label in &mut d.labels {
            label.span = shift(label.span);
        }
        (file, d)
    }

    /// Every diagnostic rendered with its source excerpt.
    pub fn render_diagnostics(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| {
                let (file, d) = self.locate(d);
                d.render(file)
            })
            .collect()
    }
}

/// Runs every stage on text already in memory. `INCLUDE`d files are searched in the
/// file's folder, then in each folder of the `MODL_INCLUDE` environment variable.
pub fn check_source(source: SourceFile) -> CheckedFile {
    let parsed = parser::parse(source.text());
    let mut diagnostics = parsed.diagnostics;
    let mut includes = Vec::new();
    let program = include::expand(&source, parsed.program, &mut includes, &mut diagnostics);
    let stem = source
        .path()
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let analysis = sema::analyze_named(&program, &stem);
    diagnostics.extend(analysis.diagnostics);
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    CheckedFile {
        source,
        program,
        mechanism: analysis.mechanism,
        diagnostics,
        includes,
    }
}

/// Reads and checks one file.
pub fn check_file(path: &Path) -> std::io::Result<CheckedFile> {
    SourceFile::read(path).map(check_source)
}

/// The `.mod` files named by `paths`: files as given, folders searched recursively,
/// each list sorted so output is stable. Missing paths are returned as errors.
pub fn collect_mod_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut errors),
            Ok(_) => files.push(path.clone()),
            Err(e) => errors.push((path.clone(), e)),
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, std::io::Error)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return errors.push((dir.to_path_buf(), e)),
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files, errors);
        } else if path.extension().is_some_and(|e| e == "mod") {
            files.push(path);
        }
    }
}
