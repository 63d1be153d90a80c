//! Variable transfer: a value of the model (a node's membrane potential or a
//! mechanism column) copied into a mechanism column at fixed points of every
//! step, as NEURON's `ParallelContext.source_var` / `target_var` /
//! `setup_transfer` do. This is how gap junctions are wired: each `Gap` point
//! process reads the other cell's `v` from its `vgap` column.
//!
//! When the copy happens (NEURON 9.0.2, `nrnthread_v_transfer_` in
//! `fadvance.cpp`): in `finitialize`, right after v is set to `v_init` and
//! before any INITIAL block; in every step, after the voltage update and the
//! second half-step of t, before the states advance (`nonvint`). So the
//! currents of a step see the sources' values at the end of the previous step,
//! and a recording of a target holds the value just copied. All sources are
//! read first, then all targets written.
//!
//! A POINTER bound by `setpointer` is a transfer that aliases its source
//! ([`Simulation::add_pointer`]): it is also read before the hooks that may
//! use it, and what the mechanism assigns to it is written back to the
//! source, as a write through NEURON's pointer changes its target.

use crate::error::{HinesError, Result};
use crate::ion::{IonColumn, IonId};
use crate::record::MechanismId;
use crate::simulation::Simulation;

/// What a transfer reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TransferSource {
    /// The membrane potential (mV) of a node (`Discretization::node_at`).
    Voltage { node: usize },
    /// Column `column` of instance `instance` of a mechanism.
    Mechanism {
        mechanism: MechanismId,
        instance: usize,
        column: usize,
    },
    /// A column of an ion species' instance (`Simulation::ion_instance_at`):
    /// `cai(0.5)`, `ek(0.5)`.
    Ion {
        ion: IonId,
        instance: usize,
        column: IonColumn,
    },
}

/// Where a transfer writes: column `column` of instance `instance` of a
/// mechanism (e.g. a Gap's `vgap`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransferTarget {
    pub mechanism: MechanismId,
    pub instance: usize,
    pub column: usize,
}

/// Identifies a transfer of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransferId(pub(crate) usize);

/// One source → target copy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Transfer {
    pub source: TransferSource,
    pub target: TransferTarget,
    /// A POINTER ([`Simulation::add_pointer`]): also copied in before the
    /// hooks that may read it and back out when a hook wrote it.
    pub alias: bool,
    /// The value last copied in (a POINTER whose column differs was written).
    pub last: f64,
}

impl Simulation {
    /// Copies `source` into `target` from now on: at every `finitialize`
    /// (before INITIAL) and every step (before the states advance); see the
    /// module documentation. Fails if the node or either mechanism column
    /// does not exist. A target may be fed by one transfer only (two copies
    /// into one column would leave the result to their order; NEURON's
    /// counterpart check is on sources: "source var sgid ... already in use").
    pub fn add_transfer(
        &mut self,
        source: TransferSource,
        target: TransferTarget,
    ) -> Result<TransferId> {
        self.transfer_read(&source)?;
        let current = self.variable(target.mechanism, target.instance, target.column)?;
        // writing the value back proves the column is writable and changes nothing
        self.set_variable(target.mechanism, target.instance, target.column, current)?;
        if self.transfers.iter().any(|t| t.target == target) {
            return Err(HinesError::TransferTargetTaken {
                mechanism: target.mechanism.0,
                instance: target.instance,
                column: target.column,
            });
        }
        self.transfers.push(Transfer {
            source,
            target,
            alias: false,
            last: f64::NAN,
        });
        Ok(TransferId(self.transfers.len() - 1))
    }

    /// Binds a POINTER column (`target`) to `source`, NEURON's `setpointer`:
    /// the POINTER aliases the source. Its value is copied in where a
    /// transfer is, and also before the currents, before the states and
    /// before each NET_RECEIVE; after INITIAL, the currents, the states and
    /// each NET_RECEIVE, a value the mechanism assigned to the POINTER is
    /// written through to the source (a node's v, a mechanism column or an
    /// ion column), as a write to NEURON's pointer changes its target.
    pub fn add_pointer(
        &mut self,
        source: TransferSource,
        target: TransferTarget,
    ) -> Result<TransferId> {
        let id = self.add_transfer(source, target)?;
        if let Some(t) = self.transfers.get_mut(id.0) {
            t.alias = true;
        }
        Ok(id)
    }

    /// Removes every transfer.
    pub fn clear_transfers(&mut self) {
        self.transfers.clear();
    }

    /// The number of transfers.
    pub fn transfer_count(&self) -> usize {
        self.transfers.len()
    }

    fn transfer_read(&self, source: &TransferSource) -> Result<f64> {
        match *source {
            TransferSource::Voltage { node } => {
                self.v.get(node).copied().ok_or(HinesError::UnknownNode {
                    instance: 0,
                    node,
                    count: self.v.len(),
                })
            }
            TransferSource::Mechanism {
                mechanism,
                instance,
                column,
            } => self.variable(mechanism, instance, column),
            TransferSource::Ion {
                ion,
                instance,
                column,
            } => {
                let species = self.ions.species(ion)?;
                species
                    .get(instance, column)
                    .ok_or(HinesError::UnknownInstance {
                        mechanism: usize::MAX,
                        instance,
                        count: species.nodes().len(),
                    })
            }
        }
    }

    /// Writes `value` to what a transfer reads (a POINTER written through).
    fn transfer_write(&mut self, source: &TransferSource, value: f64) -> Result<()> {
        match *source {
            TransferSource::Voltage { node } => {
                if let Some(v) = self.v.get_mut(node) {
                    *v = value;
                }
                Ok(())
            }
            TransferSource::Mechanism {
                mechanism,
                instance,
                column,
            } => self.set_variable(mechanism, instance, column, value),
            TransferSource::Ion {
                ion,
                instance,
                column,
            } => {
                let species = self.ions.species_mut(ion)?;
                if let Some(slot) = species.column_mut(column).get_mut(instance) {
                    *slot = value;
                }
                Ok(())
            }
        }
    }

    /// Copies every POINTER's source into it (see [`Simulation::add_pointer`]).
    pub(crate) fn pointers_in(&mut self) -> Result<()> {
        for k in 0..self.transfers.len() {
            let t = self.transfers[k];
            if t.alias {
                let value = self.transfer_read(&t.source)?;
                let target = t.target;
                self.set_variable(target.mechanism, target.instance, target.column, value)?;
                self.transfers[k].last = value;
            }
        }
        Ok(())
    }

    /// Writes every POINTER the mechanisms assigned since [`pointers_in`]
    /// through to its source.
    ///
    /// [`pointers_in`]: Simulation::pointers_in
    pub(crate) fn pointers_out(&mut self) -> Result<()> {
        for k in 0..self.transfers.len() {
            let t = self.transfers[k];
            if t.alias {
                let target = t.target;
                let value = self.variable(target.mechanism, target.instance, target.column)?;
                if value.to_bits() != t.last.to_bits() {
                    self.transfer_write(&t.source, value)?;
                    self.transfers[k].last = value;
                }
            }
        }
        Ok(())
    }

    /// Does every copy: all sources read, then all targets written.
    pub(crate) fn do_transfers(&mut self) -> Result<()> {
        if self.transfers.is_empty() {
            return Ok(());
        }
        let values = self
            .transfers
            .iter()
            .map(|t| self.transfer_read(&t.source))
            .collect::<Result<Vec<_>>>()?;
        for (k, value) in values.into_iter().enumerate() {
            let target = self.transfers[k].target;
            self.set_variable(target.mechanism, target.instance, target.column, value)?;
            self.transfers[k].last = value;
        }
        Ok(())
    }
}
