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
];

impl Interpreter {
    pub(super) fn section_builtin(&mut self, name: &str, args: &[ArgVal]) -> R<Value> {
        match name {
            "finitialize" => {
                self.sweep_sections();
                let v = match args.first() {
                    Some(_) => Some(arg_num(args, 0, name)?),
                    None => None,
                };
                self.sim.finitialize(v).or_else(fault)?;
                return Ok(Value::Num(0.0));
            }
            "fadvance" | "advance" | "step" => {
                self.sim.fadvance().or_else(fault)?;
                return Ok(Value::Num(0.0));
            }
            "init" | "stdinit" => return self.stdinit(),
            "run" => return self.run_std(args),
            "continuerun" => {
                let t = arg_num(args, 0, name)?;
                return self.continuerun(t);
            }
            "steprun" => return self.continuerun(self.tstop()),
            "push_section" => return self.push_section(args),
            "topology" => {
                let text = self.topology();
                self.write_out(&text);
                return Ok(Value::Num(1.0));
            }
            "pop_section" => {
                self.sec_stack.pop();
                return Ok(Value::Num(1.0));
            }
            _ => {}
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

    fn stdinit(&mut self) -> R<Value> {
        self.sweep_sections();
        let v = self.global_number("v_init").unwrap_or(-65.0);
        self.sim.finitialize(Some(v)).or_else(fault)?;
        Ok(Value::Num(0.0))
    }

    fn run_std(&mut self, args: &[ArgVal]) -> R<Value> {
        if let Some(Slot::Func(f)) = self.globals.get("init").cloned() {
            self.call_user(&f, Vec::new(), None, None)?;
        } else {
            self.stdinit()?;
        }
        let tstop = match args.first() {
            Some(_) => arg_num(args, 0, "run")?,
            None => self.tstop(),
        };
        self.continuerun(tstop)
    }

    fn continuerun(&mut self, tstop: f64) -> R<Value> {
        loop {
            let t = self.sim.get_global("t").unwrap_or(0.0);
            let dt = self.sim.get_global("dt").unwrap_or(0.025);
            if t + dt / 2.0 >= tstop || dt <= 0.0 {
                break;
            }
            self.sim.fadvance().or_else(fault)?;
        }
        Ok(Value::Num(0.0))
    }
}
