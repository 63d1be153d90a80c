//! Property tests: any model the API accepts discretises into a valid tree, and
//! stepping it never panics; with reasonable geometry v stays finite.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use neurite_hines::{
    Discretization, IClamp, Model, Pas, Probe, SecondOrder, SectionId, SectionSpec, SimConfig,
    Simulation,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct SecPlan {
    nseg: usize,
    length: f64,
    diam: f64,
    points: Vec<(f64, f64, f64, f64)>,
    parent: Option<(usize, f64, bool)>,
}

fn sec_plan(index: usize, min_diam: f64) -> impl Strategy<Value = SecPlan> {
    let point = (
        -50.0..50.0f64,
        -50.0..50.0f64,
        -5.0..5.0f64,
        min_diam..4.0f64,
    );
    // with min_diam > 0 ("reasonable" models) no single-point sections: NEURON
    // gives those L = 1e-9 µm, and so do we
    let counts = if min_diam > 0.0 {
        prop_oneof![Just(0usize), 2usize..5].boxed()
    } else {
        (0usize..5).boxed()
    };
    let points = counts.prop_flat_map(move |n| proptest::collection::vec(point.clone(), n));
    let parent = if index == 0 {
        Just(None).boxed()
    } else {
        let x = prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0..1.0f64];
        proptest::option::of((0..index, x, any::<bool>())).boxed()
    };
    (
        1usize..6,
        1.0..200.0f64,
        min_diam.max(0.05)..5.0f64,
        points,
        parent,
    )
        .prop_map(|(nseg, length, diam, points, parent)| SecPlan {
            nseg,
            length,
            diam,
            points,
            parent,
        })
}

fn model_plan(min_diam: f64) -> impl Strategy<Value = Vec<SecPlan>> {
    (1usize..8).prop_flat_map(move |n| (0..n).map(|i| sec_plan(i, min_diam)).collect::<Vec<_>>())
}

fn build(plan: &[SecPlan]) -> (Model, Vec<SectionId>) {
    let mut model = Model::new();
    let mut ids = Vec::new();
    for (i, p) in plan.iter().enumerate() {
        let spec = SectionSpec {
            name: format!("s{i}"),
            length: p.length,
            diam: p.diam,
            nseg: p.nseg,
            ..Default::default()
        };
        let id = model.add_section(spec).unwrap();
        for &(x, y, z, d) in &p.points {
            model.pt3dadd(id, x, y, z, d).unwrap();
        }
        if let Some((parent, x, reversed)) = p.parent {
            model
                .connect(id, if reversed { 1.0 } else { 0.0 }, ids[parent], x)
                .unwrap();
        }
        ids.push(id);
    }
    (model, ids)
}

fn run(
    model: &Model,
    ids: &[SectionId],
    secondorder: SecondOrder,
) -> neurite_hines::Result<Vec<f64>> {
    let mut sim = Simulation::new(
        model,
        SimConfig {
            secondorder,
            ..Default::default()
        },
    )?;
    let mut pas = Pas::new();
    for &id in ids {
        for node in sim.discretization().segment_nodes(id)? {
            pas.push(node, 0.001, -70.0);
        }
    }
    sim.add_mechanism(Box::new(pas))?;
    let mut stim = IClamp::new();
    stim.push(sim.discretization().node_at(ids[0], 0.5)?, 0.1, 0.5, 0.2);
    sim.add_mechanism(Box::new(stim))?;
    let probe = sim.record(Probe::Voltage {
        section: ids[ids.len() - 1],
        x: 1.0,
    })?;
    sim.finitialize(-65.0)?;
    sim.run(1.0)?;
    Ok(sim.trace(probe)?.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_accepted_model_gives_a_valid_tree(plan in model_plan(0.0)) {
        let (model, ids) = build(&plan);
        let disc = Discretization::new(&model).unwrap();
        let roots = plan.iter().filter(|p| p.parent.is_none()).count();
        prop_assert_eq!(disc.n_roots(), roots);
        let nodes: usize = plan.iter().map(|p| p.nseg + 1).sum::<usize>() + roots;
        prop_assert_eq!(disc.len(), nodes);
        for i in disc.n_roots()..disc.len() {
            prop_assert!(disc.parent()[i] < i);
        }
        for &id in &ids {
            for x in [0.0, 0.3, 1.0] {
                prop_assert!(disc.node_at(id, x).unwrap() < disc.len());
            }
        }
        // stepping never panics, whatever the geometry; it may report non-finite v
        let _ = run(&model, &ids, SecondOrder::Implicit);
    }

    #[test]
    fn reasonable_models_stay_finite(plan in model_plan(0.2), so in 0i32..3) {
        let (model, ids) = build(&plan);
        let trace = run(&model, &ids, SecondOrder::from_value(so).unwrap()).unwrap();
        // tiny compartments may depolarise enormously, but never to inf or NaN
        for v in &trace {
            prop_assert!(v.is_finite(), "v = {}", v);
        }
    }
}
