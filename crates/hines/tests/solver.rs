//! Solver checks that need no NEURON: the Hines elimination against a dense
//! solve, the node-order invariant, and a passive soma against the exact
//! solution of its difference equation.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use approx::assert_relative_eq;
use neurite_hines::{
    Discretization, HinesMatrix, Model, Pas, Probe, SecondOrder, SectionSpec, SimConfig, Simulation,
};

fn spec(name: &str, nseg: usize) -> SectionSpec {
    SectionSpec {
        name: name.into(),
        length: 100.0,
        diam: 2.0,
        ra: 100.0,
        cm: 1.0,
        nseg,
    }
}

/// A small branched model: soma with three children, one with a child of its own.
fn branched() -> Model {
    let mut m = Model::new();
    let soma = m.add_section(spec("soma", 3)).unwrap();
    let d1 = m.add_section(spec("d1", 4)).unwrap();
    let d2 = m.add_section(spec("d2", 2)).unwrap();
    let d3 = m.add_section(spec("d3", 5)).unwrap();
    let d4 = m.add_section(spec("d4", 3)).unwrap();
    m.connect(d1, 0.0, soma, 1.0).unwrap();
    m.connect(d2, 0.0, soma, 0.0).unwrap();
    m.connect(d3, 1.0, soma, 0.5).unwrap();
    m.connect(d4, 0.0, d1, 0.3).unwrap();
    m
}

#[test]
fn every_parent_precedes_its_child() {
    let disc = Discretization::new(&branched()).unwrap();
    assert_eq!(disc.n_roots(), 1);
    assert_eq!(disc.len(), 1 + 4 + 5 + 3 + 6 + 4);
    for i in disc.n_roots()..disc.len() {
        assert!(disc.parent()[i] < i, "node {i}");
    }
}

/// Dense Gaussian elimination with partial pivoting of the same system.
type Tree<'a> = (usize, &'a [usize], &'a [f64], &'a [f64]);

fn dense_solve(n: usize, (roots, parent, a, b): Tree<'_>, d: &[f64], rhs: &[f64]) -> Vec<f64> {
    let mut m = vec![vec![0.0; n + 1]; n];
    for i in 0..n {
        m[i][i] = d[i];
        m[i][n] = rhs[i];
    }
    for i in roots..n {
        m[i][parent[i]] = b[i];
        m[parent[i]][i] = a[i];
    }
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&x, &y| m[x][col].abs().total_cmp(&m[y][col].abs()))
            .unwrap();
        m.swap(col, piv);
        for row in 0..n {
            if row != col {
                let f = m[row][col] / m[col][col];
                let pivot_row = m[col].clone();
                for (x, p) in m[row].iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    (0..n).map(|i| m[i][n] / m[i][i]).collect()
}

#[test]
fn hines_elimination_matches_dense_solve() {
    let disc = Discretization::new(&branched()).unwrap();
    let n = disc.len();
    let mut mat = HinesMatrix::new(
        disc.n_roots(),
        disc.parent().to_vec(),
        disc.a().to_vec(),
        disc.b().to_vec(),
    )
    .unwrap();
    let v: Vec<f64> = (0..n).map(|i| -65.0 + (i as f64 * 0.37).sin()).collect();
    mat.clear();
    for i in 0..n {
        mat.rhs[i] = (i as f64 * 1.3).cos() * 1e-3;
        mat.d[i] = 1e-3;
    }
    mat.assemble(&v, disc.cm(), 40.0).unwrap();
    let (d, rhs) = (mat.d.clone(), mat.rhs.clone());
    mat.solve_in_place();
    let tree = (disc.n_roots(), disc.parent(), disc.a(), disc.b());
    let expected = dense_solve(n, tree, &d, &rhs);
    for i in 0..n {
        assert_relative_eq!(
            mat.rhs[i],
            expected[i],
            max_relative = 1e-9,
            epsilon = 1e-15
        );
    }
}

/// One compartment with `pas` only: backward Euler gives
/// `v − e ← (v − e)/(1 + dt/τ)` and Crank–Nicolson `(v − e)·(1 − dt/2τ)/(1 + dt/2τ)`,
/// τ = cm/g = 1 ms.
fn passive_soma(secondorder: SecondOrder) -> (Vec<f64>, f64) {
    let mut m = Model::new();
    let soma = m
        .add_section(SectionSpec {
            name: "soma".into(),
            length: 10.0,
            diam: 10.0,
            ..Default::default()
        })
        .unwrap();
    let config = SimConfig {
        secondorder,
        ..Default::default()
    };
    let mut sim = Simulation::new(&m, config).unwrap();
    let mut pas = Pas::new();
    for node in sim.discretization().segment_nodes(soma).unwrap() {
        pas.push(node, 0.001, -70.0);
    }
    sim.add_mechanism(Box::new(pas)).unwrap();
    let probe = sim
        .record(Probe::Voltage {
            section: soma,
            x: 0.5,
        })
        .unwrap();
    sim.finitialize(-60.0).unwrap();
    sim.run(5.0).unwrap();
    (sim.trace(probe).unwrap().to_vec(), config.dt)
}

#[test]
fn passive_soma_follows_backward_euler_exactly() {
    let (trace, dt) = passive_soma(SecondOrder::Implicit);
    assert_eq!(trace.len(), 201);
    for (n, v) in trace.iter().enumerate() {
        let expected = -70.0 + 10.0 * (1.0 + dt).powi(-(n as i32));
        assert_relative_eq!(*v, expected, max_relative = 1e-10);
    }
}

#[test]
fn passive_soma_follows_crank_nicolson_exactly() {
    let (trace, dt) = passive_soma(SecondOrder::CrankNicolsonIons);
    let factor = (1.0 - dt / 2.0) / (1.0 + dt / 2.0);
    for (n, v) in trace.iter().enumerate() {
        let expected = -70.0 + 10.0 * factor.powi(n as i32);
        assert_relative_eq!(*v, expected, max_relative = 1e-10);
        // and both approximate the exponential decay
        let exact = -70.0 + 10.0 * (-(n as f64) * dt).exp();
        assert!((v - exact).abs() < 1e-3);
    }
}

#[test]
fn matrix_rejects_trees_that_break_the_order() {
    let err = HinesMatrix::new(1, vec![0, 2, 1], vec![0.0; 3], vec![0.0; 3]).unwrap_err();
    assert_eq!(
        err,
        neurite_hines::HinesError::InvalidTree { node: 1, parent: 2 }
    );
    assert!(HinesMatrix::new(1, vec![0, 0], vec![0.0; 3], vec![0.0; 2]).is_err());
    let mut ok = HinesMatrix::new(1, vec![0, 0], vec![0.0; 2], vec![0.0; 2]).unwrap();
    assert!(ok.assemble(&[0.0], &[1.0, 1.0], 40.0).is_err());
}
