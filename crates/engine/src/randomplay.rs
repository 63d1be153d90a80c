//! `Random.play(&var)`: a simulation variable takes a new pick of a HOC
//! `Random` (its current distribution) at every `finitialize`, before the
//! INITIAL blocks run and before `Vector.play` values of time 0, and at the
//! start of every step, after the events due by then and before continuous
//! plays: where NEURON calls `nrn_random_play` (`src/nrnoc/fadvance.cpp`).
//! Picks are drawn in the order the plays were made.

use crate::{Engine, EngineError};
use neurite_hines::random::SharedRandom;
use neurite_hoc::sim::{RecordSource, Simulator};

/// One `Random.play`.
#[derive(Debug, Clone)]
pub(crate) struct RandomPlay {
    target: RecordSource,
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
        self.random_plays.push(RandomPlay { target, random });
        Ok(())
    }

    /// Every play picks once and sets its variable.
    pub(crate) fn random_play_now(&mut self) -> Result<(), EngineError> {
        let plays = self.random_plays.clone();
        for p in plays {
            let x = p.random.borrow_mut().pick();
            let done = match &p.target {
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
