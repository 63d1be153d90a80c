//! Bad input is reported as an error with its context, never a panic.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use neurite_hines::{
    HinesError, IClamp, MechanismId, Model, Pas, Probe, SectionId, SectionSpec, SimConfig,
    Simulation,
};

fn one_section() -> (Model, SectionId) {
    let mut m = Model::new();
    let s = m
        .add_section(SectionSpec {
            name: "soma".into(),
            ..Default::default()
        })
        .unwrap();
    (m, s)
}

#[test]
fn unknown_section_is_an_error() {
    let (mut big, _) = one_section();
    let other = big.add_section(SectionSpec::default()).unwrap();
    let (mut m, _) = one_section();
    assert_eq!(
        m.set_nseg(other, 3),
        Err(HinesError::UnknownSection { id: 1, count: 1 })
    );
    assert!(matches!(
        m.pt3dadd(other, 0.0, 0.0, 0.0, 1.0),
        Err(HinesError::UnknownSection { .. })
    ));
}

#[test]
fn positions_outside_zero_one_are_errors() {
    let (mut m, s) = one_section();
    let d = m
        .add_section(SectionSpec {
            name: "d".into(),
            ..Default::default()
        })
        .unwrap();
    for x in [-0.1, 1.5, f64::NAN] {
        assert!(matches!(
            m.connect(d, 0.0, s, x),
            Err(HinesError::PositionOutOfRange { .. })
        ));
    }
    let disc = neurite_hines::Discretization::new(&m).unwrap();
    assert!(matches!(
        disc.node_at(s, 2.0),
        Err(HinesError::PositionOutOfRange { .. })
    ));
}

#[test]
fn zero_segments_and_bad_parameters_are_errors() {
    let (mut m, s) = one_section();
    assert_eq!(
        m.set_nseg(s, 0),
        Err(HinesError::ZeroSegments {
            section: "soma".into()
        })
    );
    let bad = SectionSpec {
        nseg: 0,
        ..Default::default()
    };
    assert!(matches!(
        m.add_section(bad),
        Err(HinesError::ZeroSegments { .. })
    ));
    assert!(matches!(
        m.set_diam(s, -1.0),
        Err(HinesError::InvalidParameter {
            parameter: "diam",
            ..
        })
    ));
    assert!(matches!(
        m.set_ra(s, f64::NAN),
        Err(HinesError::InvalidParameter {
            parameter: "Ra",
            ..
        })
    ));
    assert!(matches!(
        m.pt3dadd(s, 0.0, 0.0, 0.0, -2.0),
        Err(HinesError::InvalidPoint { .. })
    ));
}

#[test]
fn bad_connections_are_errors() {
    let (mut m, s) = one_section();
    let d = m
        .add_section(SectionSpec {
            name: "d".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(matches!(
        m.connect(d, 0.5, s, 1.0),
        Err(HinesError::InvalidChildEnd { .. })
    ));
    m.connect(d, 0.0, s, 1.0).unwrap();
    assert!(matches!(
        m.connect(s, 0.0, d, 1.0),
        Err(HinesError::WouldFormLoop { .. })
    ));
    assert!(matches!(
        m.connect(s, 0.0, s, 0.5),
        Err(HinesError::WouldFormLoop { .. })
    ));
}

#[test]
fn bad_run_settings_are_errors() {
    let (m, _) = one_section();
    let config = SimConfig {
        dt: 0.0,
        ..Default::default()
    };
    assert!(matches!(
        Simulation::new(&m, config),
        Err(HinesError::InvalidTime { what: "dt", .. })
    ));
    let mut sim = Simulation::new(&m, SimConfig::default()).unwrap();
    assert!(sim.set_dt(f64::INFINITY).is_err());
    assert!(sim.run(f64::NAN).is_err());
}

#[test]
fn mechanisms_and_probes_must_refer_to_existing_things() {
    let (m, s) = one_section();
    let mut sim = Simulation::new(&m, SimConfig::default()).unwrap();
    let mut stim = IClamp::new();
    stim.push(99, 0.0, 1.0, 1.0);
    let err = sim.add_mechanism(Box::new(stim)).unwrap_err();
    assert_eq!(
        err,
        HinesError::UnknownNode {
            instance: 0,
            node: 99,
            count: 3
        }
    );
    let mut pas = Pas::new();
    pas.push(sim.discretization().node_at(s, 0.5).unwrap(), 0.001, -70.0);
    let id: MechanismId = sim.add_mechanism(Box::new(pas)).unwrap();
    let probe = Probe::Mechanism {
        mechanism: id,
        instance: 0,
        column: 7,
    };
    assert!(matches!(
        sim.record(probe),
        Err(HinesError::UnknownVariable { .. })
    ));
    let probe = Probe::Mechanism {
        mechanism: id,
        instance: 3,
        column: Pas::I,
    };
    assert!(matches!(
        sim.record(probe),
        Err(HinesError::UnknownVariable { .. })
    ));
}

#[test]
fn nan_voltage_reports_section_position_and_time() {
    let (m, s) = one_section();
    let mut sim = Simulation::new(&m, SimConfig::default()).unwrap();
    let mut stim = IClamp::new();
    stim.push(
        sim.discretization().node_at(s, 0.5).unwrap(),
        1.0,
        1.0,
        f64::NAN,
    );
    sim.add_mechanism(Box::new(stim)).unwrap();
    sim.finitialize(-65.0).unwrap();
    let err = sim.run(5.0).unwrap_err();
    match err {
        HinesError::NonFiniteVoltage { section, x, t, .. } => {
            assert_eq!(section, "soma");
            assert!((0.0..=1.0).contains(&x));
            assert!((t - 1.0).abs() < 0.03, "t = {t}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        sim.finitialize(f64::NAN),
        Err(HinesError::NonFiniteVoltage { .. })
    ));
}

#[test]
fn mechanism_variables_are_read_and_written_by_handle() {
    let (m, s) = one_section();
    let mut sim = Simulation::new(&m, SimConfig::default()).unwrap();
    let mut stim = IClamp::new();
    stim.push(sim.discretization().node_at(s, 0.5).unwrap(), 1.0, 1.0, 0.1);
    let id = sim.add_mechanism(Box::new(stim)).unwrap();
    sim.set_variable(id, 0, IClamp::AMP, 0.3).unwrap();
    assert_eq!(sim.variable(id, 0, IClamp::AMP).unwrap(), 0.3);
    assert!(sim.set_variable(id, 1, IClamp::AMP, 0.3).is_err());
    assert!(sim.variable(id, 0, 99).is_err());
    assert!(sim.set_celsius(f64::NAN).is_err());
}
