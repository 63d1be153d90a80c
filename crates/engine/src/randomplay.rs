//! `Random.play(&var)`: a simulation variable takes a new pick of a HOC
//! `Random` (its current distribution) at every `finitialize`, before the
//! INITIAL blocks run and before `Vector.play` values of time 0, and at the
//! start of every step, after the events due by then and before continuous
//! plays: where NEURON calls `nrn_random_play` (`src/nrnoc/fadvance.cpp`).
//! Picks are drawn in the order the plays were made. A HOC variable
//! (`r.play(&x)`) is written in the interpreter's own cell.

use crate::{Engine, EngineError};
use neurite_hines::random::SharedRandom;
use neurite_hoc::sim::{RecordSource, Simulator};
use std::cell::RefCell;
use std::rc::Rc;

/// Where a `Random.play` writes.
#[derive(Debug, Clone)]
enum Target {
    Sim(RecordSource),
    /// A HOC variable: element `.1` of the interpreter's cells.
    Hoc(Rc<RefCell<Vec<f64>>>, usize),
}

/// One `Random.play`.
#[derive(Debug, Clone)]
pub(crate) struct RandomPlay {
    target: Target,
    random: SharedRandom,
}

impl Engine {
    /// Adds a play after checking that the target exists.
    pub(crate) fn add_random_play(
        &mut self,
        target: RecordSource,
        random: SharedRandom,
    ) -> Result<(), EngineError> {
        self.check_source(&target)
            .map_err(|message| EngineError::Transfer { message })?;
        let target = Target::Sim(target);
        self.random_plays.push(RandomPlay { target, random });
        Ok(())
    }

    /// Adds a play into a HOC variable.
    pub(crate) fn add_random_play_cell(
        &mut self,
        cells: Rc<RefCell<Vec<f64>>>,
        index: usize,
        random: SharedRandom,
    ) {
        let target = Target::Hoc(cells, index);
        self.random_plays.push(RandomPlay { target, random });
    }

    /// Every play picks once and sets its variable.
    pub(crate) fn random_play_now(&mut self) -> Result<(), EngineError> {
        let plays = self.random_plays.clone();
        for p in plays {
            let x = p.random.borrow_mut().pick();
            let target = match &p.target {
                Target::Sim(s) => s,
                Target::Hoc(cells, i) => {
                    if let Some(slot) = cells.borrow_mut().get_mut(*i) {
                        *slot = x;
                    }
                    continue;
                }
            };
            let done = match target {
                RecordSource::Range { sec, name, x: at } => {
                    self.set_range(*sec, name, Some(*at), x)
                }
                RecordSource::PointProcess { pp, name } => self.pp_set(*pp, name, x),
                RecordSource::Global(g) => {
                    if self.set_global(g, x) {
                        Ok(())
                    } else {
                        Err(format!("Random.play: cannot set {g}"))
                    }
                }
            };
            done.map_err(|message| EngineError::Transfer { message })?;
        }
        Ok(())
    }
}
