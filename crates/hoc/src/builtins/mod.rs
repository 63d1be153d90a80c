//! Built-in functions, variables and classes of HOC: math, strings,
//! `printf`/`sprint`, `execute`, `load_file`, the section functions that go
//! to the [`crate::sim::Simulator`], the parts of `stdrun.hoc` that cell
//! templates use (`run`, `init`, `tstop`...), and GUI calls accepted and ignored.
//! Classes (`Vector`, `List`, `File`, ...) are in [`objects`] and its siblings.

pub mod file;
pub mod format;
pub mod import3d;
mod load;
mod matrix;
pub mod objects;
pub(crate) mod parallel;
pub mod random;
mod regex;
mod section;
mod vector;

use crate::ast::Expr;
use crate::interp::value::{Slot, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
pub use regex::{regex_find, regex_match};

/// Calls that GUI code makes; accepted, with no effect, returning 0.
const GUI_CALLS: &[&str] = &[
    "xpanel",
    "xbutton",
    "xvalue",
    "xlabel",
    "xpvalue",
    "xradiobutton",
    "xmenu",
    "xstatebutton",
    "xcheckbox",
    "xfixedvalue",
    "xslider",
    "xvarlabel",
    "doNotify",
    "doEvents",
    "nrncontrolmenu",
    "nrnmainmenu",
    "nrnpointmenu",
    "nrnsecmenu",
    "nrnallsectionmenu",
    "nrnglobalmechmenu",
    "nrnallpointmenu",
    "pwman_place",
    "boolean_dialog",
    "continue_dialog",
    "string_dialog",
    "newPlotV",
    "newPlotI",
    "newPlot",
    "newShapePlot",
    "save_window_",
    "graphmenu",
    "movierunpanel",
    "ivoc_style",
    "units",
    "print_session",
    "variable_domain",
    "nrn_load_dll",
    "nrnmpi_init",
    "coredump_on_error",
    "nrn_feenableexcept",
    "cvode_active",
    "cvode_local",
    "retrieveaudit",
    "chdir",
    "system",
    "frecord_init",
    "psection",
    "define_shape",
    "batch_save",
    "show_winio",
    "pt3dstyle",
    "pt3dconst",
    "save_session",
    "plotx",
    "ploty",
    "plt",
    "setcolor",
];

/// Installs the built-in variables (visible everywhere, even in templates).
pub(crate) fn install_vars(it: &mut Interpreter) {
    let vars = [
        ("PI", std::f64::consts::PI),
        ("E", std::f64::consts::E),
        ("GAMMA", 0.577_215_664_901_532_9),
        ("DEG", 57.295_779_513_082_32),
        ("PHI", 1.618_033_988_749_895),
        ("FARADAY", 96_485.332_123_310_01),
        ("R", 8.314_462_618_153_24),
        ("float_epsilon", 1e-11),
        ("hoc_ac_", 0.0),
        ("hoc_cross_x_", 0.0),
        ("hoc_cross_y_", 0.0),
        ("hoc_err_", 0.0),
    ];
    for (k, v) in vars {
        it.builtin_vars.insert(k.to_string(), Slot::num(v));
    }
    let sf = objects::obj(
        it,
        "StringFunctions",
        crate::interp::value::ObjData::StringFunctions,
    );
    it.globals.insert(
        "hoc_sf_".into(),
        Slot::Obj(crate::interp::value::ObjArray {
            dims: Vec::new(),
            cells: std::rc::Rc::new(std::cell::RefCell::new(vec![Some(sf)])),
        }),
    );
}

fn nums(args: &[ArgVal], name: &str) -> R<Vec<f64>> {
    args.iter()
        .enumerate()
        .map(|(i, a)| match a.value {
            Value::Num(v) => Ok(v),
            ref v => fault(format!(
                "{name}: argument {} should be a number, not {}",
                i + 1,
                v.type_name()
            )),
        })
        .collect()
}

pub(crate) fn arg_str(args: &[ArgVal], i: usize, name: &str) -> R<String> {
    match args.get(i).map(|a| &a.value) {
        Some(Value::Str(s)) => Ok(s.clone()),
        Some(v) => fault(format!(
            "{name}: argument {} should be a string, not {}",
            i + 1,
            v.type_name()
        )),
        None => fault(format!("{name}: missing argument {}", i + 1)),
    }
}

pub(crate) fn arg_num(args: &[ArgVal], i: usize, name: &str) -> R<f64> {
    match args.get(i).map(|a| &a.value) {
        Some(Value::Num(v)) => Ok(*v),
        Some(v) => fault(format!(
            "{name}: argument {} should be a number, not {}",
            i + 1,
            v.type_name()
        )),
        None => fault(format!("{name}: missing argument {}", i + 1)),
    }
}

fn math1(name: &str) -> Option<fn(f64) -> f64> {
    Some(match name {
        "sin" => f64::sin,
        "cos" => f64::cos,
        "atan" => f64::atan,
        "exp" => f64::exp,
        "log" => f64::ln,
        "log10" => f64::log10,
        "sqrt" => f64::sqrt,
        "abs" => f64::abs,
        "int" => c_int,
        "tanh" => f64::tanh,
        "erf" => erf,
        "erfc" => |x| 1.0 - erf(x),
        _ => return None,
    })
}

/// Length of the number at the start of `s` (an integer only if `int`).
fn scan_number(s: &str, int: bool) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let digits = |i: &mut usize| {
        while b.get(*i).is_some_and(|c| c.is_ascii_digit()) {
            *i += 1;
        }
    };
    digits(&mut i);
    if int {
        return i;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        digits(&mut i);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let save = i;
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let before = i;
        digits(&mut i);
        if i == before {
            i = save;
        }
    }
    i
}

/// C's `strcmp` as glibc returns it: the difference of the first differing bytes.
fn c_strcmp(a: &str, b: &str) -> f64 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        if x != y {
            return f64::from(x) - f64::from(y);
        }
    }
    0.0
}

/// `(double)(long)x` as NEURON computes `int()` on x86-64: out-of-range
/// values become the smallest long.
fn c_int(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= 9_223_372_036_854_775_808.0 {
        return i64::MIN as f64;
    }
    x.trunc() + 0.0
}

/// erf by the series / continued fraction split (|error| < 1e-15).
fn erf(x: f64) -> f64 {
    if x.abs() < 2.5 {
        let mut sum = x;
        let mut term = x;
        let x2 = x * x;
        for n in 1..200 {
            term *= -x2 / n as f64;
            let add = term / (2 * n + 1) as f64;
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        return sum * 2.0 / std::f64::consts::PI.sqrt();
    }
    let ax = x.abs();
    // Continued fraction for erfc (Lentz), accurate for ax >= 2.5.
    let mut f = ax;
    for k in (1..60).rev() {
        f = ax + (k as f64 / 2.0) / f;
    }
    let erfc = (-ax * ax).exp() / (f * std::f64::consts::PI.sqrt());
    (1.0 - erfc).copysign(x)
}

impl Interpreter {
    /// A built-in function called as `name(args)`; `None` when there is none.
    pub(crate) fn call_builtin(&mut self, name: &str, args: &[Expr]) -> Option<R<Value>> {
        if let Some(f) = math1(name) {
            return Some(self.math_call(name, f, args));
        }
        let r = match name {
            "numarg" => Ok(Value::Num(self.numarg())),
            "argtype" => self.argtype(args),
            "execute" | "execute1" => self.execute_builtin(name, args),
            _ => return self.call_builtin_evaluated(name, args),
        };
        Some(r)
    }

    fn call_builtin_evaluated(&mut self, name: &str, args: &[Expr]) -> Option<R<Value>> {
        let known = self.is_builtin(name);
        if !known {
            return None;
        }
        let args = match self.eval_args(args) {
            Ok(a) => a,
            Err(e) => return Some(Err(e)),
        };
        Some(self.builtin_with_args(name, args))
    }

    fn is_builtin(&self, name: &str) -> bool {
        GUI_CALLS.contains(&name)
            || section::SECTION_FUNCS.contains(&name)
            || load::LOAD_FUNCS.contains(&name)
            || random::RANDOM_FUNCS.contains(&name)
            || matches!(
                name,
                "atan2"
                    | "printf"
                    | "sprint"
                    | "strcmp"
                    | "object_id"
                    | "name_declared"
                    | "startsw"
                    | "stopsw"
                    | "realtime"
                    | "getcwd"
                    | "neuronhome"
                    | "nrnversion"
                    | "quit"
                    | "hoc_stdout"
                    | "mcell_ran4"
                    | "object_push"
                    | "object_pop"
                    | "unref"
                    | "fprint"
                    | "getstr"
                    | "xred"
                    | "nrnpython"
                    | "ropen"
                    | "wopen"
                    | "sscanf"
                    | "unix_mac_pc"
                    | "fcurrent"
                    | "execerror"
            )
    }

    fn math_call(&mut self, name: &str, f: fn(f64) -> f64, args: &[Expr]) -> R<Value> {
        let [a] = args else {
            return fault(format!("{name} takes one argument"));
        };
        let x = self.eval_num(a)?;
        let y = f(x);
        if y.is_nan() && !x.is_nan() {
            return fault(format!(
                "{name}({}): argument out of domain",
                format::fmt_num(x)
            ));
        }
        if y.is_infinite() && x.is_finite() && name != "log" && name != "log10" {
            return fault(format!(
                "{name}({}): result out of range",
                format::fmt_num(x)
            ));
        }
        if y.is_infinite() && x == 0.0 {
            return fault(format!("{name}(0): argument out of domain"));
        }
        Ok(Value::Num(y))
    }

    fn numarg(&self) -> f64 {
        self.frame().args.len() as f64
    }

    fn argtype(&mut self, args: &[Expr]) -> R<Value> {
        let [a] = args else {
            return fault("argtype takes one argument");
        };
        let i = self.eval_num(a)? as usize;
        let t = match self.frame().args.get(i.wrapping_sub(1)).map(|a| &a.value) {
            Some(Value::Num(_)) => 0.0,
            Some(Value::Obj(_)) => 1.0,
            Some(Value::Str(_)) => 2.0,
            Some(Value::Ptr(_) | Value::SimRef(_)) => 3.0,
            _ => -1.0,
        };
        Ok(Value::Num(t))
    }

    fn builtin_with_args(&mut self, name: &str, args: Vec<ArgVal>) -> R<Value> {
        if GUI_CALLS.contains(&name) {
            return Ok(Value::Num(0.0));
        }
        if section::SECTION_FUNCS.contains(&name) {
            return self.section_builtin(name, &args);
        }
        if load::LOAD_FUNCS.contains(&name) {
            return self.load_builtin(name, &args);
        }
        if random::RANDOM_FUNCS.contains(&name) {
            return self.random_builtin(name, &args);
        }
        self.misc_builtin(name, args)
    }

    fn misc_builtin(&mut self, name: &str, args: Vec<ArgVal>) -> R<Value> {
        let vals: Vec<Value> = args.iter().map(|a| a.value.clone()).collect();
        let v = match name {
            "atan2" => {
                let n = nums(&args, name)?;
                match n.as_slice() {
                    [y, x] => Value::Num(y.atan2(*x)),
                    _ => return fault("atan2 takes two arguments"),
                }
            }
            "printf" | "fprint" => {
                let fmt = arg_str(&args, 0, name)?;
                let s = format::sprintf(&fmt, &vals[1..]).or_else(fault)?;
                self.write_out(&s);
                Value::Num(s.len() as f64)
            }
            "sprint" => {
                let fmt = arg_str(&args, 1, name)?;
                let s = format::sprintf(&fmt, &vals[2..]).or_else(fault)?;
                match args.first().and_then(|a| a.place.clone()) {
                    Some(p) => self.write_place(&p, Value::Str(s))?,
                    None => return fault("sprint: the first argument must be a strdef"),
                }
                Value::Num(1.0)
            }
            "strcmp" => {
                let a = arg_str(&args, 0, name)?;
                let b = arg_str(&args, 1, name)?;
                Value::Num(c_strcmp(&a, &b))
            }
            "object_id" => match vals.first() {
                Some(Value::Obj(Some(o))) => Value::Num(std::rc::Rc::as_ptr(o) as usize as f64),
                Some(Value::Obj(None)) => Value::Num(0.0),
                _ => return fault("object_id needs an object"),
            },
            "name_declared" => Value::Num(self.name_declared(&arg_str(&args, 0, name)?)),
            "sscanf" => Value::Num(self.sscanf(&args)?),
            _ => return self.misc_builtin2(name, &args),
        };
        Ok(v)
    }

    fn misc_builtin2(&mut self, name: &str, args: &[ArgVal]) -> R<Value> {
        let v = match name {
            "startsw" | "realtime" => Value::Num(self.start_time.elapsed().as_secs_f64()),
            "stopsw" => Value::Num(self.start_time.elapsed().as_secs_f64()),
            "getcwd" => Value::Str(
                std::env::current_dir()
                    .map(|p| format!("{}/", p.display()))
                    .unwrap_or_default(),
            ),
            "neuronhome" => Value::Str(String::new()),
            "nrnversion" => Value::Str("NEURON -- VERSION 9.0.2 (neurite)".into()),
            "quit" => {
                self.quit = true;
                return fault("quit() called");
            }
            "mcell_ran4" => Value::Num(self.next_uniform()),
            "nrnpython" => Value::Num(0.0),
            "unix_mac_pc" | "fcurrent" => Value::Num(1.0),
            "execerror" => {
                let msg: Vec<String> = args
                    .iter()
                    .filter_map(|a| match &a.value {
                        Value::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                return fault(msg.join(" "));
            }
            "xred" => args
                .get(1)
                .map(|a| a.value.clone())
                .unwrap_or(Value::Num(0.0)),
            _ => Value::Num(0.0),
        };
        Ok(v)
    }

    /// `sscanf(string, format, &x, strdef, ...)`: C's conversions `%f %lf %g
    /// %e %d %i %s` (and `%*...` to skip); returns how many were assigned.
    fn sscanf(&mut self, args: &[ArgVal]) -> R<f64> {
        let text = arg_str(args, 0, "sscanf")?;
        let fmt = arg_str(args, 1, "sscanf")?;
        let mut rest = text.as_str();
        let mut f = fmt.chars().peekable();
        let mut next_arg = 2;
        let mut count = 0.0;
        while let Some(c) = f.next() {
            if c.is_whitespace() {
                rest = rest.trim_start();
                continue;
            }
            if c != '%' {
                match rest.strip_prefix(c) {
                    Some(r) => rest = r,
                    None => break,
                }
                continue;
            }
            let skip = f.next_if_eq(&'*').is_some();
            while f
                .next_if(|c| c.is_ascii_digit() || *c == 'l' || *c == 'h')
                .is_some()
            {}
            let Some(conv) = f.next() else { break };
            if conv != 'c' {
                rest = rest.trim_start();
            }
            let (tok, value) = match conv {
                'c' => match rest.chars().next() {
                    Some(ch) => (ch.len_utf8(), Value::Num(f64::from(u32::from(ch)))),
                    None => break,
                },
                's' => {
                    let w: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
                    (w.len(), Value::Str(w))
                }
                'd' | 'i' | 'f' | 'g' | 'e' | 'G' | 'E' => {
                    let n = scan_number(rest, matches!(conv, 'd' | 'i'));
                    match rest[..n].parse::<f64>() {
                        Ok(v) => (n, Value::Num(v)),
                        Err(_) => break,
                    }
                }
                _ => break,
            };
            if tok == 0 {
                break;
            }
            rest = &rest[tok..];
            if skip {
                continue;
            }
            let Some(a) = args.get(next_arg) else { break };
            next_arg += 1;
            match (&a.value, value, &a.place) {
                (Value::Ptr(p), Value::Num(v), _) => {
                    p.set(v);
                }
                (_, v @ Value::Str(_), Some(place)) => self.write_place(place, v)?,
                _ => {
                    return fault(
                        "sscanf: arguments must be &variables or strdefs matching the format",
                    )
                }
            }
            count += 1.0;
        }
        Ok(count)
    }

    fn name_declared(&self, name: &str) -> f64 {
        match self.lookup(name) {
            Some(Slot::Num(_)) => 5.0,
            Some(Slot::Str(_)) => 4.0,
            Some(Slot::Section(_)) => 3.0,
            Some(Slot::Obj(_)) => 2.0,
            Some(Slot::Func(_) | Slot::Template(_)) => 1.0,
            None if self.is_builtin(name)
                || math1(name).is_some()
                || objects::is_builtin_class(name) =>
            {
                1.0
            }
            None if self.sim.get_global(name).is_some() => 5.0,
            None => 0.0,
        }
    }

    /// A uniform number in [0, 1) from the interpreter's own generator
    /// (xorshift64*; documented, not NEURON's stream).
    pub(crate) fn next_uniform(&mut self) -> f64 {
        let mut x = self.rng_state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng_state = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}
