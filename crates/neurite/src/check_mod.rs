//! `neurite check-mod PATH...`: the NMODL front end over files and folders.
//!
//! Text output: one line per file (`path: ok` or `path: N errors` followed by the
//! rendered diagnostics), then a summary line. `--json`: one JSON object on stdout.
//! Exit status 0 when every file is accepted, 1 when any is rejected or unreadable.

use neurite_nmodl::check::{check_file, collect_mod_files, CheckedFile};
use neurite_nmodl::diagnostic::Severity;
use neurite_nmodl::sema::{Mechanism, MechanismKind};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// One file's entry in the JSON report.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    /// `ok` or `rejected`.
    pub status: &'static str,
    /// What the file defines, e.g. `density mechanism hh`; absent when unreadable.
    pub mechanism: Option<String>,
    pub diagnostics: Vec<DiagnosticReport>,
}

#[derive(Debug, Serialize)]
pub struct DiagnosticReport {
    /// The file the diagnostic points into (an INCLUDEd file, or the file itself).
    pub file: String,
    pub severity: Severity,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub help: Option<String>,
    /// The diagnostic as the text output prints it.
    pub rendered: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub summary: Summary,
}

/// Runs the command, printing to stdout. Returns the process exit code.
pub fn run(paths: &[PathBuf], format: Format) -> ExitCode {
    let (report, texts) = check_paths(paths);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Text => write_text(&mut out, &report, &texts),
    };
    if written.is_err() {
        return ExitCode::from(2);
    }
    if report.summary.rejected == 0 && !report.files.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Checks every file and builds the report, with each file's rendered text beside it.
pub fn check_paths(paths: &[PathBuf]) -> (Report, Vec<String>) {
    let (files, missing) = collect_mod_files(paths);
    let mut reports = Vec::new();
    let mut texts = Vec::new();
    for (path, err) in missing {
        let (r, t) = unreadable(&path, &err);
        reports.push(r);
        texts.push(t);
    }
    for path in files {
        let (r, t) = match check_file(&path) {
            Ok(checked) => file_report(&path, &checked),
            Err(err) => unreadable(&path, &err),
        };
        reports.push(r);
        texts.push(t);
    }
    let summary = summarize(&reports);
    (
        Report {
            files: reports,
            summary,
        },
        texts,
    )
}

fn unreadable(path: &Path, err: &std::io::Error) -> (FileReport, String) {
    let message = format!("cannot read: {err}");
    let report = FileReport {
        path: path.display().to_string(),
        status: "rejected",
        mechanism: None,
        diagnostics: vec![DiagnosticReport {
            file: path.display().to_string(),
            severity: Severity::Error,
            message: message.clone(),
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            help: None,
            rendered: format!("{}: error: {message}\n", path.display()),
        }],
    };
    let text = format!("{}: error: {message}\n", path.display());
    (report, text)
}

fn file_report(path: &Path, checked: &CheckedFile) -> (FileReport, String) {
    let diagnostics: Vec<DiagnosticReport> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let (src, d) = checked.locate(d);
            let start = src.line_col(d.span.start);
            let end = src.line_col(d.span.end);
            DiagnosticReport {
                severity: d.severity,
                message: d.message.clone(),
                line: start.line,
                column: start.col,
                end_line: end.line,
                end_column: end.col,
                help: d.help.clone(),
                rendered: d.render(src),
                file: src.path().display().to_string(),
            }
        })
        .collect();
    let accepted = checked.is_accepted();
    let mechanism = describe(&checked.mechanism);
    let headline = if accepted {
        match checked.warning_count() {
            0 => format!("{}: ok ({mechanism})", path.display()),
            n => format!(
                "{}: ok ({mechanism}), {}",
                path.display(),
                plural(n, "warning")
            ),
        }
    } else {
        format!(
            "{}: rejected, {}",
            path.display(),
            plural(checked.error_count(), "error")
        )
    };
    let text = format!("{headline}\n{}", checked.render_diagnostics());
    let report = FileReport {
        path: path.display().to_string(),
        status: if accepted { "ok" } else { "rejected" },
        mechanism: Some(mechanism),
        diagnostics,
    };
    (report, text)
}

/// `density mechanism hh`, `point process ExpSyn`, `artificial cell NetStim`.
fn describe(mechanism: &Mechanism) -> String {
    let kind = match mechanism.kind {
        MechanismKind::Density { .. } => "density mechanism",
        MechanismKind::PointProcess => "point process",
        MechanismKind::ArtificialCell => "artificial cell",
    };
    format!("{kind} {}", mechanism.name)
}

fn summarize(reports: &[FileReport]) -> Summary {
    let mut s = Summary {
        files: reports.len(),
        ..Summary::default()
    };
    for r in reports {
        if r.status == "ok" {
            s.accepted += 1;
        } else {
            s.rejected += 1;
        }
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
            }
        }
    }
    s
}

fn write_text(out: &mut impl Write, report: &Report, texts: &[String]) -> std::io::Result<()> {
    for text in texts {
        out.write_all(text.as_bytes())?;
    }
    let s = &report.summary;
    if s.files == 0 {
        writeln!(out, "no .mod files found")?;
        return Ok(());
    }
    writeln!(
        out,
        "checked {}: {} accepted, {} rejected; {}, {}",
        plural(s.files, "file"),
        s.accepted,
        s.rejected,
        plural(s.errors, "error"),
        plural(s.warnings, "warning")
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
