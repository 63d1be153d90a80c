//! The event queue: a priority queue by delivery time that hands out events in
//! exactly the order NEURON's `TQueue` (splay tree plus a separate "least"
//! slot, no bin queue) does, ties included.
//!
//! NEURON keeps the earliest event in a slot of its own and every other event in
//! a splay tree that is first-in first-out among equal times. An event inserted
//! strictly before the least one takes the slot and pushes the old least into the
//! tree *behind* the events of equal time already there; so among equal times
//! the order is not plain insertion order. This module reproduces that rule with
//! a `BTreeMap` keyed by (time, tree-insertion sequence).

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// Handle of a queued event, valid until it is delivered or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemKey(u64);

/// A delivery time ordered with `f64::total_cmp` (times are finite).
#[derive(Debug, Clone, Copy)]
struct Time(f64);

impl PartialEq for Time {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Time {}
impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Time {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[derive(Debug, Clone)]
struct Entry<E> {
    time: f64,
    /// Sequence number in the tree; `None` while in the least slot.
    seq: Option<u64>,
    event: E,
}

/// NEURON's `TQueue` without the bin queue.
#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    least: Option<ItemKey>,
    tree: BTreeMap<(Time, u64), ItemKey>,
    entries: HashMap<ItemKey, Entry<E>>,
    next_key: u64,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            least: None,
            tree: BTreeMap::new(),
            entries: HashMap::new(),
            next_key: 0,
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes every event.
    pub fn clear(&mut self) {
        self.least = None;
        self.tree.clear();
        self.entries.clear();
    }

    /// Number of queued events.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if no event is queued.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Time of the earliest event (NEURON answers 1e15 for an empty queue).
    pub fn least_time(&self) -> Option<f64> {
        self.least
            .and_then(|k| self.entries.get(&k))
            .map(|e| e.time)
    }

    /// Time of a queued event.
    pub fn time_of(&self, key: ItemKey) -> Option<f64> {
        self.entries.get(&key).map(|e| e.time)
    }

    /// Queues `event` at `time` (`TQueue::insert`): it takes the least slot only
    /// if strictly earlier than the present least event.
    pub fn insert(&mut self, time: f64, event: E) -> ItemKey {
        let key = ItemKey(self.next_key);
        self.next_key += 1;
        let entry = Entry {
            time,
            seq: None,
            event,
        };
        self.entries.insert(key, entry);
        match self.least_time() {
            Some(least) if time < least => {
                if let Some(old) = self.least.replace(key) {
                    self.enqueue_tree(old);
                }
            }
            Some(_) => self.enqueue_tree(key),
            None => self.least = Some(key),
        }
        key
    }

    /// Removes and returns the least event if its time is ≤ `til`
    /// (`TQueue::atomic_dq`).
    pub fn pop_due(&mut self, til: f64) -> Option<(f64, E)> {
        let key = self.least?;
        if self.entries.get(&key)?.time > til {
            return None;
        }
        self.least = self.dequeue_tree();
        self.entries.remove(&key).map(|e| (e.time, e.event))
    }

    /// Removes a queued event (`TQueue::remove`).
    pub fn remove(&mut self, key: ItemKey) -> Option<(f64, E)> {
        if self.least == Some(key) {
            self.least = self.dequeue_tree();
        } else {
            let entry = self.entries.get(&key)?;
            let seq = entry.seq?;
            self.tree.remove(&(Time(entry.time), seq));
        }
        self.entries.remove(&key).map(|e| (e.time, e.event))
    }

    /// Changes the time of a queued event (`TQueue::move`); `false` if `key`
    /// is not queued.
    pub fn move_to(&mut self, key: ItemKey, time: f64) -> bool {
        if !self.entries.contains_key(&key) {
            return false;
        }
        if self.least == Some(key) {
            self.move_least(key, time);
            return true;
        }
        self.take_from_tree(key);
        self.set_time(key, time);
        let before_least = self.least_time().is_some_and(|least| time < least);
        match self.least {
            Some(old) if before_least => {
                self.least = Some(key);
                self.enqueue_tree(old);
            }
            _ => self.enqueue_tree(key),
        }
        true
    }

    /// The least event moves; it stays least unless it is now strictly later
    /// than the first event of the tree.
    fn move_least(&mut self, key: ItemKey, time: f64) {
        self.set_time(key, time);
        let first = self.tree.keys().next().map(|(t, _)| t.0);
        if first.is_some_and(|first| time > first) {
            self.least = self.dequeue_tree();
            self.enqueue_tree(key);
        }
    }

    fn set_time(&mut self, key: ItemKey, time: f64) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.time = time;
        }
    }

    fn take_from_tree(&mut self, key: ItemKey) {
        if let Some(entry) = self.entries.get_mut(&key) {
            if let Some(seq) = entry.seq.take() {
                self.tree.remove(&(Time(entry.time), seq));
            }
        }
    }

    /// Puts `key` into the tree behind every event of equal time.
    fn enqueue_tree(&mut self, key: ItemKey) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.seq = Some(seq);
            self.tree.insert((Time(entry.time), seq), key);
        }
    }

    /// Takes the first event out of the tree (it will be the least).
    fn dequeue_tree(&mut self) -> Option<ItemKey> {
        let (_, key) = self.tree.pop_first()?;
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.seq = None;
        }
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut EventQueue<&'static str>) -> Vec<&'static str> {
        std::iter::from_fn(|| q.pop_due(f64::INFINITY).map(|(_, e)| e)).collect()
    }

    #[test]
    fn equal_times_are_first_in_first_out() {
        let mut q = EventQueue::new();
        q.insert(1.0, "a");
        q.insert(1.0, "b");
        q.insert(1.0, "c");
        assert_eq!(drain(&mut q), ["a", "b", "c"]);
    }

    #[test]
    fn an_earlier_insert_pushes_the_least_behind_its_equals() {
        let mut q = EventQueue::new();
        q.insert(5.0, "a");
        q.insert(5.0, "b");
        q.insert(3.0, "c");
        assert_eq!(drain(&mut q), ["c", "b", "a"]);
    }

    #[test]
    fn pop_due_respects_the_limit() {
        let mut q = EventQueue::new();
        q.insert(2.0, "late");
        q.insert(1.0, "early");
        assert_eq!(q.pop_due(1.5), Some((1.0, "early")));
        assert_eq!(q.pop_due(1.5), None);
        assert_eq!(q.len(), 1);
    }

    proptest::proptest! {
        /// Whatever the inserts, moves and removes, each pop returns an event
        /// of the least time queued.
        #[test]
        fn pops_the_least_time(ops in proptest::collection::vec((0u8..4, 0u8..8, 0usize..16), 1..80)) {
            let mut q = EventQueue::new();
            let mut keys = Vec::new();
            for (op, time, pick) in ops {
                let time = f64::from(time);
                match op {
                    0 | 1 => keys.push(q.insert(time, "e")),
                    2 if !keys.is_empty() => {
                        let _ = q.move_to(keys[pick % keys.len()], time);
                    }
                    _ => {
                        let least = q.least_time();
                        let popped = q.pop_due(f64::INFINITY).map(|(t, _)| t);
                        proptest::prop_assert_eq!(least, popped);
                        let min = q.entries.values().map(|e| e.time).fold(f64::INFINITY, f64::min);
                        if let Some(t) = popped {
                            proptest::prop_assert!(t <= min);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn move_and_remove() {
        let mut q = EventQueue::new();
        let a = q.insert(1.0, "a");
        let b = q.insert(2.0, "b");
        let c = q.insert(3.0, "c");
        assert!(q.move_to(c, 0.5));
        assert!(q.move_to(a, 2.0));
        assert_eq!(q.remove(b), Some((2.0, "b")));
        assert_eq!(drain(&mut q), ["c", "a"]);
        assert!(!q.move_to(a, 1.0));
    }
}
