//! `INCLUDE "file"`: textual inclusion, as NEURON's translator does it.
//!
//! Part of the front end's driver (`check`), between parsing and analysis: each
//! `INCLUDE` item is replaced by the items of the named file, parsed in its turn.
//! The included file is searched in the including file's folder, then in each folder
//! of the `MODL_INCLUDE` environment variable (colon-separated), as nocmodl does. A
//! missing file is an error at the `INCLUDE`.
//!
//! So that diagnostics in an included file point into that file, its text is parsed
//! at an offset past every earlier file: spans are unique across all of them and
//! [`crate::check::CheckedFile::locate`] maps a span back to its file.

use crate::ast::{Item, Program};
use crate::diagnostic::Diagnostic;
use crate::parser;
use crate::span::{SourceFile, Span};
use std::path::{Path, PathBuf};

/// Nesting deeper than this is taken for an inclusion cycle.
const MAX_DEPTH: usize = 16;

/// Replaces every `INCLUDE` in `program` by the included items. Included files are
/// appended to `includes` with the offset their spans start at.
pub(crate) fn expand(
    source: &SourceFile,
    program: Program,
    includes: &mut Vec<(u32, SourceFile)>,
    diags: &mut Vec<Diagnostic>,
) -> Program {
    let mut next_base = source.text().len() as u32 + 1;
    let dir = source
        .path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let items = expand_items(&dir, program.items, 0, &mut next_base, includes, diags);
    Program { items, ..program }
}

fn expand_items(
    dir: &Path,
    items: Vec<Item>,
    depth: usize,
    next_base: &mut u32,
    includes: &mut Vec<(u32, SourceFile)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Item::Include { path, span } = &item else {
            out.push(item);
            continue;
        };
        if depth >= MAX_DEPTH {
            diags.push(Diagnostic::error(
                *span,
                format!("INCLUDE nested more than {MAX_DEPTH} deep (a cycle?)"),
            ));
            continue;
        }
        let Some(found) = search(dir, path) else {
            diags.push(not_found(*span, path, dir));
            continue;
        };
        let Ok(file) = SourceFile::read(&found) else {
            diags.push(Diagnostic::error(
                *span,
                format!("cannot read the included file `{}`", found.display()),
            ));
            continue;
        };
        let base = *next_base;
        *next_base = base.saturating_add(file.text().len() as u32 + 1);
        let padded = format!("{}{}", " ".repeat(base as usize), file.text());
        let parsed = parser::parse(&padded);
        diags.extend(parsed.diagnostics);
        let inner_dir = found.parent().map(Path::to_path_buf).unwrap_or_default();
        includes.push((base, file));
        out.extend(expand_items(
            &inner_dir,
            parsed.program.items,
            depth + 1,
            next_base,
            includes,
            diags,
        ));
    }
    out
}

fn search(dir: &Path, name: &str) -> Option<PathBuf> {
    let direct = Path::new(name);
    if direct.is_absolute() {
        return direct.is_file().then(|| direct.to_path_buf());
    }
    let extra = std::env::var("MODL_INCLUDE").unwrap_or_default();
    std::iter::once(dir.to_path_buf())
        .chain(
            extra
                .split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
        )
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn not_found(span: Span, name: &str, dir: &Path) -> Diagnostic {
    Diagnostic::error(span, format!("cannot find the included file `{name}`"))
        .with_note("not found")
        .with_help(format!(
            "looked in `{}` and the folders of MODL_INCLUDE",
            if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }
            .display()
        ))
}
