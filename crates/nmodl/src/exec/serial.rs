//! Running a block instance after instance, as NEURON's C loops do.
//!
//! The executable form runs every op over the whole column of instances
//! ([`super::ir`]), so a block that draws twice takes the first draw of every
//! instance before the second draw of any. For streams each instance owns
//! (a RANDOM variable, a Random123 stream made per instance) the order does
//! not matter. For a stream the instances share — NMODL's one scop generator
//! behind `scop_random`, `exprand`, `normrand`, `poisrand`, or one HOC `Random`
//! given to several instances — NEURON's values come from drawing instance
//! after instance: all of instance 0's draws in the block, then instance 1's.
//! A block that may draw from a shared stream more than once (two draws, or
//! one inside a loop) is therefore run here one lane at a time; the cost is
//! paid only by such blocks.

use super::ir::{self, Env, Fault, Frame, Op};
use super::random::RandomFn;

/// Whether running `ops` over all lanes at once could take draws from a shared
/// stream in another order than NEURON's per-instance loop.
pub fn needs_lane_order(ops: &[Op]) -> bool {
    shared_draws(ops, false) > 1
}

/// The same for the current, which runs twice per instance (at v + 0.001 and
/// at v): one draw is enough to need the order.
pub fn current_needs_lane_order(ops: &[Op]) -> bool {
    shared_draws(ops, false) > 0
}

/// How many draws from a shared stream `ops` may take per instance (a draw
/// inside a loop counts as two: it may repeat).
fn shared_draws(ops: &[Op], in_loop: bool) -> usize {
    let mut count = 0;
    for op in ops {
        count += match op {
            Op::Random(r) if draws_shared(r.f) => {
                if in_loop {
                    2
                } else {
                    1
                }
            }
            Op::While { cond_ops, body, .. } => {
                shared_draws(cond_ops, true) + shared_draws(body, true)
            }
            Op::ForNetCons { body, .. } => shared_draws(body, true),
            Op::Uniform {
                then, otherwise, ..
            } => shared_draws(then, in_loop).max(shared_draws(otherwise, in_loop)),
            _ => 0,
        };
    }
    count
}

/// The random functions whose stream may be shared between instances.
fn draws_shared(f: RandomFn) -> bool {
    matches!(
        f,
        RandomFn::Scop
            | RandomFn::ExpRand
            | RandomFn::NormRand
            | RandomFn::PoisRand
            | RandomFn::SetSeed
            | RandomFn::Pick
            | RandomFn::Reset
    )
}

/// Runs `ops` over `frame` one lane at a time, in instance order. Event
/// requests keep the lane that made them; a fault names its instance.
pub fn run_by_lane(ops: &[Op], frame: &mut Frame, env: &Env<'_>) -> Result<(), Fault> {
    if frame.n <= 1 {
        return ir::run(ops, frame, env);
    }
    for lane in 0..frame.n {
        run_lane(ops, frame, lane, env)?;
    }
    Ok(())
}

/// Runs `ops` for lane `lane` of `frame` only.
pub fn run_lane(ops: &[Op], frame: &mut Frame, lane: usize, env: &Env<'_>) -> Result<(), Fault> {
    let mut one = frame.lane(lane);
    let before = env.emitted.borrow().len();
    let result = ir::run(ops, &mut one, env);
    for e in env.emitted.borrow_mut().iter_mut().skip(before) {
        e.lane = lane;
    }
    frame.set_lane(lane, &one);
    result.map_err(|fault| at_lane(fault, lane))
}

fn at_lane(fault: Fault, lane: usize) -> Fault {
    match fault {
        Fault::Singular { what, .. } => Fault::Singular {
            what,
            instance: lane,
        },
        Fault::NoConvergence { .. } => Fault::NoConvergence { instance: lane },
        Fault::CError { .. } => Fault::CError { instance: lane },
        other => other,
    }
}
