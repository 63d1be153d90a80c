//! The one diagnostic type of the front ends and its renderer.
//!
//! Every stage (lexer, parser, semantic analysis, unit evaluation) reports problems as
//! [`Diagnostic`] values; nothing in the front end prints or panics on bad input.
//! [`Diagnostic::render`] prints them the way compilers and editors expect:
//!
//! ```text
//! hh.mod:12:5: error: undefined name `gnabarr`
//!    12 |     gna = gnabarr*m*m*m*h
//!       |           ^^^^^^^ not declared in PARAMETER, ASSIGNED, STATE or LOCAL
//!    = help: did you mean `gnabar`?
//! ```
//!
//! The first line is the `path:line:col: severity: message` form that editors and CI
//! logs parse; the crates we looked at (codespan-reporting, ariadne, annotate-snippets)
//! all put the location on a line of its own, so the few lines here render it directly.

use crate::span::{SourceFile, Span};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary location with a note, e.g. "first defined here".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; the caret goes under this range.
    pub span: Span,
    /// Text printed after the carets of the primary span.
    pub note: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            note: None,
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    /// Text shown after the carets under the primary span.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.note = Some(note.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: severity: message`, without the source excerpt.
    pub fn headline(&self, file: &SourceFile) -> String {
        let lc = file.line_col(self.span.start);
        format!(
            "{}:{}:{}: {}: {}",
            file.path().display(),
            lc.line,
            lc.col,
            self.severity.as_str(),
            self.message
        )
    }

    /// The full rendering: headline, the source line with carets, labels and help.
    pub fn render(&self, file: &SourceFile) -> String {
        let mut out = self.headline(file);
        out.push('\n');
        excerpt(&mut out, file, self.span, self.note.as_deref());
        for label in &self.labels {
            let lc = file.line_col(label.span.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: note: {}",
                file.path().display(),
                lc.line,
                lc.col,
                label.message
            );
            excerpt(&mut out, file, label.span, None);
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "      = help: {help}");
        }
        out
    }
}

/// Appends ` NN | source line` and the caret line under `span` (first line of it only).
fn excerpt(out: &mut String, file: &SourceFile, span: Span, note: Option<&str>) {
    let start = file.line_col(span.start);
    let text = file.line_text(start.line);
    let end_col = if span.is_empty() {
        start.col + 1
    } else {
        let end = file.line_col(span.end);
        if end.line == start.line {
            end.col.max(start.col + 1)
        } else {
            text.chars().count() as u32 + 1
        }
    };
    let gutter = start.line.to_string().len().max(4);
    let _ = writeln!(out, "{:>gutter$} | {}", start.line, text.replace('\t', " "));
    let pad = " ".repeat(start.col as usize - 1);
    let carets = "^".repeat((end_col - start.col).max(1) as usize);
    let _ = write!(out, "{:>gutter$} | {pad}{carets}", "");
    if let Some(note) = note {
        let _ = write!(out, " {note}");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_headline_source_and_caret() {
        let file = SourceFile::new("x/hh.mod", "BREAKPOINT {\n  gna = gnabarr*m\n}\n");
        let d = Diagnostic::error(Span::new(21, 28), "undefined name `gnabarr`")
            .with_note("not declared")
            .with_help("did you mean `gnabar`?");
        assert_eq!(
            d.render(&file),
            "x/hh.mod:2:9: error: undefined name `gnabarr`\n   \
             2 |   gna = gnabarr*m\n     \
             |         ^^^^^^^ not declared\n      \
             = help: did you mean `gnabar`?\n"
        );
    }

    #[test]
    fn empty_span_at_end_of_file_gets_one_caret() {
        let file = SourceFile::new("a.mod", "NEURON {");
        let d = Diagnostic::error(Span::new(8, 8), "expected `}`");
        assert!(d
            .render(&file)
            .ends_with("   1 | NEURON {\n     |         ^\n"));
    }
}
