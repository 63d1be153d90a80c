//! Built-in functions on sections and simulation (`secname`, `pt3dadd`,
//! `distance`, `finitialize`, stdrun's `run`/`init`/`continuerun`...), all
//! carried out by the [`crate::sim::Simulator`].

use super::{arg_num, arg_str, regex_match};
use crate::interp::value::{Slot, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};

pub(super) const SECTION_FUNCS: &[&str] = &[
    "secname",
    "sectionname",
    "issection",
    "ismembrane",
    "pt3dclear",
    "pt3dadd",
    "n3d",
    "x3d",
    "y3d",
    "z3d",
    "diam3d",
    "arc3d",
    "distance",
    "finitialize",
    "fadvance",
    "delete_section",
    "disconnect",
    "push_section",
    "pop_section",
    "init",
    "stdinit",
    "run",
    "continuerun",
    "steprun",
    "step",
    "advance",
    "topology",
    "setdt",
];

/// The procedures NEURON's `stdrun.hoc` defines: undefined until it (or
/// `nrngui.hoc`, `noload.hoc`) is loaded.
const STDRUN_PROCS: &[&str] = &[
    "init",
    "stdinit",
    "run",
    "continuerun",
    "steprun",
    "step",
    "advance",
    "setdt",
];

impl Interpreter {
    /// Whether `stdrun.hoc` (or a library that loads it) was loaded.
    fn stdrun_loaded(&self) -> bool {
        ["stdrun.hoc", "nrngui.hoc", "noload.hoc", "stdrun", "nrngui"]
            .iter()
            .any(|l| self.loaded.contains(*l))
    }

    pub(super) fn section_builtin(&mut self, name: &str, args: &[ArgVal]) -> R<Value> {
        if STDRUN_PROCS.contains(&name) && !self.stdrun_loaded() {
            return fault(format!(
                "{name} undefined function (stdrun.hoc defines it: load_file(\"stdrun.hoc\") first, as NEURON needs)"
            ));
        }
        match name {
            "finitialize" => {
                self.sweep_sections();
                let v = match args.first() {
                    Some(_) => Some(arg_num(args, 0, name)?),
                    None => None,
                };
                self.sim.finitialize(v).or_else(fault)?;
                return Ok(Value::Num(1.0));
            }
            "fadvance" => {
                self.sim_fadvance()?;
                return Ok(Value::Num(1.0));
            }
            // stdrun's procedures return nothing (nothing is printed at top level).
            "advance" => self.sim_fadvance()?,
            "step" | "steprun" => {
                self.step()?;
            }
            "init" => {
                self.std_init()?;
            }
            "stdinit" => {
                self.stdinit()?;
            }
            "setdt" => {
                self.setdt()?;
            }
            "run" => {
                self.run_std(args)?;
            }
            "continuerun" => {
                let t = arg_num(args, 0, name)?;
                self.continuerun(t)?;
            }
            "push_section" => return self.push_section(args),
            "topology" => {
                let text = self.topology();
                self.write_out(&text);
                return Ok(Value::Num(1.0));
            }
            _ => return self.section_builtin2(name, args),
        }
        Ok(Value::Void)
    }

    fn section_builtin2(&mut self, name: &str, args: &[ArgVal]) -> R<Value> {
        if name == "pop_section" {
            self.sec_stack.pop();
            return Ok(Value::Num(1.0));
        }
        let sec = self.current_section()?;
        self.section_fn(name, sec, args)
    }

    fn section_fn(&mut self, name: &str, sec: usize, args: &[ArgVal]) -> R<Value> {
        let num = |v: f64| Ok(Value::Num(v));
        match name {
            "secname" => Ok(Value::Str(self.sim.section_name(sec))),
            "sectionname" => {
                let s = Value::Str(self.sim.section_name(sec));
                match args.first().and_then(|a| a.place.clone()) {
                    Some(p) => self.write_place(&p, s)?,
                    None => return fault("sectionname needs a strdef argument"),
                }
                num(1.0)
            }
            "issection" => {
                let pat = arg_str(args, 0, name)?;
                num(f64::from(u8::from(regex_match(
                    &pat,
                    &self.sim.section_name(sec),
                ))))
            }
            "ismembrane" => {
                let m = arg_str(args, 0, name)?;
                num(f64::from(u8::from(self.sim.has_mechanism(sec, &m))))
            }
            "pt3dclear" => {
                self.sim.pt3dclear(sec).or_else(fault)?;
                num(0.0)
            }
            "pt3dadd" => {
                let v: Vec<f64> = (0..4).map(|i| arg_num(args, i, name)).collect::<R<_>>()?;
                self.sim
                    .pt3dadd(sec, v[0], v[1], v[2], v[3])
                    .or_else(fault)?;
                num(0.0)
            }
            "n3d" => num(self.sim.pt3d(sec).len() as f64),
            "x3d" | "y3d" | "z3d" | "diam3d" | "arc3d" => self.pt3d_get(name, sec, args),
            "distance" => self.distance(sec, args),
            "delete_section" => {
                self.sim.delete_section(sec);
                num(0.0)
            }
            "disconnect" => {
                self.sim.disconnect(sec).or_else(fault)?;
                num(0.0)
            }
            _ => fault(format!("{name} is not available")),
        }
    }

    fn pt3d_get(&mut self, name: &str, sec: usize, args: &[ArgVal]) -> R<Value> {
        let i = arg_num(args, 0, name)?;
        let pts = self.sim.pt3d(sec);
        let k = i as usize;
        if i < 0.0 || k >= pts.len() {
            return fault(format!(
                "{name}({i}): index out of range 0..{}",
                pts.len().saturating_sub(1)
            ));
        }
        let v = match name {
            "x3d" => pts[k][0],
            "y3d" => pts[k][1],
            "z3d" => pts[k][2],
            "diam3d" => pts[k][3],
            _ => pts
                .windows(2)
                .take(k)
                .map(|w| {
                    let d: f64 = (0..3).map(|j| (w[1][j] - w[0][j]).powi(2)).sum();
                    d.sqrt()
                })
                .sum(),
        };
        Ok(Value::Num(v))
    }

    /// `distance()` / `distance(0, x)` sets the origin; `distance(x)` /
    /// `distance(1, x)` measures from it to the current section.
    fn distance(&mut self, sec: usize, args: &[ArgVal]) -> R<Value> {
        let (set, x) = match args.len() {
            0 => (true, 0.0),
            1 => (false, arg_num(args, 0, "distance")?),
            _ => (
                arg_num(args, 0, "distance")? == 0.0,
                arg_num(args, 1, "distance")?,
            ),
        };
        if set {
            self.distance_origin = Some((sec, x));
            return Ok(Value::Num(0.0));
        }
        let origin = match self.distance_origin {
            Some(o) => o,
            None => {
                let root = self.root_of(sec);
                (root, 0.0)
            }
        };
        let d = self.sim.distance(origin, (sec, x)).or_else(fault)?;
        Ok(Value::Num(d))
    }

    pub(crate) fn root_of(&self, mut sec: usize) -> usize {
        let mut guard = 0;
        while let Some((p, _)) = self.sim.parent(sec) {
            sec = p;
            guard += 1;
            if guard > 1_000_000 {
                break;
            }
        }
        sec
    }

    fn push_section(&mut self, args: &[ArgVal]) -> R<Value> {
        let name = arg_str(args, 0, "push_section")?;
        let found = self
            .sim
            .sections()
            .into_iter()
            .find(|s| self.sim.section_name(*s) == name);
        match found {
            Some(s) => {
                self.sec_stack.push(s);
                Ok(Value::Num(0.0))
            }
            None => fault(format!("push_section: no section named {name}")),
        }
    }

    /// NEURON's `topology()` drawing: each root in creation order, a dash a
    /// segment, children indented to the segment they attach to, the
    /// children of a section from the far end back to its 0 end.
    fn topology(&mut self) -> String {
        self.sweep_sections();
        let mut out = String::from("\n");
        for s in self.sim.sections() {
            if self.sim.parent(s).is_none() {
                out.push('|');
                self.dashes(&mut out, s, 0, '-', 0);
            }
        }
        out.push('\n');
        out
    }

    fn dashes(&self, out: &mut String, sec: usize, offset: usize, first: char, depth: usize) {
        let nseg = self.sim.get_prop(sec, "nseg").unwrap_or(1.0).max(1.0) as usize;
        let o = if self.sim.parent_connection_x(sec) == 1.0 {
            1
        } else {
            0
        };
        out.push_str(&" ".repeat(offset));
        out.push(first);
        out.push_str(&"-".repeat(nseg.saturating_sub(1)));
        let name = self.sim.section_name(sec);
        let rall = self.sim.get_prop(sec, "rallbranch").unwrap_or(1.0);
        if rall == 1.0 {
            out.push_str(&format!("|       {name}({o}-{})\n", 1 - o));
        } else {
            let r = super::format::fmt_g(rall, 6, false, false);
            out.push_str(&format!(
                "|       {name}({o}-{}) with {r} rall branches\n",
                1 - o
            ));
        }
        if depth > 2_000 {
            return;
        }
        let mut kids: Vec<(f64, usize)> = self
            .sim
            .children(sec)
            .into_iter()
            .map(|c| (self.sim.parent(c).map(|p| p.1).unwrap_or(0.0), c))
            .collect();
        kids.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (x, c) in kids {
            let i: i64 = if x <= 0.0 {
                -1
            } else if x >= 1.0 {
                nseg as i64
            } else {
                ((x * nseg as f64) as i64).min(nseg as i64 - 1)
            };
            out.push(' ');
            let off = (i + offset as i64 + 1).max(0) as usize;
            self.dashes(out, c, off, '`', depth + 1);
        }
    }

    fn tstop(&self) -> f64 {
        self.global_number("tstop").unwrap_or(5.0)
    }

    /// A stdrun procedure the user may have redefined (`init`, `advance`):
    /// the user's version if there is one, else the native one.
    fn call_overridable(&mut self, name: &str) -> R<()> {
        if let Some(Slot::Func(f)) = self.globals.get(name).cloned() {
            self.call_user(&f, Vec::new(), None, None)?;
            return Ok(());
        }
        match name {
            "init" => self.std_init().map(|_| ()),
            _ => self.sim_fadvance(),
        }
    }

    fn set_global_number(&mut self, name: &str, v: f64) {
        self.globals.insert(name.to_string(), Slot::num(v));
    }

    /// stdrun's `init()`: `finitialize(v_init)`.
    fn std_init(&mut self) -> R<Value> {
        self.sweep_sections();
        let v = self.global_number("v_init").unwrap_or(-65.0);
        self.sim.finitialize(Some(v)).or_else(fault)?;
        Ok(Value::Num(0.0))
    }

    /// stdrun's `stdinit()`: `setdt()` then (the user's) `init()`.
    fn stdinit(&mut self) -> R<Value> {
        self.set_global_number("realtime", 0.0);
        self.setdt()?;
        self.call_overridable("init")?;
        Ok(Value::Num(0.0))
    }

    /// stdrun's `setdt()`: makes `dt` divide `1/steps_per_ms` (NEURON's rule:
    /// `nstep_steprun = int(Dt/dt)`, at least 1, `dt = Dt/nstep_steprun`,
    /// announced with "Changed dt").
    fn setdt(&mut self) -> R<Value> {
        if self.global_number("using_cvode_").unwrap_or(0.0) != 0.0 {
            return Ok(Value::Num(0.0));
        }
        let spm = self.global_number("steps_per_ms").unwrap_or(40.0);
        let dt = self.sim.get_global("dt").unwrap_or(0.025);
        let big = 1.0 / spm;
        let mut n = (big / dt).trunc();
        if n == 0.0 || !n.is_finite() {
            n = 1.0;
        }
        self.set_global_number("nstep_steprun", n);
        if (dt * n * spm - 1.0).abs() > 1e-6 {
            self.write_out("Changed dt\n");
            self.sim.set_global("dt", big / n);
        }
        Ok(Value::Num(0.0))
    }

    /// stdrun's `step()`: `nstep_steprun` calls of (the user's) `advance()`.
    fn step(&mut self) -> R<Value> {
        let n = self.global_number("nstep_steprun").unwrap_or(1.0).max(1.0) as u64;
        for _ in 0..n {
            self.call_overridable("advance")?;
        }
        Ok(Value::Num(0.0))
    }

    /// stdrun's `run()`: `stdinit()` then `continuerun(tstop)`.
    fn run_std(&mut self, args: &[ArgVal]) -> R<Value> {
        self.set_global_number("running_", 1.0);
        self.stdinit()?;
        let tstop = match args.first() {
            Some(_) => arg_num(args, 0, "run")?,
            None => self.tstop(),
        };
        self.continuerun(tstop)
    }

    /// stdrun's `continuerun(t)`: steps while `t < tstop - dt/2` and `stoprun` is 0.
    fn continuerun(&mut self, tstop: f64) -> R<Value> {
        self.set_global_number("stoprun", 0.0);
        let dt = self.sim.get_global("dt").unwrap_or(0.025);
        let ts = tstop - dt / 2.0;
        while self.sim.get_global("t").unwrap_or(0.0) < ts
            && self.global_number("stoprun").unwrap_or(0.0) == 0.0
        {
            self.step()?;
            if dt <= 0.0 {
                break;
            }
        }
        Ok(Value::Num(0.0))
    }
}
