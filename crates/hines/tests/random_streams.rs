//! Neurite's generators against NEURON 9.0.2's HOC `Random` objects
//! (tests/reference/data/random_streams.json, made by
//! tests/reference/random_reference.py): every value must be bit-identical.

use neurite_hines::random::{
    self, mcell_ran4a, set_global_index, set_mcell_low_index, Distribution, Generator, McellRan4,
    Ran123, Random,
};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Streams {
    neuron_version: String,
    generators: Vec<GenCase>,
    seq_set: SeqSet,
    default: Vec<DefaultCase>,
    mcell_ran4: McellCase,
    mcell_ran4_low5: McellCase,
}

#[derive(Deserialize)]
struct GenCase {
    generator: String,
    args: Vec<f64>,
    globalindex: u32,
    returned: f64,
    seq_before: f64,
    distribution: String,
    dist_args: Vec<f64>,
    values: Vec<f64>,
    seq_after: f64,
}

#[derive(Deserialize)]
struct SeqSet {
    ids: Vec<u32>,
    seq: f64,
    values: Vec<f64>,
    seq_after: f64,
}

#[derive(Deserialize)]
struct DefaultCase {
    seed: Option<f64>,
    normal_values: Vec<f64>,
    uniform_values: Vec<f64>,
    seq_after: f64,
}

#[derive(Deserialize)]
struct McellCase {
    start: u32,
    values: Vec<f64>,
    end: f64,
}

fn load() -> Streams {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/reference/data/random_streams.json");
    let text = std::fs::read_to_string(path).expect("reference data is committed");
    serde_json::from_str(&text).expect("reference data parses")
}

fn distribution(name: &str, a: &[f64]) -> Distribution {
    let x = |i: usize| a.get(i).copied().unwrap_or(0.0);
    match name {
        "uniform" => Distribution::uniform(x(0), x(1)),
        "normal" => Distribution::normal(x(0), x(1)),
        "negexp" => Distribution::NegExp { mean: x(0) },
        "poisson" => Distribution::Poisson { mean: x(0) },
        "discunif" => Distribution::discunif(x(0), x(1)),
        "lognormal" => Distribution::lognormal(x(0), x(1)),
        "binomial" => Distribution::Binomial {
            n: x(0) as i32,
            p: x(1),
        },
        "geometric" => Distribution::Geometric { p: x(0) },
        "erlang" => Distribution::erlang(x(0), x(1)),
        "weibull" => Distribution::weibull(x(0), x(1)),
        "hypergeo" => Distribution::hypergeo(x(0), x(1)),
        other => panic!("unknown distribution {other} in the reference data"),
    }
}

/// The sequence as `Random.seq()` reports it.
fn seq(g: &Generator) -> f64 {
    match g {
        Generator::Ran123(s) => s.seq4(),
        Generator::McellRan4(m) => f64::from(m.high),
    }
}

#[test]
fn hoc_random_generators_and_distributions_are_bit_identical_to_neuron() {
    let data = load();
    assert!(data.neuron_version.starts_with("9.0.2"));
    for case in &data.generators {
        set_global_index(case.globalindex);
        let id = |i: usize| case.args.get(i).map_or(0, |&x| x as u32);
        let (generator, returned) = match case.generator.as_str() {
            "Random123" => (Generator::Ran123(Ran123::new(id(0), id(1), id(2))), 0.0),
            _ => {
                let g = McellRan4::new(id(0), id(1));
                let orig = f64::from(g.orig);
                (Generator::McellRan4(g), orig)
            }
        };
        let what = format!(
            "{}{:?} gix {} {}{:?}",
            case.generator, case.args, case.globalindex, case.distribution, case.dist_args
        );
        assert_eq!(returned, case.returned, "{what}: returned");
        let mut r = Random {
            generator,
            distribution: Distribution::uniform(0.0, 1.0),
        };
        assert_eq!(seq(&r.generator), case.seq_before, "{what}: seq before");
        let mut got = vec![r.set_distribution(distribution(&case.distribution, &case.dist_args))];
        got.extend((1..case.values.len()).map(|_| r.pick()));
        for (k, (a, b)) in got.iter().zip(&case.values).enumerate() {
            assert_eq!(
                a.to_bits(),
                b.to_bits(),
                "{what}: value {k}: {a} vs NEURON {b}"
            );
        }
        assert_eq!(seq(&r.generator), case.seq_after, "{what}: seq after");
    }
    set_global_index(0);
}

#[test]
fn random123_sequence_can_be_set_and_default_random_is_random123() {
    let data = load();
    set_global_index(0);
    let s = &data.seq_set;
    let mut stream = Ran123::new(s.ids[0], s.ids[1], s.ids[2]);
    stream.set_seq4(s.seq);
    let mut r = Random {
        generator: Generator::Ran123(stream),
        distribution: Distribution::uniform(0.0, 1.0),
    };
    let got: Vec<f64> = (0..s.values.len()).map(|_| r.pick()).collect();
    assert_eq!(got, s.values);
    assert_eq!(seq(&r.generator), s.seq_after);
    for case in &data.default {
        let seed = case.seed.unwrap_or(0.0) as u32;
        let mut r = Random::new(seed, 55);
        let normal: Vec<f64> = (0..case.normal_values.len()).map(|_| r.pick()).collect();
        assert_eq!(normal, case.normal_values, "new Random({seed}) normal");
        let mut r = Random::new(seed, 55);
        let mut uniform = vec![r.set_distribution(Distribution::uniform(0.0, 1.0))];
        uniform.extend((1..case.uniform_values.len()).map(|_| r.pick()));
        assert_eq!(uniform, case.uniform_values, "new Random({seed}) uniform");
        assert_eq!(seq(&r.generator), case.seq_after);
    }
}

#[test]
fn hoc_mcell_ran4_function_matches_neuron() {
    let data = load();
    for (case, low) in [(&data.mcell_ran4, 0), (&data.mcell_ran4_low5, 5)] {
        let previous = set_mcell_low_index(low);
        let mut high = case.start;
        let got: Vec<f64> = (0..case.values.len())
            .map(|_| mcell_ran4a(&mut high))
            .collect();
        set_mcell_low_index(previous);
        assert_eq!(got, case.values, "low index {low}");
        assert_eq!(f64::from(high), case.end);
    }
    assert_eq!(random::mcell_low_index(), 0);
}
