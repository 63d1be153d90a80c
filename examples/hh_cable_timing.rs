//! Times Neurite on the models of `benches/neuron_side_by_side.py`: a
//! 1000-compartment hh cable and a single hh soma, 100 ms at dt = 0.025 ms,
//! using Neurite's `mod_files/hh.mod` through the executable NMODL form.
//! Prints `<model> <seconds> <v at the end>` per line.

use neurite_hines::{Model, SectionSpec, SimConfig, Simulation};
use neurite_nmodl::exec::{ExecError, Instantiator, MechanismLibrary};
use std::time::Instant;

fn build(lib: &MechanismLibrary, nseg: usize) -> Result<Simulation, ExecError> {
    let mut model = Model::new();
    let cable = model.add_section(SectionSpec {
        name: "cable".into(),
        length: if nseg == 1 { 20.0 } else { 1000.0 },
        diam: if nseg == 1 { 20.0 } else { 1.0 },
        nseg,
        ..SectionSpec::default()
    })?;
    let mut sim = Simulation::new(&model, SimConfig::default())?;
    let mut nodes = Vec::with_capacity(nseg);
    for i in 0..nseg {
        nodes.push(
            sim.discretization()
                .node_at(cable, (i as f64 + 0.5) / nseg as f64)?,
        );
    }
    let mut ins = Instantiator::new(lib);
    ins.insert_density(&mut sim, "hh", &nodes)?;
    let stim = ins.insert_point(&mut sim, "IClamp", nodes[0])?;
    for (p, v) in [("del", 1.0), ("dur", 90.0), ("amp", 0.5)] {
        ins.set(&mut sim, stim, p, 0, v)?;
    }
    Ok(sim)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lib = MechanismLibrary::builtin()?;
    for (name, nseg) in [("cable1000", 1000), ("soma", 1)] {
        let mut sim = build(&lib, nseg)?;
        let start = Instant::now();
        sim.finitialize(-65.0)?;
        sim.run(100.0)?;
        let secs = start.elapsed().as_secs_f64();
        println!("{name} {secs:.6} {:.6}", sim.v()[0]);
    }
    Ok(())
}
