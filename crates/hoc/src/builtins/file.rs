//! The `File` class: `ropen`, `wopen`, `aopen`, `close`, `printf`,
//! `scanvar`, `scanstr`, `gets`, `eof`, `isopen`, `getname`.

use super::{arg_str, format::sprintf};
use crate::interp::value::{ObjData, ObjRef, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
use std::io::Write;

/// An open (or closed) file.
#[derive(Debug, Default)]
pub struct HocFile {
    name: String,
    /// Contents and read position when open for reading.
    read: Option<(String, usize)>,
    write: Option<std::fs::File>,
}

impl HocFile {
    pub(crate) fn open_arg(args: &[ArgVal]) -> R<HocFile> {
        let name = match args.first().map(|a| &a.value) {
            Some(Value::Str(s)) => s.clone(),
            _ => String::new(),
        };
        Ok(HocFile {
            name,
            ..HocFile::default()
        })
    }

    fn open(&mut self, mode: &str) -> f64 {
        self.read = None;
        self.write = None;
        let ok = match mode {
            "r" => std::fs::read(&self.name)
                .map(|b| self.read = Some((String::from_utf8_lossy(&b).into_owned(), 0)))
                .is_ok(),
            "w" => std::fs::File::create(&self.name)
                .map(|f| self.write = Some(f))
                .is_ok(),
            _ => std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&self.name)
                .map(|f| self.write = Some(f))
                .is_ok(),
        };
        f64::from(u8::from(ok))
    }

    fn rest(&self) -> &str {
        match &self.read {
            Some((s, p)) => s.get(*p..).unwrap_or(""),
            None => "",
        }
    }

    fn advance(&mut self, n: usize) {
        if let Some((_, p)) = &mut self.read {
            *p += n;
        }
    }

    /// Next whitespace-separated word.
    fn word(&mut self) -> Option<String> {
        let rest = self.rest();
        let skip = rest.len() - rest.trim_start().len();
        let w: String = rest[skip..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        if w.is_empty() {
            return None;
        }
        self.advance(skip + w.len());
        Some(w)
    }

    fn line(&mut self) -> Option<String> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        let n = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
        let l = rest[..n].to_string();
        self.advance(n);
        Some(l)
    }

    fn scanvar(&mut self) -> Option<f64> {
        while let Some(w) = self.word() {
            if let Ok(v) = w.parse::<f64>() {
                return Some(v);
            }
        }
        None
    }
}

pub(crate) fn file_method(it: &mut Interpreter, o: &ObjRef, name: &str, a: &[ArgVal]) -> R<Value> {
    let vals: Vec<Value> = a.iter().map(|x| x.value.clone()).collect();
    let mut write_str = None;
    let v = {
        let mut d = o.data.borrow_mut();
        let ObjData::File(f) = &mut *d else {
            return fault("not a File");
        };
        if matches!(name, "ropen" | "wopen" | "aopen") {
            if let Some(Value::Str(s)) = vals.first() {
                f.name = s.clone();
            }
        }
        match name {
            "ropen" => f.open("r"),
            "wopen" => f.open("w"),
            "aopen" => f.open("a"),
            "close" => {
                f.read = None;
                f.write = None;
                // nrniv: File.close() and File.printf() return 0
                0.0
            }
            "isopen" => f64::from(u8::from(f.read.is_some() || f.write.is_some())),
            "eof" => f64::from(u8::from(f.rest().trim().is_empty())),
            "printf" => {
                let fmt = arg_str(a, 0, name)?;
                let s = sprintf(&fmt, &vals[1..]).or_else(fault)?;
                match &mut f.write {
                    Some(w) => {
                        let _ = w.write_all(s.as_bytes());
                    }
                    None => {
                        return fault(format!("File.printf: {} is not open for writing", f.name))
                    }
                }
                0.0
            }
            "scanvar" => match f.scanvar() {
                Some(v) => v,
                None => return fault(format!("File.scanvar: end of file {}", f.name)),
            },
            "scanstr" | "gets" => {
                let got = if name == "gets" { f.line() } else { f.word() };
                match got {
                    Some(s) => {
                        let n = s.len() as f64;
                        write_str = Some(s);
                        n
                    }
                    None => -1.0,
                }
            }
            "getname" if a.is_empty() => return Ok(Value::Str(f.name.clone())),
            "getname" => {
                write_str = Some(f.name.clone());
                1.0
            }
            "flush" | "seek" | "tell" | "chooser" | "mktemp" | "unlink" | "vwrite" | "vread" => 0.0,
            _ => return fault(format!("File has no method {name}")),
        }
    };
    if let Some(s) = write_str {
        match a.first().and_then(|x| x.place.clone()) {
            Some(p) => it.write_place(&p, Value::Str(s))?,
            None => return fault(format!("File.{name}: the argument must be a strdef")),
        }
    }
    Ok(Value::Num(v))
}
