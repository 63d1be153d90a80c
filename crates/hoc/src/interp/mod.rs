//! Stage 3: the tree-walking interpreter.
//!
//! [`Interpreter`] owns everything a running HOC program has: the top-level
//! scope, templates, the call frames, the section stack, the output writer and
//! the [`Simulator`]. It is passed explicitly (`&mut self`) to every part of
//! execution; there is no global state. Statements are in [`exec`],
//! expressions and names in [`eval`] and [`place`], calls and objects in
//! [`call`], section statements in [`section`].

mod call;
mod eval;
mod exec;
mod implicit;
pub(crate) mod place;
mod section;
pub mod value;

use crate::ast::Stmt;
use crate::sim::{SecId, Simulator};
use crate::span::{Source, Span};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use value::{ObjRef, Scope, Slot, Value};

/// An error with the place it happened: `file:line:col: message`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {message}")]
pub struct HocError {
    /// `file:line:col`.
    pub location: String,
    pub message: String,
}

/// An error on its way up the interpreter; the innermost statement that
/// knows its source fills in the location.
#[derive(Debug)]
pub(crate) struct Fault {
    pub message: String,
    pub location: Option<String>,
}

pub(crate) type R<T> = Result<T, Fault>;

pub(crate) fn fault<T>(message: impl Into<String>) -> R<T> {
    Err(Fault {
        message: message.into(),
        location: None,
    })
}

/// How a statement finished.
#[derive(Debug)]
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
    Stop,
}

/// One argument of a call: its value, and where it came from when it was a
/// plain variable (so `$s1 = ...`, `$o1 = ...` and `sprint($s1, ...)` can write back).
#[derive(Clone, Debug)]
pub(crate) struct ArgVal {
    pub value: Value,
    pub place: Option<place::Place>,
}

/// A call frame.
#[derive(Debug, Default)]
pub(crate) struct Frame {
    pub name: String,
    pub args: Vec<ArgVal>,
    pub locals: Scope,
    pub this: Option<ObjRef>,
    /// For an iterator: the body of the `for` that called it, and that caller's frame.
    pub iter_body: Option<(Rc<Stmt>, usize, Rc<Source>)>,
}

/// The HOC interpreter.
pub struct Interpreter {
    pub(crate) sim: Box<dyn Simulator>,
    pub(crate) out: Box<dyn Write>,
    pub(crate) err: Box<dyn Write>,
    pub(crate) globals: Scope,
    /// Built-in variables visible everywhere (`PI`, `float_epsilon`, ...).
    pub(crate) builtin_vars: Scope,
    pub(crate) class_counts: HashMap<String, usize>,
    /// Live objects by class, for `Name[index]` references.
    pub(crate) instances: HashMap<String, Vec<std::rc::Weak<value::Object>>>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) cur: usize,
    pub(crate) source: Rc<Source>,
    pub(crate) sec_stack: Vec<SecId>,
    pub(crate) accessed: Option<SecId>,
    pub(crate) distance_origin: Option<(SecId, f64)>,
    pub(crate) loaded: HashSet<String>,
    pub(crate) dir_stack: Vec<PathBuf>,
    pub(crate) rng_state: u64,
    pub(crate) start_time: std::time::Instant,
    /// Set by `quit()`: execution unwinds and the embedding program should exit.
    pub(crate) quit: bool,
    /// Sections created by template instances, with their owner: when the
    /// owner is freed its sections are deleted (as NEURON does).
    pub(crate) owned_sections: Vec<(SecId, std::rc::Weak<value::Object>)>,
    /// Statements left before execution stops with an error (`None`: no limit).
    pub(crate) steps_left: Option<u64>,
    /// What every `ParallelContext` shares (gids, `set_maxstep`).
    pub(crate) par: crate::builtins::parallel::ParState,
    /// Point processes and NetCons with their objects: when an object is
    /// freed the simulator frees what it stands for (as NEURON does).
    pub(crate) sim_objects: Vec<(SimObject, std::rc::Weak<value::Object>)>,
    /// `value::sim_objects_freed()` at the last sweep of `sim_objects`.
    pub(crate) freed_seen: u64,
}

/// A simulator object a HOC object stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SimObject {
    PointProcess(crate::sim::PpId),
    NetCon(crate::sim::NcId),
}

impl std::fmt::Debug for Interpreter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interpreter")
            .field("frames", &self.frames.len())
            .finish_non_exhaustive()
    }
}

/// Deepest HOC call nesting before an error (instead of a stack overflow).
pub(crate) const MAX_CALL_DEPTH: usize = 120;

impl Interpreter {
    /// An interpreter whose output goes to stdout.
    pub fn new(sim: Box<dyn Simulator>) -> Interpreter {
        Interpreter::with_output(sim, Box::new(std::io::stdout()))
    }

    /// An interpreter writing its output (print, printf...) to `out`.
    pub fn with_output(sim: Box<dyn Simulator>, out: Box<dyn Write>) -> Interpreter {
        let mut it = Interpreter {
            sim,
            out,
            err: Box::new(std::io::stderr()),
            globals: Scope::new(),
            builtin_vars: Scope::new(),
            class_counts: HashMap::new(),
            instances: HashMap::new(),
            frames: vec![Frame {
                name: "top level".into(),
                ..Frame::default()
            }],
            cur: 0,
            source: Source::new("<none>", ""),
            sec_stack: Vec::new(),
            accessed: None,
            distance_origin: None,
            loaded: HashSet::new(),
            dir_stack: Vec::new(),
            rng_state: 0x853c_49e6_748f_ea9b,
            start_time: std::time::Instant::now(),
            quit: false,
            steps_left: None,
            par: Default::default(),
            owned_sections: Vec::new(),
            sim_objects: Vec::new(),
            freed_seen: value::sim_objects_freed(),
        };
        crate::builtins::install_vars(&mut it);
        it
    }

    /// Where error messages of `execute1` and `load_file` go (default: stderr).
    pub fn set_error_output(&mut self, err: Box<dyn Write>) {
        self.err = err;
    }

    /// Stops execution with an error after `steps` more statements (for
    /// untrusted input and fuzzing; HOC has no other guard against `while (1) {}`).
    pub fn set_step_limit(&mut self, steps: Option<u64>) {
        self.steps_left = steps;
    }

    /// Whether HOC code called `quit()` (the program should end, successfully).
    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    /// The simulator, for the embedding program.
    pub fn simulator(&mut self) -> &mut dyn Simulator {
        self.sim.as_mut()
    }

    /// Runs HOC code given as a string; `origin` names it in errors.
    pub fn execute_str(&mut self, code: &str, origin: &str) -> Result<(), HocError> {
        let src = Source::new(origin, code);
        self.run_source(src).map(|_| ())
    }

    /// Runs a file (as `nrniv file.hoc` does), relative names resolved
    /// against the directory of the file being loaded, then the cwd.
    pub fn load_file(&mut self, path: &Path) -> Result<(), HocError> {
        let text = std::fs::read(path).map_err(|e| HocError {
            location: path.display().to_string(),
            message: format!("cannot read file: {e}"),
        })?;
        let text = String::from_utf8_lossy(&text).into_owned();
        self.loaded.insert(path.display().to_string());
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        self.dir_stack.push(dir);
        let r = self.run_source(Source::new(path.display().to_string(), text));
        self.dir_stack.pop();
        r.map(|_| ())
    }

    /// Parses and runs one source; returns false if it was stopped by `stop`.
    pub(crate) fn run_source(&mut self, src: Rc<Source>) -> Result<bool, HocError> {
        let parsed = crate::parser::parse(&src.text);
        let saved = std::mem::replace(&mut self.source, src.clone());
        let n_ok = parsed.first_error_at.unwrap_or(parsed.program.stmts.len());
        let mut result = Ok(true);
        for stmt in &parsed.program.stmts[..n_ok] {
            match self.exec_top(stmt) {
                Ok(Flow::Stop) => {
                    result = Ok(false);
                    break;
                }
                Ok(_) => {}
                Err(_) if self.quit => break,
                Err(f) => {
                    result = Err(self.to_error(f, stmt.span));
                    break;
                }
            }
        }
        if result.is_ok() {
            if let Some(e) = parsed.errors.first() {
                result = Err(HocError {
                    location: src.locate(e.span),
                    message: e.message.clone(),
                });
            }
        }
        let _ = self.out.flush();
        self.source = saved;
        result
    }

    /// A top-level statement: on error, the frames and section stack are
    /// reset as NEURON does after an error.
    fn exec_top(&mut self, stmt: &Stmt) -> R<Flow> {
        let r = self.exec(stmt);
        if r.is_err() {
            self.frames.truncate(1);
            self.cur = 0;
            self.sec_stack.clear();
        }
        r
    }

    pub(crate) fn to_error(&self, f: Fault, span: Span) -> HocError {
        HocError {
            location: f.location.unwrap_or_else(|| self.source.locate(span)),
            message: f.message,
        }
    }

    /// Adds the location (and the object/function) to an error that has none.
    pub(crate) fn locate(&self, mut f: Fault, span: Span) -> Fault {
        if f.location.is_none() {
            f.location = Some(self.source.locate(span));
            let frame = &self.frames[self.cur];
            if self.cur > 0 {
                let ctx = match &frame.this {
                    Some(o) => format!("{}.{}", o, frame.name),
                    None => frame.name.clone(),
                };
                f.message = format!("{} (in {ctx})", f.message);
            }
        }
        f
    }

    /// Declares, as 0, the names `names` that are not yet anything in the
    /// current scope (see [`implicit`]).
    pub(crate) fn declare_implicit<'a>(&mut self, names: impl IntoIterator<Item = &'a String>) {
        for n in names {
            let sim_name = self.sim.get_global(n).is_some()
                || self.sim.is_range_var(n)
                || place::SECTION_PROPS.contains(&n.as_str());
            if !sim_name && self.lookup(n).is_none() {
                self.declare(n, Slot::num(0.0));
            }
        }
    }

    /// Tells the simulator about the point processes and NetCons whose
    /// objects were freed since the last sweep (cheap when none was).
    pub(crate) fn sweep_sim_objects(&mut self) {
        let freed = value::sim_objects_freed();
        if freed == self.freed_seen {
            return;
        }
        self.freed_seen = freed;
        let (dead, live): (Vec<_>, Vec<_>) = std::mem::take(&mut self.sim_objects)
            .into_iter()
            .partition(|(_, w)| w.strong_count() == 0);
        self.sim_objects = live;
        for (o, _) in dead {
            match o {
                SimObject::PointProcess(pp) => self.sim.free_point_process(pp),
                SimObject::NetCon(nc) => self.sim.free_netcon(nc),
            }
        }
    }

    /// `fadvance` after telling the simulator about freed objects.
    pub(crate) fn sim_fadvance(&mut self) -> R<()> {
        self.sweep_sim_objects();
        self.sim.fadvance().or_else(fault)
    }

    /// Deletes the sections of objects that no longer exist.
    pub(crate) fn sweep_sections(&mut self) {
        self.sweep_sim_objects();
        let (dead, live): (Vec<_>, Vec<_>) = std::mem::take(&mut self.owned_sections)
            .into_iter()
            .partition(|(_, w)| w.strong_count() == 0);
        self.owned_sections = live;
        for (s, _) in dead {
            self.sim.delete_section(s);
            if self.accessed == Some(s) {
                self.accessed = None;
            }
        }
    }

    /// Remembers an object so `Class[index]` can find it.
    pub(crate) fn register(&mut self, o: &ObjRef) {
        let list = self.instances.entry(o.class.clone()).or_default();
        list.retain(|w| w.strong_count() > 0);
        list.push(Rc::downgrade(o));
        let sim = match &*o.data.borrow() {
            value::ObjData::PointProcess(pp) => Some(SimObject::PointProcess(*pp)),
            value::ObjData::NetCon(nc) => Some(SimObject::NetCon(*nc)),
            _ => None,
        };
        if let Some(sim) = sim {
            self.sim_objects.push((sim, Rc::downgrade(o)));
        }
    }

    /// Whether any object of `class` is still alive (NEURON restarts a
    /// class's `Name[index]` numbering at 0 when none is).
    pub(crate) fn has_live(&self, class: &str) -> bool {
        self.instances
            .get(class)
            .is_some_and(|l| l.iter().any(|w| w.strong_count() > 0))
    }

    /// `Class[index]`: the live object with that index.
    pub(crate) fn instance(&self, class: &str, index: usize) -> Option<ObjRef> {
        self.instances
            .get(class)?
            .iter()
            .filter_map(|w| w.upgrade())
            .find(|o| o.index == index)
    }

    pub(crate) fn write_out(&mut self, s: &str) {
        let _ = self.out.write_all(s.as_bytes());
    }

    pub(crate) fn frame(&self) -> &Frame {
        &self.frames[self.cur]
    }

    pub(crate) fn this(&self) -> Option<ObjRef> {
        self.frames[self.cur].this.clone()
    }

    /// Value of a top-level variable (for embedding programs and tests).
    pub fn global_number(&self, name: &str) -> Option<f64> {
        match self.globals.get(name)? {
            Slot::Num(a) => a.cells.borrow().first().copied(),
            _ => None,
        }
    }

    /// The samples of the top-level Vector `name`, exactly (for embedding programs:
    /// the tuner reads its recordings back this way).
    pub fn global_vector(&self, name: &str) -> Option<Vec<f64>> {
        let Slot::Obj(a) = self.globals.get(name)? else {
            return None;
        };
        let cells = a.cells.borrow();
        let object = cells.first()?.as_ref()?;
        let data = object.data.borrow();
        match &*data {
            value::ObjData::Vector(v) => Some(v.borrow().clone()),
            _ => None,
        }
    }
}

/// An output writer whose contents can be read back (for tests and embedding).
#[derive(Clone, Debug, Default)]
pub struct CapturedOutput(Rc<std::cell::RefCell<Vec<u8>>>);

impl CapturedOutput {
    pub fn new() -> CapturedOutput {
        CapturedOutput::default()
    }

    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

impl Write for CapturedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
