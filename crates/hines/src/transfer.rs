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

use crate::error::{HinesError, Result};
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
        self.transfers.push(Transfer { source, target });
        Ok(TransferId(self.transfers.len() - 1))
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
        }
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
        let targets: Vec<TransferTarget> = self.transfers.iter().map(|t| t.target).collect();
        for (target, value) in targets.into_iter().zip(values) {
            self.set_variable(target.mechanism, target.instance, target.column, value)?;
        }
        Ok(())
    }
}
