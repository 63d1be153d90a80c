//! Criterion benchmark: a 1000-compartment hh cable (Neurite's `mod_files/hh.mod`
//! executed by the column IR) for 100 ms at dt = 0.025 ms, and a single hh soma.
//! `benches/neuron_side_by_side.py` times NEURON's built-in hh on the same models.

use criterion::{criterion_group, criterion_main, Criterion};
use neurite_hines::{Model, SectionSpec, SimConfig, Simulation};
use neurite_nmodl::exec::{Instantiator, MechanismLibrary};

/// A cable of `nseg` segments (L = 1000 µm, diam 1 µm) with hh everywhere and an
/// IClamp at 0; returns the simulation ready to run.
fn hh_cable(lib: &MechanismLibrary, nseg: usize) -> Simulation {
    let mut model = Model::new();
    let spec = SectionSpec {
        name: "cable".into(),
        length: if nseg == 1 { 20.0 } else { 1000.0 },
        diam: if nseg == 1 { 20.0 } else { 1.0 },
        nseg,
        ..SectionSpec::default()
    };
    let cable = model.add_section(spec).expect("section");
    let mut sim = Simulation::new(&model, SimConfig::default()).expect("simulation");
    let nodes: Vec<usize> = (0..nseg)
        .map(|i| {
            let x = (i as f64 + 0.5) / nseg as f64;
            sim.discretization().node_at(cable, x).expect("node")
        })
        .collect();
    let mut ins = Instantiator::new(lib);
    ins.insert_density(&mut sim, "hh", &nodes).expect("hh");
    let stim = ins
        .insert_point(&mut sim, "IClamp", nodes[0])
        .expect("IClamp");
    ins.set(&mut sim, stim, "del", 0, 1.0).expect("del");
    ins.set(&mut sim, stim, "dur", 0, 90.0).expect("dur");
    ins.set(&mut sim, stim, "amp", 0, 0.5).expect("amp");
    sim
}

fn bench(c: &mut Criterion) {
    let lib = MechanismLibrary::builtin().expect("built-in mechanisms");
    let mut group = c.benchmark_group("hh");
    group.sample_size(10);
    for (name, nseg) in [("cable_1000_100ms", 1000), ("soma_100ms", 1)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sim = hh_cable(&lib, nseg);
                sim.finitialize(-65.0).expect("init");
                sim.run(100.0).expect("run");
                sim.v()[0]
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
