//! The syntax tree back to HOC text, in one canonical layout (a statement a
//! line, blocks indented, every binary operation parenthesised). Printing is
//! a fixed point: `print(parse(print(parse(x)))) == print(parse(x))`, which
//! the round-trip tests check over real files.

use crate::ast::{BinOp, Decl, Expr, ExprKind, Program, Stmt, StmtKind};
use crate::lexer::{ArgKind, AssignOp};
use std::fmt::Write;

/// Prints a whole program.
pub fn print_program(p: &Program) -> String {
    let mut out = String::new();
    for s in p.stmts.iter().filter(|s| !is_empty(s)) {
        stmt(&mut out, s, 0);
        out.push('\n');
    }
    out
}

fn is_empty(s: &Stmt) -> bool {
    matches!(s.kind, StmtKind::Empty)
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

fn decls(ds: &[Decl]) -> String {
    ds.iter()
        .map(|d| {
            let dims: String = d.dims.iter().map(|e| format!("[{}]", expr(e))).collect();
            format!("{}{dims}", d.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(es: &[Expr]) -> String {
    es.iter().map(expr).collect::<Vec<_>>().join(", ")
}

/// Prints one statement at `depth` (the caller has indented the first line).
fn stmt(out: &mut String, s: &Stmt, depth: usize) {
    match &s.kind {
        StmtKind::Block(stmts) => {
            out.push_str("{\n");
            for s in stmts.iter().filter(|s| !is_empty(s)) {
                indent(out, depth + 1);
                stmt(out, s, depth + 1);
                out.push('\n');
            }
            indent(out, depth);
            out.push('}');
        }
        StmtKind::If { cond, then, els } => {
            let _ = write!(out, "if ({}) ", expr(cond));
            stmt(out, then, depth);
            if let Some(e) = els {
                out.push('\n');
                indent(out, depth);
                out.push_str("else ");
                stmt(out, e, depth);
            }
        }
        StmtKind::Func(f) => {
            let kw = match f.kind {
                crate::ast::FuncKind::Proc => "proc",
                crate::ast::FuncKind::Func => "func",
                crate::ast::FuncKind::Obfunc => "obfunc",
                crate::ast::FuncKind::Iterator => "iterator",
            };
            let _ = write!(out, "{kw} {}() ", f.name);
            stmt(out, &f.body, depth);
        }
        StmtKind::Template(t) => {
            let _ = writeln!(out, "begintemplate {}", t.name);
            for s in t.body.iter().filter(|s| !is_empty(s)) {
                indent(out, depth);
                stmt(out, s, depth);
                out.push('\n');
            }
            indent(out, depth);
            let _ = write!(out, "endtemplate {}", t.name);
        }
        _ => loop_or_simple(out, s, depth),
    }
}

/// Statements with a body, then the simple ones.
fn loop_or_simple(out: &mut String, s: &Stmt, depth: usize) {
    let head = match &s.kind {
        StmtKind::While { cond, .. } => format!("while ({}) ", expr(cond)),
        StmtKind::ForC {
            init, cond, step, ..
        } => {
            let i = init.as_ref().map(|s| simple(s)).unwrap_or_default();
            let c = cond.as_ref().map(expr).unwrap_or_default();
            let st = step.as_ref().map(|s| simple(s)).unwrap_or_default();
            format!("for ({i}; {c}; {st}) ")
        }
        StmtKind::ForRange { var, from, to, .. } => {
            format!("for {} = {}, {} ", expr(var), expr(from), expr(to))
        }
        StmtKind::ForIter { call, .. } => format!("for {} ", expr(call)),
        StmtKind::ForSeg { var, ends, .. } => match ends {
            Some(e) => format!("for ({}, {}) ", expr(var), expr(e)),
            None => format!("for ({}) ", expr(var)),
        },
        StmtKind::Forall(_) => "forall ".to_string(),
        StmtKind::Forsec { target, .. } => format!("forsec {} ", expr(target)),
        StmtKind::Ifsec { target, .. } => format!("ifsec {} ", expr(target)),
        StmtKind::SecScope { sec, .. } => format!("{} ", expr(sec)),
        _ => {
            out.push_str(&simple(s));
            return;
        }
    };
    out.push_str(&head);
    match &s.kind {
        StmtKind::While { body, .. }
        | StmtKind::ForC { body, .. }
        | StmtKind::ForRange { body, .. }
        | StmtKind::ForSeg { body, .. }
        | StmtKind::Forall(body)
        | StmtKind::Forsec { body, .. }
        | StmtKind::Ifsec { body, .. }
        | StmtKind::SecScope { body, .. } => stmt(out, body, depth),
        StmtKind::ForIter { body, .. } => stmt(out, body, depth),
        _ => {}
    }
}

/// A statement that fits on one line.
fn simple(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Expr { expr: e, .. } => expr(e),
        StmtKind::Print(es) => format!("print {}", list(es)).trim_end().to_string(),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Stop => "stop".into(),
        StmtKind::Return(None) => "return".into(),
        StmtKind::Return(Some(e)) => format!("return {}", expr(e)),
        StmtKind::IteratorStatement => "iterator_statement".into(),
        StmtKind::Local(d) => format!("local {}", decls(d)),
        StmtKind::LocalObj(d) => format!("localobj {}", decls(d)),
        StmtKind::Strdef(d) => format!("strdef {}", decls(d)),
        StmtKind::Double(d) => format!("double {}", decls(d)),
        StmtKind::Objref(d) => format!("objref {}", decls(d)),
        StmtKind::Create(d) => format!("create {}", decls(d)),
        StmtKind::Access(e) => format!("access {}", expr(e)),
        StmtKind::Connect { child, parent } => {
            format!("connect {}, {}", expr(child), expr(parent))
        }
        StmtKind::Insert(m) => format!("insert {m}"),
        StmtKind::Uninsert(m) => format!("uninsert {m}"),
        StmtKind::Setpointer { target, source } => {
            format!("setpointer {}, {}", expr(target), expr(source))
        }
        StmtKind::RangeInterp {
            target,
            x0,
            x1,
            y0,
            y1,
        } => format!(
            "{}({}:{}) = {}:{}",
            expr(target),
            expr(x0),
            expr(x1),
            expr(y0),
            expr(y1)
        ),
        StmtKind::Public(n) => format!("public {}", n.join(", ")),
        StmtKind::External(n) => format!("external {}", n.join(", ")),
        StmtKind::Empty => String::new(),
        _ => String::new(),
    }
}

fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::Or => "||",
        BinOp::And => "&&",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Pow => "^",
    }
}

fn assign_op(op: AssignOp) -> &'static str {
    match op {
        AssignOp::Set => "=",
        AssignOp::Add => "+=",
        AssignOp::Sub => "-=",
        AssignOp::Mul => "*=",
        AssignOp::Div => "/=",
    }
}

fn string_lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An operand: assignments inside other expressions need parentheses.
fn operand(e: &Expr) -> String {
    match e.kind {
        ExprKind::Assign { .. } => format!("({})", expr(e)),
        _ => expr(e),
    }
}

fn suffix(indices: &[Expr], args: &Option<Vec<Expr>>) -> String {
    let mut s: String = indices.iter().map(|i| format!("[{}]", expr(i))).collect();
    if let Some(a) = args {
        let _ = write!(s, "({})", list(a));
    }
    s
}

/// Prints an expression.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Num(v) => format!("{v:?}"),
        ExprKind::Str(s) => string_lit(s),
        ExprKind::Arg { kind, n, index } => {
            let k = match kind {
                ArgKind::Num => "",
                ArgKind::Str => "s",
                ArgKind::Obj => "o",
                ArgKind::Ref => "&",
            };
            let n = if *n == 0 {
                "i".to_string()
            } else {
                n.to_string()
            };
            let idx = index.as_ref().map(|i| format!("[{}]", expr(i)));
            format!("${k}{n}{}", idx.unwrap_or_default())
        }
        ExprKind::Name {
            name,
            indices,
            args,
        } => format!("{name}{}", suffix(indices, args)),
        ExprKind::Member {
            base,
            name,
            indices,
            args,
        } => format!("{}.{name}{}", expr(base), suffix(indices, args)),
        ExprKind::New { template, args } => format!("new {template}({})", list(args)),
        ExprKind::Neg(a) => format!("-{}", operand(a)),
        ExprKind::Not(a) => format!("!{}", operand(a)),
        ExprKind::Binary(op, a, b) => {
            // `(-2)^2`: unary minus binds looser than `^`, so its base needs parentheses.
            let left = match (op, &a.kind) {
                (BinOp::Pow, ExprKind::Neg(_) | ExprKind::Not(_)) => format!("({})", expr(a)),
                _ => operand(a),
            };
            format!("({left} {} {})", binop(*op), operand(b))
        }
        ExprKind::Assign { op, target, value } => {
            format!("{} {} {}", expr(target), assign_op(*op), expr(value))
        }
        ExprKind::AddrOf(a) => format!("&{}", expr(a)),
        ExprKind::Interval(a, b) => format!("{}:{}", expr(a), expr(b)),
    }
}
