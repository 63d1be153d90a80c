//! The NetCon part of the [`Simulation`] API: creating NetCons, injecting
//! events by hand (`NetCon.event`), recording a source's spikes
//! (`NetCon.record`), and reading or changing weights, delay and threshold.

use super::{Event, NetCon, NetConId, NetConSource, NetConSpec, NetConTarget, SourceKind};
use crate::error::{HinesError, Result};
use crate::mechanism::{EventRequest, Outbox};
use crate::record::MechanismId;
use crate::simulation::Simulation;

impl Simulation {
    /// Adds a NetCon (NEURON's `NetCon(source, target, threshold, delay,
    /// weight)`). Its weight vector has the target's NET_RECEIVE argument
    /// count (1 without a target); without a target it is inactive.
    pub fn add_netcon(&mut self, spec: NetConSpec) -> Result<NetConId> {
        check_delay(spec.delay)?;
        let target = match spec.target {
            Some(t) => Some((
                t.mechanism.0,
                self.check_instance(t.mechanism.0, t.instance)?,
            )),
            None => None,
        };
        let count = target
            .and_then(|(m, _)| self.mechanisms.get(m))
            .map_or(1, |m| m.weight_count().max(1));
        let mut weights = spec.weights;
        weights.resize(count, 0.0);
        // last fallible step: creates the source only when all is valid
        let source = match (spec.source, target) {
            (NetConSource::None, Some(_)) => Some(self.network.unused_source()),
            (source, _) => self.resolve_source(source)?,
        };
        let id = self.network.netcons.len();
        if let Some(s) = source {
            let src = &mut self.network.sources[s];
            src.netcons.push(id);
            src.use_min_delay = false;
        }
        self.network.fornetcons_stale = true;
        self.network.netcons.push(NetCon {
            source,
            target,
            delay: spec.delay,
            weights,
            active: target.is_some(),
        });
        Ok(NetConId(id))
    }

    /// The index of the spike source a NetCon names, created if new.
    fn resolve_source(&mut self, source: NetConSource) -> Result<Option<usize>> {
        Ok(match source {
            NetConSource::None => None,
            NetConSource::Voltage { node, threshold } => {
                self.check_node(node)?;
                threshold.map(check_threshold).transpose()?;
                Some(self.network.voltage_source(node, threshold))
            }
            NetConSource::Instance {
                mechanism,
                instance,
            } => {
                let instance = self.check_instance(mechanism.0, instance)?;
                Some(self.network.instance_source(mechanism.0, instance))
            }
            NetConSource::Variable {
                variable,
                threshold,
            } => {
                self.watched_value(&variable)?;
                threshold.map(check_threshold).transpose()?;
                Some(self.network.variable_source(variable, threshold))
            }
        })
    }

    /// The present value of a watched variable.
    pub(crate) fn watched_value(&self, variable: &super::WatchedVariable) -> Result<f64> {
        match *variable {
            super::WatchedVariable::Mechanism {
                mechanism,
                instance,
                column,
            } => self.variable(mechanism, instance, column),
            super::WatchedVariable::Ion {
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

    fn check_node(&self, node: usize) -> Result<()> {
        let count = self.disc.len();
        if node < count {
            Ok(())
        } else {
            Err(HinesError::UnknownNode {
                instance: 0,
                node,
                count,
            })
        }
    }

    fn check_instance(&self, mechanism: usize, instance: usize) -> Result<usize> {
        let Some(m) = self.mechanisms.get(mechanism) else {
            return Err(HinesError::UnknownInstance {
                mechanism,
                instance,
                count: 0,
            });
        };
        let count = m.instance_count();
        if instance < count {
            Ok(instance)
        } else {
            Err(HinesError::UnknownInstance {
                mechanism,
                instance,
                count,
            })
        }
    }

    fn netcon(&self, id: NetConId) -> Result<&NetCon> {
        self.network
            .netcons
            .get(id.0)
            .ok_or(HinesError::UnknownNetCon { id: id.0 })
    }

    fn netcon_mut(&mut self, id: NetConId) -> Result<&mut NetCon> {
        self.network
            .netcons
            .get_mut(id.0)
            .ok_or(HinesError::UnknownNetCon { id: id.0 })
    }

    /// `NetCon.event(time)`: queues a delivery through this NetCon at `time`
    /// (ms), with no delay added. Ignored for an inactive NetCon (one without
    /// a target is always inactive).
    /// The queue is emptied by `finitialize`, so call this after it.
    pub fn netcon_event(&mut self, id: NetConId, time: f64) -> Result<()> {
        if !time.is_finite() {
            return Err(HinesError::InvalidEventValue {
                what: "event time",
                value: time,
            });
        }
        // a NetCon without a target is inactive: NEURON ignores the call
        if self.netcon(id)?.active {
            self.network.queue.insert(time, Event::NetCon(id.0));
        }
        Ok(())
    }

    /// Makes NetCon `id` one of the input port of `gid`
    /// (`ParallelContext.gid_connect` to a gid no cell of this process
    /// owns), so that `nrn_fake_fire(gid, ...)` delivers through it.
    pub fn set_netcon_gid_input(&mut self, id: NetConId, gid: i64) -> Result<()> {
        self.netcon(id)?;
        let list = self.network.gid_inputs.entry(gid).or_default();
        if !list.contains(&id.0) {
            list.push(id.0);
        }
        Ok(())
    }

    /// `NetCon.event(time, flag)`: a fake self-event with `flag` (and this
    /// NetCon's weights) to the target, which must be an artificial cell;
    /// ignored for an inactive NetCon.
    pub fn netcon_self_event(&mut self, id: NetConId, time: f64, flag: f64) -> Result<()> {
        let netcon = self.netcon(id)?;
        let Some((mechanism, instance)) = netcon.target.filter(|_| netcon.active) else {
            return Ok(());
        };
        if !self.mechanisms[mechanism].is_artificial() {
            return Err(HinesError::NotArtificial { mechanism });
        }
        let mut outbox = Outbox::new();
        outbox.push(EventRequest::Send {
            instance,
            time,
            flag,
        });
        let now = self.t;
        self.act_on(mechanism, now, Some(id.0), &mut outbox)
    }

    /// `NetCon.record(vec)`: records the spike times of the NetCon's source
    /// from the next `finitialize` (a source without a NetCon records nothing).
    pub fn record_spikes(&mut self, id: NetConId) -> Result<()> {
        if let Some(s) = self.netcon(id)?.source {
            self.network.sources[s].recording = true;
        }
        Ok(())
    }

    /// `NetCon.record(tvec, idvec, id)`: the NetCon's source adds its spikes,
    /// tagged with `id`, to the simulation's shared spike log from the next
    /// `finitialize`.
    pub fn log_spikes(&mut self, id: NetConId, log_id: f64) -> Result<()> {
        if let Some(s) = self.netcon(id)?.source {
            self.network.sources[s].log_id = Some(log_id);
        }
        Ok(())
    }

    /// The shared spike log since the last `finitialize`: (time in ms, id) of
    /// every spike of a logging source, in the order they were emitted.
    pub fn spike_log(&self) -> &[(f64, f64)] {
        &self.network.spike_log
    }

    /// The spike times (ms) recorded for the NetCon's source since the last
    /// `finitialize`: threshold crossings at t + 1e-10, `net_event` times.
    pub fn spike_times(&self, id: NetConId) -> Result<&[f64]> {
        Ok(match self.netcon(id)?.source {
            Some(s) => &self.network.sources[s].spikes,
            None => &[],
        })
    }

    /// The NetCon's weight vector.
    pub fn netcon_weights(&self, id: NetConId) -> Result<&[f64]> {
        Ok(&self.netcon(id)?.weights)
    }

    /// Sets weight `index` of the NetCon.
    pub fn set_netcon_weight(&mut self, id: NetConId, index: usize, value: f64) -> Result<()> {
        let netcon = self.netcon_mut(id)?;
        let count = netcon.weights.len();
        match netcon.weights.get_mut(index) {
            Some(w) => {
                *w = value;
                Ok(())
            }
            None => Err(HinesError::UnknownWeight {
                id: id.0,
                index,
                count,
            }),
        }
    }

    /// Sets the delay (ms); as in NEURON this stops the source from fanning
    /// one event out to all its NetCons until the next `finitialize`.
    pub fn set_netcon_delay(&mut self, id: NetConId, delay: f64) -> Result<()> {
        check_delay(delay)?;
        let netcon = self.netcon_mut(id)?;
        netcon.delay = delay;
        if let Some(s) = netcon.source {
            self.network.sources[s].use_min_delay = false;
        }
        Ok(())
    }

    /// The NetCon's delay (ms).
    pub fn netcon_delay(&self, id: NetConId) -> Result<f64> {
        Ok(self.netcon(id)?.delay)
    }

    /// The threshold (mV) of the NetCon's source, if it watches a voltage.
    pub fn netcon_threshold(&self, id: NetConId) -> Result<Option<f64>> {
        Ok(self
            .netcon(id)?
            .source
            .and_then(|s| match self.network.sources[s].kind {
                SourceKind::Voltage { threshold, .. } | SourceKind::Variable { threshold, .. } => {
                    Some(threshold)
                }
                SourceKind::Instance { .. } | SourceKind::Unused => None,
            }))
    }

    /// Sets the threshold (mV) of the NetCon's voltage source (shared by every
    /// NetCon on that node); ignored for other sources.
    pub fn set_netcon_threshold(&mut self, id: NetConId, threshold: f64) -> Result<()> {
        check_threshold(threshold)?;
        if let Some(s) = self.netcon(id)?.source {
            if let SourceKind::Voltage { threshold: th, .. }
            | SourceKind::Variable { threshold: th, .. } = &mut self.network.sources[s].kind
            {
                *th = threshold;
            }
        }
        Ok(())
    }

    /// True if events go through the NetCon (`NetCon.active`).
    pub fn netcon_active(&self, id: NetConId) -> Result<bool> {
        Ok(self.netcon(id)?.active)
    }

    /// Turns delivery through a NetCon with a target on or off
    /// (`NetCon.active`).
    pub fn set_netcon_active(&mut self, id: NetConId, active: bool) -> Result<()> {
        let netcon = self.netcon_mut(id)?;
        netcon.active = active && netcon.target.is_some();
        Ok(())
    }

    /// `NetCon.setpost(target)`: events already queued and later ones go
    /// to `target`. Without a target the NetCon becomes inactive; with one
    /// its active state is kept (a NetCon made without a target stays
    /// inactive, as in NEURON). A target with a different NET_RECEIVE
    /// argument count gets a new weight vector of zeros (NEURON's is
    /// uninitialised memory).
    pub fn set_netcon_target(&mut self, id: NetConId, target: Option<NetConTarget>) -> Result<()> {
        let target = match target {
            Some(t) => Some((
                t.mechanism.0,
                self.check_instance(t.mechanism.0, t.instance)?,
            )),
            None => None,
        };
        let count = target
            .and_then(|(m, _)| self.mechanisms.get(m))
            .map_or(1, |m| m.weight_count().max(1));
        let netcon = self.netcon_mut(id)?;
        netcon.target = target;
        if target.is_none() {
            netcon.active = false;
        }
        if netcon.weights.len() != count {
            netcon.weights = vec![0.0; count];
        }
        self.network.fornetcons_stale = true;
        Ok(())
    }

    /// Number of events waiting in the queue.
    pub fn pending_events(&self) -> usize {
        self.network.queue.len()
    }
}

fn check_delay(delay: f64) -> Result<()> {
    if delay.is_finite() && delay >= 0.0 {
        Ok(())
    } else {
        Err(HinesError::InvalidEventValue {
            what: "NetCon delay",
            value: delay,
        })
    }
}

fn check_threshold(threshold: f64) -> Result<()> {
    if threshold.is_finite() {
        Ok(())
    } else {
        Err(HinesError::InvalidEventValue {
            what: "threshold",
            value: threshold,
        })
    }
}

/// What stays in the slot of a removed mechanism set: no instances, no
/// nodes, no currents; every id of the other sets stays valid.
#[derive(Debug)]
struct Removed;

impl crate::mechanism::Mechanism for Removed {
    fn nodes(&self) -> &[usize] {
        &[]
    }
    fn init(&mut self, _ctx: &mut crate::mechanism::NodeContext<'_>) {}
    fn current(&mut self, _ctx: &mut crate::mechanism::CurrentContext<'_>) {}
    fn instance_count(&self) -> usize {
        0
    }
    fn column_count(&self) -> usize {
        0
    }
    fn read(&self, _instance: usize, _column: usize) -> Option<f64> {
        None
    }
    fn write(&mut self, _instance: usize, _column: usize, _value: f64) -> bool {
        false
    }
}

impl Simulation {
    /// Removes a mechanism set from the simulation, as NEURON destroys a
    /// point process whose last HOC reference went: it adds no current and
    /// runs no hook from now on; NetCons to it lose their target (and
    /// become inactive, NEURON's `NetCon::disconnect`); the spike sources
    /// that watch it or its `net_event`s never fire again and stop
    /// recording (NEURON deletes that `PreSyn`); its watches, pending
    /// self-events and the transfers from or into it go. The ids of every
    /// other mechanism set, NetCon and transfer stay valid (the set's slot
    /// holds an empty placeholder). Removing it again does nothing.
    pub fn remove_mechanism(&mut self, id: MechanismId) -> Result<()> {
        let m = id.0;
        let Some(slot) = self.mechanisms.get_mut(m) else {
            return Err(HinesError::UnknownInstance {
                mechanism: m,
                instance: 0,
                count: 0,
            });
        };
        let count = slot.instance_count();
        *slot = Box::new(Removed);
        let network = &mut self.network;
        for netcon in &mut network.netcons {
            if netcon.target.is_some_and(|(t, _)| t == m) {
                netcon.target = None;
                netcon.active = false;
            }
        }
        network.fornetcons_stale = true;
        for src in &mut network.sources {
            let watches_it = match src.kind {
                SourceKind::Instance { mechanism, .. } => mechanism == m,
                SourceKind::Variable {
                    variable: super::WatchedVariable::Mechanism { mechanism, .. },
                    ..
                } => mechanism.0 == m,
                _ => false,
            };
            if watches_it {
                src.kind = SourceKind::Unused;
                src.recording = false;
                src.log_id = None;
            }
        }
        network.instance_sources.retain(|&(mech, _), _| mech != m);
        for instance in 0..count {
            network.clear_watches(m, instance);
        }
        network.movable.retain(|&(mech, _), _| mech != m);
        self.transfers.retain(|t| {
            let from = matches!(t.source,
                crate::transfer::TransferSource::Mechanism { mechanism, .. } if mechanism == id);
            !from && t.target.mechanism != id
        });
        Ok(())
    }

    /// Removes a NetCon, as NEURON destroys one whose last HOC reference
    /// went: it delivers nothing more (events of it still queued are
    /// dropped) and leaves its source's list, so it no longer counts for the
    /// source's one-event fan-out. Its source, with its threshold and
    /// recording, stays (a `ParallelContext` gid keeps it); `spike_times`
    /// through the NetCon still reads that source. Its id stays valid.
    pub fn remove_netcon(&mut self, id: NetConId) -> Result<()> {
        let netcon = self.netcon_mut(id)?;
        netcon.target = None;
        netcon.active = false;
        let source = netcon.source;
        if let Some(s) = source {
            let src = &mut self.network.sources[s];
            src.netcons.retain(|&nc| nc != id.0);
            src.use_min_delay = false;
        }
        self.network.fornetcons_stale = true;
        Ok(())
    }
}
