//! The names HOC uses for what a [`MechanismLibrary`] holds, resolved once
//! when the engine is made: range variables (`gnabar_hh`, `ena`, `cai`),
//! mechanism globals (`usetable_hh`, `minf_hh`), point process kinds and
//! mechanism functions (`rates_hh`), with "did you mean" suggestions.

use neurite_hines::IonColumn;
use neurite_nmodl::exec::layout::VarKind;
use neurite_nmodl::exec::{Compiled, MechanismLibrary};
use neurite_nmodl::sema::SymbolKind;
use std::collections::{BTreeSet, HashMap};

/// What a range variable name refers to (besides `v`, `diam`, `cm`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RangeVar {
    /// A column of a density mechanism (`gnabar_hh` → `hh`, column of `gnabar`).
    Mech { mech: String, column: usize },
    /// An ion variable (`ena`, `nai`, `nao`, `ina`).
    Ion { ion: String, column: IonColumn },
}

/// Every name of a library, by what HOC calls it.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub range: HashMap<String, RangeVar>,
    /// `name_mech` → (mechanism, column) of a GLOBAL variable.
    pub globals: HashMap<String, (String, usize)>,
    /// `fn_mech` → mechanism, for FUNCTIONs and PROCEDUREs.
    pub functions: HashMap<String, String>,
    pub density: BTreeSet<String>,
    pub point: BTreeSet<String>,
}

/// HOC's name of each ion column.
pub(crate) fn ion_names(ion: &str) -> [(String, IonColumn); 4] {
    [
        (format!("e{ion}"), IonColumn::Erev),
        (format!("{ion}i"), IonColumn::ConcIn),
        (format!("{ion}o"), IonColumn::ConcOut),
        (format!("i{ion}"), IonColumn::Current),
    ]
}

impl Catalog {
    pub fn new(library: &MechanismLibrary) -> Catalog {
        let mut cat = Catalog::default();
        for name in library.names() {
            if let Ok(compiled) = library.get(name) {
                if !compiled.mechanism.kind.is_library() {
                    cat.add(name, compiled);
                }
            }
        }
        cat
    }

    /// The names of one mechanism: its kind, ion variables, range variables
    /// and globals (`var_mech`), functions and procedures (`fn_mech`).
    fn add(&mut self, name: &str, compiled: &Compiled) {
        let mech = &compiled.mechanism;
        let point = mech.kind.is_point();
        if point {
            self.point.insert(name.to_string());
        } else {
            self.density.insert(name.to_string());
        }
        for use_ in &mech.ions {
            for (hoc, column) in ion_names(&use_.ion) {
                let ion = use_.ion.clone();
                self.range.insert(hoc, RangeVar::Ion { ion, column });
            }
        }
        for (column, var) in compiled.layout.vars.iter().enumerate() {
            if matches!(var.kind, VarKind::Builtin(_)) || var.ion.is_some() {
                continue;
            }
            let hoc = format!("{}_{name}", var.name);
            if var.global {
                self.globals.insert(hoc, (name.to_string(), column));
            } else if !point {
                let mech = name.to_string();
                self.range.insert(hoc, RangeVar::Mech { mech, column });
            }
        }
        for sym in mech.symbols.iter() {
            if matches!(
                sym.kind,
                SymbolKind::Function { .. } | SymbolKind::Procedure { .. }
            ) {
                let hoc = format!("{}_{name}", sym.name);
                self.functions.insert(hoc, name.to_string());
            }
        }
    }
}

/// Up to three names among `names` closest to `name` (edit distance at most
/// a third of its length, at least 2), closest first.
pub(crate) fn suggest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let limit = (name.len() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = names
        .map(|n| (distance(name, n), n))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_names() {
        let names = ["gnabar_hh", "gkbar_hh", "gl_hh", "g_pas"];
        let s = suggest("gnabr_hh", names.iter().copied());
        assert_eq!(s.first().map(String::as_str), Some("gnabar_hh"));
        assert!(suggest("zzzzzzzzzz", names.iter().copied()).is_empty());
    }
}
