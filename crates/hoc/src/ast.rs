//! Stage 2 output: the HOC syntax tree. Every node carries a [`Span`].
//!
//! The tree is name-agnostic: `soma` in `soma.L = 3` is a [`ExprKind::Name`]
//! whether it turns out to be a section, an object or a variable; the
//! interpreter decides when it runs. Declarations (`double`, `objref`,
//! `strdef`, `create`, `proc`...) are statement kinds of their own, distinct
//! from uses.

use crate::lexer::{ArgKind, AssignOp};
use crate::span::Span;
use std::rc::Rc;

/// A parsed file or string: its top-level statements.
#[derive(Debug, Default)]
pub struct Program {
    pub stmts: Vec<Stmt>,
}

/// A statement and its span.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// A declared name with its array dimensions (`x[3][4]`).
#[derive(Debug, Clone)]
pub struct Decl {
    pub name: String,
    pub dims: Vec<Expr>,
    pub span: Span,
}

/// Which kind of function definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FuncKind {
    Proc,
    Func,
    Obfunc,
    Iterator,
}

/// `proc name() stmt` and its siblings.
#[derive(Debug)]
pub struct FuncDef {
    pub kind: FuncKind,
    pub name: String,
    pub body: Stmt,
    pub span: Span,
}

/// `begintemplate Name ... endtemplate Name`.
#[derive(Debug)]
pub struct TemplateDef {
    pub name: String,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// The statement kinds.
#[derive(Debug, Clone)]
pub enum StmtKind {
    /// An expression; `print_value` when at top level (HOC prints its value).
    Expr {
        expr: Expr,
        print_value: bool,
    },
    Print(Vec<Expr>),
    Block(Vec<Stmt>),
    If {
        cond: Expr,
        then: Box<Stmt>,
        els: Option<Box<Stmt>>,
    },
    While {
        cond: Expr,
        body: Box<Stmt>,
    },
    ForC {
        init: Option<Box<Stmt>>,
        cond: Option<Expr>,
        step: Option<Box<Stmt>>,
        body: Box<Stmt>,
    },
    /// `for i = a, b stmt`
    ForRange {
        var: Expr,
        from: Expr,
        to: Expr,
        body: Box<Stmt>,
    },
    /// `for iter(args) stmt` or `for obj.iter(args) stmt`
    ForIter {
        call: Expr,
        body: Rc<Stmt>,
    },
    /// `for (x) stmt` (interior nodes only when `ends` is `Some(0)`... as NEURON)
    ForSeg {
        var: Expr,
        ends: Option<Expr>,
        body: Box<Stmt>,
    },
    Forall(Box<Stmt>),
    Forsec {
        target: Expr,
        body: Box<Stmt>,
    },
    Ifsec {
        target: Expr,
        body: Box<Stmt>,
    },
    Break,
    Continue,
    Stop,
    Return(Option<Expr>),
    IteratorStatement,
    Local(Vec<Decl>),
    LocalObj(Vec<Decl>),
    Strdef(Vec<Decl>),
    Double(Vec<Decl>),
    Objref(Vec<Decl>),
    Create(Vec<Decl>),
    Access(Expr),
    /// `connect child(x), parent(y)`, or `connect child(x), y` where the parent is
    /// the currently accessed section (told apart when it runs).
    Connect {
        child: Expr,
        parent: Expr,
    },
    Insert(String),
    Uninsert(String),
    /// `setpointer target, source` (accepted; wired through the Simulator later)
    Setpointer {
        target: Expr,
        source: Expr,
    },
    /// `sec stmt`: run `body` with `sec` on the section stack.
    SecScope {
        sec: Expr,
        body: Box<Stmt>,
    },
    /// `rangevar(x0:x1) = y0:y1`
    RangeInterp {
        target: Expr,
        x0: Expr,
        x1: Expr,
        y0: Expr,
        y1: Expr,
    },
    Func(Rc<FuncDef>),
    Template(Rc<TemplateDef>),
    Public(Vec<String>),
    External(Vec<String>),
    Empty,
}

/// An expression and its span.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Binary operators, by HOC precedence (low to high): `||`, `&&`, comparisons,
/// `+ -`, `* / %`, `^` (right associative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

/// The expression kinds.
#[derive(Debug, Clone)]
pub enum ExprKind {
    Num(f64),
    Str(String),
    /// `$1`, `$s1`, `$o1`, `$&1[i]`.
    Arg {
        kind: ArgKind,
        n: u32,
        index: Option<Box<Expr>>,
    },
    /// `name`, `name[i][j]`, `name(args)`, `name[i](args)`.
    Name {
        name: String,
        indices: Vec<Expr>,
        args: Option<Vec<Expr>>,
    },
    /// `base.name[i](args)`.
    Member {
        base: Box<Expr>,
        name: String,
        indices: Vec<Expr>,
        args: Option<Vec<Expr>>,
    },
    New {
        template: String,
        args: Vec<Expr>,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Assign {
        op: AssignOp,
        target: Box<Expr>,
        value: Box<Expr>,
    },
    /// `&x` as a call argument.
    AddrOf(Box<Expr>),
    /// `a:b` inside a range variable's parentheses.
    Interval(Box<Expr>, Box<Expr>),
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}
