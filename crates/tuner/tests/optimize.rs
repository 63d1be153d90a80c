//! The optimisers on models with known answers (the simulation is not wired yet): the
//! gap-junction conductance for the coupling bmtool measured, synapse parameters for
//! target metrics, bounds kept, model failures reported.

mod support;

use neurite_tuner::metrics::max_amplitude;
use neurite_tuner::optimize::{
    default_cost, optimize_gap, optimize_synapse, squared_error, Bound, OptimizeError,
    SynapseMetrics, SynapseOptions, Targets,
};
use std::collections::BTreeMap;

/// Two identical passive cells: cc = g / (g + G), G the input conductance of one.
fn two_cells(input_g: f64) -> impl FnMut(f64) -> Result<f64, String> {
    move |g| Ok(g / (g + input_g))
}

#[test]
fn gap_optimizer_finds_the_conductance_bmtool_ran() {
    let file: support::GapFile = support::load("bmtool_gap.json");
    let run = &file.runs[1];
    let g_run = run.gap_g_us;
    let input_g = g_run * (1.0 - run.cc) / run.cc;
    for other in [&file.runs[0], &file.runs[2]] {
        let predicted = other.gap_g_us / (other.gap_g_us + input_g);
        assert!(
            support::close(predicted, other.cc, 0.02, 0.0),
            "{predicted} vs {}",
            other.cc
        );
    }
    let mut model = two_cells(input_g);
    let r = optimize_gap(run.cc, (1e-4, 1e-2), &mut model).expect("optimised");
    assert!(support::close(r.optimal_g, g_run, 1e-5, 0.0), "{r:?}");
    assert!(r.error < 1e-12);
    assert!(!r.optimization_path.is_empty());
    let mut model = two_cells(input_g);
    let edge = optimize_gap(0.99, (1e-4, 1e-2), &mut model).expect("optimised");
    assert!(
        edge.optimal_g > 0.0099 && edge.optimal_g <= 1e-2,
        "{edge:?}"
    );
}

fn bounds() -> Vec<Bound> {
    vec![
        Bound {
            name: "Use".into(),
            lo: 0.1,
            hi: 0.9,
        },
        Bound {
            name: "Dep".into(),
            lo: 10.0,
            hi: 400.0,
        },
    ]
}

/// induction = Use - 0.3, ppr = Dep/100 - 1, and the parameters seen are recorded.
fn synthetic(
    seen: &mut Vec<BTreeMap<String, f64>>,
) -> impl FnMut(&BTreeMap<String, f64>) -> Result<SynapseMetrics, String> + '_ {
    move |p| {
        seen.push(p.clone());
        Ok(SynapseMetrics {
            induction: p["Use"] - 0.3,
            ppr: p["Dep"] / 100.0 - 1.0,
            ..SynapseMetrics::default()
        })
    }
}

#[test]
fn synapse_optimizer_meets_targets_within_bounds() {
    let targets: Targets = [("induction".to_string(), 0.1), ("ppr".to_string(), 0.5)].into();
    let mut seen = Vec::new();
    let mut model = synthetic(&mut seen);
    let options = SynapseOptions::default();
    let r = optimize_synapse(&bounds(), &targets, &squared_error, &options, &mut model)
        .expect("optimised");
    assert!(
        (r.optimal_params["Use"] - 0.4).abs() < 1e-4,
        "{:?}",
        r.optimal_params
    );
    assert!(
        (r.optimal_params["Dep"] - 150.0).abs() < 1e-2,
        "{:?}",
        r.optimal_params
    );
    assert!(r.error < 1e-8);
    assert_eq!(r.target_metrics, targets);
    drop(model);
    assert!(seen.iter().all(|p| (0.1..=0.9).contains(&p["Use"])));
    assert!(seen.iter().all(|p| (10.0..=400.0).contains(&p["Dep"])));
}

#[test]
fn default_cost_is_bmtools_induction_error() {
    let m = SynapseMetrics {
        induction: 0.5,
        ppr: 9.0,
        ..SynapseMetrics::default()
    };
    let targets: Targets = [("induction".to_string(), 0.2), ("ppr".to_string(), 0.0)].into();
    assert!((default_cost(&m, &targets) - 0.09).abs() < 1e-12);
    assert!((squared_error(&m, &targets) - 81.09).abs() < 1e-9);
    // A target outside the bounds ends on the bound.
    let mut seen = Vec::new();
    let mut model = synthetic(&mut seen);
    let far: Targets = [("induction".to_string(), 5.0)].into();
    let r = optimize_synapse(
        &bounds(),
        &far,
        &default_cost,
        &SynapseOptions::default(),
        &mut model,
    )
    .expect("optimised");
    assert!(
        (r.optimal_params["Use"] - 0.9).abs() < 1e-6,
        "{:?}",
        r.optimal_params
    );
    assert_eq!(max_amplitude(&[0.01, -0.03, 0.02]), Some(-30.0));
    assert_eq!(max_amplitude(&[]), None);
}

#[test]
fn bad_input_and_model_failures_are_errors() {
    let targets = Targets::new();
    let mut ok = |_: &BTreeMap<String, f64>| Ok(SynapseMetrics::default());
    let opts = SynapseOptions::default();
    assert_eq!(
        optimize_synapse(&[], &targets, &default_cost, &opts, &mut ok),
        Err(OptimizeError::NoParameters)
    );
    let inverted = [Bound {
        name: "Use".into(),
        lo: 1.0,
        hi: 0.0,
    }];
    assert!(matches!(
        optimize_synapse(&inverted, &targets, &default_cost, &opts, &mut ok),
        Err(OptimizeError::InvalidBounds { .. })
    ));
    let short = SynapseOptions {
        start: Some(vec![0.5]),
        ..SynapseOptions::default()
    };
    assert!(matches!(
        optimize_synapse(&bounds(), &targets, &default_cost, &short, &mut ok),
        Err(OptimizeError::StartLength {
            expected: 2,
            got: 1
        })
    ));
    let mut failing = |_: &BTreeMap<String, f64>| Err::<SynapseMetrics, _>("no spike".to_string());
    let e = optimize_synapse(&bounds(), &targets, &default_cost, &opts, &mut failing);
    assert!(matches!(e, Err(OptimizeError::Model { .. })), "{e:?}");
    let mut gap_fail = |_: f64| Err::<f64, _>("diverged".to_string());
    assert!(matches!(
        optimize_gap(0.2, (1e-4, 1e-2), &mut gap_fail),
        Err(OptimizeError::Model { .. })
    ));
    assert!(optimize_gap(0.2, (1e-2, 1e-4), &mut gap_fail).is_err());
}

#[test]
fn nan_metrics_do_not_panic() {
    let targets: Targets = [("induction".to_string(), 0.1)].into();
    let mut nan = |_: &BTreeMap<String, f64>| {
        Ok(SynapseMetrics {
            induction: f64::NAN,
            ..SynapseMetrics::default()
        })
    };
    let opts = SynapseOptions {
        max_iters: 20,
        ..SynapseOptions::default()
    };
    let _ = optimize_synapse(&bounds(), &targets, &default_cost, &opts, &mut nan);
    let mut gap_nan = |_: f64| Ok(f64::NAN);
    let _ = optimize_gap(0.2, (1e-4, 1e-2), &mut gap_nan);
}
