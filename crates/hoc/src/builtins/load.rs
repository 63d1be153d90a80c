//! Loading code: `load_file`, `xopen`, `execute`, `execute1`. NEURON's own
//! hoc libraries (`stdrun.hoc`, `nrngui.hoc`...) are recognised by name and
//! provided natively: loading them records the name and declares the
//! variables they define (`tstop`, `v_init`, `steps_per_ms`, ...).

use crate::ast::Expr;
use crate::interp::value::{ObjRef, Slot, Value};
use crate::interp::{fault, ArgVal, Fault, Flow, Frame, Interpreter, R};
use crate::span::Source;
use std::path::{Path, PathBuf};

pub(super) const LOAD_FUNCS: &[&str] = &[
    "load_file",
    "xopen",
    "load_proc",
    "load_func",
    "load_template",
];

/// NEURON library files provided natively.
const NATIVE_LIBS: &[&str] = &[
    "stdrun.hoc",
    "nrngui.hoc",
    "stdlib.hoc",
    "stdgui.hoc",
    "import3d.hoc",
    "noload.hoc",
    "stdrun",
    "nrngui",
];

/// Variables `stdrun.hoc` declares at the top level.
const STDRUN_VARS: &[(&str, f64)] = &[
    ("tstop", 5.0),
    ("v_init", -65.0),
    ("steps_per_ms", 40.0),
    ("running_", 0.0),
    ("stoprun", 0.0),
    ("realtime", 0.0),
    ("stdrun_quiet", 0.0),
    ("screen_update_invl", 0.05),
    ("using_cvode_", 0.0),
    ("nstep_steprun", 1.0),
];

/// What NEURON's `stdlib.hoc` defines that models use, written anew in HOC.
const STDLIB_PRELUDE: &str = r#"
begintemplate String
public s
strdef s
proc init() { if (numarg() == 1) { s = $s1 } }
endtemplate String
iterator case() { local i
    for i = 2, numarg() {
        $&1 = $i
        iterator_statement
    }
}
"#;

impl Interpreter {
    pub(super) fn load_builtin(&mut self, name: &str, args: &[ArgVal]) -> R<Value> {
        // load_file("f"), load_file("f", "Template") (skipped if Template
        // exists), load_file(force, "f").
        let (file, skip_if, force) = match (
            args.first().map(|a| &a.value),
            args.get(1).map(|a| &a.value),
        ) {
            (Some(Value::Str(f)), Some(Value::Str(t))) => (f.clone(), Some(t.clone()), false),
            (Some(Value::Str(f)), _) => (f.clone(), None, false),
            (Some(Value::Num(n)), Some(Value::Str(f))) => (f.clone(), None, *n == 1.0),
            _ => return fault(format!("{name}: the file name must be a string")),
        };
        if let Some(t) = skip_if {
            if self.globals.contains_key(&t) {
                return Ok(Value::Num(1.0));
            }
        }
        match name {
            "load_file" if force => self.load_path(&file, true),
            "load_file" => self.load_once(&file),
            "xopen" => self.load_path(&file, true),
            _ => Ok(Value::Num(0.0)),
        }
    }

    fn native_lib(&mut self, file: &str) -> bool {
        let base = Path::new(file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !NATIVE_LIBS.contains(&base.as_str()) {
            return false;
        }
        // NEURON's own import3d.hoc, when found, is interpreted (it reads every
        // format); otherwise the native SWC reader (`builtins::import3d`) serves.
        if base == "import3d.hoc" && self.resolve(file).is_some() {
            return false;
        }
        if self.loaded.insert(base.clone()) {
            for (k, v) in STDRUN_VARS {
                if !self.globals.contains_key(*k) {
                    self.globals.insert(k.to_string(), Slot::num(*v));
                }
            }
            if base == "import3d.hoc" && !self.globals.contains_key("nil") {
                // NEURON's import3d declares `objref nil` at the top level.
                self.globals.insert(
                    "nil".into(),
                    Slot::Obj(crate::interp::value::ObjArray {
                        dims: Vec::new(),
                        cells: std::rc::Rc::new(std::cell::RefCell::new(vec![None])),
                    }),
                );
            }
            if !self.globals.contains_key("String") {
                let src = Source::new("<stdlib.hoc (native)>", STDLIB_PRELUDE);
                if let Err(e) = self.run_nested(src, None, false) {
                    self.warn(&format!("native stdlib: {}", e.message));
                }
            }
        }
        true
    }

    fn resolve(&self, file: &str) -> Option<PathBuf> {
        let p = Path::new(file);
        if p.is_absolute() {
            return p.exists().then(|| p.to_path_buf());
        }
        if let Some(dir) = self.dir_stack.last() {
            let cand = dir.join(p);
            if cand.exists() {
                return Some(cand);
            }
        }
        if p.exists() {
            return Some(p.to_path_buf());
        }
        let lib = std::env::var("HOC_LIBRARY_PATH").ok()?;
        lib.split([':', ' '])
            .map(|d| Path::new(d).join(p))
            .find(|c| c.exists())
    }

    /// `load_file`: loads unless a file of this name (as written) was loaded
    /// before; NEURON compares the names, so `b.hoc` and `sub/b.hoc` differ.
    fn load_once(&mut self, file: &str) -> R<Value> {
        if self.native_lib(file) {
            return Ok(Value::Num(1.0));
        }
        if self.resolve(file).is_none() {
            self.warn(&format!("Couldn't find: {file}"));
            return Ok(Value::Num(0.0));
        }
        let key = format!("load_file:{file}");
        if self.loaded.contains(&key) {
            return Ok(Value::Num(1.0));
        }
        self.loaded.insert(key);
        self.load_path(file, false)
    }

    fn load_path(&mut self, file: &str, check_native: bool) -> R<Value> {
        if check_native && self.native_lib(file) {
            return Ok(Value::Num(1.0));
        }
        let Some(path) = self.resolve(file) else {
            return fault(format!("xopen: cannot find file {file}"));
        };
        let text = std::fs::read(&path).map_err(|e| Fault {
            message: format!("cannot read {}: {e}", path.display()),
            location: None,
        })?;
        let src = Source::new(
            path.display().to_string(),
            String::from_utf8_lossy(&text).into_owned(),
        );
        self.dir_stack
            .push(path.parent().map(Path::to_path_buf).unwrap_or_default());
        let r = self.run_nested(src, None, true);
        self.dir_stack.pop();
        r.map(|_| Value::Num(1.0))
    }

    /// Runs a source at the top level (or in `obj`'s context), inside whatever is running now.
    pub(crate) fn run_nested(
        &mut self,
        src: std::rc::Rc<Source>,
        obj: Option<ObjRef>,
        print_values: bool,
    ) -> R<()> {
        if self.frames.len() > crate::interp::MAX_CALL_DEPTH {
            return fault("load_file/xopen/execute nested too deeply: a file loading itself?");
        }
        let mut parsed = crate::parser::parse(&src.text);
        if !print_values {
            // `execute()` does not print the values of bare expressions (`execute1()` does).
            for s in &mut parsed.program.stmts {
                if let crate::ast::StmtKind::Expr { print_value, .. } = &mut s.kind {
                    *print_value = false;
                }
            }
        }
        if let Some(e) = parsed.errors.first() {
            return Err(Fault {
                message: e.message.clone(),
                location: Some(src.locate(e.span)),
            });
        }
        let saved_len = self.frames.len();
        self.frames.push(Frame {
            name: "top level".into(),
            this: obj,
            ..Frame::default()
        });
        let saved_cur = std::mem::replace(&mut self.cur, self.frames.len() - 1);
        let saved_src = std::mem::replace(&mut self.source, src);
        let mut r = Ok(());
        for s in &parsed.program.stmts {
            match self.exec(s) {
                Ok(Flow::Stop) => break,
                Ok(_) => {}
                Err(e) => {
                    r = Err(e);
                    break;
                }
            }
        }
        self.source = saved_src;
        self.frames.truncate(saved_len);
        self.cur = saved_cur;
        r
    }

    pub(super) fn execute_builtin(&mut self, name: &str, args: &[Expr]) -> R<Value> {
        let args = self.eval_args(args)?;
        let code = super::arg_str(&args, 0, name)?;
        let obj = match args.get(1).map(|a| &a.value) {
            Some(Value::Obj(o)) => o.clone(),
            _ => None,
        };
        // NEURON runs `execute("cmd")` as `{cmd}` (no values printed, no
        // declarations); a leading `~` runs the text as it is.
        let (code, print) = match code.strip_prefix('~') {
            Some(rest) => (rest.to_string(), true),
            None => (code, name == "execute1"),
        };
        let src = Source::new(format!("execute(\"{code}\")"), code);
        let saved_frames = self.frames.len();
        let saved_stack = self.sec_stack.len();
        let r = self.run_nested(src, obj, print);
        match (name, r) {
            ("execute1", Err(e)) => {
                self.frames.truncate(saved_frames);
                self.sec_stack.truncate(saved_stack);
                let loc = e.location.unwrap_or_default();
                self.warn(&format!("{loc}: {}", e.message));
                Ok(Value::Num(0.0))
            }
            ("execute1", Ok(())) => Ok(Value::Num(1.0)),
            (_, r) => r.map(|_| Value::Num(0.0)),
        }
    }

    /// A message on the error stream (not the program's output).
    pub(crate) fn warn(&mut self, msg: &str) {
        let _ = std::io::Write::write_all(&mut self.err, format!("{msg}\n").as_bytes());
    }
}
