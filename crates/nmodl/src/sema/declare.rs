//! Declarations: DEFINE, UNITS, CONSTANT, PARAMETER, ASSIGNED, STATE, the
//! FUNCTIONs and PROCEDUREs, and the NEURON block's pointers, into one symbol table.
//!
//! Storage follows nocmodl (`nrndeclare` in `nocpout.cpp`): a PARAMETER is GLOBAL
//! unless listed RANGE; an ASSIGNED is per instance, visible from hoc only if listed
//! RANGE, shared if listed GLOBAL; a STATE is always RANGE. Ion variables that
//! USEION reads, and concentrations it writes, are per-instance copies hidden from
//! hoc. The same rules hold for point processes.

use super::builtins;
use super::implicit;
use super::model::{
    BlockInfo, BlockKind, BuiltinVar, ConstOrigin, CurrentKind, IonVarKind, Storage, Symbol,
    SymbolKind, SymbolTable,
};
use super::neuron::NeuronDecls;
use super::unitcheck::UnitChecker;
use super::walk;
use crate::ast::{self, ArrayLen, Ident, Item};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub(super) fn declare(
    program: &ast::Program,
    neuron: &NeuronDecls,
    diags: &mut Vec<Diagnostic>,
) -> SymbolTable {
    let mut d = Declarer {
        table: SymbolTable::default(),
        neuron,
        diags,
        units: UnitChecker::new(),
    };
    d.units_blocks(program);
    for item in &program.items {
        d.item(item);
    }
    d.units.check_expressions(program, d.diags);
    d.neuron_names();
    implicit::declare(program, neuron, &mut d.table, d.diags);
    d.check_lists();
    d.table
}

struct Declarer<'a> {
    table: SymbolTable,
    neuron: &'a NeuronDecls,
    diags: &'a mut Vec<Diagnostic>,
    units: UnitChecker,
}

impl Declarer<'_> {
    fn units_blocks(&mut self, program: &ast::Program) {
        for item in &program.items {
            if let Item::Units(block) = item {
                for def in &block.defs {
                    if let Some((name, value)) = self.units.unit_def(def, self.diags) {
                        let c = constant(&name, value, ConstOrigin::Units, None);
                        self.insert(c);
                    }
                }
            }
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Define { name, value, .. } => {
                let c = constant(name, value.value, ConstOrigin::Define, None);
                self.insert(c);
            }
            Item::Constant(block) => {
                for c in &block.decls {
                    self.check_units(c.units.as_ref());
                    let value = c.value.value;
                    let sym = constant(&c.name, value, ConstOrigin::Constant, c.units.as_ref());
                    self.insert(sym);
                }
            }
            Item::Local { names, .. } => self.file_locals(names),
            Item::Parameter(block) => block.decls.iter().for_each(|p| self.parameter(p)),
            Item::Assigned(block) => block.decls.iter().for_each(|a| self.variable(a, false)),
            Item::State(block) => block.decls.iter().for_each(|s| self.variable(s, true)),
            Item::Procedure(c) | Item::Function(c) | Item::FunctionTable(c) => {
                let arity = c.params.len();
                let kind = match item {
                    Item::Procedure(_) => SymbolKind::Procedure { arity },
                    Item::Function(_) => SymbolKind::Function { arity },
                    _ => SymbolKind::FunctionTable { arity },
                };
                self.callable(c, kind);
            }
            _ => {}
        }
    }

    /// A top-level LOCAL; nocmodl accepts one that repeats a declared name.
    fn file_locals(&mut self, names: &[ast::LocalDecl]) {
        for local in names {
            if self.table.get(&local.name.name).is_none() {
                let length = self.length(local.length.as_ref());
                self.declare_var(&local.name, SymbolKind::FileLocal, None, length);
            }
        }
    }

    fn parameter(&mut self, p: &ast::ParamDecl) {
        self.check_units(p.units.as_ref());
        let storage = if self.neuron.in_range(&p.name.name) && !self.hidden_ion(&p.name.name) {
            Storage::Range
        } else if self.hidden_ion(&p.name.name) {
            Storage::Instance
        } else {
            Storage::Global
        };
        let kind = SymbolKind::Parameter {
            storage,
            default: p.value.as_ref().map(|n| n.value),
            limits: p.limits.as_ref().map(|l| (l.lo.value, l.hi.value)),
        };
        let length = self.length(p.length.as_ref());
        self.declare_var(&p.name, kind, p.units.as_ref(), length);
    }

    fn variable(&mut self, v: &ast::VarDecl, state: bool) {
        self.check_units(v.units.as_ref());
        let name = &v.name.name;
        let kind = if state {
            SymbolKind::State {
                abstol: v.abstol.as_ref().map(|n| n.value),
            }
        } else {
            let storage = if self.hidden_ion(name) {
                Storage::Instance
            } else if self.neuron.in_global(name) {
                Storage::Global
            } else if self.neuron.in_range(name) || self.is_nonspecific(name) {
                Storage::Range
            } else {
                Storage::Instance
            };
            SymbolKind::Assigned { storage }
        };
        let length = self.length(v.length.as_ref());
        self.declare_var(&v.name, kind, v.units.as_ref(), length);
    }

    /// Ion variables copied in from the ion (reads, concentration writes) are hidden.
    fn hidden_ion(&self, name: &str) -> bool {
        self.neuron.ions.iter().any(|ion| {
            ion.reads.iter().any(|v| v.name == name)
                || ion
                    .writes
                    .iter()
                    .any(|v| v.name == name && v.kind != IonVarKind::Current)
        })
    }

    fn is_nonspecific(&self, name: &str) -> bool {
        self.neuron.currents.iter().any(|c| {
            c.name == name && matches!(c.kind, CurrentKind::Nonspecific | CurrentKind::Electrode)
        })
    }

    /// Declares a variable; builtin names (`v`, `celsius`, ...) stay builtins.
    fn declare_var(
        &mut self,
        name: &Ident,
        kind: SymbolKind,
        units: Option<&ast::Units>,
        length: Option<u32>,
    ) {
        let kind = match builtins::builtin_var(&name.name) {
            Some(b) => SymbolKind::Builtin(b),
            None => kind,
        };
        self.insert(Symbol {
            name: name.name.clone(),
            kind,
            span: name.span,
            units: units.map(|u| u.text.clone()),
            length,
        });
    }

    fn callable(&mut self, c: &ast::Callable, kind: SymbolKind) {
        self.check_units(c.units.as_ref());
        for p in &c.params {
            self.check_units(p.units.as_ref());
        }
        self.insert(Symbol {
            name: c.name.name.clone(),
            kind,
            span: c.name.span,
            units: c.units.as_ref().map(|u| u.text.clone()),
            length: None,
        });
    }

    fn length(&mut self, len: Option<&ArrayLen>) -> Option<u32> {
        match len? {
            ArrayLen::Number(n) => Some(n.value.max(0.0) as u32),
            ArrayLen::Name(id) => match self.table.get(&id.name).map(|s| &s.kind) {
                Some(SymbolKind::Constant { value, .. }) => Some(value.max(0.0) as u32),
                _ => {
                    self.diags.push(
                        Diagnostic::error(id.span, format!("`{}` is not DEFINEd", id.name))
                            .with_note("an array length must be a number or a DEFINEd name")
                            .with_help("DEFINE it before this declaration: `DEFINE N 4`"),
                    );
                    Some(1)
                }
            },
        }
    }

    fn check_units(&mut self, units: Option<&ast::Units>) {
        if let Some(u) = units {
            self.units.check_declared(u, self.diags);
        }
    }

    fn insert(&mut self, sym: Symbol) {
        let (name, span, kind) = (sym.name.clone(), sym.span, sym.kind.clone());
        if let Err(first) = self.table.insert(sym) {
            self.diags.push(duplicate(&name, span, &kind, first));
        }
    }

    /// POINTER, BBCOREPOINTER and EXTERNAL names.
    fn neuron_names(&mut self) {
        for (name, bbcore) in &self.neuron.pointers {
            match self.table.get_mut(&name.name) {
                Some(s) if matches!(s.kind, SymbolKind::Assigned { .. }) => {
                    s.kind = SymbolKind::Pointer { bbcore: *bbcore };
                }
                Some(_) => {}
                None => self.diags.push(
                    Diagnostic::error(
                        name.span,
                        format!("POINTER `{}` is not declared", name.name),
                    )
                    .with_help(format!(
                        "declare it in ASSIGNED: `ASSIGNED {{ {} }}`",
                        name.name
                    )),
                ),
            }
        }
        for name in &self.neuron.randoms {
            self.insert(Symbol {
                name: name.name.clone(),
                kind: SymbolKind::Random,
                span: name.span,
                units: None,
                length: None,
            });
        }
        for name in &self.neuron.externals {
            if self.table.get(&name.name).is_none() {
                let _ = self.table.insert(Symbol {
                    name: name.name.clone(),
                    kind: SymbolKind::External,
                    span: name.span,
                    units: None,
                    length: None,
                });
            }
        }
    }
}

fn constant(name: &Ident, value: f64, origin: ConstOrigin, units: Option<&ast::Units>) -> Symbol {
    Symbol {
        name: name.name.clone(),
        kind: SymbolKind::Constant { value, origin },
        span: name.span,
        units: units.map(|u| u.text.clone()),
        length: None,
    }
}

fn duplicate(name: &str, span: Span, kind: &SymbolKind, first: &Symbol) -> Diagnostic {
    let message = if kind.is_callable() != first.kind.is_callable() {
        format!("`{name}` is used as both a variable and a function")
    } else {
        format!("`{name}` is declared twice")
    };
    Diagnostic::error(span, message).with_label(
        first.span,
        format!("first declared here, as a {}", first.kind.describe()),
    )
}

impl Declarer<'_> {
    /// RANGE/GLOBAL lists, currents and ion variables must name declared variables.
    fn check_lists(&mut self) {
        for name in &self.neuron.global {
            self.check_global(name);
        }
        for name in &self.neuron.range {
            self.check_range(name);
        }
        let currents = self
            .neuron
            .currents
            .iter()
            .map(|c| (&c.name, c.span, "a current"));
        let ion_vars = self.neuron.ions.iter().flat_map(|ion| {
            let vars = ion.reads.iter().chain(&ion.writes);
            vars.filter(|v| !v.implicit && v.kind != IonVarKind::Current)
                .map(|v| (&v.name, v.span, "an ion variable"))
        });
        let needed: Vec<_> = currents.chain(ion_vars).collect();
        for (name, span, what) in needed {
            if self.table.get(name).is_none() {
                self.diags.push(undeclared_var(span, name, what));
                // Declared from here on, so its uses are not reported again.
                let _ = self.table.insert(Symbol {
                    name: name.clone(),
                    kind: SymbolKind::Assigned {
                        storage: Storage::Instance,
                    },
                    span,
                    units: None,
                    length: None,
                });
            }
        }
    }

    fn check_global(&mut self, name: &Ident) {
        match self.table.get(&name.name).map(|s| &s.kind) {
            None => {
                let d = undeclared_var(name.span, &name.name, "a GLOBAL");
                self.diags.push(d);
            }
            Some(SymbolKind::State { .. }) => self.diags.push(Diagnostic::error(
                name.span,
                format!("`{}` is a STATE and cannot be GLOBAL", name.name),
            )),
            Some(SymbolKind::Builtin(BuiltinVar::Diam | BuiltinVar::Area)) => {
                self.diags.push(Diagnostic::error(
                    name.span,
                    format!(
                        "`{}` cannot be GLOBAL: it belongs to the section",
                        name.name
                    ),
                ));
            }
            _ => {}
        }
    }

    fn check_range(&mut self, name: &Ident) {
        match self.table.get(&name.name).map(|s| &s.kind) {
            None => self.diags.push(
                Diagnostic::warning(
                    name.span,
                    format!("RANGE `{}` names no declared variable", name.name),
                )
                .with_note("NEURON ignores it"),
            ),
            Some(SymbolKind::Builtin(BuiltinVar::Diam | BuiltinVar::Area)) => {
                self.diags.push(Diagnostic::error(
                    name.span,
                    format!("`{}` cannot be RANGE: it belongs to the section", name.name),
                ));
            }
            _ => {}
        }
    }
}

fn undeclared_var(span: Span, name: &str, what: &str) -> Diagnostic {
    Diagnostic::error(span, format!("`{name}` is {what} but is not declared"))
        .with_note("NEURON needs it declared as a variable")
        .with_help(format!("add `{name}` to the ASSIGNED block"))
}

/// Every top-level block, in file order, with its parameters and locals.
pub(super) fn blocks(program: &ast::Program) -> Vec<BlockInfo> {
    program.items.iter().filter_map(block_info).collect()
}

fn block_info(item: &Item) -> Option<BlockInfo> {
    let (kind, name, params, body, span) = match item {
        Item::Initial(b) => (BlockKind::Initial, None, Vec::new(), b, b.span),
        Item::Breakpoint(b) => (BlockKind::Breakpoint, None, Vec::new(), b, b.span),
        Item::Constructor(b) => (BlockKind::Constructor, None, Vec::new(), b, b.span),
        Item::Destructor(b) => (BlockKind::Destructor, None, Vec::new(), b, b.span),
        Item::BeforeAfter {
            when, body, span, ..
        } => {
            let kind = match when {
                ast::BeforeAfter::Before => BlockKind::Before,
                ast::BeforeAfter::After => BlockKind::After,
            };
            (kind, None, Vec::new(), body, *span)
        }
        Item::Derivative(b) => named(BlockKind::Derivative, b),
        Item::Kinetic(b) => named(BlockKind::Kinetic, b),
        Item::Linear(b) => named(BlockKind::Linear, b),
        Item::NonLinear(b) => named(BlockKind::NonLinear, b),
        Item::Discrete(b) => named(BlockKind::Discrete, b),
        Item::Partial(b) => named(BlockKind::Partial, b),
        Item::Procedure(c) | Item::Function(c) | Item::FunctionTable(c) => {
            return Some(callable_info(item, c));
        }
        Item::NetReceive(n) => (
            BlockKind::NetReceive,
            None,
            param_names(&n.params),
            &n.body,
            n.span,
        ),
        _ => return None,
    };
    Some(BlockInfo {
        kind,
        name: name.map(|n| n.name.clone()),
        params,
        locals: walk::locals_of(body),
        span,
    })
}

type Parts<'a> = (
    BlockKind,
    Option<&'a Ident>,
    Vec<String>,
    &'a ast::Block,
    Span,
);

fn named(kind: BlockKind, b: &ast::NamedBlock) -> Parts<'_> {
    (kind, Some(&b.name), Vec::new(), &b.body, b.span)
}

fn callable_info(item: &Item, c: &ast::Callable) -> BlockInfo {
    let kind = match item {
        Item::Procedure(_) => BlockKind::Procedure,
        Item::Function(_) => BlockKind::Function,
        _ => BlockKind::FunctionTable,
    };
    BlockInfo {
        kind,
        name: Some(c.name.name.clone()),
        params: param_names(&c.params),
        locals: c.body.as_ref().map(walk::locals_of).unwrap_or_default(),
        span: c.span,
    }
}

fn param_names(params: &[ast::Param]) -> Vec<String> {
    params.iter().map(|p| p.name.name.clone()).collect()
}
