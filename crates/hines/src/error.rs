//! Errors of the cable solver: every way user input (a morphology, a location, a
//! run setting) can be rejected, and numerical failure during a run. No user input
//! makes this crate panic; it returns one of these instead.

use thiserror::Error;

/// Result type of the cable solver.
pub type Result<T> = std::result::Result<T, HinesError>;

/// An error from building, discretising or running a cable model.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum HinesError {
    /// A section id that does not belong to this model.
    #[error("unknown section id {id} (model has {count} sections)")]
    UnknownSection { id: usize, count: usize },
    /// A position along a section outside `[0, 1]` (or NaN).
    #[error("position x = {x} on section `{section}` is outside [0, 1]")]
    PositionOutOfRange { section: String, x: f64 },
    /// `nseg` must be at least 1.
    #[error("section `{section}`: nseg must be at least 1")]
    ZeroSegments { section: String },
    /// A geometric or electrical parameter that is not a positive finite number.
    #[error("section `{section}`: {parameter} = {value} must be positive and finite")]
    InvalidParameter {
        section: String,
        parameter: &'static str,
        value: f64,
    },
    /// A 3-D point with a negative or non-finite coordinate or diameter.
    #[error("section `{section}`: 3-D point ({x}, {y}, {z}; d = {d}) is invalid")]
    InvalidPoint {
        section: String,
        x: f64,
        y: f64,
        z: f64,
        d: f64,
    },
    /// The child end of a connection must be 0 or 1.
    #[error("section `{child}`: child end {end} of a connection must be 0 or 1")]
    InvalidChildEnd { child: String, end: f64 },
    /// Connecting would make a section its own ancestor.
    #[error("connecting `{child}` to `{parent}` would form a loop")]
    WouldFormLoop { child: String, parent: String },
    /// A time step or run setting that is not positive and finite.
    #[error("invalid {what} = {value}: must be positive and finite")]
    InvalidTime { what: &'static str, value: f64 },
    /// A temperature that is not finite.
    #[error("invalid celsius = {value}: must be finite")]
    InvalidCelsius { value: f64 },
    /// A mechanism instance refers to a node the discretisation does not have.
    #[error("mechanism instance {instance} refers to node {node}, but there are {count} nodes")]
    UnknownNode {
        instance: usize,
        node: usize,
        count: usize,
    },
    /// A probe refers to a mechanism, instance or column that does not exist.
    #[error("probe refers to mechanism {mechanism}, instance {instance}, column {column}, which does not exist")]
    UnknownVariable {
        mechanism: usize,
        instance: usize,
        column: usize,
    },
    /// A tree given to the Hines matrix that breaks `parent[i] < i` or whose
    /// columns differ in length.
    #[error("invalid tree: node {node} has parent {parent} (parents must precede their children)")]
    InvalidTree { node: usize, parent: usize },
    /// A per-node column of the wrong length.
    #[error("column `{column}` has {found} entries, expected one per node ({expected})")]
    ColumnLength {
        column: &'static str,
        expected: usize,
        found: usize,
    },
    /// An ion species id from another simulation.
    #[error("unknown ion species id {id}")]
    UnknownIon { id: usize },
    /// A probe asks for an ion where the species has no instance.
    #[error("ion species {id} has no instance at {section}({x})")]
    IonAbsent { id: usize, section: String, x: f64 },
    /// A probe id from another simulation.
    #[error("unknown probe id {id}")]
    UnknownProbe { id: usize },
    /// The membrane potential became NaN or infinite.
    #[error("membrane potential is {value} at {section}({x}) at t = {t} ms")]
    NonFiniteVoltage {
        section: String,
        x: f64,
        t: f64,
        value: f64,
    },
    /// A NetCon id from another simulation.
    #[error("unknown NetCon id {id}")]
    UnknownNetCon { id: usize },
    /// A NetCon source or target names a mechanism instance that does not exist.
    #[error("mechanism {mechanism} has no instance {instance} ({count} instances)")]
    UnknownInstance {
        mechanism: usize,
        instance: usize,
        count: usize,
    },
    /// A NetCon weight index beyond its weight vector.
    #[error("NetCon {id} has {count} weights; index {index} does not exist")]
    UnknownWeight {
        id: usize,
        index: usize,
        count: usize,
    },
    /// An event time, delay or threshold that is not finite (delays must also
    /// be ≥ 0).
    #[error("invalid {what} = {value}")]
    InvalidEventValue { what: &'static str, value: f64 },
    /// A mechanism asked for an event before the present time (NEURON:
    /// "net_send td-t < 0", "net_event time < t", "net_move tt < t").
    #[error("mechanism {mechanism} instance {instance}: {what} at t = {time} ms is before the present t = {now} ms")]
    EventInPast {
        mechanism: usize,
        instance: usize,
        what: &'static str,
        time: f64,
        now: f64,
    },
    /// `NetCon.event(t, flag)` to a target that is not an artificial cell.
    #[error("mechanism {mechanism} is not an artificial cell: it cannot get fake self-events")]
    NotArtificial { mechanism: usize },
    /// `net_move` with no pending flag-1 self-event.
    #[error(
        "mechanism {mechanism} instance {instance}: net_move without a pending flag 1 self-event"
    )]
    NoEventToMove { mechanism: usize, instance: usize },
    /// A second transfer into a mechanism column that one already feeds.
    #[error("mechanism {mechanism} instance {instance} column {column} is already the target of a transfer")]
    TransferTargetTaken {
        mechanism: usize,
        instance: usize,
        column: usize,
    },
}
