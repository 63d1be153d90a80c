//! The column layout of a compiled mechanism: which column holds which
//! variable (PARAMETER, ASSIGNED, STATE, ion variables, NEURON's `v`, `t`, ...),
//! its default and whether it is one value for the whole mechanism (GLOBAL).

use crate::sema::{BuiltinVar, IonVarKind, Mechanism, Storage, SymbolKind};
use std::collections::HashMap;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Parameter,
    Assigned,
    State,
    /// Set by the solver before every hook.
    Builtin(BuiltinVar),
    /// `usetable_<suffix>`.
    UseTable,
    /// A POINTER or BBCOREPOINTER: the value it points to, copied in before
    /// each hook when the pointer is bound to a node's `v`; BBCOREPOINTERs
    /// (and the `space` idiom) hold a vector handle (0: none).
    Pointer,
}

/// One variable column.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    /// NMODL's name (`gnabar`; `x[2]` for an array element).
    pub name: String,
    pub kind: VarKind,
    /// One value for every instance (GLOBAL, unlisted PARAMETER, top-level LOCAL).
    pub global: bool,
    pub default: f64,
    /// The ion variable this is (`ena`, `cai`, `ina`), if any.
    pub ion: Option<(String, IonVarKind)>,
}

/// Every variable of a mechanism, by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    pub vars: Vec<Var>,
    by_name: HashMap<String, u32>,
}

const BUILTINS: [(&str, BuiltinVar); 7] = [
    ("v", BuiltinVar::V),
    ("t", BuiltinVar::T),
    ("dt", BuiltinVar::Dt),
    ("celsius", BuiltinVar::Celsius),
    ("diam", BuiltinVar::Diam),
    ("area", BuiltinVar::Area),
    ("secondorder", BuiltinVar::SecondOrder),
];

impl Layout {
    /// The layout of `mech`: NEURON's variables first, then the declared ones in
    /// declaration order; array variables get one column per element.
    pub fn new(mech: &Mechanism) -> Self {
        let mut layout = Layout::default();
        for (name, b) in BUILTINS {
            layout.push(Var {
                name: name.to_string(),
                kind: VarKind::Builtin(b),
                global: true,
                default: 0.0,
                ion: None,
            });
        }
        for sym in mech.symbols.iter() {
            let (kind, global, default) = match &sym.kind {
                SymbolKind::Parameter {
                    storage, default, ..
                } => (
                    VarKind::Parameter,
                    *storage == Storage::Global,
                    default.unwrap_or(0.0),
                ),
                SymbolKind::Assigned { storage } => {
                    (VarKind::Assigned, *storage == Storage::Global, 0.0)
                }
                SymbolKind::State { .. } => (VarKind::State, false, 0.0),
                SymbolKind::FileLocal => (VarKind::Assigned, true, 0.0),
                // a stream handle (crate::exec::random); NaN: none yet
                SymbolKind::Random => (VarKind::Assigned, false, f64::NAN),
                SymbolKind::Pointer { .. } => (VarKind::Pointer, false, 0.0),
                _ => continue,
            };
            if layout.by_name.contains_key(&sym.name) {
                continue;
            }
            let ion = mech
                .ion_binding(&sym.name)
                .map(|(use_, var)| (use_.ion.clone(), var.kind));
            let names: Vec<String> = match sym.length {
                Some(n) => (0..n).map(|i| format!("{}[{i}]", sym.name)).collect(),
                None => vec![sym.name.clone()],
            };
            for name in names {
                layout.push(Var {
                    name,
                    kind,
                    global,
                    default,
                    ion: ion.clone(),
                });
            }
        }
        layout
    }

    /// Adds a column; returns its index.
    pub fn push(&mut self, var: Var) -> u32 {
        let c = self.vars.len() as u32;
        self.by_name.insert(var.name.clone(), c);
        self.vars.push(var);
        c
    }

    /// The column of `name` (`x[2]` for an element).
    pub fn column(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// The column of a NEURON variable (always present).
    pub fn builtin(&self, b: BuiltinVar) -> u32 {
        BUILTINS.iter().position(|&(_, x)| x == b).unwrap_or(0) as u32
    }

    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}
