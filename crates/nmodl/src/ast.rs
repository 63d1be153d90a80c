//! Stage 2 of the NMODL pipeline: the syntax tree the parser builds.
//!
//! The tree keeps everything needed to print the file back (see `printer`) except
//! whitespace and `:`/`?` comments. Every node carries a [`Span`] into the source.
//! Names are [`Ident`]s: the tree does not know yet what a name refers to; that is the
//! semantic stage's job (`sema`). Declarations (PARAMETER, ASSIGNED, STATE, LOCAL,
//! arguments) are node types distinct from uses (`Expr::Name`).

use crate::span::Span;
use serde::Serialize;

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// Unit text as written between parentheses, e.g. `mA/cm2` for `(mA/cm2)`.
/// The units module (`units`) gives it a meaning.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Units {
    pub text: String,
    /// Span of the whole `( ... )`.
    pub span: Span,
}

/// A literal number as written (`-70`, `.12`, `1e-3`), with its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Number {
    pub value: f64,
    pub text: String,
    pub span: Span,
}

/// A whole `.mod` file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Program {
    pub items: Vec<Item>,
    pub span: Span,
}

/// A top-level block or statement.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Item {
    /// `TITLE text to end of line`.
    Title {
        text: String,
        span: Span,
    },
    /// `COMMENT ... ENDCOMMENT`; the text between the keywords.
    Comment {
        text: String,
        span: Span,
    },
    /// `VERBATIM ... ENDVERBATIM` at top level; the text between the keywords, unchanged.
    Verbatim(Verbatim),
    /// `DEFINE NAME 10`.
    Define {
        name: Ident,
        value: Number,
        span: Span,
    },
    /// `INCLUDE "file"`.
    Include {
        path: String,
        span: Span,
    },
    Neuron(NeuronBlock),
    Units(UnitsBlock),
    Parameter(DeclBlock<ParamDecl>),
    Assigned(DeclBlock<VarDecl>),
    State(DeclBlock<VarDecl>),
    Constant(DeclBlock<ConstDecl>),
    /// `INDEPENDENT { t FROM 0 TO 1 WITH 1 (ms) }`; old files carry it, NEURON ignores it.
    Independent {
        names: Vec<Ident>,
        span: Span,
    },
    Initial(Block),
    Breakpoint(Block),
    Constructor(Block),
    Destructor(Block),
    /// `BEFORE BREAKPOINT { }`, `AFTER SOLVE { }`, ...
    BeforeAfter {
        when: BeforeAfter,
        what: Ident,
        body: Block,
        span: Span,
    },
    Derivative(NamedBlock),
    Kinetic(NamedBlock),
    Linear(NamedBlock),
    NonLinear(NamedBlock),
    /// `DISCRETE name { }` and `PARTIAL name { }`: parsed; NEURON's translator rejects them.
    Discrete(NamedBlock),
    Partial(NamedBlock),
    Procedure(Callable),
    Function(Callable),
    /// `FUNCTION_TABLE name(args) (units)`: values supplied from hoc at run time.
    FunctionTable(Callable),
    NetReceive(NetReceive),
    /// `LOCAL a, b[3]` at top level: variables shared by every instance (NEURON
    /// makes them `static double`).
    Local {
        names: Vec<LocalDecl>,
        span: Span,
    },
    /// `UNITSON` / `UNITSOFF` at top level.
    UnitsOn(Span),
    UnitsOff(Span),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BeforeAfter {
    Before,
    After,
}

/// Text of a VERBATIM block, kept exactly (without the keywords).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verbatim {
    pub text: String,
    pub span: Span,
}

/// `NEURON { ... }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NeuronBlock {
    pub stmts: Vec<NeuronStmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum NeuronStmt {
    Suffix {
        name: Ident,
        span: Span,
    },
    PointProcess {
        name: Ident,
        span: Span,
    },
    ArtificialCell {
        name: Ident,
        span: Span,
    },
    UseIon(UseIon),
    NonspecificCurrent {
        names: Vec<Ident>,
        span: Span,
    },
    ElectrodeCurrent {
        names: Vec<Ident>,
        span: Span,
    },
    Range {
        names: Vec<Ident>,
        span: Span,
    },
    Global {
        names: Vec<Ident>,
        span: Span,
    },
    Pointer {
        names: Vec<Ident>,
        span: Span,
    },
    BbcorePointer {
        names: Vec<Ident>,
        span: Span,
    },
    External {
        names: Vec<Ident>,
        span: Span,
    },
    /// `THREADSAFE` or `THREADSAFE a, b`.
    ThreadSafe {
        names: Vec<Ident>,
        span: Span,
    },
    /// `REPRESENTS NCIT:C17145` (an ontology term; kept as text).
    Represents {
        term: String,
        span: Span,
    },
    Verbatim(Verbatim),
    /// `RANDOM r1, r2`: Random123 streams owned by each instance (NEURON 9).
    Random {
        names: Vec<Ident>,
        span: Span,
    },
}

/// `USEION na READ ena, nai WRITE ina VALENCE 1 REPRESENTS CHEBI:29101`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UseIon {
    pub ion: Ident,
    pub read: Vec<Ident>,
    pub write: Vec<Ident>,
    pub valence: Option<Number>,
    pub represents: Option<String>,
    pub span: Span,
}

/// `UNITS { ... }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitsBlock {
    pub defs: Vec<UnitDef>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum UnitDef {
    /// `(mA) = (milliamp)`: a new unit name for an existing unit.
    Alias {
        name: Units,
        value: Units,
        span: Span,
    },
    /// `FARADAY = (faraday) (coulomb)`: a named constant equal to the ratio of two units;
    /// `e = 1.6e-19 (coulomb)` may also appear here: then `value` is set and `from` is the unit.
    Factor {
        name: Ident,
        value: Option<Number>,
        from: Units,
        to: Option<Units>,
        span: Span,
    },
}

/// A declaration block (`PARAMETER`, `ASSIGNED`, `STATE`, `CONSTANT`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeclBlock<D> {
    pub decls: Vec<D>,
    pub span: Span,
}

/// `<lo, hi>` after a declaration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Limits {
    pub lo: Number,
    pub hi: Number,
    pub span: Span,
}

/// A PARAMETER line: `gnabar = .12 (S/cm2) <0, 1e9>`, `x[3]`, `celsius (degC)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamDecl {
    pub name: Ident,
    /// Array length, for `name[n]`; a number or a DEFINEd name.
    pub length: Option<ArrayLen>,
    pub value: Option<Number>,
    pub units: Option<Units>,
    pub limits: Option<Limits>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ArrayLen {
    Number(Number),
    Name(Ident),
}

/// An ASSIGNED or STATE line: `m FROM 0 TO 1 (1)`, `ina (mA/cm2)`, `ca (mM) <1e-5>`, `s[4]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VarDecl {
    pub name: Ident,
    pub length: Option<ArrayLen>,
    pub units: Option<Units>,
    /// `FROM lo TO hi`.
    pub from_to: Option<(Number, Number)>,
    /// `<tol>` (STATE: the absolute tolerance for CVODE).
    pub abstol: Option<Number>,
    /// `START x`: an old initial-value form; NEURON accepts and ignores it.
    pub start: Option<Number>,
    pub span: Span,
}

/// A CONSTANT line: `FARADAY = 96485.309 (coul)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConstDecl {
    pub name: Ident,
    pub value: Number,
    pub units: Option<Units>,
    pub span: Span,
}

/// `DERIVATIVE states { ... }`, `KINETIC kin { ... }`, `LINEAR l SOLVEFOR a, b { }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamedBlock {
    pub name: Ident,
    pub solvefor: Vec<Ident>,
    pub body: Block,
    pub span: Span,
}

/// A formal argument: `v (mV)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Param {
    pub name: Ident,
    pub units: Option<Units>,
    pub span: Span,
}

/// `PROCEDURE rates(v (mV)) { }`, `FUNCTION f(x) (mV) { }`, `FUNCTION_TABLE tau(v)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Callable {
    pub name: Ident,
    pub params: Vec<Param>,
    /// The result's units (FUNCTION, FUNCTION_TABLE).
    pub units: Option<Units>,
    /// `None` for FUNCTION_TABLE.
    pub body: Option<Block>,
    pub span: Span,
}

/// `NET_RECEIVE(weight (uS), tsyn (ms)) { INITIAL { } ... }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetReceive {
    pub params: Vec<Param>,
    pub body: Block,
    pub span: Span,
}

/// `{ statements }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// A statement inside a block.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Stmt {
    /// `LOCAL a, b[2]`.
    Local {
        names: Vec<LocalDecl>,
        span: Span,
    },
    /// `x = e`, `m' = e`, `a[i] = e`.
    Assign {
        lhs: LValue,
        rhs: Expr,
        span: Span,
    },
    /// An expression used as a statement (a call: `rates(v)`, `net_send(0, 1)`).
    Expr(Expr),
    If {
        cond: Expr,
        then: Block,
        /// `else { }` or `else if ...` (the latter as a block holding one `If`).
        otherwise: Option<Block>,
        span: Span,
    },
    While {
        cond: Expr,
        body: Block,
        span: Span,
    },
    /// `FROM i = 0 TO n - 1 BY 1 { }`.
    FromTo {
        var: Ident,
        from: Expr,
        to: Expr,
        by: Option<Expr>,
        body: Block,
        span: Span,
    },
    /// `SOLVE states METHOD cnexp`, `SOLVE kin STEADYSTATE sparse`,
    /// `SOLVE x IFERROR { }`.
    Solve {
        block: Ident,
        method: Option<Ident>,
        steadystate: Option<Ident>,
        if_error: Option<Block>,
        span: Span,
    },
    /// `TABLE minf, mtau DEPEND celsius FROM -100 TO 100 WITH 200`.
    Table {
        names: Vec<Ident>,
        depend: Vec<Ident>,
        from: Expr,
        to: Expr,
        with: Expr,
        span: Span,
    },
    /// A reaction in a KINETIC block: `~ C1 <-> O (a, b)`, `~ ca << (f)`, `~ A -> B (k)`.
    Reaction(Reaction),
    /// An equation in a LINEAR/NONLINEAR block: `~ a + b = c`.
    Equation {
        lhs: Expr,
        rhs: Expr,
        span: Span,
    },
    /// `CONSERVE C + O = 1`.
    Conserve {
        lhs: Expr,
        rhs: Expr,
        span: Span,
    },
    /// `COMPARTMENT vol {states}` or `COMPARTMENT i, vol {states}`.
    Compartment {
        index: Option<Ident>,
        volume: Expr,
        states: Vec<Ident>,
        span: Span,
    },
    /// `LONGITUDINAL_DIFFUSION [i,] flux {states}`.
    LongitudinalDiffusion {
        index: Option<Ident>,
        flux: Expr,
        states: Vec<Ident>,
        span: Span,
    },
    /// `WATCH (v > thresh) 2, (x < 0) 3`.
    Watch {
        watches: Vec<(Expr, Expr)>,
        span: Span,
    },
    /// `FOR_NETCONS(w, tsyn) { }`.
    ForNetCons {
        params: Vec<Param>,
        body: Block,
        span: Span,
    },
    /// An `INITIAL { }` nested in NET_RECEIVE.
    Initial(Block),
    /// `CONDUCTANCE g USEION k`: a hint naming a current's conductance.
    Conductance {
        name: Ident,
        ion: Option<Ident>,
        span: Span,
    },
    /// `PROTECT x = x + 1`.
    Protect(Box<Stmt>),
    /// `LAG x BY tau`.
    Lag {
        name: Ident,
        by: Ident,
        span: Span,
    },
    /// `RESET`.
    Reset(Span),
    UnitsOn(Span),
    UnitsOff(Span),
    MutexLock(Span),
    MutexUnlock(Span),
    Verbatim(Verbatim),
    /// A nested `{ }`.
    Block(Block),
}

/// One name of a `LOCAL` statement: `a` or `a[3]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LocalDecl {
    pub name: Ident,
    pub length: Option<ArrayLen>,
    pub span: Span,
}

/// The left side of an assignment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum LValue {
    Name(Ident),
    /// `a[i]`.
    Index {
        name: Ident,
        index: Box<Expr>,
        span: Span,
    },
    /// `m'` (order 1) or `x''` (order 2); `c'[i]` for an element of a STATE array.
    Prime {
        name: Ident,
        order: u8,
        /// The element index, for `c'[i]`.
        index: Option<Box<Expr>>,
        span: Span,
    },
}

impl LValue {
    pub fn span(&self) -> Span {
        match self {
            LValue::Name(id) => id.span,
            LValue::Index { span, .. } | LValue::Prime { span, .. } => *span,
        }
    }

    pub fn ident(&self) -> &Ident {
        match self {
            LValue::Name(id) | LValue::Index { name: id, .. } | LValue::Prime { name: id, .. } => {
                id
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ReactionOp {
    /// `<->`: reversible, two rates.
    Reversible,
    /// `->`: irreversible, one rate.
    Forward,
    /// `<<`: a flux into a state, one rate.
    Flux,
}

/// One term of a reaction side: `2 ca`, `O`, `s[i]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReactTerm {
    pub stoich: Option<Number>,
    pub name: Ident,
    pub index: Option<Expr>,
    pub span: Span,
}

/// `~ lhs op rhs (rates)`. For `<<` the rhs is empty and there is one rate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reaction {
    pub lhs: Vec<ReactTerm>,
    pub op: ReactionOp,
    pub rhs: Vec<ReactTerm>,
    pub forward: Expr,
    pub backward: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl BinOp {
    /// The operator as NMODL writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Expr {
    /// A number, optionally followed by units: `0.062 (/mV)`.
    Number {
        value: Number,
        units: Option<Units>,
    },
    Name(Ident),
    /// `a[i]`.
    Index {
        name: Ident,
        index: Box<Expr>,
        span: Span,
    },
    /// `m'` used as a value.
    Prime {
        name: Ident,
        order: u8,
        span: Span,
    },
    Call {
        name: Ident,
        args: Vec<Expr>,
        span: Span,
    },
    Unary {
        op: UnOp,
        operand: Box<Expr>,
        span: Span,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        span: Span,
    },
    /// `( e )`, kept so the printer reproduces the source's grouping.
    Paren {
        inner: Box<Expr>,
        span: Span,
    },
    /// `(faraday)`-style unit factor used as a value, as in `x = (1e6) * y` when
    /// the parenthesised text is not an expression. Rare; kept for fidelity.
    UnitFactor(Units),
    /// `"text"` (without the quotes), allowed only as a call argument: `printf("%g\n", x)`.
    String {
        text: String,
        span: Span,
    },
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Number { value, units } => units
                .as_ref()
                .map_or(value.span, |u| value.span.cover(u.span)),
            Expr::Name(id) => id.span,
            Expr::UnitFactor(u) => u.span,
            Expr::String { span, .. } => *span,
            Expr::Index { span, .. }
            | Expr::Prime { span, .. }
            | Expr::Call { span, .. }
            | Expr::Unary { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Paren { span, .. } => *span,
        }
    }
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Local { span, .. }
            | Stmt::Assign { span, .. }
            | Stmt::If { span, .. }
            | Stmt::While { span, .. }
            | Stmt::FromTo { span, .. }
            | Stmt::Solve { span, .. }
            | Stmt::Table { span, .. }
            | Stmt::Equation { span, .. }
            | Stmt::Conserve { span, .. }
            | Stmt::Compartment { span, .. }
            | Stmt::LongitudinalDiffusion { span, .. }
            | Stmt::Watch { span, .. }
            | Stmt::ForNetCons { span, .. }
            | Stmt::Conductance { span, .. }
            | Stmt::Lag { span, .. } => *span,
            Stmt::Expr(e) => e.span(),
            Stmt::Reaction(r) => r.span,
            Stmt::Initial(b) | Stmt::Block(b) => b.span,
            Stmt::Protect(s) => s.span(),
            Stmt::Reset(s)
            | Stmt::UnitsOn(s)
            | Stmt::UnitsOff(s)
            | Stmt::MutexLock(s)
            | Stmt::MutexUnlock(s) => *s,
            Stmt::Verbatim(v) => v.span,
        }
    }
}
