//! Discrete events, as NEURON's fixed step handles them: the queue the
//! [`crate::Simulation`] owns ([`queue`]), NetCons joining a spike source to a
//! mechanism instance with a delay and a weight vector, the spike sources
//! themselves (a voltage threshold at a node, or a mechanism instance's
//! `net_event`), and their delivery (`deliver`). The rules are written in
//! `docs/semantics/events.md`; the points of the step where they apply are in
//! [`crate::mechanism`]'s timing contract.
//!
//! The solver sees indices only: a NetCon names a node or a (mechanism,
//! instance) pair, never a mechanism's name or its NMODL text.
//!
//! ```
//! use neurite_hines::{
//!     ExpSyn, Model, NetConSource, NetConSpec, NetConTarget, NetStim, Pas, SectionSpec,
//!     SimConfig, Simulation,
//! };
//! # fn main() -> neurite_hines::Result<()> {
//! let mut model = Model::new();
//! let soma = model.add_section(SectionSpec {
//!     name: "soma".into(), length: 20.0, diam: 20.0, ra: 100.0, cm: 1.0, nseg: 1,
//! })?;
//! let mut sim = Simulation::new(&model, SimConfig::default())?;
//! let node = sim.discretization().node_at(soma, 0.5)?;
//! let mut pas = Pas::new();
//! pas.push(node, 0.001, -65.0);
//! sim.add_mechanism(Box::new(pas))?;
//! let mut syn = ExpSyn::new();
//! syn.push(node, 2.0, 0.0);
//! let syn = sim.add_mechanism(Box::new(syn))?;
//! let mut stim = NetStim::new();
//! stim.push(5.0, 10.0, 3.0); // start, interval, number
//! let stim = sim.add_mechanism(Box::new(stim))?;
//! let source = NetConSource::Instance { mechanism: stim, instance: 0 };
//! let target = NetConTarget { mechanism: syn, instance: 0 };
//! let nc = sim.add_netcon(NetConSpec::new(source, Some(target)).delay(1.0).weight(0.01))?;
//! sim.record_spikes(nc)?;
//! sim.finitialize(-65.0)?;
//! sim.run(30.0)?;
//! assert_eq!(sim.spike_times(nc)?, &[5.0, 15.0, 25.0]);
//! assert!(sim.variable(syn, 0, ExpSyn::G)? > 0.0);
//! # Ok(())
//! # }
//! ```

mod api;
pub(crate) mod deliver;
pub mod queue;

use std::collections::HashMap;

use crate::record::MechanismId;
pub use queue::{EventQueue, ItemKey};

/// NEURON's default NetCon threshold (mV).
pub const DEFAULT_THRESHOLD: f64 = 10.0;
/// NEURON's default NetCon delay (ms).
pub const DEFAULT_DELAY: f64 = 1.0;
/// Added to the time of a threshold crossing detected at the start of a fixed
/// step (NEURON's `teps`, ms).
pub const THRESHOLD_TIME_EPSILON: f64 = 1e-10;

/// Identifies a NetCon of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NetConId(pub(crate) usize);

/// Where a NetCon's events come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NetConSource {
    /// No source: events only come from [`crate::Simulation::netcon_event`].
    None,
    /// v at `node` crossing `threshold` (mV) from below. NetCons on the same
    /// node share one source, whose threshold is the one given last; `None`
    /// keeps it (10 mV for a new source), as NEURON's NetCon without a
    /// threshold argument does.
    Voltage { node: usize, threshold: Option<f64> },
    /// The `net_event` calls of a mechanism instance (an artificial cell or a
    /// point process with NET_RECEIVE).
    Instance {
        mechanism: MechanismId,
        instance: usize,
    },
    /// Any other variable crossing `threshold` from below (`NetCon(&m_hh(0.5),
    /// ...)`, `&cai(0.5)`, `&syn.g`), checked like v; NetCons on the same
    /// variable share one source, as for v.
    Variable {
        variable: WatchedVariable,
        threshold: Option<f64>,
    },
}

/// A variable other than v that a spike source watches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WatchedVariable {
    /// Column `column` of instance `instance` of a mechanism.
    Mechanism {
        mechanism: MechanismId,
        instance: usize,
        column: usize,
    },
    /// A column of an ion species' instance (`ion_instance_at`).
    Ion {
        ion: crate::ion::IonId,
        instance: usize,
        column: crate::ion::IonColumn,
    },
}

/// The mechanism instance a NetCon delivers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetConTarget {
    pub mechanism: MechanismId,
    pub instance: usize,
}

/// What a NetCon is made of; [`NetConSpec::new`] gives NEURON's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct NetConSpec {
    pub source: NetConSource,
    /// `None`: the NetCon is inactive (it only records its source's spikes).
    pub target: Option<NetConTarget>,
    /// Delay from spike to delivery (ms), ≥ 0.
    pub delay: f64,
    /// Initial weights; the vector is padded with zeros to the target's
    /// NET_RECEIVE argument count (extra values are dropped).
    pub weights: Vec<f64>,
}

impl NetConSpec {
    /// Delay 1 ms, weight vector `[0]`.
    pub fn new(source: NetConSource, target: Option<NetConTarget>) -> Self {
        NetConSpec {
            source,
            target,
            delay: DEFAULT_DELAY,
            weights: vec![0.0],
        }
    }

    /// Sets the delay (ms).
    pub fn delay(mut self, delay: f64) -> Self {
        self.delay = delay;
        self
    }

    /// Sets the first weight.
    pub fn weight(mut self, weight: f64) -> Self {
        match self.weights.first_mut() {
            Some(w) => *w = weight,
            None => self.weights.push(weight),
        }
        self
    }
}

/// A NetCon as the solver keeps it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NetCon {
    pub source: Option<usize>,
    /// (mechanism index, instance).
    pub target: Option<(usize, usize)>,
    pub delay: f64,
    pub weights: Vec<f64>,
    pub active: bool,
}

/// What a spike source watches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SourceKind {
    /// Shared by every NetCon with a target and no source (NEURON's
    /// `unused_presyn`); it never fires but has a place in the source order.
    Unused,
    Voltage {
        node: usize,
        threshold: f64,
    },
    Instance {
        mechanism: usize,
        instance: usize,
    },
    Variable {
        variable: WatchedVariable,
        threshold: f64,
    },
}

/// NEURON's `PreSyn`: one per watched node or per emitting instance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpikeSource {
    pub kind: SourceKind,
    /// True while v is above threshold (the detector is disarmed).
    pub above: bool,
    /// The NetCons fed by this source, in creation order.
    pub netcons: Vec<usize>,
    pub recording: bool,
    /// Recorded spike times (ms).
    pub spikes: Vec<f64>,
    /// The id its spikes carry in the shared spike log, when it logs.
    pub log_id: Option<f64>,
    /// One queue event fans out to every NetCon (more than two NetCons, all
    /// with the same delay at `finitialize`).
    pub use_min_delay: bool,
    pub delay: f64,
}

/// An entry of the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Event {
    /// Delivery through a NetCon (flag 0).
    NetCon(usize),
    /// A `net_send` to a mechanism instance; `weights` names the NetCon whose
    /// weights it carries.
    ToSelf {
        mechanism: usize,
        instance: usize,
        flag: f64,
        weights: Option<usize>,
    },
    /// A spike of a source delivered to all its NetCons at once.
    Fanout(usize),
    /// A WATCH condition became true.
    Watch {
        mechanism: usize,
        instance: usize,
        watch: usize,
    },
}

/// An active WATCH statement of one instance (NEURON's `WatchCondition`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ActiveWatch {
    pub mechanism: usize,
    pub instance: usize,
    pub watch: usize,
    /// The NET_RECEIVE flag of its event.
    pub flag: f64,
    /// True while the condition is true (the detector is disarmed).
    pub above: bool,
    /// Its event, while queued.
    pub pending: Option<ItemKey>,
}

/// The event state of a simulation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Network {
    pub queue: EventQueue<Event>,
    pub netcons: Vec<NetCon>,
    pub sources: Vec<SpikeSource>,
    pub voltage_sources: HashMap<usize, usize>,
    pub instance_sources: HashMap<(usize, usize), usize>,
    /// The pending flag-1 self-event of each (mechanism, instance), for
    /// `net_move` (NMODL's `_tqitem`).
    pub movable: HashMap<(usize, usize), ItemKey>,
    /// Active watches in checking order (activation order; `None` for
    /// removed ones).
    pub watches: Vec<Option<ActiveWatch>>,
    /// Slot in `watches` of each active (mechanism, instance, watch).
    pub watch_slots: HashMap<(usize, usize, usize), usize>,
    /// The active watch statements of each (mechanism, instance).
    pub instance_watches: HashMap<(usize, usize), Vec<usize>>,
    /// The source of NetCons with a target and no source, once one exists.
    pub unused_source: Option<usize>,
    /// For FOR_NETCONS: the NetCons targeting each (mechanism, instance), in
    /// NEURON's order (by source, then creation); rebuilt when stale.
    pub fornetcons: HashMap<(usize, usize), Vec<usize>>,
    pub fornetcons_stale: bool,
    /// (time, id) of every spike of a logging source, in emission order
    /// (NEURON's `NetCon.record(tvec, idvec, id)`).
    pub spike_log: Vec<(f64, f64)>,
    /// The NetCons of each input gid (`ParallelContext.gid_connect` to a
    /// gid no cell owns), which `nrn_fake_fire` makes deliver.
    pub gid_inputs: HashMap<i64, Vec<usize>>,
}

impl Network {
    /// The source watching v at `node`, created if new (threshold 10 mV);
    /// `threshold` replaces its threshold when given.
    pub fn voltage_source(&mut self, node: usize, threshold: Option<f64>) -> usize {
        let index = match self.voltage_sources.get(&node) {
            Some(&index) => index,
            None => {
                let kind = SourceKind::Voltage {
                    node,
                    threshold: DEFAULT_THRESHOLD,
                };
                let index = self.push_source(kind);
                self.voltage_sources.insert(node, index);
                index
            }
        };
        if let (Some(th), SourceKind::Voltage { threshold, .. }) =
            (threshold, &mut self.sources[index].kind)
        {
            *threshold = th;
        }
        index
    }

    /// The source watching `variable`, created if new (threshold 10);
    /// `threshold` replaces its threshold when given.
    pub fn variable_source(&mut self, variable: WatchedVariable, threshold: Option<f64>) -> usize {
        let existing = self.sources.iter().position(
            |s| matches!(s.kind, SourceKind::Variable { variable: v, .. } if v == variable),
        );
        let index = match existing {
            Some(index) => index,
            None => self.push_source(SourceKind::Variable {
                variable,
                threshold: DEFAULT_THRESHOLD,
            }),
        };
        if let (Some(th), SourceKind::Variable { threshold, .. }) =
            (threshold, &mut self.sources[index].kind)
        {
            *threshold = th;
        }
        index
    }

    /// The source shared by NetCons without a source, created if new.
    pub fn unused_source(&mut self) -> usize {
        match self.unused_source {
            Some(index) => index,
            None => {
                let index = self.push_source(SourceKind::Unused);
                self.unused_source = Some(index);
                index
            }
        }
    }

    /// NEURON's `fornetcon_prepare`: the NetCons of each target instance,
    /// source by source in source creation order, each source's NetCons in
    /// creation order.
    pub fn prepare_fornetcons(&mut self) {
        self.fornetcons.clear();
        for src in &self.sources {
            for &nc in &src.netcons {
                if let Some(target) = self.netcons[nc].target {
                    self.fornetcons.entry(target).or_default().push(nc);
                }
            }
        }
        self.fornetcons_stale = false;
    }

    /// The source fed by `net_event` of (mechanism, instance), created if new.
    pub fn instance_source(&mut self, mechanism: usize, instance: usize) -> usize {
        if let Some(&index) = self.instance_sources.get(&(mechanism, instance)) {
            return index;
        }
        let index = self.push_source(SourceKind::Instance {
            mechanism,
            instance,
        });
        self.instance_sources.insert((mechanism, instance), index);
        index
    }

    fn push_source(&mut self, kind: SourceKind) -> usize {
        self.sources.push(SpikeSource {
            kind,
            above: false,
            netcons: Vec::new(),
            recording: false,
            spikes: Vec::new(),
            log_id: None,
            use_min_delay: false,
            delay: DEFAULT_DELAY,
        });
        self.sources.len() - 1
    }

    /// NEURON's `PreSyn::send`: records the spike and queues its deliveries.
    pub fn send_spike(&mut self, source: usize, time: f64) {
        let Some(src) = self.sources.get_mut(source) else {
            return;
        };
        if src.recording {
            src.spikes.push(time);
        }
        if let Some(id) = src.log_id {
            self.spike_log.push((time, id));
        }
        if src.use_min_delay {
            let at = time + src.delay;
            self.queue.insert(at, Event::Fanout(source));
            return;
        }
        for &nc in &src.netcons {
            let netcon = &self.netcons[nc];
            if netcon.active && netcon.target.is_some() {
                self.queue.insert(time + netcon.delay, Event::NetCon(nc));
            }
        }
    }

    /// NEURON's `init_events` for the sources: re-arm, clear recordings and
    /// decide whether one event fans out to all NetCons.
    pub fn reset_sources(&mut self) {
        self.spike_log.clear();
        for src in &mut self.sources {
            src.above = false;
            src.spikes.clear();
            let first = src.netcons.first().map(|&nc| self.netcons[nc].delay);
            src.use_min_delay = false;
            if let (true, Some(delay)) = (src.netcons.len() > 2, first) {
                src.delay = delay;
                src.use_min_delay = src
                    .netcons
                    .iter()
                    .all(|&nc| self.netcons[nc].delay == delay);
            }
        }
    }

    /// Empties the queue, forgets pending self-events and active watches.
    pub fn clear_events(&mut self) {
        self.queue.clear();
        self.movable.clear();
        self.watches.clear();
        self.watch_slots.clear();
        self.instance_watches.clear();
    }

    /// Cancels every watch of (mechanism, instance) and its queued event.
    pub fn clear_watches(&mut self, mechanism: usize, instance: usize) {
        let ids = self
            .instance_watches
            .remove(&(mechanism, instance))
            .unwrap_or_default();
        for watch in ids {
            let slot = self.watch_slots.remove(&(mechanism, instance, watch));
            let active = slot.and_then(|slot| self.watches[slot].take());
            if let Some(item) = active.and_then(|w| w.pending) {
                self.queue.remove(item);
            }
        }
    }

    /// Makes `watch` active (again) at the end of the checking order, as
    /// NEURON's `WatchCondition::activate` does; `above` is whether its
    /// condition already holds (value ≥ −1e-11). A re-activated watch forgets
    /// its queued event, which is still delivered.
    pub fn activate_watch(&mut self, watch: ActiveWatch) {
        let key = (watch.mechanism, watch.instance, watch.watch);
        if let Some(slot) = self.watch_slots.remove(&key) {
            self.watches[slot] = None;
        }
        if self.watches.len() > 64 && self.watch_slots.len() * 2 < self.watches.len() {
            self.compact_watches();
        }
        self.watch_slots.insert(key, self.watches.len());
        self.watches.push(Some(watch));
        let ids = self
            .instance_watches
            .entry((watch.mechanism, watch.instance))
            .or_default();
        if !ids.contains(&watch.watch) {
            ids.push(watch.watch);
        }
    }

    fn compact_watches(&mut self) {
        self.watches.retain(Option::is_some);
        for (slot, w) in self.watches.iter().enumerate() {
            if let Some(w) = w {
                self.watch_slots
                    .insert((w.mechanism, w.instance, w.watch), slot);
            }
        }
    }
}
