//! A concise text rendering of a [`Mechanism`], one fact a line, for snapshot tests
//! and for `neurite` tools that show what a file declares.

use super::model::{
    BlockInfo, Current, CurrentKind, IonUse, IonVar, Mechanism, MechanismKind, Solve, Symbol,
    SymbolKind,
};
use crate::verbatim::VerbatimKind;
use std::fmt::{self, Write as _};

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dump())
    }
}

impl Mechanism {
    /// One line a fact: kind and name, symbols, ions, currents, blocks, solves, ...
    pub fn dump(&self) -> String {
        let mut out = String::new();
        let kind = match &self.kind {
            MechanismKind::Density { .. } if self.kind.is_library() => "SUFFIX nothing",
            MechanismKind::Density { .. } => "density",
            MechanismKind::PointProcess => "point process",
            MechanismKind::ArtificialCell => "artificial cell",
        };
        let _ = writeln!(out, "mechanism {} ({kind})", self.name);
        if let Some(t) = &self.title {
            let _ = writeln!(out, "title {t}");
        }
        if self.threadsafe {
            out.push_str("threadsafe\n");
        }
        self.symbols.iter().for_each(|s| symbol(&mut out, s));
        self.ions.iter().for_each(|i| ion(&mut out, i));
        self.currents.iter().for_each(|c| current(&mut out, c));
        self.blocks.iter().for_each(|b| block(&mut out, b));
        self.solves.iter().for_each(|s| solve(&mut out, s));
        self.dump_rest(&mut out);
        out
    }

    fn dump_rest(&self, out: &mut String) {
        for t in &self.tables {
            let _ = writeln!(
                out,
                "table in {}: [{}] depend [{}]",
                t.within,
                t.names.join(", "),
                t.depend.join(", ")
            );
        }
        if let Some(nr) = &self.net_receive {
            let _ = writeln!(
                out,
                "net_receive({}) initial={} watch={} for_netcons={}",
                nr.params.join(", "),
                nr.has_initial,
                nr.uses_watch,
                nr.uses_for_netcons
            );
        }
        for v in &self.verbatim {
            let kind = match &v.kind {
                VerbatimKind::Trivial => "trivial".to_string(),
                VerbatimKind::Idiom(i) => format!("idiom: {}", i.as_str()),
                VerbatimKind::Unsupported { what } => format!("unsupported: {what}"),
            };
            let within = v
                .within
                .map_or("top level".to_string(), |b| format!("{b:?}"));
            let _ = writeln!(out, "verbatim in {within}: {kind}");
        }
    }
}

fn symbol(out: &mut String, s: &Symbol) {
    let kind = match &s.kind {
        SymbolKind::Parameter {
            storage,
            default,
            limits,
        } => {
            let mut k = format!("parameter {storage:?}");
            if let Some(d) = default {
                let _ = write!(k, " = {d}");
            }
            if let Some((lo, hi)) = limits {
                let _ = write!(k, " <{lo}, {hi}>");
            }
            k
        }
        SymbolKind::Assigned { storage } => format!("assigned {storage:?}"),
        SymbolKind::State { abstol } => match abstol {
            Some(t) => format!("state <{t}>"),
            None => "state".to_string(),
        },
        SymbolKind::Constant { value, origin } => format!("constant {origin:?} = {value}"),
        SymbolKind::Pointer { bbcore } => {
            if *bbcore { "bbcorepointer" } else { "pointer" }.to_string()
        }
        SymbolKind::External => "external".to_string(),
        SymbolKind::FileLocal => "file local".to_string(),
        SymbolKind::Random => "random".to_string(),
        SymbolKind::Builtin(b) => format!("builtin {b:?}"),
        SymbolKind::Function { arity } => format!("function/{arity}"),
        SymbolKind::Procedure { arity } => format!("procedure/{arity}"),
        SymbolKind::FunctionTable { arity } => format!("function_table/{arity}"),
        SymbolKind::BuiltinFunction => "builtin function".to_string(),
    };
    let _ = write!(out, "symbol {}", s.name);
    if let Some(n) = s.length {
        let _ = write!(out, "[{n}]");
    }
    let _ = write!(out, ": {kind}");
    if let Some(u) = &s.units {
        let _ = write!(out, " ({u})");
    }
    out.push('\n');
}

fn ion_vars(vars: &[IonVar]) -> String {
    let names: Vec<String> = vars
        .iter()
        .map(|v| {
            let implicit = if v.implicit { " implicit" } else { "" };
            format!("{} {:?}{implicit}", v.name, v.kind)
        })
        .collect();
    names.join(", ")
}

fn ion(out: &mut String, i: &IonUse) {
    let _ = write!(
        out,
        "ion {}: read [{}] write [{}]",
        i.ion,
        ion_vars(&i.reads),
        ion_vars(&i.writes)
    );
    if let Some(v) = i.valence {
        let _ = write!(out, " valence {v}");
    }
    out.push('\n');
}

fn current(out: &mut String, c: &Current) {
    let kind = match &c.kind {
        CurrentKind::Ion { ion } => format!("ion {ion}"),
        CurrentKind::Nonspecific => "nonspecific".to_string(),
        CurrentKind::Electrode => "electrode".to_string(),
    };
    let _ = writeln!(out, "current {}: {kind}", c.name);
}

fn block(out: &mut String, b: &BlockInfo) {
    let _ = write!(out, "block {:?}", b.kind);
    if let Some(n) = &b.name {
        let _ = write!(out, " {n}");
    }
    if !b.params.is_empty() {
        let _ = write!(out, "({})", b.params.join(", "));
    }
    if !b.locals.is_empty() {
        let _ = write!(out, " locals [{}]", b.locals.join(", "));
    }
    out.push('\n');
}

fn solve(out: &mut String, s: &Solve) {
    let how = if s.steadystate {
        "STEADYSTATE"
    } else {
        "METHOD"
    };
    let default = if s.explicit { "" } else { " (default)" };
    let _ = writeln!(
        out,
        "solve {} ({}) in {:?}: {how} {:?}{default}",
        s.block,
        s.block_kind
            .map_or("missing".to_string(), |k| format!("{k:?}")),
        s.within,
        s.method
    );
}
