//! Run-time values and storage: numbers, strings, object references, the
//! slots that hold named variables, and the objects themselves.
//!
//! Every storage cell that HOC can point at (`&x`, `$&1`, `Vector.x[i]`) is a
//! shared `Rc<RefCell<Vec<f64>>>`, so a pointer is that handle plus an index
//! and needs no unsafe code or global table.

use crate::ast::{FuncDef, TemplateDef};
use crate::sim::{NcId, PpId, SecId};
use crate::span::Source;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

/// Shared storage of doubles (a double array or a Vector's elements).
pub type NumCells = Rc<RefCell<Vec<f64>>>;
/// A reference to an object; `None` is HOC's `nil` / `NULLobject`.
pub type ObjRef = Rc<Object>;

/// A pointer to one double: `&x[2]`, `$&1`, `&vec.x[0]`.
#[derive(Clone, Debug)]
pub struct Pointer {
    pub cells: NumCells,
    pub index: usize,
}

impl Pointer {
    pub fn get(&self) -> Option<f64> {
        self.cells.borrow().get(self.index).copied()
    }
    pub fn set(&self, v: f64) -> bool {
        match self.cells.borrow_mut().get_mut(self.index) {
            Some(c) => {
                *c = v;
                true
            }
            None => false,
        }
    }
}

/// A value on HOC's stack.
#[derive(Clone, Debug)]
pub enum Value {
    Num(f64),
    Str(String),
    Obj(Option<ObjRef>),
    Ptr(Pointer),
    /// A pointer into the simulator (`&soma.v(0.5)`, `&t`), for `Vector.record`.
    SimRef(crate::sim::RecordSource),
    /// A procedure's "result": nothing.
    Void,
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Obj(_) => "an object",
            Value::Ptr(_) | Value::SimRef(_) => "a pointer",
            Value::Void => "nothing (a procedure's result)",
        }
    }
}

/// A double array: dimensions and shared cells.
#[derive(Clone, Debug)]
pub struct NumArray {
    pub dims: Vec<usize>,
    pub cells: NumCells,
}

/// An objref array.
#[derive(Clone, Debug)]
pub struct ObjArray {
    pub dims: Vec<usize>,
    pub cells: Rc<RefCell<Vec<Option<ObjRef>>>>,
}

/// A section array (`create dend[3]`).
#[derive(Clone, Debug)]
pub struct SecArray {
    pub dims: Vec<usize>,
    pub ids: Rc<Vec<SecId>>,
}

/// A user function with the source it came from.
#[derive(Debug)]
pub struct UserFunc {
    pub def: Rc<FuncDef>,
    pub source: Rc<Source>,
}

/// What a name is bound to in a scope.
#[derive(Clone, Debug)]
pub enum Slot {
    Num(NumArray),
    Obj(ObjArray),
    Str(Rc<RefCell<String>>),
    Func(Rc<UserFunc>),
    Section(SecArray),
    Template(Rc<Template>),
}

impl Slot {
    pub fn num(v: f64) -> Slot {
        Slot::Num(NumArray {
            dims: Vec::new(),
            cells: Rc::new(RefCell::new(vec![v])),
        })
    }
}

/// A named scope: the top level, or a template instance's fields.
pub type Scope = HashMap<String, Slot>;

/// A template defined by `begintemplate`.
#[derive(Debug)]
pub struct Template {
    pub name: String,
    pub def: Rc<TemplateDef>,
    pub source: Rc<Source>,
    pub funcs: HashMap<String, Rc<UserFunc>>,
    pub public: HashSet<String>,
    pub external: HashSet<String>,
    /// Names assigned somewhere in the template: each instance has them (as 0).
    pub implicit: Vec<String>,
    /// Instances created so far (NEURON's `Name[index]` numbering).
    pub count: Cell<usize>,
}

/// An object: its class name, its index among that class's instances, and data.
#[derive(Debug)]
pub struct Object {
    pub class: String,
    pub index: usize,
    pub data: RefCell<ObjData>,
}

thread_local! {
    /// How many point process and NetCon objects this thread has freed: the
    /// interpreter tells the simulator about them when the count moved.
    static SIM_OBJECTS_FREED: Cell<u64> = const { Cell::new(0) };
}

/// The number of point process and NetCon objects freed so far on this thread.
pub(crate) fn sim_objects_freed() -> u64 {
    SIM_OBJECTS_FREED.with(Cell::get)
}

impl Drop for Object {
    fn drop(&mut self) {
        if matches!(
            self.data.get_mut(),
            ObjData::PointProcess(_) | ObjData::NetCon(_)
        ) {
            SIM_OBJECTS_FREED.with(|c| c.set(c.get().wrapping_add(1)));
        }
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.class, self.index)
    }
}

/// Per-class object state.
#[derive(Debug)]
pub enum ObjData {
    Hoc {
        template: Rc<Template>,
        fields: Scope,
    },
    Vector(NumCells),
    List(Vec<ObjRef>),
    File(crate::builtins::file::HocFile),
    Random(crate::builtins::random::HocRandom),
    StringFunctions,
    /// Row-major elements.
    Matrix {
        nrow: usize,
        ncol: usize,
        data: NumCells,
    },
    SectionList(Vec<SecId>),
    SectionRef(SecId),
    PointProcess(PpId),
    /// NEURON 9's `NMODLRandom`: RANDOM variable `name` of a point process.
    NmodlRandom {
        pp: PpId,
        name: String,
    },
    NetCon(NcId),
    /// Every ParallelContext shares the interpreter's `par` state.
    ParallelContext,
    Import3d(crate::builtins::import3d::Import3d),
    /// Objects accepted and ignored (Graph, Shape, VBox, ...); they have
    /// numeric properties so scripts can set them.
    Inert(HashMap<String, f64>),
}
