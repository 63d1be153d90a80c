//! No trace, spike time or time step makes a metric panic: bad input is an error.

use neurite_tuner::metrics::{
    coupling_coefficient, single_event, stp_ratios, syn_props, train_response,
};
use neurite_tuner::{MetricsMode, Recording};
use proptest::prelude::*;

fn sample() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -1.0f64..1.0,
        1 => Just(0.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
    ]
}

fn time() -> impl Strategy<Value = f64> {
    prop_oneof![4 => -1.0f64..10.0, 1 => Just(f64::NAN), 1 => Just(1e300)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn single_event_never_panics(
        trace in proptest::collection::vec(sample(), 0..60),
        spike in time(),
        dt in prop_oneof![Just(0.1), Just(0.0), Just(-0.1), Just(f64::NAN)],
        rise in (0.0f64..1.0, 0.0f64..1.0),
        vclamp in any::<bool>(),
    ) {
        for mode in [MetricsMode::Correct, MetricsMode::Bmtool] {
            let _ = syn_props(&trace, dt, spike, rise, mode);
            let spikes = [spike];
            let rec = Recording { dt, spike_times: &spikes, syn_current: &trace, clamp_current: &trace[..trace.len() / 2] };
            let _ = single_event(&rec, vclamp, rise, mode);
            let _ = train_response(&rec, vclamp, spike + 3.0, 0.2, mode);
        }
    }

    #[test]
    fn trains_and_ratios_never_panic(
        trace in proptest::collection::vec(sample(), 0..80),
        spikes in proptest::collection::vec(time(), 0..14),
        tstop in time(),
        amps in proptest::collection::vec(sample(), 0..14),
    ) {
        let rec = Recording { dt: 0.1, spike_times: &spikes, syn_current: &trace, clamp_current: &trace };
        let _ = train_response(&rec, false, tstop, 1.3, MetricsMode::Correct);
        let _ = stp_ratios(&amps);
    }

    #[test]
    fn coupling_never_panics(
        t in proptest::collection::vec(time(), 0..20),
        v in proptest::collection::vec(sample(), 0..20),
        edges in (time(), time()),
    ) {
        let _ = coupling_coefficient(&t, &v, &v, edges.0, edges.1);
        let _ = coupling_coefficient(&t, &v[..v.len().min(t.len())], &v, edges.0, edges.1);
    }
}

/// A smooth response always gives finite metrics in both modes.
#[test]
fn smooth_response_is_finite() {
    let trace: Vec<f64> = (0..500)
        .map(|k| {
            let t = (k as f64 - 100.0) * 0.05;
            if t <= 0.0 {
                0.0
            } else {
                -(-t / 4.0).exp() + (-t / 0.3).exp()
            }
        })
        .collect();
    for mode in [MetricsMode::Correct, MetricsMode::Bmtool] {
        let p = syn_props(&trace, 0.05, 4.9, (0.2, 0.8), mode).expect("metrics");
        let all = [p.amp, p.latency, p.rise_time, p.decay_time, p.half_width];
        assert!(all.iter().all(|v| v.is_finite() && *v > 0.0), "{p:?}");
        assert!((p.decay_time - 4.0).abs() < 0.5, "{p:?}");
    }
}
