//! Names used in blocks: every name resolves to a LOCAL (C-like block scope), a
//! formal argument, a NET_RECEIVE argument, the FUNCTION's own result, or a global
//! symbol; the builtins a file uses are added to the symbol table as it meets them.
//!
//! Also checks the placement rules nocmodl enforces on statements: `net_send` only
//! in INITIAL and NET_RECEIVE, `net_event`/`net_move`/WATCH/FOR_NETCONS only in
//! NET_RECEIVE, primes only of STATEs, no assignment to `t`, `dt`, `celsius`,
//! `diam`, `area`; and records SOLVE statements, TABLEs and VERBATIM blocks.

use super::builtins::{self, EventCall};
use super::model::{
    Binding, BlockInfo, BlockKind, NameUse, NetReceiveInfo, Symbol, SymbolKind, SymbolTable, Table,
    VerbatimUse,
};
use super::neuron::NeuronDecls;
use super::suggest;
use super::walk::item_body;
use crate::ast::{self, Block, Expr, Ident, Item, LValue, Stmt};
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use crate::verbatim::{self, VerbatimKind};
use std::collections::BTreeSet;

/// A SOLVE statement as written, checked later against the blocks.
#[derive(Debug)]
pub(super) struct SolveStmt {
    pub block: Ident,
    pub method: Option<Ident>,
    pub steadystate: Option<Ident>,
    pub within: BlockKind,
    pub span: Span,
}

/// One level of names in scope: a block's LOCALs or a callable's arguments.
#[derive(Debug)]
struct Scope {
    names: Vec<Ident>,
    arguments: bool,
}

impl Scope {
    fn locals(names: Vec<Ident>) -> Scope {
        Scope {
            names,
            arguments: false,
        }
    }

    fn arguments(names: Vec<Ident>) -> Scope {
        Scope {
            names,
            arguments: true,
        }
    }
}

/// What the walk over the blocks collected.
#[derive(Debug, Default)]
pub(super) struct Resolved {
    pub names: Vec<NameUse>,
    pub solves: Vec<SolveStmt>,
    pub tables: Vec<Table>,
    pub net_receive: Option<NetReceiveInfo>,
    pub verbatim: Vec<VerbatimUse>,
}

/// What the walk needs besides the symbols.
pub(super) struct Inputs<'a> {
    pub neuron: &'a NeuronDecls,
    pub blocks: &'a [BlockInfo],
    pub verbatim_texts: &'a [String],
}

pub(super) fn resolve(
    program: &ast::Program,
    symbols: &mut SymbolTable,
    inputs: Inputs<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    let has_include = program
        .items
        .iter()
        .any(|i| matches!(i, Item::Include { .. }));
    let mut w = Walker {
        symbols,
        neuron: inputs.neuron,
        blocks: inputs.blocks,
        has_include,
        verbatim_texts: inputs.verbatim_texts,
        diags,
        scopes: Vec::new(),
        block: BlockKind::Initial,
        function: None,
        reported: BTreeSet::new(),
        out: Resolved::default(),
        net_send_span: None,
    };
    w.top_level_verbatim(program);
    for item in &program.items {
        w.item(item);
    }
    w.finish();
    w.out
}

struct Walker<'a> {
    symbols: &'a mut SymbolTable,
    neuron: &'a NeuronDecls,
    blocks: &'a [BlockInfo],
    /// The file INCLUDEs another, which is not read: its names are unknown.
    has_include: bool,
    verbatim_texts: &'a [String],
    diags: &'a mut Vec<Diagnostic>,
    /// Innermost last: names of LOCALs and arguments in scope.
    scopes: Vec<Scope>,
    block: BlockKind,
    /// The FUNCTION being walked: its name is its result variable.
    function: Option<String>,
    /// Undefined names already reported (one diagnostic a name).
    reported: BTreeSet<String>,
    out: Resolved,
    net_send_span: Option<Span>,
}

impl Walker<'_> {
    fn top_level_verbatim(&mut self, program: &ast::Program) {
        for item in &program.items {
            match item {
                Item::Verbatim(v) => self.verbatim(v, None),
                Item::Neuron(n) => {
                    for s in &n.stmts {
                        if let ast::NeuronStmt::Verbatim(v) = s {
                            self.verbatim(v, None);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn item(&mut self, item: &Item) {
        let Some((kind, body)) = item_body(item) else {
            return;
        };
        self.block = kind;
        self.function = None;
        let params: Vec<Ident> = match item {
            Item::Procedure(c) | Item::Function(c) => params(&c.params),
            Item::NetReceive(n) => {
                self.net_receive(n);
                params(&n.params)
            }
            _ => Vec::new(),
        };
        if let Item::Function(c) = item {
            self.function = Some(c.name.name.clone());
        }
        if let Item::Procedure(c) | Item::Function(c) = item {
            self.callable_tables(c, body);
        }
        self.check_duplicates(&params);
        self.scopes.push(Scope::arguments(params));
        self.block_body(body);
        self.scopes.clear();
    }

    fn net_receive(&mut self, n: &ast::NetReceive) {
        if let Some(first) = &self.out.net_receive {
            self.diags.push(
                Diagnostic::error(n.span, "only one NET_RECEIVE block is allowed")
                    .with_label(first.span, "first NET_RECEIVE here"),
            );
            return;
        }
        if !self.neuron.is_point() {
            self.diags.push(
                Diagnostic::error(
                    n.span,
                    "NET_RECEIVE needs a POINT_PROCESS or ARTIFICIAL_CELL",
                )
                .with_note("a density mechanism (SUFFIX) cannot receive events"),
            );
        }
        if n.params.is_empty() {
            self.diags.push(Diagnostic::error(
                n.span,
                "NET_RECEIVE must have at least one argument (the weight)",
            ));
        }
        let mut info = NetReceiveInfo {
            params: n.params.iter().map(|p| p.name.name.clone()).collect(),
            has_initial: false,
            uses_watch: false,
            uses_for_netcons: false,
            span: n.span,
        };
        for stmt in &n.body.stmts {
            if let Stmt::Initial(_) = stmt {
                info.has_initial = true;
            }
        }
        self.out.net_receive = Some(info);
    }

    fn finish(&mut self) {
        if let (Some(span), None) = (self.net_send_span, &self.out.net_receive) {
            self.diags.push(
                Diagnostic::error(span, "`net_send` needs a NET_RECEIVE block")
                    .with_help("the self-event is delivered to NET_RECEIVE; add one"),
            );
        }
    }

    fn block_body(&mut self, block: &Block) {
        self.scopes.push(Scope::locals(Vec::new()));
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
        self.scopes.pop();
    }

    fn check_duplicates(&mut self, names: &[Ident]) {
        for (i, name) in names.iter().enumerate() {
            if let Some(first) = names[..i].iter().find(|n| n.name == name.name) {
                self.diags.push(
                    Diagnostic::error(name.span, format!("`{}` is declared twice", name.name))
                        .with_label(first.span, "first declared here"),
                );
            }
        }
    }

    /// A LOCAL at the top of a FUNCTION or PROCEDURE body may not repeat an argument
    /// (NEURON's C++ then redeclares the parameter).
    fn shadowed_param(&self, name: &str) -> Option<Span> {
        let callable = matches!(self.block, BlockKind::Function | BlockKind::Procedure);
        if !callable || self.scopes.len() != 2 {
            return None;
        }
        self.scopes[0]
            .names
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.span)
    }

    fn declare_locals(&mut self, names: &[ast::LocalDecl]) {
        for local in names {
            let scope_has = self
                .scopes
                .last()
                .and_then(|s| s.names.iter().find(|n| n.name == local.name.name))
                .map(|n| n.span);
            let name = &local.name.name;
            if let Some(first) = scope_has {
                self.diags.push(
                    Diagnostic::error(local.name.span, format!("LOCAL `{name}` is declared twice"))
                        .with_label(first, "first declared here"),
                );
            } else if let Some(param) = self.shadowed_param(name) {
                self.diags.push(
                    Diagnostic::error(
                        local.name.span,
                        format!("LOCAL `{name}` has the name of an argument"),
                    )
                    .with_label(param, "the argument is declared here")
                    .with_help("rename the LOCAL; the argument is already a local variable"),
                );
            }
            if let Some(scope) = self.scopes.last_mut() {
                scope.names.push(local.name.clone());
            }
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Local { names, .. } => self.declare_locals(names),
            Stmt::Assign { lhs, rhs, .. } => {
                self.lvalue(lhs);
                self.expr(rhs);
            }
            Stmt::Expr(e) => self.expr(e),
            Stmt::If { .. } | Stmt::While { .. } | Stmt::FromTo { .. } => self.control(stmt),
            Stmt::Solve {
                block,
                method,
                steadystate,
                if_error,
                span,
            } => {
                self.out.solves.push(SolveStmt {
                    block: block.clone(),
                    method: method.clone(),
                    steadystate: steadystate.clone(),
                    within: self.block,
                    span: *span,
                });
                if let Some(b) = if_error {
                    self.block_body(b);
                }
            }
            _ => self.stmt_special(stmt),
        }
    }

    /// `if`, `while` and `FROM i = a TO b { }`.
    fn control(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                self.expr(cond);
                self.block_body(then);
                if let Some(b) = otherwise {
                    self.block_body(b);
                }
            }
            Stmt::While { cond, body, .. } => {
                self.expr(cond);
                self.block_body(body);
            }
            Stmt::FromTo {
                var,
                from,
                to,
                by,
                body,
                ..
            } => {
                // nocmodl declares the loop index itself (an `int` local to the loop).
                self.exprs([from, to].into_iter().chain(by.as_ref()));
                self.scopes.push(Scope::locals(vec![var.clone()]));
                self.block_body(body);
                self.scopes.pop();
            }
            _ => {}
        }
    }

    /// Statements of kinetic schemes, NET_RECEIVE and the rarer keywords.
    fn stmt_special(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Table { span, .. }
                if !matches!(self.block, BlockKind::Function | BlockKind::Procedure) =>
            {
                self.diags.push(Diagnostic::error(
                    *span,
                    "TABLE is only allowed in a FUNCTION or PROCEDURE",
                ));
            }
            Stmt::Reaction(r) => self.reaction(r),
            Stmt::Equation { lhs, rhs, .. } | Stmt::Conserve { lhs, rhs, .. } => {
                self.exprs([lhs, rhs]);
            }
            Stmt::Compartment {
                index,
                volume: e,
                states,
                ..
            }
            | Stmt::LongitudinalDiffusion {
                index,
                flux: e,
                states,
                ..
            } => self.compartment(index.as_ref(), e, states),
            Stmt::Watch { watches, span } => self.watch(watches, *span),
            Stmt::ForNetCons { params, body, span } => self.for_netcons(params, body, *span),
            Stmt::Initial(b) | Stmt::Block(b) => self.block_body(b),
            Stmt::Conductance { name, span, .. } => self.conductance(name, *span),
            Stmt::Protect(inner) => self.stmt(inner),
            Stmt::Lag { name, by, .. } => {
                self.name(name);
                self.name(by);
            }
            Stmt::Verbatim(v) => self.verbatim(v, Some(self.block)),
            _ => {}
        }
    }

    fn reaction(&mut self, r: &ast::Reaction) {
        for term in r.lhs.iter().chain(&r.rhs) {
            self.name(&term.name);
            self.exprs(term.index.iter());
        }
        self.exprs(std::iter::once(&r.forward).chain(r.backward.as_ref()));
    }

    fn conductance(&mut self, name: &Ident, span: Span) {
        if self.block != BlockKind::Breakpoint {
            self.diags.push(Diagnostic::error(
                span,
                "CONDUCTANCE can only appear in the BREAKPOINT block",
            ));
        }
        self.name(name);
    }

    fn watch(&mut self, watches: &[(Expr, Expr)], span: Span) {
        self.only_in_net_receive(span, "WATCH");
        if let Some(nr) = &mut self.out.net_receive {
            nr.uses_watch = true;
        }
        for (cond, flag) in watches {
            self.exprs([cond, flag]);
        }
    }

    fn compartment(&mut self, index: Option<&Ident>, e: &Expr, states: &[Ident]) {
        // The index name (`COMPARTMENT i, vol[i] {s}`) is bound inside the statement.
        self.scopes
            .push(Scope::locals(index.into_iter().cloned().collect()));
        self.expr(e);
        self.scopes.pop();
        for s in states {
            self.name(s);
        }
    }

    fn for_netcons(&mut self, params: &[ast::Param], body: &Block, span: Span) {
        self.only_in_net_receive(span, "FOR_NETCONS");
        if let Some(nr) = &mut self.out.net_receive {
            nr.uses_for_netcons = true;
            if nr.params.len() != params.len() {
                self.diags.push(
                    Diagnostic::error(
                        span,
                        "FOR_NETCONS and NET_RECEIVE do not have the same number of arguments",
                    )
                    .with_label(nr.span, "NET_RECEIVE is here"),
                );
            }
        }
        self.scopes.push(Scope::arguments(self::params(params)));
        self.block_body(body);
        self.scopes.pop();
    }

    fn only_in_net_receive(&mut self, span: Span, what: &str) {
        if self.block != BlockKind::NetReceive {
            self.diags.push(Diagnostic::error(
                span,
                format!("{what} is only allowed in the NET_RECEIVE block"),
            ));
        }
    }

    fn verbatim(&mut self, v: &ast::Verbatim, within: Option<BlockKind>) {
        let symbols = &self.symbols;
        // C functions the file defines in VERBATIM run too (exec/cverb.rs)
        let c_functions: Vec<String> = self
            .verbatim_texts
            .iter()
            .flat_map(|t| verbatim::defined_functions(t))
            .collect();
        let is_callable = |name: &str| {
            c_functions.iter().any(|f| f == name)
                || symbols.get(name).is_some_and(|s| {
                    matches!(
                        s.kind,
                        SymbolKind::Function { .. } | SymbolKind::Procedure { .. }
                    )
                })
        };
        let kind = verbatim::classify_in(&v.text, &is_callable);
        if let VerbatimKind::Unsupported { what } = &kind {
            self.diags.push(
                Diagnostic::warning(
                    v.span,
                    format!("this VERBATIM block will not run: it {what}"),
                )
                .with_note("Neurite runs no C")
                .with_help(
                    "VERBATIM C runs only when it is one of the known idioms \
                     (event vectors, random streams)",
                ),
            );
        }
        self.out.verbatim.push(VerbatimUse {
            kind,
            within,
            span: v.span,
        });
    }

    /// TABLE statements of a FUNCTION or PROCEDURE body (top level of the body).
    fn callable_tables(&mut self, c: &ast::Callable, body: &Block) {
        for stmt in &body.stmts {
            if let Stmt::Table {
                names,
                depend,
                from,
                to,
                with,
                span,
            } = stmt
            {
                let first = self.out.tables.iter().find(|t| t.within == c.name.name);
                if let Some(first) = first.map(|t| t.span) {
                    self.diags.push(
                        Diagnostic::error(*span, "only one TABLE per FUNCTION or PROCEDURE")
                            .with_label(first, "the first TABLE is here"),
                    );
                }
                self.table_shape(c, names, *span);
                names.iter().chain(depend).for_each(|n| self.name(n));
                self.scopes.push(Scope::arguments(params(&c.params)));
                self.exprs([from, to, with]);
                self.scopes.pop();
                self.out.tables.push(Table {
                    within: c.name.name.clone(),
                    names: names.iter().map(|n| n.name.clone()).collect(),
                    depend: depend.iter().map(|n| n.name.clone()).collect(),
                    span: *span,
                });
            }
        }
    }
}

impl Walker<'_> {
    /// nocmodl's TABLE rules: a FUNCTION's TABLE lists no names, a PROCEDURE's does,
    /// and the FUNCTION or PROCEDURE has exactly one argument.
    fn table_shape(&mut self, c: &ast::Callable, names: &[Ident], span: Span) {
        let is_function = self.function.is_some();
        if is_function && !names.is_empty() {
            self.diags.push(Diagnostic::error(
                span,
                "a TABLE in a FUNCTION cannot list names: it tabulates the result",
            ));
        } else if !is_function && names.is_empty() {
            self.diags.push(
                Diagnostic::error(
                    span,
                    "a TABLE in a PROCEDURE must list the names it tabulates",
                )
                .with_help("e.g. `TABLE minf, mtau FROM -100 TO 100 WITH 200`"),
            );
        }
        if c.params.len() != 1 {
            self.diags.push(
                Diagnostic::error(
                    span,
                    "a FUNCTION or PROCEDURE with a TABLE must have exactly one argument",
                )
                .with_label(c.name.span, format!("`{}` is declared here", c.name.name)),
            );
        }
    }
}

fn params(params: &[ast::Param]) -> Vec<Ident> {
    params.iter().map(|p| p.name.clone()).collect()
}

/// Expressions and names.
impl Walker<'_> {
    fn exprs<'e>(&mut self, exprs: impl IntoIterator<Item = &'e Expr>) {
        for e in exprs {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Number { .. } | Expr::UnitFactor(_) | Expr::String { .. } => {}
            Expr::Name(id) => self.name(id),
            Expr::Index { name, index, .. } => {
                self.name(name);
                self.expr(index);
            }
            Expr::Prime { name, .. } => self.name(name),
            Expr::Call { name, args, span } => {
                self.call(name, args.len(), *span);
                self.exprs(args);
            }
            Expr::Unary { operand, .. } => self.expr(operand),
            Expr::Binary { lhs, rhs, .. } => self.exprs([lhs.as_ref(), rhs.as_ref()]),
            Expr::Paren { inner, .. } => self.expr(inner),
        }
    }

    fn lvalue(&mut self, lhs: &LValue) {
        match lhs {
            LValue::Name(id) => self.assigned(id),
            LValue::Index { name, index, .. } => {
                self.assigned(name);
                self.expr(index);
            }
            LValue::Prime { name, .. } => self.prime(name),
        }
    }

    fn prime(&mut self, name: &Ident) {
        let binding = match self.local_binding(&name.name) {
            Some(b) => b,
            None if self.symbols.get(&name.name).is_some() => Binding::Global,
            None => Binding::Undefined,
        };
        self.out.names.push(NameUse {
            span: name.span,
            binding,
        });
        if binding != Binding::Global {
            return;
        }
        let is_state = matches!(
            self.symbols.get(&name.name).map(|s| &s.kind),
            Some(SymbolKind::State { .. })
        );
        if !is_state {
            self.diags.push(
                Diagnostic::error(
                    name.span,
                    format!(
                        "`{}'` is the derivative of a name that is not a STATE",
                        name.name
                    ),
                )
                .with_help(format!("declare `{}` in the STATE block", name.name)),
            );
        }
    }

    fn assigned(&mut self, id: &Ident) {
        self.name(id);
        if self.is_local(&id.name) || self.function.as_deref() == Some(id.name.as_str()) {
            return;
        }
        let Some(sym) = self.symbols.get(&id.name) else {
            return;
        };
        let read_only = match &sym.kind {
            SymbolKind::Builtin(b) => b.is_read_only(),
            _ => false,
        };
        if read_only {
            self.diags.push(
                Diagnostic::error(
                    id.span,
                    format!(
                        "`{}` is a NEURON variable that a mod file may not assign",
                        id.name
                    ),
                )
                .with_help("use a LOCAL or ASSIGNED variable of your own"),
            );
        } else if sym.kind.is_callable() {
            self.diags.push(Diagnostic::error(
                id.span,
                format!(
                    "cannot assign to `{}`: it is a {}",
                    id.name,
                    sym.kind.describe()
                ),
            ));
        }
    }

    fn is_local(&self, name: &str) -> bool {
        self.local_binding(name).is_some()
    }

    /// The innermost LOCAL or argument called `name`.
    fn local_binding(&self, name: &str) -> Option<Binding> {
        self.scopes.iter().rev().find_map(|scope| {
            let i = scope.names.iter().position(|n| n.name == name)?;
            Some(if scope.arguments {
                Binding::Argument(i)
            } else {
                Binding::Local
            })
        })
    }

    /// A name used as a value (or assigned): resolves it and records the binding.
    fn name(&mut self, id: &Ident) {
        let binding = self.bind(id);
        self.out.names.push(NameUse {
            span: id.span,
            binding,
        });
    }

    fn bind(&mut self, id: &Ident) -> Binding {
        let name = id.name.as_str();
        if let Some(b) = self.local_binding(name) {
            return b;
        }
        if self.function.as_deref() == Some(name) {
            return Binding::FunctionResult;
        }
        if self.block == BlockKind::NetReceive {
            self.net_receive_ion(id);
        }
        if let Some(sym) = self.symbols.get(name) {
            if sym.kind.is_callable() {
                let what = sym.kind.describe();
                self.diags.push(Diagnostic::error(
                    id.span,
                    format!("`{name}` is a {what} and is used as a variable"),
                ));
            }
            return Binding::Global;
        }
        if self.block == BlockKind::NetReceive && name == "flag" {
            return Binding::Flag;
        }
        if builtins::is_builtin_value(name) {
            return Binding::BuiltinValue;
        }
        if let Some(b) = builtins::builtin_var(name) {
            let _ = self.symbols.insert(Symbol {
                name: name.to_string(),
                kind: SymbolKind::Builtin(b),
                span: Span::default(),
                units: None,
                length: None,
            });
            return Binding::Global;
        }
        self.undefined(id, false);
        Binding::Undefined
    }

    /// nocmodl: "only concentrations can be mentioned in a NET_RECEIVE block".
    fn net_receive_ion(&mut self, id: &Ident) {
        let kind = self.neuron.ions.iter().find_map(|ion| {
            let vars = ion.reads.iter().chain(&ion.writes);
            vars.filter(|v| !v.implicit)
                .find(|v| v.name == id.name)
                .map(|v| v.kind)
        });
        if kind.is_some_and(|k| !k.is_concentration()) {
            self.diags.push(
                Diagnostic::error(
                    id.span,
                    format!("ion variable `{}` cannot be used in NET_RECEIVE", id.name),
                )
                .with_note("only ion concentrations may appear in a NET_RECEIVE block"),
            );
        }
    }

    fn call(&mut self, name: &Ident, nargs: usize, span: Span) {
        let n = name.name.as_str();
        match self.symbols.get(n).map(|s| s.kind.clone()) {
            Some(
                SymbolKind::Function { arity }
                | SymbolKind::Procedure { arity }
                | SymbolKind::FunctionTable { arity },
            ) => self.check_arity(n, arity, nargs, span),
            Some(SymbolKind::BuiltinFunction) => self.event_call(n, span),
            Some(kind) => self.diags.push(Diagnostic::error(
                name.span,
                format!("`{n}` is a {}, not a function", kind.describe()),
            )),
            None if builtins::is_builtin_function(n) => {
                // The builtins a file uses are listed in its symbol table.
                let _ = self.symbols.insert(Symbol {
                    name: n.to_string(),
                    kind: SymbolKind::BuiltinFunction,
                    span: Span::default(),
                    units: None,
                    length: None,
                });
                self.event_call(n, span);
            }
            None if self.is_equation_block(n) => {}
            None => self.undefined(name, true),
        }
    }

    fn check_arity(&mut self, name: &str, arity: usize, nargs: usize, span: Span) {
        if arity != nargs {
            let plural = if arity == 1 { "" } else { "s" };
            let verb = if nargs == 1 { "is" } else { "are" };
            self.diags.push(Diagnostic::error(
                span,
                format!("`{name}` takes {arity} argument{plural} but {nargs} {verb} given"),
            ));
        }
    }

    /// nocmodl lets a DERIVATIVE, KINETIC, LINEAR or NONLINEAR block be called like
    /// a PROCEDURE without arguments.
    fn is_equation_block(&self, name: &str) -> bool {
        self.blocks.iter().any(|b| {
            b.name.as_deref() == Some(name)
                && matches!(
                    b.kind,
                    BlockKind::Derivative
                        | BlockKind::Kinetic
                        | BlockKind::Linear
                        | BlockKind::NonLinear
                )
        })
    }

    fn event_call(&mut self, name: &str, span: Span) {
        match builtins::event_call(name) {
            Some(EventCall::Send) => {
                self.net_send_span.get_or_insert(span);
                if !matches!(self.block, BlockKind::Initial | BlockKind::NetReceive) {
                    self.diags.push(Diagnostic::error(
                        span,
                        "`net_send` is only allowed in INITIAL and NET_RECEIVE blocks",
                    ));
                }
            }
            Some(EventCall::EventOrMove) if self.block != BlockKind::NetReceive => {
                self.diags.push(Diagnostic::error(
                    span,
                    format!("`{name}` is only allowed in the NET_RECEIVE block"),
                ));
            }
            _ => {}
        }
    }

    fn undefined(&mut self, id: &Ident, is_call: bool) {
        if !self.reported.insert(id.name.clone()) {
            return;
        }
        let what = if is_call { "function" } else { "name" };
        let in_verbatim = self.verbatim_texts.iter().any(|t| mentions(t, &id.name));
        let d = if in_verbatim {
            Diagnostic::warning(id.span, format!("undefined {what} `{}`", id.name))
                .with_note("not declared in NMODL; a VERBATIM block mentions it")
        } else if self.has_include {
            Diagnostic::warning(id.span, format!("undefined {what} `{}`", id.name))
                .with_note("not declared here; the INCLUDEd file may declare it")
        } else {
            Diagnostic::error(id.span, format!("undefined {what} `{}`", id.name)).with_note(
                if is_call {
                    "not a FUNCTION, PROCEDURE or NEURON builtin"
                } else {
                    "not declared in PARAMETER, ASSIGNED, STATE or LOCAL"
                },
            )
        };
        self.diags.push(self.suggest(d, &id.name, is_call));
    }

    fn suggest(&self, d: Diagnostic, name: &str, is_call: bool) -> Diagnostic {
        let locals: Vec<&str> = self
            .scopes
            .iter()
            .flat_map(|s| &s.names)
            .map(|n| n.name.as_str())
            .collect();
        let mut candidates: Vec<&str> = self
            .symbols
            .iter()
            .filter(|s| s.kind.is_callable() == is_call)
            .map(symbol_name)
            .collect();
        if is_call {
            for n in builtins::function_names() {
                candidates.push(n);
            }
        } else {
            candidates.extend(locals);
        }
        let best = suggest::closest(name, candidates.into_iter());
        match best {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d,
        }
    }
}

/// Whether `text` contains `name` as a whole C identifier.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

fn symbol_name(s: &Symbol) -> &str {
    &s.name
}
