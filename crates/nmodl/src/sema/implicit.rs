//! Names NEURON declares without a declaration in the file, as nocmodl does:
//!
//! - every STATE `s` has an initial-value PARAMETER `s0` (default 0; RANGE when
//!   listed RANGE), which the file may also declare in PARAMETER but nowhere else;
//! - the names a TABLE in a PROCEDURE tabulates are declared by the TABLE if the
//!   file does not declare them;
//! - `LAG x BY tau` declares the delayed copy `lag_x_tau`.

use super::model::{Storage, Symbol, SymbolKind, SymbolTable};
use super::neuron::NeuronDecls;
use super::walk;
use crate::ast::{self, Ident, Stmt};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub(super) fn declare(
    program: &ast::Program,
    neuron: &NeuronDecls,
    table: &mut SymbolTable,
    diags: &mut Vec<Diagnostic>,
) {
    initial_values(neuron, table, diags);
    let mut found: Vec<(String, Span, Storage)> = Vec::new();
    walk::for_each_stmt(program, &mut |stmt| match stmt {
        Stmt::Table { names, .. } => {
            for n in names {
                let storage = storage_of(neuron, &n.name, Storage::Instance);
                found.push((n.name.clone(), n.span, storage));
            }
        }
        Stmt::Lag { name, by, span } => {
            found.push((lag_name(name, by), *span, Storage::Instance));
        }
        _ => {}
    });
    for (name, span, storage) in found {
        if table.get(&name).is_none() {
            let _ = table.insert(assigned(name, span, storage));
        }
    }
}

/// The variable `LAG x BY tau` keeps: `lag_x_tau`.
pub(super) fn lag_name(name: &Ident, by: &Ident) -> String {
    format!("lag_{}_{}", name.name, by.name)
}

fn storage_of(neuron: &NeuronDecls, name: &str, otherwise: Storage) -> Storage {
    if neuron.in_global(name) {
        Storage::Global
    } else if neuron.in_range(name) {
        Storage::Range
    } else {
        otherwise
    }
}

fn assigned(name: String, span: Span, storage: Storage) -> Symbol {
    Symbol {
        name,
        kind: SymbolKind::Assigned { storage },
        span,
        units: None,
        length: None,
    }
}

/// `s0` for every STATE `s`.
fn initial_values(neuron: &NeuronDecls, table: &mut SymbolTable, diags: &mut Vec<Diagnostic>) {
    let states: Vec<(String, Span, Option<String>)> = table
        .iter()
        .filter(|s| matches!(s.kind, SymbolKind::State { .. }))
        .map(|s| (format!("{}0", s.name), s.span, s.units.clone()))
        .collect();
    for (name, state_span, units) in states {
        match table.get(&name) {
            None => {
                let _ = table.insert(Symbol {
                    name: name.clone(),
                    kind: SymbolKind::Parameter {
                        storage: storage_of(neuron, &name, Storage::Global),
                        default: None,
                        limits: None,
                    },
                    span: Span::new(state_span.start as usize, state_span.start as usize),
                    units,
                    length: None,
                });
            }
            Some(s) if matches!(s.kind, SymbolKind::Parameter { .. }) => {}
            Some(s) => diags.push(
                Diagnostic::error(
                    s.span,
                    format!("`{name}` cannot be a {}", s.kind.describe()),
                )
                .with_label(
                    state_span,
                    "NEURON makes it the initial value of this STATE",
                )
                .with_help(format!("declare `{name}` in PARAMETER, or rename it")),
            ),
        }
    }
}
