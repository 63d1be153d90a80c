//! The syntax tree back to NMODL text (used by round-trip tests and tools).
//!
//! The output is valid NMODL that parses to the same tree, spans aside: for every
//! program `p` from the parser, `parse(print(p))` equals `p` modulo spans. Layout is
//! canonical (four-space indents, one statement a line); `:` comments are not kept,
//! VERBATIM and COMMENT text is printed exactly.

use crate::ast::*;
use std::fmt::Write as _;

/// Prints a whole program.
pub fn print(program: &Program) -> String {
    let mut p = Printer::default();
    for item in &program.items {
        p.item(item);
    }
    p.out
}

/// Prints one expression (for messages and tests).
pub fn print_expr(e: &Expr) -> String {
    let mut p = Printer::default();
    p.expr(e);
    p.out
}

#[derive(Default)]
struct Printer {
    out: String,
    indent: usize,
}

fn names(list: &[Ident]) -> String {
    let v: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
    v.join(", ")
}

fn units(u: &Option<Units>) -> String {
    u.as_ref()
        .map_or(String::new(), |u| format!(" ({})", u.text))
}

fn length(l: &Option<ArrayLen>) -> String {
    match l {
        Some(ArrayLen::Number(n)) => format!("[{}]", n.text),
        Some(ArrayLen::Name(id)) => format!("[{}]", id.name),
        None => String::new(),
    }
}

fn params(ps: &[Param]) -> String {
    let v: Vec<String> = ps
        .iter()
        .map(|p| format!("{}{}", p.name.name, units(&p.units)))
        .collect();
    v.join(", ")
}

impl Printer {
    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `head {`, the body printed by `body`, then `}`.
    fn braced(&mut self, head: &str, body: impl FnOnce(&mut Printer)) {
        if head.is_empty() {
            self.line("{");
        } else {
            self.line(&format!("{head} {{"));
        }
        self.indent += 1;
        body(self);
        self.indent -= 1;
        self.line("}");
    }

    /// A VERBATIM or COMMENT block: its text is printed exactly.
    fn raw(&mut self, keyword: &str, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        let sep = if text.is_empty() {
            " "
        } else if text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let _ = writeln!(self.out, "{keyword}{text}{sep}END{keyword}");
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Title { text, .. } => self.line(&format!("TITLE {text}")),
            Item::Comment { text, .. } => self.raw("COMMENT", text),
            Item::Verbatim(v) => self.raw("VERBATIM", &v.text),
            Item::Define { name, value, .. } => {
                self.line(&format!("DEFINE {} {}", name.name, value.text))
            }
            Item::Include { path, .. } => self.line(&format!("INCLUDE \"{path}\"")),
            Item::Neuron(n) => self.braced("NEURON", |p| n.stmts.iter().for_each(|s| p.neuron(s))),
            Item::Units(u) => self.braced("UNITS", |p| u.defs.iter().for_each(|d| p.unit_def(d))),
            Item::Parameter(b) => self.braced("PARAMETER", |p| {
                b.decls.iter().for_each(|d| p.param_decl(d))
            }),
            Item::Assigned(b) => self.var_block("ASSIGNED", b),
            Item::State(b) => self.var_block("STATE", b),
            Item::Constant(b) => self.braced("CONSTANT", |p| {
                for d in &b.decls {
                    p.line(&format!(
                        "{} = {}{}",
                        d.name.name,
                        d.value.text,
                        units(&d.units)
                    ));
                }
            }),
            Item::Independent { names, .. } => self.braced("INDEPENDENT", |p| {
                for n in names {
                    p.line(&format!("{} FROM 0 TO 1 WITH 1", n.name));
                }
            }),
            Item::Local { names, .. } => self.line(&format!("LOCAL {}", local_names(names))),
            Item::UnitsOn(_) => self.line("UNITSON"),
            Item::UnitsOff(_) => self.line("UNITSOFF"),
            _ => self.proc_item(item),
        }
    }

    fn proc_item(&mut self, item: &Item) {
        match item {
            Item::Initial(b) => self.block("INITIAL", b),
            Item::Breakpoint(b) => self.block("BREAKPOINT", b),
            Item::Constructor(b) => self.block("CONSTRUCTOR", b),
            Item::Destructor(b) => self.block("DESTRUCTOR", b),
            Item::BeforeAfter {
                when, what, body, ..
            } => {
                let w = match when {
                    BeforeAfter::Before => "BEFORE",
                    BeforeAfter::After => "AFTER",
                };
                self.block(&format!("{w} {}", what.name), body);
            }
            Item::Derivative(b) => self.named("DERIVATIVE", b),
            Item::Kinetic(b) => self.named("KINETIC", b),
            Item::Linear(b) => self.named("LINEAR", b),
            Item::NonLinear(b) => self.named("NONLINEAR", b),
            Item::Discrete(b) => self.named("DISCRETE", b),
            Item::Partial(b) => self.named("PARTIAL", b),
            Item::Procedure(c) => self.callable("PROCEDURE", c),
            Item::Function(c) => self.callable("FUNCTION", c),
            Item::FunctionTable(c) => self.callable("FUNCTION_TABLE", c),
            Item::NetReceive(n) => {
                let head = format!("NET_RECEIVE({})", params(&n.params));
                self.block(&head, &n.body);
            }
            _ => {}
        }
    }

    fn neuron(&mut self, s: &NeuronStmt) {
        let list = |kw: &str, ns: &[Ident]| format!("{kw} {}", names(ns));
        let text = match s {
            NeuronStmt::Suffix { name, .. } => format!("SUFFIX {}", name.name),
            NeuronStmt::PointProcess { name, .. } => format!("POINT_PROCESS {}", name.name),
            NeuronStmt::ArtificialCell { name, .. } => format!("ARTIFICIAL_CELL {}", name.name),
            NeuronStmt::UseIon(u) => useion(u),
            NeuronStmt::NonspecificCurrent { names, .. } => list("NONSPECIFIC_CURRENT", names),
            NeuronStmt::ElectrodeCurrent { names, .. } => list("ELECTRODE_CURRENT", names),
            NeuronStmt::Range { names, .. } => list("RANGE", names),
            NeuronStmt::Global { names, .. } => list("GLOBAL", names),
            NeuronStmt::Pointer { names, .. } => list("POINTER", names),
            NeuronStmt::BbcorePointer { names, .. } => list("BBCOREPOINTER", names),
            NeuronStmt::External { names, .. } => list("EXTERNAL", names),
            NeuronStmt::Random { names, .. } => list("RANDOM", names),
            NeuronStmt::ThreadSafe { names, .. } if names.is_empty() => "THREADSAFE".into(),
            NeuronStmt::ThreadSafe { names, .. } => list("THREADSAFE", names),
            NeuronStmt::Represents { term, .. } => format!("REPRESENTS {term}"),
            NeuronStmt::Verbatim(v) => return self.raw("VERBATIM", &v.text),
        };
        self.line(&text);
    }

    fn unit_def(&mut self, d: &UnitDef) {
        let text = match d {
            UnitDef::Alias { name, value, .. } => format!("({}) = ({})", name.text, value.text),
            UnitDef::Factor {
                name,
                value,
                from,
                to,
                ..
            } => {
                let mut s = format!("{} =", name.name);
                if let Some(v) = value {
                    let _ = write!(s, " {}", v.text);
                }
                let _ = write!(s, " ({})", from.text);
                if let Some(t) = to {
                    let _ = write!(s, " ({})", t.text);
                }
                s
            }
        };
        self.line(&text);
    }

    fn param_decl(&mut self, d: &ParamDecl) {
        let mut s = format!("{}{}", d.name.name, length(&d.length));
        if let Some(v) = &d.value {
            let _ = write!(s, " = {}", v.text);
        }
        s.push_str(&units(&d.units));
        if let Some(l) = &d.limits {
            let _ = write!(s, " <{}, {}>", l.lo.text, l.hi.text);
        }
        self.line(&s);
    }

    fn var_block(&mut self, head: &str, b: &DeclBlock<VarDecl>) {
        self.braced(head, |p| {
            for d in &b.decls {
                let mut s = format!("{}{}", d.name.name, length(&d.length));
                if let Some((lo, hi)) = &d.from_to {
                    let _ = write!(s, " FROM {} TO {}", lo.text, hi.text);
                }
                if let Some(st) = &d.start {
                    let _ = write!(s, " START {}", st.text);
                }
                s.push_str(&units(&d.units));
                if let Some(t) = &d.abstol {
                    let _ = write!(s, " <{}>", t.text);
                }
                p.line(&s);
            }
        });
    }

    fn named(&mut self, kw: &str, b: &NamedBlock) {
        let mut head = format!("{kw} {}", b.name.name);
        if !b.solvefor.is_empty() {
            let _ = write!(head, " SOLVEFOR {}", names(&b.solvefor));
        }
        self.block(&head, &b.body);
    }

    fn callable(&mut self, kw: &str, c: &Callable) {
        let head = format!(
            "{kw} {}({}){}",
            c.name.name,
            params(&c.params),
            units(&c.units)
        );
        match &c.body {
            Some(b) => self.block(&head, b),
            None => self.line(&head),
        }
    }

    fn block(&mut self, head: &str, b: &Block) {
        self.braced(head, |p| b.stmts.iter().for_each(|s| p.stmt(s)));
    }
}

fn useion(u: &UseIon) -> String {
    let mut s = format!("USEION {}", u.ion.name);
    if !u.read.is_empty() {
        let _ = write!(s, " READ {}", names(&u.read));
    }
    if !u.write.is_empty() {
        let _ = write!(s, " WRITE {}", names(&u.write));
    }
    if let Some(v) = &u.valence {
        let _ = write!(s, " VALENCE {}", v.text);
    }
    if let Some(r) = &u.represents {
        let _ = write!(s, " REPRESENTS {r}");
    }
    s
}

fn local_names(ns: &[LocalDecl]) -> String {
    let v: Vec<String> = ns
        .iter()
        .map(|d| format!("{}{}", d.name.name, length(&d.length)))
        .collect();
    v.join(", ")
}

impl Printer {
    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Local { names, .. } => self.line(&format!("LOCAL {}", local_names(names))),
            Stmt::Assign { lhs, rhs, .. } => {
                let text = format!("{} = {}", lvalue(lhs), expr_text(rhs));
                self.line(&text);
            }
            Stmt::Expr(e) => self.line(&expr_text(e)),
            Stmt::If { .. } => self.if_stmt(s, "if"),
            Stmt::While { cond, body, .. } => {
                self.block(&format!("while ({})", expr_text(cond)), body)
            }
            Stmt::FromTo {
                var,
                from,
                to,
                by,
                body,
                ..
            } => {
                let mut head = format!(
                    "FROM {} = {} TO {}",
                    var.name,
                    expr_text(from),
                    expr_text(to)
                );
                if let Some(by) = by {
                    let _ = write!(head, " BY {}", expr_text(by));
                }
                self.block(&head, body);
            }
            Stmt::Solve { .. } => self.solve(s),
            Stmt::Initial(b) => self.block("INITIAL", b),
            Stmt::Block(b) => self.block("", b),
            Stmt::ForNetCons {
                params: ps, body, ..
            } => self.block(&format!("FOR_NETCONS({})", params(ps)), body),
            Stmt::Verbatim(v) => self.raw("VERBATIM", &v.text),
            Stmt::Protect(inner) => {
                let mut p = Printer::default();
                p.stmt(inner);
                self.line(&format!("PROTECT {}", p.out.trim_end()));
            }
            _ => self.line(&simple_stmt(s)),
        }
    }

    /// `if (c) { } else if (d) { } else { }`; `keyword` is `if` or `} else if`.
    fn if_stmt(&mut self, s: &Stmt, keyword: &str) {
        let Stmt::If {
            cond,
            then,
            otherwise,
            ..
        } = s
        else {
            return;
        };
        self.line(&format!("{keyword} ({}) {{", expr_text(cond)));
        self.indent += 1;
        then.stmts.iter().for_each(|s| self.stmt(s));
        self.indent -= 1;
        match otherwise {
            None => self.line("}"),
            Some(b) => match b.stmts.as_slice() {
                [nested @ Stmt::If { span, .. }] if *span == b.span => {
                    self.if_stmt(nested, "} else if")
                }
                _ => {
                    self.line("} else {");
                    self.indent += 1;
                    b.stmts.iter().for_each(|s| self.stmt(s));
                    self.indent -= 1;
                    self.line("}");
                }
            },
        }
    }

    fn solve(&mut self, s: &Stmt) {
        let Stmt::Solve {
            block,
            method,
            steadystate,
            if_error,
            ..
        } = s
        else {
            return;
        };
        let mut head = format!("SOLVE {}", block.name);
        if let Some(m) = method {
            let _ = write!(head, " METHOD {}", m.name);
        }
        if let Some(m) = steadystate {
            let _ = write!(head, " STEADYSTATE {}", m.name);
        }
        match if_error {
            Some(b) => self.block(&format!("{head} IFERROR"), b),
            None => self.line(&head),
        }
    }
}

/// The one-line statements.
fn simple_stmt(s: &Stmt) -> String {
    match s {
        Stmt::Table {
            names: ns,
            depend,
            from,
            to,
            with,
            ..
        } => {
            let mut t = String::from("TABLE");
            if !ns.is_empty() {
                let _ = write!(t, " {}", names(ns));
            }
            if !depend.is_empty() {
                let _ = write!(t, " DEPEND {}", names(depend));
            }
            let _ = write!(
                t,
                " FROM {} TO {} WITH {}",
                expr_text(from),
                expr_text(to),
                expr_text(with)
            );
            t
        }
        Stmt::Reaction(r) => reaction(r),
        Stmt::Equation { lhs, rhs, .. } => format!("~ {} = {}", expr_text(lhs), expr_text(rhs)),
        Stmt::Conserve { lhs, rhs, .. } => {
            format!("CONSERVE {} = {}", expr_text(lhs), expr_text(rhs))
        }
        Stmt::Compartment {
            index,
            volume,
            states,
            ..
        } => compartment("COMPARTMENT", index, volume, states),
        Stmt::LongitudinalDiffusion {
            index,
            flux,
            states,
            ..
        } => compartment("LONGITUDINAL_DIFFUSION", index, flux, states),
        Stmt::Watch { watches, .. } => {
            let v: Vec<String> = watches
                .iter()
                .map(|(c, f)| format!("({}) {}", expr_text(c), expr_text(f)))
                .collect();
            format!("WATCH {}", v.join(", "))
        }
        Stmt::Conductance { name, ion, .. } => match ion {
            Some(ion) => format!("CONDUCTANCE {} USEION {}", name.name, ion.name),
            None => format!("CONDUCTANCE {}", name.name),
        },
        Stmt::Lag { name, by, .. } => format!("LAG {} BY {}", name.name, by.name),
        Stmt::Reset(_) => "RESET".into(),
        Stmt::UnitsOn(_) => "UNITSON".into(),
        Stmt::UnitsOff(_) => "UNITSOFF".into(),
        Stmt::MutexLock(_) => "MUTEXLOCK".into(),
        Stmt::MutexUnlock(_) => "MUTEXUNLOCK".into(),
        _ => String::new(),
    }
}

fn compartment(kw: &str, index: &Option<Ident>, value: &Expr, states: &[Ident]) -> String {
    let index = index
        .as_ref()
        .map_or(String::new(), |i| format!("{}, ", i.name));
    let v: Vec<&str> = states.iter().map(|s| s.name.as_str()).collect();
    format!("{kw} {index}{} {{{}}}", expr_text(value), v.join(" "))
}

fn reaction(r: &Reaction) -> String {
    let side = |terms: &[ReactTerm]| {
        let v: Vec<String> = terms
            .iter()
            .map(|t| {
                let mut s = String::new();
                if let Some(n) = &t.stoich {
                    let _ = write!(s, "{} ", n.text);
                }
                s.push_str(&t.name.name);
                if let Some(i) = &t.index {
                    let _ = write!(s, "[{}]", expr_text(i));
                }
                s
            })
            .collect();
        v.join(" + ")
    };
    let lhs = side(&r.lhs);
    match r.op {
        ReactionOp::Reversible => {
            let back = r.backward.as_ref().map_or(String::new(), expr_text);
            let fwd = expr_text(&r.forward);
            format!("~ {lhs} <-> {} ({fwd}, {back})", side(&r.rhs))
        }
        ReactionOp::Flux => format!("~ {lhs} << ({})", expr_text(&r.forward)),
        ReactionOp::Forward if r.rhs.is_empty() => {
            format!("~ {lhs} -> ({})", expr_text(&r.forward))
        }
        ReactionOp::Forward => {
            format!("~ {lhs} -> {} ({})", side(&r.rhs), expr_text(&r.forward))
        }
    }
}

fn lvalue(l: &LValue) -> String {
    match l {
        LValue::Name(id) => id.name.clone(),
        LValue::Index { name, index, .. } => format!("{}[{}]", name.name, expr_text(index)),
        LValue::Prime {
            name, order, index, ..
        } => {
            let index = index
                .as_ref()
                .map_or(String::new(), |i| format!("[{}]", expr_text(i)));
            format!("{}{}{index}", name.name, "'".repeat(usize::from(*order)))
        }
    }
}

fn expr_text(e: &Expr) -> String {
    print_expr(e)
}

/// Binding strength, loosest first, as the parser uses it.
fn prec(e: &Expr) -> u8 {
    match e {
        Expr::Binary { op, .. } => binop_prec(*op),
        Expr::Unary { .. } => 6,
        _ => 8,
    }
}

fn binop_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Or => 1,
        BinOp::And => 2,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => 3,
        BinOp::Add | BinOp::Sub => 4,
        BinOp::Mul | BinOp::Div => 5,
        BinOp::Pow => 7,
    }
}

impl Printer {
    /// `e`, in parentheses if its binding is weaker than `min`.
    fn operand(&mut self, e: &Expr, min: u8) {
        if prec(e) < min {
            self.out.push('(');
            self.expr(e);
            self.out.push(')');
        } else {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Number { value, units: u } => {
                self.out.push_str(&value.text);
                self.out.push_str(&units(u));
            }
            Expr::Name(id) => self.out.push_str(&id.name),
            Expr::Index { name, index, .. } => {
                let _ = write!(self.out, "{}[", name.name);
                self.expr(index);
                self.out.push(']');
            }
            Expr::Prime { name, order, .. } => {
                let _ = write!(self.out, "{}{}", name.name, "'".repeat(usize::from(*order)));
            }
            Expr::Call { name, args, .. } => {
                let _ = write!(self.out, "{}(", name.name);
                for (n, a) in args.iter().enumerate() {
                    if n > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(a);
                }
                self.out.push(')');
            }
            Expr::Unary { op, operand, .. } => {
                self.out.push(if *op == UnOp::Neg { '-' } else { '!' });
                self.operand(operand, 6);
            }
            Expr::Binary { op, lhs, rhs, .. } => self.binary(*op, lhs, rhs),
            Expr::Paren { inner, .. } => {
                self.out.push('(');
                self.expr(inner);
                self.out.push(')');
            }
            Expr::UnitFactor(u) => {
                let _ = write!(self.out, "({})", u.text);
            }
            Expr::String { text, .. } => {
                let _ = write!(self.out, "\"{text}\"");
            }
        }
    }

    fn binary(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr) {
        let p = binop_prec(op);
        if op == BinOp::Pow {
            self.operand(lhs, 8);
            self.out.push('^');
            self.operand(rhs, 6);
        } else {
            self.operand(lhs, p);
            let _ = write!(self.out, " {} ", op.as_str());
            self.operand(rhs, p + 1);
        }
    }
}
