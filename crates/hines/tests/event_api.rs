//! The event API on its own: NetCon validation errors, NET_RECEIVE weights as
//! per-connection state, the NET_RECEIVE INITIAL rule, `net_move`, requests
//! in the past, inactive NetCons and the INITIAL order of artificial cells.

use std::cell::Cell;
use std::rc::Rc;

use neurite_hines::{
    CurrentContext, HinesError, Mechanism, MechanismId, Model, NetConId, NetConSource, NetConSpec,
    NetConTarget, NodeContext, SectionSpec, SimConfig, Simulation,
};

/// What a [`Logger`] does when an event arrives or at INITIAL.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Behaviour {
    /// Only log.
    Log,
    /// INITIAL sends a flag-1 self-event at 5 ms; a NetCon event moves it to
    /// t + 1.
    Move,
    /// A NetCon event asks for a self-event 1 ms in the past.
    SendInPast,
    /// A NetCon event moves a self-event that does not exist.
    MoveNothing,
    /// INITIAL sends a flag-2 self-event at 1 ms.
    InitialSend,
}

/// An artificial (or not) cell with one instance that notes the events it
/// receives in its columns: 0 count, 1 t of the last, 2 its flag, 3 the tick
/// of a clock shared between loggers when it arrived.
#[derive(Debug)]
struct Logger {
    artificial: bool,
    behaviour: Behaviour,
    /// NET_RECEIVE INITIAL sets weights[2] = 7 when present.
    receive_init: bool,
    columns: [f64; 4],
    clock: Rc<Cell<u32>>,
}

impl Logger {
    fn new(behaviour: Behaviour) -> Self {
        Logger {
            artificial: true,
            behaviour,
            receive_init: false,
            columns: [0.0; 4],
            clock: Rc::new(Cell::new(0)),
        }
    }
}

impl Mechanism for Logger {
    fn nodes(&self) -> &[usize] {
        &[]
    }
    fn instance_count(&self) -> usize {
        1
    }
    fn is_artificial(&self) -> bool {
        self.artificial
    }
    fn weight_count(&self) -> usize {
        3
    }
    fn init(&mut self, ctx: &mut NodeContext<'_>) {
        self.columns = [0.0; 4];
        match self.behaviour {
            Behaviour::Move => ctx.net_send(0, 5.0, 1.0),
            Behaviour::InitialSend => ctx.net_send(0, 1.0, 2.0),
            _ => {}
        }
    }
    fn current(&mut self, _ctx: &mut CurrentContext<'_>) {}
    fn net_receive(
        &mut self,
        ctx: &mut NodeContext<'_>,
        instance: usize,
        weights: &mut [f64],
        flag: f64,
    ) {
        let t = ctx.step.t;
        let tick = self.clock.get() + 1;
        self.clock.set(tick);
        self.columns = [self.columns[0] + 1.0, t, flag, f64::from(tick)];
        assert_eq!(instance, 0);
        if let Some(count) = weights.get_mut(1) {
            *count += 1.0; // per-connection state
        }
        match (self.behaviour, flag) {
            (Behaviour::Move, 0.0) => ctx.net_move(0, t + 1.0),
            (Behaviour::SendInPast, 0.0) => ctx.net_send(0, -1.0, 1.0),
            (Behaviour::MoveNothing, 0.0) => ctx.net_move(0, t + 1.0),
            _ => {}
        }
    }
    fn net_receive_init(
        &mut self,
        _ctx: &mut NodeContext<'_>,
        _instance: usize,
        weights: &mut [f64],
    ) -> bool {
        if self.receive_init {
            weights[2] = 7.0;
        }
        self.receive_init
    }
    fn column_count(&self) -> usize {
        4
    }
    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        (instance == 0).then(|| self.columns.get(column).copied())?
    }
    fn write(&mut self, _instance: usize, _column: usize, _value: f64) -> bool {
        false
    }
}

fn simulation() -> Simulation {
    let mut model = Model::new();
    model
        .add_section(SectionSpec {
            name: "soma".into(),
            length: 10.0,
            diam: 10.0,
            ra: 100.0,
            cm: 1.0,
            nseg: 1,
        })
        .expect("valid section");
    Simulation::new(&model, SimConfig::default()).expect("discretises")
}

fn target(mechanism: MechanismId) -> Option<NetConTarget> {
    Some(NetConTarget {
        mechanism,
        instance: 0,
    })
}

fn logger_with_netcon(logger: Logger) -> (Simulation, MechanismId, NetConId) {
    let mut sim = simulation();
    let id = sim.add_mechanism(Box::new(logger)).expect("no nodes");
    let spec = NetConSpec {
        weights: vec![0.5, 0.0, 3.0],
        ..NetConSpec::new(NetConSource::None, target(id))
    };
    let nc = sim.add_netcon(spec).expect("valid");
    (sim, id, nc)
}

/// (count, last t, last flag, tick) of a logger.
fn log_of(sim: &Simulation, id: MechanismId) -> [f64; 4] {
    [0, 1, 2, 3].map(|c| sim.variable(id, 0, c).expect("column"))
}

#[test]
fn invalid_netcons_are_errors() {
    let mut sim = simulation();
    let id = sim
        .add_mechanism(Box::new(Logger::new(Behaviour::Log)))
        .expect("no nodes");
    let bad_delay = NetConSpec::new(NetConSource::None, target(id)).delay(-1.0);
    assert!(matches!(
        sim.add_netcon(bad_delay),
        Err(HinesError::InvalidEventValue { .. })
    ));
    let bad_instance = NetConSpec::new(
        NetConSource::None,
        Some(NetConTarget {
            mechanism: id,
            instance: 4,
        }),
    );
    assert!(matches!(
        sim.add_netcon(bad_instance),
        Err(HinesError::UnknownInstance { instance: 4, .. })
    ));
    let bad_node = NetConSpec::new(
        NetConSource::Voltage {
            node: 99,
            threshold: Some(0.0),
        },
        None,
    );
    assert!(matches!(
        sim.add_netcon(bad_node),
        Err(HinesError::UnknownNode { node: 99, .. })
    ));
}

#[test]
fn invalid_netcon_settings_are_errors() {
    let mut sim = simulation();
    let id = sim
        .add_mechanism(Box::new(Logger::new(Behaviour::Log)))
        .expect("no nodes");
    let nc = sim
        .add_netcon(NetConSpec::new(NetConSource::None, target(id)))
        .expect("valid");
    assert!(matches!(
        sim.set_netcon_weight(nc, 3, 1.0),
        Err(HinesError::UnknownWeight {
            index: 3,
            count: 3,
            ..
        })
    ));
    assert!(sim.netcon_event(nc, f64::NAN).is_err());
    assert!(sim.set_netcon_threshold(nc, f64::INFINITY).is_err());
    assert_eq!(sim.spike_times(nc).expect("netcon"), &[] as &[f64]);
}

#[test]
fn weights_are_padded_zeroed_at_init_and_mutable_in_net_receive() {
    let (mut sim, _, nc) = logger_with_netcon(Logger::new(Behaviour::Log));
    assert_eq!(sim.netcon_weights(nc).expect("nc"), &[0.5, 0.0, 3.0]);
    sim.finitialize(-65.0).expect("init");
    // no NET_RECEIVE INITIAL: NEURON zeroes the weights after the first
    assert_eq!(sim.netcon_weights(nc).expect("nc"), &[0.5, 0.0, 0.0]);
    sim.netcon_event(nc, 0.1).expect("event");
    sim.netcon_event(nc, 0.2).expect("event");
    sim.run(1.0).expect("runs");
    assert_eq!(sim.netcon_weights(nc).expect("nc"), &[0.5, 2.0, 0.0]);
    assert_eq!(sim.pending_events(), 0);
}

#[test]
fn net_receive_initial_runs_per_netcon() {
    let mut logger = Logger::new(Behaviour::Log);
    logger.receive_init = true;
    let (mut sim, _, nc) = logger_with_netcon(logger);
    sim.set_netcon_weight(nc, 1, 4.0).expect("weight");
    sim.finitialize(-65.0).expect("init");
    assert_eq!(sim.netcon_weights(nc).expect("nc"), &[0.5, 4.0, 7.0]);
}

#[test]
fn net_move_moves_the_pending_flag_one_event() {
    let (mut sim, id, nc) = logger_with_netcon(Logger::new(Behaviour::Move));
    sim.finitialize(-65.0).expect("init");
    sim.netcon_event(nc, 2.0).expect("event");
    sim.run(4.0).expect("runs");
    // the flag-1 event moved from 5 to 3 and has been delivered there
    assert_eq!(sim.pending_events(), 0);
    assert_eq!(log_of(&sim, id)[..3], [2.0, 3.0, 1.0]);
}

#[test]
fn requests_in_the_past_and_moves_of_nothing_are_errors() {
    let (mut sim, _, nc) = logger_with_netcon(Logger::new(Behaviour::SendInPast));
    sim.finitialize(-65.0).expect("init");
    sim.netcon_event(nc, 0.5).expect("event");
    assert!(matches!(
        sim.run(1.0),
        Err(HinesError::EventInPast {
            what: "net_send",
            ..
        })
    ));
    let (mut sim, _, nc) = logger_with_netcon(Logger::new(Behaviour::MoveNothing));
    sim.finitialize(-65.0).expect("init");
    sim.netcon_event(nc, 0.5).expect("event");
    assert!(matches!(
        sim.run(1.0),
        Err(HinesError::NoEventToMove { .. })
    ));
}

#[test]
fn inactive_netcons_deliver_nothing() {
    let (mut sim, _, nc) = logger_with_netcon(Logger::new(Behaviour::Log));
    sim.finitialize(-65.0).expect("init");
    sim.set_netcon_active(nc, false).expect("nc");
    sim.netcon_event(nc, 0.1).expect("ignored");
    assert_eq!(sim.pending_events(), 0);
    let source_less = sim
        .add_netcon(NetConSpec::new(NetConSource::None, None))
        .expect("valid");
    sim.netcon_event(source_less, 0.1).expect("ignored");
    assert_eq!(sim.pending_events(), 0);
}

#[test]
fn initial_self_events_wait_in_the_queue() {
    let (mut sim, id, _) = logger_with_netcon(Logger::new(Behaviour::InitialSend));
    sim.finitialize(-65.0).expect("init");
    assert_eq!(sim.pending_events(), 1);
    sim.run(0.975).expect("runs");
    assert_eq!(sim.pending_events(), 1);
    // due at the end of the step that reaches 1, or at the start of the next
    sim.fadvance().expect("step");
    sim.fadvance().expect("step");
    assert_eq!(sim.pending_events(), 0);
    // NET_RECEIVE saw the event's own time, not the step's
    assert_eq!(log_of(&sim, id)[..3], [1.0, 1.0, 2.0]);
}

#[test]
fn artificial_cells_initialise_after_other_mechanisms() {
    let mut sim = simulation();
    let clock = Rc::new(Cell::new(0));
    let mut artificial = Logger::new(Behaviour::InitialSend);
    artificial.clock = Rc::clone(&clock);
    let mut other = Logger::new(Behaviour::InitialSend);
    other.artificial = false;
    other.clock = Rc::clone(&clock);
    let a = sim.add_mechanism(Box::new(artificial)).expect("no nodes");
    let b = sim.add_mechanism(Box::new(other)).expect("no nodes");
    sim.finitialize(-65.0).expect("init");
    sim.run(2.0).expect("runs");
    // both sent flag 2 at 1 ms from INITIAL; the artificial cell's INITIAL
    // ran last, so its event comes second
    assert_eq!(log_of(&sim, b), [1.0, 1.0, 2.0, 1.0]);
    assert_eq!(log_of(&sim, a), [1.0, 1.0, 2.0, 2.0]);
}

#[test]
fn netcons_on_one_node_share_a_threshold() {
    let mut sim = simulation();
    let node = 0;
    let first = NetConSpec::new(
        NetConSource::Voltage {
            node,
            threshold: None,
        },
        None,
    );
    let a = sim.add_netcon(first.clone()).expect("valid");
    assert_eq!(sim.netcon_threshold(a).expect("nc"), Some(10.0));
    let b = sim
        .add_netcon(NetConSpec {
            source: NetConSource::Voltage {
                node,
                threshold: Some(-20.0),
            },
            ..first.clone()
        })
        .expect("valid");
    let c = sim.add_netcon(first).expect("valid");
    for nc in [a, b, c] {
        assert_eq!(sim.netcon_threshold(nc).expect("nc"), Some(-20.0));
    }
    sim.set_netcon_threshold(c, 5.0).expect("finite");
    assert_eq!(sim.netcon_threshold(a).expect("nc"), Some(5.0));
    assert_eq!(sim.netcon_delay(a).expect("nc"), 1.0);
}

#[test]
fn fake_self_events_reach_artificial_cells_only() {
    let (mut sim, id, nc) = logger_with_netcon(Logger::new(Behaviour::Log));
    sim.finitialize(-65.0).expect("init");
    sim.netcon_self_event(nc, 0.5, 4.0).expect("artificial");
    sim.run(1.0).expect("runs");
    assert_eq!(log_of(&sim, id)[..3], [1.0, 0.5, 4.0]);
    let mut other = Logger::new(Behaviour::Log);
    other.artificial = false;
    let (mut sim, _, nc) = logger_with_netcon(other);
    sim.finitialize(-65.0).expect("init");
    assert!(matches!(
        sim.netcon_self_event(nc, 0.5, 4.0),
        Err(HinesError::NotArtificial { .. })
    ));
}

#[test]
fn the_spike_log_interleaves_sources_in_emission_order() {
    let mut sim = simulation();
    let mut stims = neurite_hines::NetStim::new();
    stims.push(1.0, 2.0, 3.0);
    stims.push(2.0, 2.0, 2.0);
    let id = sim.add_mechanism(Box::new(stims)).expect("artificial");
    for (instance, log_id) in [(0, 10.0), (1, 11.0)] {
        let source = NetConSource::Instance {
            mechanism: id,
            instance,
        };
        let nc = sim
            .add_netcon(NetConSpec::new(source, None))
            .expect("valid");
        sim.log_spikes(nc, log_id).expect("nc");
        assert!(!sim.netcon_active(nc).expect("nc"));
    }
    sim.finitialize(-65.0).expect("init");
    sim.run(6.0).expect("runs");
    let expected = [
        (1.0, 10.0),
        (2.0, 11.0),
        (3.0, 10.0),
        (4.0, 11.0),
        (5.0, 10.0),
    ];
    assert_eq!(sim.spike_log(), &expected);
    sim.finitialize(-65.0).expect("init");
    assert!(sim.spike_log().is_empty());
}
