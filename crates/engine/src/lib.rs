//! `neurite-engine`: HOC meets the cable solver.
//!
//! [`Engine`] implements [`neurite_hoc::Simulator`] with a
//! [`neurite_hines::Simulation`] and the NMODL mechanisms of a
//! [`MechanismLibrary`] (Neurite's own `mod_files/` plus folders loaded at run
//! time). HOC changes topology and parameters at any moment; as NEURON does,
//! the engine keeps what HOC said in its own store (`store`: sections,
//! per-segment values of every inserted mechanism, point processes, NetCons,
//! recordings) and builds the solver's structures from it lazily (`build`):
//!
//! * **Rebuild rule.** `finitialize` builds a fresh `Simulation` when there
//!   is none yet or when the structure changed since the last build (sections,
//!   connections, `L`, `nseg`, `diam`, `cm`, `Ra`, 3-D points, inserted
//!   mechanisms, point processes and their locations, NetCons). Parameter
//!   changes (`gnabar_hh`, `amp`, NetCon weights, `dt`, `celsius`, mechanism
//!   globals) are written to the store and to the live simulation at once.
//! * A structural change *between* `fadvance`s (NEURON rebuilds and goes on
//!   with the old `v` and states) is refused with an error asking for
//!   `finitialize()`; so is an assignment to `v` after `finitialize`: the
//!   solver offers no way to set `v` or `t` in a running simulation.
//!
//! The mapping from HOC names to solver state is written down in
//! `docs/semantics/hoc-engine.md`.
//!
//! ```
//! use neurite_engine::Engine;
//! use neurite_hoc::{CapturedOutput, Interpreter};
//!
//! let out = CapturedOutput::new();
//! let engine = Engine::builtin().unwrap();
//! let mut hoc = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
//! hoc.execute_str("create soma\nsoma { L = 10 diam = 10 insert pas }\nr = finitialize(-70)\nprint soma.v(0.5)\n", "-c").unwrap();
//! assert_eq!(out.text(), "-70 \n");
//! ```

mod access;
mod build;
mod call;
mod catalog;
mod functable;
mod geometry;
mod lifetime;
mod loader;
mod nmodlrandom;
mod play;
mod randomplay;
mod simulator;
mod store;

use catalog::Catalog;
use geometry::Geometry;
pub use loader::Skipped;
use neurite_hoc::sim::{RecordSource, SecId};
use neurite_nmodl::exec::{ExecError, MechanismLibrary};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

/// Errors of the engine; the [`neurite_hoc::Simulator`] methods turn them into
/// HOC run-time errors.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("section {id} was deleted")]
    DeletedSection { id: SecId },
    #[error("{name} is not a range variable{}", did_you_mean(suggestions))]
    UnknownRangeVar {
        name: String,
        suggestions: Vec<String>,
    },
    #[error("{name} was not made to point to anything ({mechanism} is not inserted in {section})")]
    NotInserted {
        name: String,
        mechanism: String,
        section: String,
    },
    #[error("{name} is not a MECHANISM{}", did_you_mean(suggestions))]
    UnknownMechanism {
        name: String,
        suggestions: Vec<String>,
    },
    #[error("{name} is a point process: create it with `new {name}(x)`")]
    PointNotInsertable { name: String },
    #[error("{name} is not a point process{}", did_you_mean(suggestions))]
    UnknownPointProcess {
        name: String,
        suggestions: Vec<String>,
    },
    #[error("{kind} has no variable `{name}`{}", did_you_mean(suggestions))]
    UnknownPointVar {
        kind: String,
        name: String,
        suggestions: Vec<String>,
    },
    #[error("{name}: its file {path} was not loaded ({reason})")]
    NotLoaded {
        name: String,
        path: String,
        reason: String,
    },
    #[error("{what}: range variable domain is 0<=x<=1")]
    OutOfDomain { what: String },
    #[error("no such {what} (id {id})")]
    NoSuchObject { what: &'static str, id: usize },
    #[error("{what} = {value} is not valid")]
    InvalidValue { what: String, value: f64 },
    #[error("{what} is not supported by Neurite's engine yet")]
    Unsupported { what: String },
    #[error(
        "the model changed since finitialize ({what}); NEURON would rebuild and continue, \
         Neurite needs finitialize() first"
    )]
    Stale { what: String },
    #[error("{message}")]
    Transfer { message: String },
    #[error("fadvance before finitialize: call finitialize() (or run()) first")]
    NotInitialized,
    #[error(transparent)]
    Exec(#[from] ExecError),
    #[error(transparent)]
    Solver(#[from] neurite_hines::HinesError),
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", suggestions.join(", "))
    }
}

/// The simulator-wide settings HOC sees as globals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Settings {
    pub t: f64,
    pub dt: f64,
    pub celsius: f64,
    pub secondorder: f64,
}

/// A [`neurite_hoc::Simulator`] backed by the cable solver and NMODL mechanisms.
#[derive(Debug)]
pub struct Engine {
    library: MechanismLibrary,
    catalog: Catalog,
    secs: Vec<Option<store::Sec>>,
    pps: Vec<Option<store::Pp>>,
    ncs: Vec<store::Nc>,
    /// (NetCon, gid) of each input port connection (`gid_connect`).
    gid_inputs: Vec<(usize, i64)>,
    recs: Vec<store::Rec>,
    transfers: store::Transfers,
    /// `setpointer target, source`, in call order (a target bound again
    /// takes the new source).
    pointers: Vec<(RecordSource, RecordSource)>,
    /// PROCEDURE calls of point processes, replayed after every rebuild.
    pp_calls: Vec<call::PpCall>,
    /// The location `setdata_mech(x)` chose for each density mechanism.
    setdata: HashMap<String, (SecId, f64)>,
    plays: Vec<play::Play>,
    /// `Random.play(&var)`, in call order.
    random_plays: Vec<randomplay::RandomPlay>,
    timed: Vec<play::TimedRecord>,
    /// Next connection's sequence number.
    seq: u64,
    settings: Settings,
    /// Mechanism globals set from HOC, by HOC name (`usetable_hh`).
    mech_globals: HashMap<String, f64>,
    built: Option<build::Built>,
    /// What changed the structure since the last build.
    stale: Option<String>,
    /// `v` was assigned after the last build.
    v_pending: bool,
    geometry: RefCell<Option<Rc<Geometry>>>,
    /// `.mod` files of the folders that could not be loaded.
    skipped: Vec<Skipped>,
}

impl Engine {
    /// An engine with `library`'s mechanisms.
    pub fn new(library: MechanismLibrary) -> Engine {
        Engine {
            catalog: Catalog::new(&library),
            library,
            secs: Vec::new(),
            pps: Vec::new(),
            ncs: Vec::new(),
            gid_inputs: Vec::new(),
            recs: Vec::new(),
            transfers: store::Transfers::default(),
            pointers: Vec::new(),
            pp_calls: Vec::new(),
            setdata: HashMap::new(),
            plays: Vec::new(),
            random_plays: Vec::new(),
            timed: Vec::new(),
            seq: 0,
            settings: Settings {
                t: 0.0,
                dt: 0.025,
                celsius: 6.3,
                secondorder: 0.0,
            },
            mech_globals: HashMap::new(),
            built: None,
            stale: None,
            v_pending: false,
            geometry: RefCell::new(None),
            skipped: Vec::new(),
        }
    }

    /// An engine with Neurite's own mechanisms only (and NetStim, see
    /// `crates/engine/mod_files/`).
    pub fn builtin() -> Result<Engine, EngineError> {
        Ok(Engine::new(loader::builtin()?))
    }

    /// An engine with Neurite's own mechanisms and every `.mod` file of each
    /// folder (searched recursively) that Neurite can run; a file whose
    /// mechanism has the name of an earlier one replaces it. The files that
    /// could not be loaded are in [`Engine::skipped`].
    pub fn with_mod_dirs(dirs: &[PathBuf]) -> Result<Engine, EngineError> {
        let (library, skipped) = loader::load(dirs)?;
        let mut engine = Engine::new(library);
        engine.skipped = skipped;
        Ok(engine)
    }

    /// The `.mod` files of the folders that could not be loaded.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The skipped file that defined mechanism `name`, if any.
    fn skipped_mech(&self, name: &str, point: bool) -> Option<&Skipped> {
        self.skipped
            .iter()
            .find(|s| s.point == point && s.mechanism.as_deref() == Some(name))
    }

    /// The mechanisms this engine knows.
    pub fn library(&self) -> &MechanismLibrary {
        &self.library
    }

    /// Notes a structural change: the geometry cache is dropped and the built
    /// simulation (if any) is stale until the next `finitialize`.
    fn touch(&mut self, what: &str) {
        self.geometry.replace(None);
        if self.built.is_some() && self.stale.is_none() {
            self.stale = Some(what.to_string());
        }
    }

    /// The geometry of the stored sections (cached until the next change).
    fn geometry(&self) -> Result<Rc<Geometry>, EngineError> {
        if let Some(g) = self.geometry.borrow().as_ref() {
            return Ok(Rc::clone(g));
        }
        let g = Rc::new(Geometry::new(&self.secs)?);
        self.geometry.replace(Some(Rc::clone(&g)));
        Ok(g)
    }

    fn sec(&self, id: SecId) -> Result<&store::Sec, EngineError> {
        self.secs
            .get(id)
            .and_then(Option::as_ref)
            .ok_or(EngineError::DeletedSection { id })
    }

    fn sec_mut(&mut self, id: SecId) -> Result<&mut store::Sec, EngineError> {
        self.secs
            .get_mut(id)
            .and_then(Option::as_mut)
            .ok_or(EngineError::DeletedSection { id })
    }

    fn pp(&self, id: usize) -> Result<&store::Pp, EngineError> {
        self.pps
            .get(id)
            .and_then(Option::as_ref)
            .ok_or(EngineError::NoSuchObject {
                what: "point process",
                id,
            })
    }
}
