//! Event delivery during `finitialize` and the fixed step: threshold detection,
//! taking due events off the queue, calling NET_RECEIVE, and acting on the
//! requests (`net_send`, `net_event`, `net_move`) a hook makes.

use super::{ActiveWatch, Event, Network, SourceKind, THRESHOLD_TIME_EPSILON};
use crate::error::{HinesError, Result};
use crate::mechanism::{EventRequest, Mechanism, NetConWeights, NodeContext, Outbox, StepInfo};
use crate::simulation::Simulation;

impl Simulation {
    /// NEURON's `check_thresh`: each voltage source, in creation order, fires
    /// at t + 1e-10 when v − threshold > 0 and it was not already above; it
    /// re-arms when v − threshold ≤ 0.
    pub(crate) fn check_thresholds(&mut self) {
        let t = self.t;
        for source in 0..self.network.sources.len() {
            let (value, threshold) = match self.network.sources[source].kind {
                SourceKind::Voltage { node, threshold } => (self.v[node], threshold),
                SourceKind::Variable {
                    variable,
                    threshold,
                } => match self.watched_value(&variable) {
                    Ok(value) => (value, threshold),
                    Err(_) => continue,
                },
                SourceKind::Instance { .. } | SourceKind::Unused => continue,
            };
            let src = &mut self.network.sources[source];
            if value - threshold > 0.0 {
                if !src.above {
                    src.above = true;
                    self.network.send_spike(source, t + THRESHOLD_TIME_EPSILON);
                }
            } else {
                src.above = false;
            }
        }
    }

    /// NEURON's WATCH check, after the thresholds: each active watch in
    /// activation order whose condition is > 0 while it was not queues an
    /// event at t (no epsilon); a condition ≤ 0 re-arms it.
    pub(crate) fn check_watches(&mut self) {
        let t = self.t;
        for slot in 0..self.network.watches.len() {
            let Some(w) = self.network.watches[slot] else {
                continue;
            };
            let value = self.watch_value(&w, t);
            let above = value > 0.0;
            let fire = above && !w.above;
            let pending = if fire {
                let event = Event::Watch {
                    mechanism: w.mechanism,
                    instance: w.instance,
                    watch: w.watch,
                };
                Some(self.network.queue.insert(t, event))
            } else {
                w.pending
            };
            self.network.watches[slot] = Some(ActiveWatch {
                above,
                pending,
                ..w
            });
        }
    }

    /// The condition value of an active watch at the present v, with t = `t`.
    fn watch_value(&mut self, w: &ActiveWatch, t: f64) -> f64 {
        let mut outbox = Outbox::new();
        let step = StepInfo {
            t,
            ..self.step_info()
        };
        let Simulation {
            mechanisms,
            v,
            disc,
            ions,
            ..
        } = self;
        let ctx = NodeContext {
            step,
            v,
            area: &disc.area,
            diam: &disc.diam,
            ions,
            events: &mut outbox,
        };
        mechanisms
            .get(w.mechanism)
            .map_or(-1.0, |m| m.watch_value(&ctx, w.instance, w.watch))
    }

    /// A WATCH statement executed in NET_RECEIVE at time `now`: the
    /// condition's present value decides whether it starts above (≥ −1e-11,
    /// NEURON's `hoc_epsilon`).
    fn activate_watch(
        &mut self,
        (mechanism, instance): (usize, usize),
        watch: usize,
        flag: f64,
        now: f64,
    ) {
        let mut w = ActiveWatch {
            mechanism,
            instance,
            watch,
            flag,
            above: false,
            pending: None,
        };
        w.above = self.watch_value(&w, now) >= -1e-11;
        self.network.activate_watch(w);
    }

    /// Delivers every queued event whose time is ≤ `til`, in queue order
    /// (NEURON's `deliver_events`); t is the step's t again afterwards.
    pub(crate) fn deliver_until(&mut self, til: f64) -> Result<()> {
        while let Some((time, event)) = self.network.queue.pop_due(til) {
            self.deliver(time, event)?;
        }
        Ok(())
    }

    fn deliver(&mut self, time: f64, event: Event) -> Result<()> {
        match event {
            Event::NetCon(nc) => self.deliver_netcon(time, nc),
            Event::ToSelf {
                mechanism,
                instance,
                flag,
                weights,
            } => {
                if flag == 1.0 {
                    // NMODL clears `_tqitem` when a flag-1 self-event arrives
                    self.network.movable.remove(&(mechanism, instance));
                }
                self.receive(mechanism, instance, time, flag, weights)
            }
            Event::Fanout(source) => self.deliver_fanout(time, source),
            Event::Watch {
                mechanism,
                instance,
                watch,
            } => self.deliver_watch(time, (mechanism, instance, watch)),
        }
    }

    /// NEURON's `WatchCondition::deliver`: NET_RECEIVE with the watch's
    /// present flag and no weights.
    fn deliver_watch(&mut self, time: f64, key: (usize, usize, usize)) -> Result<()> {
        let Some(&slot) = self.network.watch_slots.get(&key) else {
            return Ok(());
        };
        let Some(w) = self.network.watches[slot].as_mut() else {
            return Ok(());
        };
        w.pending = None;
        let flag = w.flag;
        self.receive(key.0, key.1, time, flag, None)
    }

    fn deliver_netcon(&mut self, time: f64, nc: usize) -> Result<()> {
        match self.network.netcons.get(nc).and_then(|n| n.target) {
            Some((mechanism, instance)) => self.receive(mechanism, instance, time, 0.0, Some(nc)),
            None => Ok(()),
        }
    }

    /// NEURON's `PreSyn::deliver`: the NetCons whose delay equals the
    /// source's get the event now, others are queued for the difference.
    fn deliver_fanout(&mut self, time: f64, source: usize) -> Result<()> {
        let Some(src) = self.network.sources.get(source) else {
            return Ok(());
        };
        let (netcons, base) = (src.netcons.clone(), src.delay);
        for nc in netcons {
            let netcon = &self.network.netcons[nc];
            if !netcon.active || netcon.target.is_none() {
                continue;
            }
            let extra = netcon.delay - base;
            if extra > 0.0 {
                self.network.queue.insert(time + extra, Event::NetCon(nc));
            } else {
                self.deliver_netcon(time, nc)?;
            }
        }
        Ok(())
    }

    /// Calls NET_RECEIVE of `instance` at `time` with the weights of NetCon
    /// `weights` (none: an empty slice), then acts on its requests.
    fn receive(
        &mut self,
        mechanism: usize,
        instance: usize,
        time: f64,
        flag: f64,
        weights: Option<usize>,
    ) -> Result<()> {
        // a POINTER reads its target now and writes through after
        self.pointers_in()?;
        let mut outbox = Outbox::new();
        let step = StepInfo {
            t: time,
            ..self.step_info()
        };
        let Simulation {
            mechanisms,
            network,
            v,
            disc,
            ions,
            ..
        } = self;
        let Some(mech) = mechanisms.get_mut(mechanism) else {
            return Ok(());
        };
        let mut ctx = NodeContext {
            step,
            v,
            area: &disc.area,
            diam: &disc.diam,
            ions,
            events: &mut outbox,
        };
        let key = (mechanism, instance);
        if mech.uses_for_netcons() {
            receive_netcons(mech.as_mut(), &mut ctx, network, key, weights, flag);
        } else {
            let w = weights.and_then(|nc| network.netcons.get_mut(nc));
            let w = w.map_or(&mut [][..], |netcon| netcon.weights.as_mut_slice());
            mech.net_receive(&mut ctx, instance, w, flag);
        }
        self.pointers_out()?;
        self.act_on(mechanism, time, weights, &mut outbox)
    }

    /// Runs the NET_RECEIVE INITIAL block for every NetCon with a target, in
    /// creation order; a target without one gets its weights after the first
    /// zeroed (NEURON's `init_events`).
    pub(crate) fn init_netcons(&mut self) -> Result<()> {
        for nc in 0..self.network.netcons.len() {
            let Some((mechanism, instance)) = self.network.netcons[nc].target else {
                continue;
            };
            let mut outbox = Outbox::new();
            let step = self.step_info();
            let Simulation {
                mechanisms,
                network,
                v,
                disc,
                ions,
                ..
            } = self;
            let weights = network.netcons[nc].weights.as_mut_slice();
            let mut ctx = NodeContext {
                step,
                v,
                area: &disc.area,
                diam: &disc.diam,
                ions,
                events: &mut outbox,
            };
            let has_init = mechanisms
                .get_mut(mechanism)
                .is_some_and(|m| m.net_receive_init(&mut ctx, instance, weights));
            if !has_init {
                weights.iter_mut().skip(1).for_each(|w| *w = 0.0);
            }
            let now = self.t;
            self.act_on(mechanism, now, Some(nc), &mut outbox)?;
        }
        Ok(())
    }

    /// Acts on the requests a hook of `mechanism` made at time `now`, in
    /// order; self-events carry the weights of NetCon `weights`.
    pub(crate) fn act_on(
        &mut self,
        mechanism: usize,
        now: f64,
        weights: Option<usize>,
        outbox: &mut Outbox,
    ) -> Result<()> {
        let mut watched: Vec<usize> = Vec::new();
        for request in outbox.take() {
            if let EventRequest::FakeFire { gid, time } = request {
                self.fake_fire(gid, time)?;
                continue;
            }
            let (instance, what, time) = match request {
                EventRequest::FakeFire { .. } => continue,
                EventRequest::Send { instance, time, .. } => (instance, "net_send", time),
                EventRequest::Spike { instance, time } => (instance, "net_event", time),
                EventRequest::Move { instance, time } => (instance, "net_move", time),
                EventRequest::Watch { instance, .. } => (instance, "WATCH", now),
            };
            self.check_request(mechanism, instance, what, time, now)?;
            let key = (mechanism, instance);
            match request {
                EventRequest::Send { flag, .. } => self.send_to_self(key, time, flag, weights),
                EventRequest::Spike { .. } => {
                    if let Some(&source) = self.network.instance_sources.get(&key) {
                        self.network.send_spike(source, time);
                    }
                }
                EventRequest::Move { .. } => self.move_self_event(key, time)?,
                EventRequest::FakeFire { .. } => {}
                EventRequest::Watch { watch, flag, .. } => {
                    if !watched.contains(&instance) {
                        watched.push(instance);
                        self.network.clear_watches(mechanism, instance);
                    }
                    self.activate_watch(key, watch, flag, now);
                }
            }
        }
        Ok(())
    }

    /// NEURON's `nrn_fake_fire` for an input gid (`PreSyn::send` of the
    /// gid's input port): each active NetCon of the port with a target
    /// delivers at `time` plus its delay.
    fn fake_fire(&mut self, gid: f64, time: f64) -> Result<()> {
        if !gid.is_finite() {
            return Ok(());
        }
        if !time.is_finite() {
            return Err(HinesError::InvalidEventValue {
                what: "nrn_fake_fire time",
                value: time,
            });
        }
        let net = &mut self.network;
        let Some(list) = net.gid_inputs.get(&(gid.trunc() as i64)) else {
            return Ok(());
        };
        for &nc in list {
            let netcon = &net.netcons[nc];
            if netcon.active && netcon.target.is_some() {
                net.queue.insert(time + netcon.delay, Event::NetCon(nc));
            }
        }
        Ok(())
    }

    /// `net_send`: queues a self-event; one with flag 1 becomes the
    /// instance's movable event.
    fn send_to_self(&mut self, key: (usize, usize), time: f64, flag: f64, weights: Option<usize>) {
        let event = Event::ToSelf {
            mechanism: key.0,
            instance: key.1,
            flag,
            weights,
        };
        let item = self.network.queue.insert(time, event);
        if flag == 1.0 {
            self.network.movable.insert(key, item);
        }
    }

    /// `net_move`: the pending flag-1 self-event of (mechanism, instance)
    /// goes to `time`.
    fn move_self_event(&mut self, key: (usize, usize), time: f64) -> Result<()> {
        let item = self.network.movable.get(&key);
        if item.is_some_and(|&item| self.network.queue.move_to(item, time)) {
            Ok(())
        } else {
            Err(HinesError::NoEventToMove {
                mechanism: key.0,
                instance: key.1,
            })
        }
    }

    /// A request must name an existing instance and a finite time not before
    /// `now`.
    fn check_request(
        &self,
        mechanism: usize,
        instance: usize,
        what: &'static str,
        time: f64,
        now: f64,
    ) -> Result<()> {
        let count = self
            .mechanisms
            .get(mechanism)
            .map_or(0, |m| m.instance_count());
        if instance >= count {
            return Err(HinesError::UnknownInstance {
                mechanism,
                instance,
                count,
            });
        }
        if !time.is_finite() {
            return Err(HinesError::InvalidEventValue { what, value: time });
        }
        if time < now {
            return Err(HinesError::EventInPast {
                mechanism,
                instance,
                what,
                time,
                now,
            });
        }
        Ok(())
    }
}

/// NET_RECEIVE through [`Mechanism::net_receive_netcons`]: the weight vectors
/// of the instance's NetCons are lent out for the call and put back after.
fn receive_netcons(
    mech: &mut dyn Mechanism,
    ctx: &mut NodeContext<'_>,
    network: &mut Network,
    key: (usize, usize),
    current: Option<usize>,
    flag: f64,
) {
    if network.fornetcons_stale {
        network.prepare_fornetcons();
    }
    let ids = network.fornetcons.get(&key).cloned().unwrap_or_default();
    let mut lent: Vec<Vec<f64>> = ids
        .iter()
        .map(|&nc| std::mem::take(&mut network.netcons[nc].weights))
        .collect();
    let position = current.and_then(|nc| ids.iter().position(|&i| i == nc));
    let refs = lent.iter_mut().map(Vec::as_mut_slice).collect();
    let mut group = NetConWeights::new(refs, position);
    mech.net_receive_netcons(ctx, key.1, &mut group, flag);
    for (&nc, weights) in ids.iter().zip(lent.drain(..)) {
        network.netcons[nc].weights = weights;
    }
}
