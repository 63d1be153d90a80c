//! A bookkeeping [`Simulator`]: it stores sections, connections, mechanisms,
//! per-segment values, 3-D points and point processes, and advances `t`, but
//! solves no cable equations (`v` stays where it was set). It lets the HOC
//! language be tested without the cable solver; areas and distances are the
//! cylinder formulas NEURON uses for sections without 3-D points.

use super::{NcId, NetConSource, PlayTimes, PpId, RecordSource, SecId, SimResult, Simulator};
use std::cell::RefCell;
use std::collections::HashMap;
use std::f64::consts::PI;
use std::rc::Rc;

/// Mechanisms it knows, with their range variables and defaults.
const MECHS: &[(&str, &[(&str, f64)])] = &[
    (
        "hh",
        &[
            ("gnabar_hh", 0.12),
            ("gkbar_hh", 0.036),
            ("gl_hh", 0.0003),
            ("el_hh", -54.3),
            ("m_hh", 0.0),
            ("h_hh", 0.0),
            ("n_hh", 0.0),
            ("ena", 50.0),
            ("ek", -77.0),
        ],
    ),
    ("pas", &[("g_pas", 0.001), ("e_pas", -70.0)]),
];

const POINT_PROCESSES: &[(&str, &[(&str, f64)])] = &[
    (
        "IClamp",
        &[("del", 0.0), ("dur", 0.0), ("amp", 0.0), ("i", 0.0)],
    ),
    (
        "ExpSyn",
        &[("tau", 0.1), ("e", 0.0), ("i", 0.0), ("g", 0.0)],
    ),
    (
        "Exp2Syn",
        &[
            ("tau1", 0.1),
            ("tau2", 10.0),
            ("e", 0.0),
            ("i", 0.0),
            ("g", 0.0),
        ],
    ),
    (
        "NetStim",
        &[
            ("interval", 10.0),
            ("number", 10.0),
            ("start", 50.0),
            ("noise", 0.0),
        ],
    ),
];

#[derive(Debug)]
struct Sec {
    name: String,
    l: f64,
    nseg: usize,
    ra: f64,
    rallbranch: f64,
    parent: Option<(SecId, f64)>,
    child_x: f64,
    /// When it was connected: children are listed in connection order.
    connected_at: u64,
    mechs: Vec<String>,
    /// Range variables: one value per segment.
    range: HashMap<String, Vec<f64>>,
    pts: Vec<[f64; 4]>,
}

#[derive(Debug)]
struct Pp {
    loc: Option<(SecId, f64)>,
    vars: HashMap<String, f64>,
}

#[derive(Debug)]
struct Nc {
    source: NetConSource,
    target: Option<PpId>,
    weight: Vec<f64>,
    delay: f64,
    threshold: f64,
    record: Option<Rc<RefCell<Vec<f64>>>>,
}

#[derive(Debug)]
struct TimedRecord {
    source: RecordSource,
    into: Rc<RefCell<Vec<f64>>>,
    times: PlayTimes,
    /// Next event: its time, and for a time Vector its index.
    next: Option<(f64, usize)>,
}

#[derive(Debug)]
struct Play {
    target: RecordSource,
    values: Rc<RefCell<Vec<f64>>>,
    times: PlayTimes,
    continuous: bool,
}

impl Play {
    /// Stepwise: the last value whose time is not after `t`.
    fn step_value(&self, t: f64) -> Option<f64> {
        let vals = self.values.borrow();
        let times = self.times.sample_times(vals.len());
        let n = vals.len().min(times.len());
        let k = (0..n).rev().find(|i| times[*i] <= t + 1e-9)?;
        Some(vals[k])
    }

    /// Continuous: NEURON's interpolation, extrapolating the last segment
    /// past the end, `(y0 + y1) / 2` where two times coincide.
    fn continuous_value(&self, tt: f64) -> Option<f64> {
        let y = self.values.borrow();
        let t = self.times.sample_times(y.len());
        let ub = y.len().min(t.len()).checked_sub(1)?;
        let k = if tt >= t[ub] {
            if ub == 0 {
                return Some(y[0]);
            }
            ub
        } else if tt <= t[0] {
            return Some(y[0]);
        } else {
            (1..=ub).find(|k| tt < t[*k])?
        };
        let (x0, x1, t0, t1) = (y[k - 1], y[k], t[k - 1], t[k]);
        if t0 == t1 {
            return Some((x0 + x1) / 2.0);
        }
        Some(x0 + (x1 - x0) * ((tt - t0) / (t1 - t0)))
    }
}

/// The bookkeeping simulator.
#[derive(Debug)]
pub struct MemorySim {
    secs: Vec<Option<Sec>>,
    pps: Vec<Pp>,
    globals: HashMap<String, f64>,
    records: Vec<(RecordSource, Rc<RefCell<Vec<f64>>>)>,
    /// NetCons: source, target, weights, delay, threshold (no events are delivered).
    netcons: Vec<Nc>,
    connections: u64,
    plays: Vec<Play>,
    /// Event-driven records: source, vector, times, next event (index or time).
    timed_records: Vec<TimedRecord>,
    /// Accept any mechanism and point process name (see [`MemorySim::permissive`]).
    permissive: bool,
    /// Mechanisms inserted somewhere (permissive mode: their `_suffix` variables exist).
    seen_mechs: std::collections::BTreeSet<String>,
}

impl Default for MemorySim {
    fn default() -> Self {
        let globals = [
            ("t", 0.0),
            ("dt", 0.025),
            ("celsius", 6.3),
            ("secondorder", 0.0),
        ];
        MemorySim {
            secs: Vec::new(),
            pps: Vec::new(),
            globals: globals.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            records: Vec::new(),
            permissive: false,
            seen_mechs: Default::default(),
            netcons: Vec::new(),
            connections: 0,
            plays: Vec::new(),
            timed_records: Vec::new(),
        }
    }
}

impl MemorySim {
    pub fn new() -> MemorySim {
        MemorySim::default()
    }

    /// A simulator that accepts any mechanism (`insert NaTa_t`), any
    /// `name_mech` range variable of an inserted mechanism, ion variables
    /// (`ena`, `cai`...) and any point process, storing whatever is set
    /// (reads of never-set values give 0). For running real templates
    /// whose mechanisms this bookkeeping model does not know.
    pub fn permissive() -> MemorySim {
        MemorySim {
            permissive: true,
            ..MemorySim::default()
        }
    }

    fn permissive_var(&self, name: &str) -> bool {
        if !self.permissive {
            return false;
        }
        const IONS: &[&str] = &["na", "k", "ca", "cl", "h", "mg"];
        let ion = IONS.iter().any(|i| {
            name == format!("e{i}")
                || name == format!("{i}i")
                || name == format!("{i}o")
                || name == format!("i{i}")
        });
        ion || name
            .rsplit_once('_')
            .is_some_and(|(_, m)| self.seen_mechs.contains(m))
            || self
                .seen_mechs
                .iter()
                .any(|m| name.ends_with(&format!("_{m}")))
    }

    fn sec(&self, id: SecId) -> SimResult<&Sec> {
        self.secs
            .get(id)
            .and_then(|s| s.as_ref())
            .ok_or_else(|| "section was deleted".to_string())
    }

    fn sec_mut(&mut self, id: SecId) -> SimResult<&mut Sec> {
        self.secs
            .get_mut(id)
            .and_then(|s| s.as_mut())
            .ok_or_else(|| "section was deleted".to_string())
    }

    fn seg_index(sec: &Sec, x: f64) -> usize {
        ((x * sec.nseg as f64) as usize).min(sec.nseg - 1)
    }

    /// Distance from the root of the tree to `(sec, x)`, and the path of sections.
    fn root_path(&self, sec: SecId, x: f64) -> SimResult<Vec<(SecId, f64)>> {
        let mut path = vec![(sec, x)];
        let mut cur = sec;
        let mut guard = 0;
        while let Some((p, px)) = self.sec(cur)?.parent {
            path.push((p, px));
            cur = p;
            guard += 1;
            if guard > self.secs.len() {
                return Err("section tree has a loop".into());
            }
        }
        Ok(path)
    }

    fn sample(&self, src: &RecordSource) -> f64 {
        match src {
            RecordSource::Range { sec, name, x } => self.get_range(*sec, name, *x).unwrap_or(0.0),
            RecordSource::PointProcess { pp, name } => self.pp_get(*pp, name).unwrap_or(0.0),
            RecordSource::Global(g) => self.get_global(g).unwrap_or(0.0),
        }
    }

    /// Sets played variables: stepwise ones (at a step's start) or continuous
    /// ones (at the current time).
    fn apply_plays(&mut self, continuous: bool) {
        let t = self.globals.get("t").copied().unwrap_or(0.0);
        let updates: Vec<(RecordSource, f64)> = self
            .plays
            .iter()
            .filter(|p| p.continuous == continuous)
            .filter_map(|p| {
                let v = if continuous {
                    p.continuous_value(t)
                } else {
                    p.step_value(t)
                };
                v.map(|v| (p.target.clone(), v))
            })
            .collect();
        for (target, v) in updates {
            let _ = match target {
                RecordSource::Range { sec, name, x } => self.set_range(sec, &name, Some(x), v),
                RecordSource::PointProcess { pp, name } => self.pp_set(pp, &name, v),
                RecordSource::Global(g) => {
                    self.set_global(&g, v);
                    Ok(())
                }
            };
        }
    }

    /// Delivers the record events due by `limit`, sampling the current state.
    fn deliver_records(&mut self, limit: f64) {
        let mut k = 0;
        while k < self.timed_records.len() {
            let mut guard = 0;
            while let Some((tt, i)) = self.timed_records[k].next.filter(|(tt, _)| *tt <= limit) {
                let r = &self.timed_records[k];
                let every_dt = matches!(r.times, PlayTimes::Dt(_));
                let v = match &r.source {
                    RecordSource::Global(g) if g == "t" && every_dt => tt,
                    src => self.sample(src),
                };
                r.into.borrow_mut().push(v);
                let next = r.times.next_event((tt, i));
                self.timed_records[k].next = next;
                guard += 1;
                if guard > 10_000_000 {
                    break;
                }
            }
            k += 1;
        }
    }

    fn sample_all(&mut self) {
        for (src, vec) in &self.records {
            let v = self.sample(src);
            vec.borrow_mut().push(v);
        }
    }
}

fn range_default(name: &str) -> Option<f64> {
    match name {
        "v" => Some(-65.0),
        "diam" => Some(500.0),
        "cm" => Some(1.0),
        _ => MECHS
            .iter()
            .flat_map(|(_, vars)| vars.iter())
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d),
    }
}

impl Simulator for MemorySim {
    fn create_section(&mut self, name: &str) -> SecId {
        let mut range = HashMap::new();
        for v in ["v", "diam", "cm"] {
            range.insert(v.to_string(), vec![range_default(v).unwrap_or(0.0)]);
        }
        self.secs.push(Some(Sec {
            name: name.to_string(),
            l: 100.0,
            nseg: 1,
            ra: 35.4,
            rallbranch: 1.0,
            parent: None,
            child_x: 0.0,
            connected_at: 0,
            mechs: Vec::new(),
            range,
            pts: Vec::new(),
        }));
        self.secs.len() - 1
    }

    fn delete_section(&mut self, sec: SecId) {
        if let Some(s) = self.secs.get_mut(sec) {
            *s = None;
        }
    }

    fn section_name(&self, sec: SecId) -> String {
        self.sec(sec).map(|s| s.name.clone()).unwrap_or_default()
    }

    fn connect(&mut self, child: SecId, cx: f64, parent: SecId, px: f64) -> SimResult<()> {
        self.sec(parent)?;
        self.connections += 1;
        let seq = self.connections;
        let c = self.sec_mut(child)?;
        c.parent = Some((parent, px));
        c.child_x = cx;
        c.connected_at = seq;
        Ok(())
    }

    fn disconnect(&mut self, sec: SecId) -> SimResult<()> {
        self.sec_mut(sec)?.parent = None;
        Ok(())
    }

    fn parent(&self, sec: SecId) -> Option<(SecId, f64)> {
        self.sec(sec).ok().and_then(|s| s.parent)
    }

    fn parent_connection_x(&self, sec: SecId) -> f64 {
        self.sec(sec).map(|s| s.child_x).unwrap_or(0.0)
    }

    fn children(&self, sec: SecId) -> Vec<SecId> {
        let mut kids: Vec<SecId> = (0..self.secs.len())
            .filter(|i| self.parent(*i).map(|p| p.0) == Some(sec))
            .collect();
        kids.sort_by_key(|k| self.sec(*k).map(|s| s.connected_at).unwrap_or(0));
        kids
    }

    fn sections(&self) -> Vec<SecId> {
        (0..self.secs.len())
            .filter(|i| self.secs[*i].is_some())
            .collect()
    }

    fn get_prop(&self, sec: SecId, name: &str) -> SimResult<f64> {
        let s = self.sec(sec)?;
        match name {
            "L" => Ok(s.l),
            "nseg" => Ok(s.nseg as f64),
            "Ra" => Ok(s.ra),
            "rallbranch" => Ok(s.rallbranch),
            _ => Err(format!("{name} is not a section property")),
        }
    }

    fn set_prop(&mut self, sec: SecId, name: &str, value: f64) -> SimResult<()> {
        let s = self.sec_mut(sec)?;
        match name {
            "L" => s.l = value,
            "Ra" => s.ra = value,
            "rallbranch" => s.rallbranch = value,
            "nseg" => {
                if value < 1.0 {
                    return Err(format!("nseg must be positive (got {value})"));
                }
                s.nseg = value as usize;
                for vals in s.range.values_mut() {
                    let v0 = vals.first().copied().unwrap_or(0.0);
                    *vals = vec![v0; s.nseg];
                }
            }
            _ => return Err(format!("{name} is not a section property")),
        }
        Ok(())
    }

    fn is_range_var(&self, name: &str) -> bool {
        range_default(name).is_some() || self.permissive_var(name)
    }

    fn get_range(&self, sec: SecId, name: &str, x: f64) -> SimResult<f64> {
        let s = self.sec(sec)?;
        let Some(vals) = s.range.get(name) else {
            if self.permissive_var(name) {
                return Ok(0.0);
            }
            return Err(format!("{name} is not a range variable of {}", s.name));
        };
        Ok(vals[Self::seg_index(s, x).min(vals.len() - 1)])
    }

    fn set_range(&mut self, sec: SecId, name: &str, x: Option<f64>, value: f64) -> SimResult<()> {
        let create = self.permissive_var(name);
        let s = self.sec_mut(sec)?;
        if create && !s.range.contains_key(name) {
            s.range.insert(name.to_string(), vec![0.0; s.nseg]);
        }
        let i = x.map(|x| Self::seg_index(s, x));
        let vals = s.range.get_mut(name).ok_or_else(|| {
            format!(
                "{name} was not made to point to anything (not inserted in {})",
                s.name
            )
        })?;
        match i {
            Some(i) => {
                let last = vals.len() - 1;
                vals[i.min(last)] = value
            }
            None => vals.iter_mut().for_each(|v| *v = value),
        }
        Ok(())
    }

    fn is_mechanism(&self, name: &str) -> bool {
        self.permissive || MECHS.iter().any(|(m, _)| *m == name)
    }

    fn insert(&mut self, sec: SecId, mech: &str) -> SimResult<()> {
        let known = MECHS.iter().find(|(m, _)| *m == mech).map(|(_, v)| *v);
        if self.permissive {
            self.seen_mechs.insert(mech.to_string());
        }
        let vars = match known {
            Some(v) => v,
            None if self.permissive => &[],
            None => return Err(format!("{mech} is not a MECHANISM")),
        };
        let s = self.sec_mut(sec)?;
        if !s.mechs.iter().any(|m| m == mech) {
            s.mechs.push(mech.to_string());
            for (v, d) in vars {
                s.range
                    .entry(v.to_string())
                    .or_insert_with(|| vec![*d; s.nseg]);
            }
        }
        Ok(())
    }

    fn has_mechanism(&self, sec: SecId, mech: &str) -> bool {
        self.sec(sec)
            .map(|s| s.mechs.iter().any(|m| m == mech))
            .unwrap_or(false)
    }

    fn pt3dclear(&mut self, sec: SecId) -> SimResult<()> {
        self.sec_mut(sec)?.pts.clear();
        Ok(())
    }

    /// As in NEURON, a section with 3-D points takes its length from them,
    /// and the points are stored in single precision.
    fn pt3dadd(&mut self, sec: SecId, x: f64, y: f64, z: f64, d: f64) -> SimResult<()> {
        let s = self.sec_mut(sec)?;
        let f = |v: f64| f64::from(v as f32);
        s.pts.push([f(x), f(y), f(z), f(d)]);
        if s.pts.len() > 1 {
            s.l = s
                .pts
                .windows(2)
                .map(|w| {
                    (0..3)
                        .map(|k| (w[1][k] - w[0][k]).powi(2))
                        .sum::<f64>()
                        .sqrt()
                })
                .sum();
        }
        Ok(())
    }

    fn pt3d(&self, sec: SecId) -> Vec<[f64; 4]> {
        self.sec(sec).map(|s| s.pts.clone()).unwrap_or_default()
    }

    fn area(&self, sec: SecId, x: f64) -> SimResult<f64> {
        let s = self.sec(sec)?;
        let d = self.get_range(sec, "diam", x)?;
        Ok(PI * d * s.l / s.nseg as f64)
    }

    fn ri(&self, sec: SecId, x: f64) -> SimResult<f64> {
        let s = self.sec(sec)?;
        let d = self.get_range(sec, "diam", x)?;
        let half = s.l / s.nseg as f64 / 2.0;
        Ok(1e-2 * s.ra * half / (PI * d * d / 4.0))
    }

    fn distance(&self, from: (SecId, f64), to: (SecId, f64)) -> SimResult<f64> {
        let a = self.root_path(from.0, from.1)?;
        let b = self.root_path(to.0, to.1)?;
        let pos = |path: &[(SecId, f64)], sec: SecId| path.iter().position(|p| p.0 == sec);
        for (i, (sec, xa)) in a.iter().enumerate() {
            if let Some(j) = pos(&b, *sec) {
                let xb = b[j].1;
                let along = |path: &[(SecId, f64)], k: usize| -> SimResult<f64> {
                    let mut d = 0.0;
                    for (s, x) in &path[..k] {
                        let sec = self.sec(*s)?;
                        d += sec.l * (x - sec.child_x).abs();
                    }
                    Ok(d)
                };
                let l = self.sec(*sec)?.l;
                return Ok(along(&a, i)? + along(&b, j)? + l * (xa - xb).abs());
            }
        }
        Err("the two locations are not in the same tree".into())
    }

    fn is_point_process(&self, name: &str) -> bool {
        self.permissive || POINT_PROCESSES.iter().any(|(n, _)| *n == name)
    }

    fn new_point_process(&mut self, kind: &str, loc: Option<(SecId, f64)>) -> SimResult<PpId> {
        let vars = match POINT_PROCESSES.iter().find(|(n, _)| *n == kind) {
            Some((_, v)) => *v,
            None if self.permissive => &[],
            None => return Err(format!("{kind} is not a point process")),
        };
        self.pps.push(Pp {
            loc,
            vars: vars.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        });
        Ok(self.pps.len() - 1)
    }

    fn point_process_loc(&mut self, pp: PpId, sec: SecId, x: f64) -> SimResult<()> {
        let p = self.pps.get_mut(pp).ok_or("no such point process")?;
        p.loc = Some((sec, x));
        Ok(())
    }

    fn point_process_get_loc(&self, pp: PpId) -> Option<(SecId, f64)> {
        self.pps.get(pp).and_then(|p| p.loc)
    }

    fn pp_get(&self, pp: PpId, name: &str) -> SimResult<f64> {
        let p = self.pps.get(pp).ok_or("no such point process")?;
        match p.vars.get(name) {
            Some(v) => Ok(*v),
            None if self.permissive => Ok(0.0),
            None => Err(format!("{name} is not a variable of this point process")),
        }
    }

    fn pp_set(&mut self, pp: PpId, name: &str, value: f64) -> SimResult<()> {
        let permissive = self.permissive;
        let p = self.pps.get_mut(pp).ok_or("no such point process")?;
        match p.vars.get_mut(name) {
            Some(v) => {
                *v = value;
                Ok(())
            }
            None if permissive => {
                p.vars.insert(name.to_string(), value);
                Ok(())
            }
            None => Err(format!("{name} is not a variable of this point process")),
        }
    }

    /// Permissive mode accepts `setdata_M(x)` and `anything_M(...)` of an
    /// inserted mechanism `M`, returning 0.
    fn call_function(
        &mut self,
        _sec: Option<SecId>,
        name: &str,
        _args: &[f64],
    ) -> Option<SimResult<f64>> {
        let known = self.permissive
            && self
                .seen_mechs
                .iter()
                .any(|m| name.len() > m.len() + 1 && name.ends_with(&format!("_{m}")));
        known.then_some(Ok(0.0))
    }

    fn get_global(&self, name: &str) -> Option<f64> {
        self.globals.get(name).copied()
    }

    fn set_global(&mut self, name: &str, value: f64) -> bool {
        match self.globals.get_mut(name) {
            Some(v) => {
                *v = value;
                true
            }
            None => false,
        }
    }

    fn finitialize(&mut self, v_init: Option<f64>) -> SimResult<()> {
        self.globals.insert("t".into(), 0.0);
        if let Some(v) = v_init {
            for s in self.secs.iter_mut().flatten() {
                if let Some(vals) = s.range.get_mut("v") {
                    vals.iter_mut().for_each(|x| *x = v);
                }
            }
        }
        for (_, vec) in &self.records {
            vec.borrow_mut().clear();
        }
        self.apply_plays(false);
        self.apply_plays(true);
        self.sample_all();
        for r in &mut self.timed_records {
            r.into.borrow_mut().clear();
            r.next = r.times.first_event();
        }
        self.deliver_records(0.0);
        Ok(())
    }

    /// Advances `t` by two half steps, as NEURON's fixed-step `fadvance`
    /// does (so `t` after n steps is bit-identical to NEURON's).
    fn fadvance(&mut self) -> SimResult<()> {
        // Stepwise played values for this step are those of its starting time.
        self.apply_plays(false);
        let dt = self.globals.get("dt").copied().unwrap_or(0.025);
        let t0 = self.globals.get("t").copied().unwrap_or(0.0);
        self.deliver_records(t0 + 0.5 * dt + 0.5 * dt);
        let t = self.globals.entry("t".into()).or_insert(0.0);
        *t += 0.5 * dt;
        *t += 0.5 * dt;
        self.apply_plays(true);
        self.sample_all();
        Ok(())
    }

    fn new_netcon(&mut self, source: NetConSource, target: Option<PpId>) -> SimResult<NcId> {
        if let Some(t) = target {
            self.pps
                .get(t)
                .ok_or("NetCon target is not a point process")?;
        }
        self.netcons.push(Nc {
            source,
            target,
            weight: vec![0.0],
            delay: 1.0,
            threshold: 10.0,
            record: None,
        });
        Ok(self.netcons.len() - 1)
    }

    fn netcon_get(&self, nc: NcId, name: &str, index: usize) -> SimResult<f64> {
        let n = self.netcons.get(nc).ok_or("no such NetCon")?;
        match name {
            "weight" => n
                .weight
                .get(index)
                .copied()
                .ok_or_else(|| format!("NetCon.weight[{index}] out of range")),
            "delay" => Ok(n.delay),
            "threshold" => Ok(n.threshold),
            "x" => Ok(0.0),
            _ => Err(format!(
                "NetCon has no variable {name} (source {:?}, target {:?})",
                n.source, n.target
            )),
        }
    }

    fn netcon_set(&mut self, nc: NcId, name: &str, index: usize, value: f64) -> SimResult<()> {
        let n = self.netcons.get_mut(nc).ok_or("no such NetCon")?;
        match name {
            "weight" => match n.weight.get_mut(index) {
                Some(w) => *w = value,
                None => return Err(format!("NetCon.weight[{index}] out of range")),
            },
            "delay" => n.delay = value,
            "threshold" => n.threshold = value,
            _ => return Err(format!("NetCon has no variable {name}")),
        }
        Ok(())
    }

    fn netcon_record(&mut self, nc: NcId, into: Rc<RefCell<Vec<f64>>>) -> SimResult<()> {
        let n = self.netcons.get_mut(nc).ok_or("no such NetCon")?;
        n.record = Some(into);
        Ok(())
    }

    /// Nothing runs here, so a POINTER needs no value.
    fn setpointer(&mut self, _target: RecordSource, _source: RecordSource) -> SimResult<()> {
        Ok(())
    }

    fn netcon_source(&self, nc: NcId) -> Option<NetConSource> {
        self.netcons.get(nc).map(|n| n.source.clone())
    }

    fn netcon_target(&self, nc: NcId) -> Option<PpId> {
        self.netcons.get(nc)?.target
    }

    fn play(
        &mut self,
        target: RecordSource,
        values: Rc<RefCell<Vec<f64>>>,
        times: PlayTimes,
        continuous: bool,
    ) -> SimResult<()> {
        self.plays.push(Play {
            target,
            values,
            times,
            continuous,
        });
        Ok(())
    }

    fn record_at(
        &mut self,
        source: RecordSource,
        into: Rc<RefCell<Vec<f64>>>,
        times: PlayTimes,
    ) -> SimResult<()> {
        self.timed_records.push(TimedRecord {
            source,
            into,
            times,
            next: None,
        });
        Ok(())
    }

    fn record(&mut self, source: RecordSource, into: Rc<RefCell<Vec<f64>>>) -> SimResult<()> {
        self.records.push((source, into));
        Ok(())
    }
}
