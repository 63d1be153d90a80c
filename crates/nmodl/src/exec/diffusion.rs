//! `LONGITUDINAL_DIFFUSION` statements of KINETIC blocks: what each diffused
//! quantity is and the code computing its coefficient and volume, for the
//! solver's tree solve (`neurite_hines::longitudinal`).
//!
//! As nocmodl does, every `LONGITUDINAL_DIFFUSION [i,] D {s1 s2 ...}` of any
//! KINETIC block (solved or not) registers each listed STATE; an array STATE
//! gives one quantity per element, with the index name bound to the element
//! number in `D`. The volume of each STATE is the expression of the first
//! COMPARTMENT statement listing it earlier in the same KINETIC block (with
//! that statement's index bound to the same element number); a STATE in no
//! such statement is a load error, as in nocmodl. Both expressions are
//! evaluated with the instance's values at the time of the diffusion step
//! (after every mechanism's states), for each quantity just before its solve.
//! The statement itself does nothing inside the KINETIC block's own solve.

use super::blocks::state_column;
use super::ir::{Op, Src};
use super::lower::{Lower, Lowered};
use crate::ast::{Expr, Ident, Item, Program, Stmt};
use crate::diagnostic::Diagnostic;
use crate::sema::SymbolKind;

/// One diffused quantity: a STATE (or one element of an array STATE).
#[derive(Debug, Clone, PartialEq)]
pub struct DiffusionCode {
    /// The STATE's column (an ion concentration's column when the STATE is one).
    pub column: u32,
    /// Code computing `coef` and `volume` over all instances.
    pub ops: Vec<Op>,
    /// Diffusion constant × area (the statement's expression).
    pub coef: Src,
    /// Volume per unit length (the COMPARTMENT expression).
    pub volume: Src,
}

/// A COMPARTMENT statement met so far in the block.
struct Compartment<'p> {
    index: Option<&'p Ident>,
    volume: &'p Expr,
    states: &'p [Ident],
}

/// Every diffused quantity of the file, in nocmodl's order: statements in
/// file order, their STATEs in list order, array elements in index order.
pub(crate) fn compile(lower: &mut Lower<'_>, program: &Program) -> Lowered<Vec<DiffusionCode>> {
    let mut codes = Vec::new();
    for item in &program.items {
        let Item::Kinetic(block) = item else { continue };
        let mut compartments: Vec<Compartment<'_>> = Vec::new();
        for s in &block.body.stmts {
            match s {
                Stmt::Compartment {
                    index,
                    volume,
                    states,
                    ..
                } => compartments.push(Compartment {
                    index: index.as_ref(),
                    volume,
                    states,
                }),
                Stmt::LongitudinalDiffusion {
                    index,
                    flux,
                    states,
                    ..
                } => {
                    for state in states {
                        let Some(c) = compartments
                            .iter()
                            .find(|c| c.states.iter().any(|s| s.name == state.name))
                        else {
                            return Err(Diagnostic::error(
                                state.span,
                                format!(
                                    "`{}` diffuses longitudinally but is in no COMPARTMENT \
                                     statement before this one",
                                    state.name
                                ),
                            ));
                        };
                        quantities(lower, state, index.as_ref(), flux, c, &mut codes)?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(codes)
}

/// The quantities of one STATE of a LONGITUDINAL_DIFFUSION statement.
fn quantities(
    lower: &mut Lower<'_>,
    state: &Ident,
    index: Option<&Ident>,
    flux: &Expr,
    compartment: &Compartment<'_>,
    codes: &mut Vec<DiffusionCode>,
) -> Lowered<()> {
    let symbol = lower.mech.symbols.get(&state.name);
    if !matches!(symbol.map(|s| &s.kind), Some(SymbolKind::State { .. })) {
        return Err(Diagnostic::error(
            state.span,
            format!("`{}` must be a STATE to diffuse longitudinally", state.name),
        ));
    }
    let length = symbol.and_then(|s| s.length);
    for j in 0..length.unwrap_or(1) {
        let name = match length {
            Some(_) => format!("{}[{j}]", state.name),
            None => state.name.clone(),
        };
        let column = state_column(lower, &name, state.span)?;
        let mut ops = Vec::new();
        lower.push_barrier();
        let element = f64::from(j);
        if let Some(i) = compartment.index {
            lower.bind_const(&i.name, element);
        }
        let volume = lower.expr(compartment.volume, None, &mut ops);
        let volume = volume.map(|v| lower.keep(v, &mut ops));
        lower.pop_scope();
        lower.push_barrier();
        if let Some(i) = index {
            lower.bind_const(&i.name, element);
        }
        let coef = lower.expr(flux, None, &mut ops);
        let coef = coef.map(|v| lower.keep(v, &mut ops));
        lower.pop_scope();
        codes.push(DiffusionCode {
            column,
            ops,
            coef: coef?,
            volume: volume?,
        });
    }
    Ok(())
}
