//! Units in the semantic stage: the UNITS block's aliases and named factors, valued
//! through the units database (`crate::units`), and the unit text of declarations.
//!
//! nocmodl evaluates the UNITS block and stops on a unit it cannot recognise; it does
//! not look at the units of declarations (that is modlunit's job). So an unknown
//! unit in the UNITS block is an error here, and one in a declaration a warning.

use super::walk;
use crate::ast::{self, Ident, UnitDef};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::units::{UnitDb, UnitError};
use std::collections::BTreeSet;

/// The units database of one file: NEURON's definitions plus the file's aliases.
#[derive(Debug)]
pub(super) struct UnitChecker {
    db: UnitDb,
    /// Unknown units of declarations already warned about (one warning a unit).
    warned: BTreeSet<String>,
}

impl UnitChecker {
    pub fn new() -> UnitChecker {
        UnitChecker {
            db: UnitDb::new(),
            warned: BTreeSet::new(),
        }
    }

    /// Applies one UNITS definition; for a named factor, returns its name and value.
    pub fn unit_def(&mut self, def: &UnitDef, diags: &mut Vec<Diagnostic>) -> Option<(Ident, f64)> {
        match def {
            UnitDef::Alias { name, value, .. } => {
                if let Err(e) = self.db.define_alias(&name.text, &value.text) {
                    let at = match e {
                        UnitError::Redefinition { .. } => name,
                        _ => value,
                    };
                    diags.push(units_block_error(at, &e));
                }
                None
            }
            UnitDef::Factor {
                name,
                value,
                from,
                to,
                ..
            } => self.factor(name, value.as_ref(), from, to.as_ref(), diags),
        }
    }

    /// `NAME = (from) (to)`: how many `to` make one `from`. `NAME = 1.6e-19 (coulomb)`:
    /// the number as written (the unit is checked).
    fn factor(
        &mut self,
        name: &Ident,
        value: Option<&ast::Number>,
        from: &ast::Units,
        to: Option<&ast::Units>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(Ident, f64)> {
        if let Some(v) = value {
            if let Err(e) = self.db.parse(&from.text) {
                diags.push(units_block_error(from, &e));
            }
            return Some((name.clone(), v.value));
        }
        let result = match to {
            Some(to) => self.checked_factor(from, to, diags),
            None => self.db.parse(&from.text).map(|u| u.factor),
        };
        match result {
            Ok(f) => Some((name.clone(), f)),
            Err(e) => {
                let at = to
                    .filter(|t| self.db.parse(&t.text).is_err())
                    .unwrap_or(from);
                diags.push(units_block_error(at, &e));
                // Keep the name declared so its uses are not also reported.
                Some((name.clone(), f64::NAN))
            }
        }
    }

    /// nocmodl's factor (the ratio, whatever the dimensions), with a warning when the
    /// dimensions differ, as modlunit would reject the pair.
    fn checked_factor(
        &self,
        from: &ast::Units,
        to: &ast::Units,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<f64, UnitError> {
        let value = self.db.factor_unchecked(&from.text, &to.text)?;
        if let Err(e @ UnitError::Incompatible { .. }) = self.db.factor(&from.text, &to.text) {
            diags.push(
                Diagnostic::warning(
                    from.span.cover(to.span),
                    "the two units differ in dimension",
                )
                .with_note(e.to_string())
                .with_help("NEURON uses the ratio of their factors anyway"),
            );
        }
        Ok(value)
    }

    /// Checks the units written after numbers in the blocks (`0.062 (/mV)`); NEURON
    /// keeps the number as written, so an unknown unit is a warning, as for declarations.
    pub fn check_expressions(&mut self, program: &ast::Program, diags: &mut Vec<Diagnostic>) {
        let mut units: Vec<ast::Units> = Vec::new();
        walk::for_each_stmt(program, &mut |stmt| {
            for e in walk::exprs_of(stmt) {
                walk::visit_expr(e, &mut |e| {
                    if let ast::Expr::Number { units: Some(u), .. } = e {
                        units.push(u.clone());
                    }
                });
            }
        });
        for u in &units {
            self.check_declared(u, diags);
        }
    }

    /// Checks the units of a declaration; NEURON accepts unknown ones, so a warning.
    pub fn check_declared(&mut self, units: &ast::Units, diags: &mut Vec<Diagnostic>) {
        if let Err(e) = self.db.parse(&units.text) {
            let key = match &e {
                UnitError::UnknownUnit { unit, .. } => unit.clone(),
                _ => units.text.clone(),
            };
            if !self.warned.insert(key) {
                return;
            }
            diags.push(
                Diagnostic::warning(narrow(units, &e), format!("unknown units `{}`", units.text))
                    .with_note(e.to_string())
                    .with_help(
                        "NEURON ignores declared units, but modlunit would reject them \
                         (warned once a unit)",
                    ),
            );
        }
    }
}

fn units_block_error(units: &ast::Units, e: &UnitError) -> Diagnostic {
    let message = match e {
        UnitError::Redefinition { name, .. } => {
            format!("the units `({name})` are already defined")
        }
        _ => format!("cannot recognise the units `{}`", units.text),
    };
    Diagnostic::error(narrow(units, e), message).with_note(e.to_string())
}

/// The span of the offending name inside `( ... )` when the text fills the parentheses
/// exactly (so byte offsets into the text are offsets into the source); else the whole.
fn narrow(units: &ast::Units, e: &UnitError) -> Span {
    let exact = units.span.len() == units.text.len() + 2;
    match (e.position(), e.span_len()) {
        (Some(pos), Some(len)) if exact && pos + len <= units.text.len() => {
            let start = units.span.start as usize + 1 + pos;
            Span::new(start, start + len)
        }
        _ => units.span,
    }
}
