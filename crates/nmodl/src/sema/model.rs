//! The semantic model of one mechanism: what every name is, which ions and currents
//! the mechanism uses, which blocks exist and how they are solved.
//!
//! The model is built once by [`super::analyze`] and never changed afterwards. Later
//! stages (the executable form) read it together with the syntax tree.

use crate::span::Span;
use crate::verbatim::VerbatimKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// The semantic model of one `.mod` file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mechanism {
    /// The SUFFIX / POINT_PROCESS / ARTIFICIAL_CELL name; for a file without one,
    /// the name given to [`super::analyze_named`] (NEURON uses the file's stem).
    pub name: String,
    pub kind: MechanismKind,
    pub title: Option<String>,
    /// Every global name: declared variables, constants, functions, builtins used.
    pub symbols: SymbolTable,
    pub ions: Vec<IonUse>,
    /// The currents the mechanism contributes, in declaration order.
    pub currents: Vec<Current>,
    /// Every top-level block, in file order.
    pub blocks: Vec<BlockInfo>,
    pub solves: Vec<Solve>,
    pub tables: Vec<Table>,
    pub net_receive: Option<NetReceiveInfo>,
    pub verbatim: Vec<VerbatimUse>,
    /// What every name used in a block refers to, sorted by position.
    pub names: Vec<NameUse>,
    /// `THREADSAFE` was declared.
    pub threadsafe: bool,
}

impl Mechanism {
    /// The USEION statement and ion variable that `name` is, if any (not implicit).
    pub fn ion_binding(&self, name: &str) -> Option<(&IonUse, &IonVar)> {
        self.ions.iter().find_map(|ion| {
            ion.reads
                .iter()
                .chain(&ion.writes)
                .find(|v| v.name == name && !v.implicit)
                .map(|v| (ion, v))
        })
    }

    /// What the name used at `span` (an `Ident`'s span in a block) refers to.
    pub fn binding(&self, span: Span) -> Option<Binding> {
        let i = self.names.binary_search_by_key(&span, |u| u.span).ok()?;
        self.names.get(i).map(|u| u.binding)
    }

    /// The block named `name` (DERIVATIVE, PROCEDURE, ...).
    pub fn block(&self, name: &str) -> Option<&BlockInfo> {
        self.blocks.iter().find(|b| b.name.as_deref() == Some(name))
    }
}

/// What sort of mechanism a file defines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum MechanismKind {
    /// A distributed mechanism inserted in sections: `SUFFIX hh`.
    Density { suffix: String },
    /// `POINT_PROCESS ExpSyn`.
    PointProcess,
    /// `ARTIFICIAL_CELL NetStim`: a point process with no membrane.
    ArtificialCell,
}

impl MechanismKind {
    /// Point processes and artificial cells: instances are objects, not segments.
    pub fn is_point(&self) -> bool {
        !matches!(self, MechanismKind::Density { .. })
    }

    /// `SUFFIX nothing`: nocmodl registers no mechanism; the FUNCTIONs and
    /// PROCEDUREs become hoc functions without a suffix, and the name is the file's.
    pub fn is_library(&self) -> bool {
        matches!(self, MechanismKind::Density { suffix } if suffix == "nothing")
    }
}

/// The global names of a mechanism, in declaration order, with a by-name index.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SymbolTable {
    symbols: Vec<Symbol>,
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

impl SymbolTable {
    pub fn get(&self, name: &str) -> Option<&Symbol> {
        self.index.get(name).and_then(|&i| self.symbols.get(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Symbol> {
        self.symbols.iter()
    }

    pub fn len(&self) -> usize {
        self.symbols.len()
    }

    pub fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    /// Adds a symbol; if the name exists, returns the existing one unchanged.
    pub(crate) fn insert(&mut self, symbol: Symbol) -> Result<(), &Symbol> {
        if let Some(&i) = self.index.get(&symbol.name) {
            return Err(&self.symbols[i]);
        }
        self.index.insert(symbol.name.clone(), self.symbols.len());
        self.symbols.push(symbol);
        Ok(())
    }

    pub(crate) fn get_mut(&mut self, name: &str) -> Option<&mut Symbol> {
        let i = *self.index.get(name)?;
        self.symbols.get_mut(i)
    }
}

/// One global name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// Where it is declared; an empty span at 0 for builtins.
    pub span: Span,
    /// Units as written in the declaration.
    pub units: Option<String>,
    /// Array length for `x[n]`.
    pub length: Option<u32>,
}

/// Where a variable's value lives and who can see it (NEURON's RANGE/GLOBAL rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Storage {
    /// One value per instance, visible from hoc as `name_suffix` (RANGE, STATE).
    Range,
    /// One value for the whole mechanism, visible from hoc (GLOBAL, unlisted PARAMETER).
    Global,
    /// One value per instance, not visible from hoc (an ASSIGNED not listed).
    Instance,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum SymbolKind {
    Parameter {
        storage: Storage,
        default: Option<f64>,
        limits: Option<(f64, f64)>,
    },
    Assigned {
        storage: Storage,
    },
    State {
        abstol: Option<f64>,
    },
    /// A named number: CONSTANT, a UNITS factor, or a DEFINE.
    Constant {
        value: f64,
        origin: ConstOrigin,
    },
    /// `POINTER p` (`bbcore: false`) or `BBCOREPOINTER p` (`bbcore: true`).
    Pointer {
        bbcore: bool,
    },
    /// `EXTERNAL x`: a variable of another mechanism or of hoc.
    External,
    /// `LOCAL x` at top level: one value shared by every instance, hidden from hoc.
    FileLocal,
    /// `RANDOM r` (NEURON 9): a Random123 stream owned by each instance.
    Random,
    /// A variable NEURON provides: `v`, `t`, `dt`, `celsius`, `diam`, `area`.
    Builtin(BuiltinVar),
    Function {
        arity: usize,
    },
    Procedure {
        arity: usize,
    },
    /// `FUNCTION_TABLE`: values supplied from hoc.
    FunctionTable {
        arity: usize,
    },
    /// A function NEURON provides: `exp`, `net_send`, `normrand`, ...
    BuiltinFunction,
}

impl SymbolKind {
    pub fn is_callable(&self) -> bool {
        matches!(
            self,
            SymbolKind::Function { .. }
                | SymbolKind::Procedure { .. }
                | SymbolKind::FunctionTable { .. }
                | SymbolKind::BuiltinFunction
        )
    }

    /// A short word for messages: "PARAMETER", "STATE", "FUNCTION", ...
    pub fn describe(&self) -> &'static str {
        match self {
            SymbolKind::Parameter { .. } => "PARAMETER",
            SymbolKind::Assigned { .. } => "ASSIGNED",
            SymbolKind::State { .. } => "STATE",
            SymbolKind::Constant { origin, .. } => origin.describe(),
            SymbolKind::Pointer { bbcore: false } => "POINTER",
            SymbolKind::Pointer { bbcore: true } => "BBCOREPOINTER",
            SymbolKind::External => "EXTERNAL",
            SymbolKind::FileLocal => "top-level LOCAL",
            SymbolKind::Random => "RANDOM",
            SymbolKind::Builtin(_) => "NEURON variable",
            SymbolKind::Function { .. } => "FUNCTION",
            SymbolKind::Procedure { .. } => "PROCEDURE",
            SymbolKind::FunctionTable { .. } => "FUNCTION_TABLE",
            SymbolKind::BuiltinFunction => "builtin function",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ConstOrigin {
    Constant,
    Units,
    Define,
}

impl ConstOrigin {
    fn describe(self) -> &'static str {
        match self {
            ConstOrigin::Constant => "CONSTANT",
            ConstOrigin::Units => "UNITS constant",
            ConstOrigin::Define => "DEFINE",
        }
    }
}

/// The variables NEURON provides to every mechanism without a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BuiltinVar {
    /// Membrane potential (mV).
    V,
    /// Time (ms).
    T,
    /// Time step (ms).
    Dt,
    /// Temperature (degC), a hoc global.
    Celsius,
    /// Segment diameter (µm).
    Diam,
    /// Segment area (µm²).
    Area,
    /// `secondorder`, the hoc global choosing the integration order.
    SecondOrder,
}

impl BuiltinVar {
    /// NEURON does not let a mod file assign these.
    pub fn is_read_only(self) -> bool {
        !matches!(self, BuiltinVar::V | BuiltinVar::SecondOrder)
    }
}

/// `USEION na READ ena WRITE ina VALENCE 1`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IonUse {
    pub ion: String,
    pub reads: Vec<IonVar>,
    pub writes: Vec<IonVar>,
    pub valence: Option<f64>,
    pub span: Span,
}

impl IonUse {
    pub fn writes_concentration(&self) -> bool {
        self.writes.iter().any(|v| v.kind.is_concentration())
    }
}

/// One ion variable named in USEION.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IonVar {
    pub name: String,
    pub kind: IonVarKind,
    pub span: Span,
    /// Added by NEURON's rule, not written: a mechanism that names `nai` also reads
    /// `nao` (and the reverse), so the reversal potential can be recomputed.
    pub implicit: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum IonVarKind {
    /// `ina` (mA/cm²; nA in a point process).
    Current,
    /// `ena` (mV).
    Reversal,
    /// `nai` (mM).
    Inside,
    /// `nao` (mM).
    Outside,
}

impl IonVarKind {
    pub fn is_concentration(self) -> bool {
        matches!(self, IonVarKind::Inside | IonVarKind::Outside)
    }

    /// The variable of this kind for `ion`: `ina`, `ena`, `nai`, `nao`.
    pub fn name_for(self, ion: &str) -> String {
        match self {
            IonVarKind::Current => format!("i{ion}"),
            IonVarKind::Reversal => format!("e{ion}"),
            IonVarKind::Inside => format!("{ion}i"),
            IonVarKind::Outside => format!("{ion}o"),
        }
    }
}

/// A current the mechanism adds to the membrane.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Current {
    /// The variable holding it.
    pub name: String,
    pub kind: CurrentKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CurrentKind {
    /// An ion current written through `USEION x WRITE ix`.
    Ion { ion: String },
    /// `NONSPECIFIC_CURRENT`.
    Nonspecific,
    /// `ELECTRODE_CURRENT`: positive inward, as from an electrode.
    Electrode,
}

/// What sort of block a top-level block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BlockKind {
    Initial,
    Breakpoint,
    Derivative,
    Kinetic,
    Linear,
    NonLinear,
    Discrete,
    Partial,
    Procedure,
    Function,
    FunctionTable,
    NetReceive,
    Constructor,
    Destructor,
    Before,
    After,
}

/// One top-level block.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlockInfo {
    pub kind: BlockKind,
    /// The name of named blocks (DERIVATIVE states, PROCEDURE rates, ...).
    pub name: Option<String>,
    /// Formal arguments (FUNCTION, PROCEDURE, NET_RECEIVE).
    pub params: Vec<String>,
    /// Every LOCAL declared anywhere in the block.
    pub locals: Vec<String>,
    pub span: Span,
}

/// `SOLVE block METHOD method`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Solve {
    pub block: String,
    /// The kind of the solved block, if it exists.
    pub block_kind: Option<BlockKind>,
    pub method: SolveMethod,
    /// The method was written (not NEURON's default for the block kind).
    pub explicit: bool,
    /// `STEADYSTATE` rather than `METHOD`.
    pub steadystate: bool,
    /// Where the SOLVE statement is (BREAKPOINT, INITIAL, ...).
    pub within: BlockKind,
    pub span: Span,
}

/// The numerical methods nocmodl knows, and the default for a PROCEDURE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SolveMethod {
    Cnexp,
    Derivimplicit,
    Euler,
    Runge,
    Sparse,
    /// The default for KINETIC (`_advance`).
    Advance,
    Newton,
    Simeq,
    AfterCvode,
    CvodeT,
    CvodeTV,
    /// A PROCEDURE called once per step.
    Procedure,
}

/// `TABLE names DEPEND deps FROM a TO b WITH n` inside a FUNCTION or PROCEDURE.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    /// The FUNCTION or PROCEDURE holding the TABLE.
    pub within: String,
    pub names: Vec<String>,
    pub depend: Vec<String>,
    pub span: Span,
}

/// What the NET_RECEIVE block uses.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetReceiveInfo {
    pub params: Vec<String>,
    pub has_initial: bool,
    pub uses_watch: bool,
    pub uses_for_netcons: bool,
    pub span: Span,
}

/// A VERBATIM block, where it is and what it is for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerbatimUse {
    pub kind: VerbatimKind,
    /// The block holding it; `None` at top level or in the NEURON block.
    pub within: Option<BlockKind>,
    pub span: Span,
}

/// A name used in a block, and what it refers to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NameUse {
    pub span: Span,
    pub binding: Binding,
}

/// What a name in a block refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Binding {
    /// A LOCAL of an enclosing block, a FROM loop index or a COMPARTMENT index.
    Local,
    /// The n-th argument of the FUNCTION, PROCEDURE, NET_RECEIVE or FOR_NETCONS.
    Argument(usize),
    /// A FUNCTION's own name inside its body: the result.
    FunctionResult,
    /// `flag` in NET_RECEIVE: the self-event's flag.
    Flag,
    /// The symbol of that name in [`Mechanism::symbols`].
    Global,
    /// A name nocmodl lets a file use as a value without declaring it
    /// (`f_flux`, `b_flux`, `first_time`, `error`).
    BuiltinValue,
    /// Not declared anywhere (reported as a diagnostic).
    Undefined,
}
