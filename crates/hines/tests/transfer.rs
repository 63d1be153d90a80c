//! Variable transfer (`Simulation::add_transfer`): the timing NEURON's
//! ParallelContext transfer has, checked with built-in mechanisms. The gap
//! junction against NEURON's traces is in the workspace test
//! `tests/stp_gap_reference.rs`.

use neurite_hines::{
    HinesError, IClamp, Model, Pas, Probe, SectionSpec, SimConfig, Simulation, TransferSource,
    TransferTarget,
};

fn soma(model: &mut Model, name: &str) -> neurite_hines::SectionId {
    model
        .add_section(SectionSpec {
            name: name.into(),
            length: 20.0,
            diam: 20.0,
            ra: 100.0,
            cm: 1.0,
            nseg: 1,
        })
        .expect("section")
}

/// Cell a is stepped by an IClamp; the `del` column of a clamp on cell b
/// (never on) receives cell a's v: only the copy and its timing are checked.
#[test]
fn target_holds_the_source_value_of_the_same_sample() {
    let mut model = Model::new();
    let a = soma(&mut model, "a");
    let b = soma(&mut model, "b");
    let mut sim = Simulation::new(&model, SimConfig::default()).expect("sim");
    let na = sim.discretization().node_at(a, 0.5).expect("node");
    let nb = sim.discretization().node_at(b, 0.5).expect("node");
    let mut pas = Pas::new();
    pas.push(na, 1e-3, -70.0);
    pas.push(nb, 1e-3, -70.0);
    sim.add_mechanism(Box::new(pas)).expect("pas");
    let mut stim = IClamp::new();
    stim.push(na, 1.0, 3.0, 0.1);
    // a second clamp that is never on: its `del` column receives v of cell 1
    stim.push(nb, 1e9, 0.0, 0.0);
    let clamps = sim.add_mechanism(Box::new(stim)).expect("iclamp");
    let target = TransferTarget {
        mechanism: clamps,
        instance: 1,
        column: IClamp::DEL,
    };
    sim.add_transfer(TransferSource::Voltage { node: na }, target)
        .expect("transfer");
    assert_eq!(sim.transfer_count(), 1);
    let v = sim
        .record(Probe::Voltage { section: a, x: 0.5 })
        .expect("v");
    let copy = sim
        .record(Probe::Mechanism {
            mechanism: clamps,
            instance: 1,
            column: IClamp::DEL,
        })
        .expect("copy");
    sim.finitialize(-70.0).expect("init");
    sim.run(6.0).expect("run");
    let v = sim.trace(v).expect("v").to_vec();
    let copy = sim.trace(copy).expect("copy").to_vec();
    assert_eq!(v.len(), 241);
    assert_eq!(v, copy, "the copy is made before every sample");
    assert!(v.iter().any(|&x| x > -65.0), "cell 1 was stepped");

    // a second transfer into the same column is refused
    let again = sim.add_transfer(TransferSource::Voltage { node: nb }, target);
    assert!(matches!(again, Err(HinesError::TransferTargetTaken { .. })));
    sim.clear_transfers();
    assert_eq!(sim.transfer_count(), 0);
    sim.add_transfer(TransferSource::Voltage { node: nb }, target)
        .expect("after clear");
}

#[test]
fn bad_sources_and_targets_are_refused() {
    let mut model = Model::new();
    let a = soma(&mut model, "a");
    let mut sim = Simulation::new(&model, SimConfig::default()).expect("sim");
    let na = sim.discretization().node_at(a, 0.5).expect("node");
    let mut stim = IClamp::new();
    stim.push(na, 1.0, 1.0, 0.0);
    let id = sim.add_mechanism(Box::new(stim)).expect("iclamp");
    let good = TransferTarget {
        mechanism: id,
        instance: 0,
        column: IClamp::AMP,
    };
    let far = TransferSource::Voltage { node: 99 };
    assert!(matches!(
        sim.add_transfer(far, good),
        Err(HinesError::UnknownNode { node: 99, .. })
    ));
    let no_instance = TransferTarget {
        instance: 3,
        ..good
    };
    assert!(matches!(
        sim.add_transfer(TransferSource::Voltage { node: na }, no_instance),
        Err(HinesError::UnknownVariable { instance: 3, .. })
    ));
    let no_column = TransferSource::Mechanism {
        mechanism: id,
        instance: 0,
        column: 77,
    };
    assert!(matches!(
        sim.add_transfer(no_column, good),
        Err(HinesError::UnknownVariable { column: 77, .. })
    ));
    assert_eq!(sim.transfer_count(), 0);
}

/// A mechanism column as the source: the `i` of the stepping clamp copied into
/// the `amp` of a clamp on the other cell, which then injects it one step
/// later, as NEURON's `source_var` of a point-process variable does.
#[test]
fn mechanism_column_source_drives_another_cell() {
    let mut model = Model::new();
    let a = soma(&mut model, "a");
    let b = soma(&mut model, "b");
    let mut sim = Simulation::new(&model, SimConfig::default()).expect("sim");
    let na = sim.discretization().node_at(a, 0.5).expect("node");
    let nb = sim.discretization().node_at(b, 0.5).expect("node");
    let mut pas = Pas::new();
    pas.push(na, 1e-3, -70.0);
    pas.push(nb, 1e-3, -70.0);
    sim.add_mechanism(Box::new(pas)).expect("pas");
    let mut stim = IClamp::new();
    stim.push(na, 1.0, 2.0, 0.1);
    stim.push(nb, 0.0, 1e9, 0.0);
    let clamps = sim.add_mechanism(Box::new(stim)).expect("iclamp");
    let source = TransferSource::Mechanism {
        mechanism: clamps,
        instance: 0,
        column: IClamp::I,
    };
    let target = TransferTarget {
        mechanism: clamps,
        instance: 1,
        column: IClamp::AMP,
    };
    sim.add_transfer(source, target).expect("transfer");
    let i_a = sim
        .record(Probe::Mechanism {
            mechanism: clamps,
            instance: 0,
            column: IClamp::I,
        })
        .expect("i a");
    let amp_b = sim
        .record(Probe::Mechanism {
            mechanism: clamps,
            instance: 1,
            column: IClamp::AMP,
        })
        .expect("amp b");
    let vb = sim
        .record(Probe::Voltage { section: b, x: 0.5 })
        .expect("v b");
    sim.finitialize(-70.0).expect("init");
    sim.run(5.0).expect("run");
    let i_a = sim.trace(i_a).expect("i").to_vec();
    let amp_b = sim.trace(amp_b).expect("amp").to_vec();
    let vb = sim.trace(vb).expect("v").to_vec();
    // the copy is taken before the states advance and the sample is taken;
    // IClamp sets i in its current hook, so amp_b(n) = i_a(n)
    assert_eq!(i_a, amp_b);
    assert!(i_a.iter().any(|&x| x > 0.09), "cell a was stepped");
    assert!(
        vb.iter().any(|&x| x > -69.0),
        "cell b was driven through the copy"
    );
}
