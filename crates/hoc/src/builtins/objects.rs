//! Built-in classes: creation (`new Vector(3)`) and member access for
//! `List`, `StringFunctions`, `SectionList`, `SectionRef`, point processes,
//! `Matrix` and the GUI / parallel classes that are accepted and ignored.
//! `Vector`, `File` and `Random` live in their own modules.

use super::{arg_num, arg_str};
use crate::interp::place::RefVal;
use crate::interp::value::{NumCells, ObjData, ObjRef, Object, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
use crate::sim::CallArg;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Classes accepted and ignored (their methods return 0).
const INERT_CLASSES: &[&str] = &[
    "Graph",
    "Shape",
    "PlotShape",
    "VBox",
    "HBox",
    "Deck",
    "CVode",
    "Timer",
    "Impedance",
    "PWManager",
    "SymChooser",
    "TextEditor",
    "ValueFieldEditor",
    "MechanismStandard",
    "MechanismType",
    "LinearMechanism",
    "Pointer",
    "PythonObject",
    "GUIMath",
    "BBSaveState",
    "SaveState",
    "RangeVarPlot",
    "Glyph",
    "StateTransitionEvent",
];

const CLASSES: &[&str] = &[
    "NetCon",
    "ParallelContext",
    "Import3d_SWC_read",
    "Import3d_Neurolucida3",
    "Import3d_GUI",
    "Vector",
    "List",
    "File",
    "Random",
    "StringFunctions",
    "Matrix",
    "SectionList",
    "SectionRef",
];

pub(crate) fn is_builtin_class(name: &str) -> bool {
    CLASSES.contains(&name) || INERT_CLASSES.contains(&name)
}

pub(crate) fn obj(it: &mut Interpreter, class: &str, data: ObjData) -> ObjRef {
    let index = it.next_index(class);
    let o = Rc::new(Object {
        class: class.to_string(),
        index,
        data: RefCell::new(data),
    });
    it.register(&o);
    o
}

/// `Class[index]` of a built-in class; singletons (`CVode[0]`) are created on use.
pub(crate) fn class_instance(it: &mut Interpreter, class: &str, index: f64) -> R<Value> {
    let i = index.max(0.0) as usize;
    if let Some(o) = it.instance(class, i) {
        return Ok(Value::Obj(Some(o)));
    }
    if i == 0 && INERT_CLASSES.contains(&class) {
        let o = obj(it, class, ObjData::Inert(HashMap::new()));
        return Ok(Value::Obj(Some(o)));
    }
    fault(format!("{class}[{i}] does not exist"))
}

/// `new Name(args)` for a built-in class; `None` if there is no such class.
pub(crate) fn new_builtin(
    it: &mut Interpreter,
    name: &str,
    args: Vec<ArgVal>,
) -> Option<R<ObjRef>> {
    let r = match name {
        "Vector" => new_vector(it, &args),
        "List" => Ok(obj(it, name, ObjData::List(Vec::new()))),
        "StringFunctions" => Ok(obj(it, name, ObjData::StringFunctions)),
        "File" => super::file::HocFile::open_arg(&args).map(|f| obj(it, name, ObjData::File(f))),
        "Random" => {
            super::random::HocRandom::from_args(&args).map(|r| obj(it, name, ObjData::Random(r)))
        }
        "Matrix" => new_matrix(it, &args),
        "SectionList" => Ok(obj(it, name, ObjData::SectionList(Vec::new()))),
        "NetCon" => new_netcon(it, &args),
        "ParallelContext" => Ok(obj(it, name, ObjData::ParallelContext)),
        "Import3d_SWC_read"
        | "Import3d_Neurolucida3"
        | "Import3d_Neurolucida_read"
        | "Import3d_MorphML"
        | "Import3d_Eutectic_read" => {
            let r = super::import3d::Import3d::Reader {
                kind: name.to_string(),
                quiet: 0.0,
                swc: None,
            };
            Ok(obj(it, name, ObjData::Import3d(r)))
        }
        "Import3d_GUI" => match args.first().map(|a| &a.value) {
            Some(Value::Obj(Some(reader))) => {
                let g = super::import3d::Import3d::Gui {
                    reader: reader.clone(),
                };
                Ok(obj(it, name, ObjData::Import3d(g)))
            }
            _ => fault("Import3d_GUI needs a reader object (new Import3d_GUI(reader, 0))"),
        },
        "SectionRef" => it
            .current_section()
            .map(|s| obj(it, name, ObjData::SectionRef(s))),
        _ if INERT_CLASSES.contains(&name) => Ok(obj(it, name, ObjData::Inert(HashMap::new()))),
        _ if it.sim.is_point_process(name) => new_point_process(it, name, &args),
        _ => return None,
    };
    Some(r)
}

fn new_vector(it: &mut Interpreter, args: &[ArgVal]) -> R<ObjRef> {
    let n = match args.first() {
        Some(_) => arg_num(args, 0, "Vector")?,
        None => 0.0,
    };
    if !(0.0..=1e8).contains(&n) {
        return fault(format!("Vector size {n} out of range"));
    }
    let fill = match args.get(1) {
        Some(_) => arg_num(args, 1, "Vector")?,
        None => 0.0,
    };
    Ok(it.new_vector(vec![fill; n as usize]))
}

fn new_matrix(it: &mut Interpreter, args: &[ArgVal]) -> R<ObjRef> {
    let nrow = arg_num(args, 0, "Matrix").unwrap_or(1.0).max(0.0) as usize;
    let ncol = arg_num(args, 1, "Matrix").unwrap_or(1.0).max(0.0) as usize;
    if nrow.saturating_mul(ncol) > 100_000_000 {
        return fault("Matrix too large");
    }
    let data = Rc::new(RefCell::new(vec![0.0; nrow * ncol]));
    Ok(obj(it, "Matrix", ObjData::Matrix { nrow, ncol, data }))
}

/// `new NetCon(&v(x) | pp | nil, target | nil[, threshold, delay, weight])`.
fn new_netcon(it: &mut Interpreter, args: &[ArgVal]) -> R<ObjRef> {
    use crate::sim::NetConSource;
    let pp_of = |v: Option<&Value>| -> R<Option<usize>> {
        match v {
            Some(Value::Obj(Some(o))) => match &*o.data.borrow() {
                ObjData::PointProcess(p) => Ok(Some(*p)),
                _ => fault(format!("NetCon: {o} is not a point process")),
            },
            Some(Value::Obj(None)) => Ok(None),
            _ => fault("NetCon: expected a point process or nil"),
        }
    };
    let source = match args.first().map(|a| &a.value) {
        Some(Value::SimRef(r)) => NetConSource::Var(r.clone()),
        v => match pp_of(v)? {
            Some(p) => NetConSource::PointProcess(p),
            None => NetConSource::None,
        },
    };
    let target = pp_of(args.get(1).map(|a| &a.value))?;
    let nc = it.sim.new_netcon(source, target).or_else(fault)?;
    for (i, name) in [(2, "threshold"), (3, "delay"), (4, "weight")] {
        if args.get(i).is_some() {
            let v = arg_num(args, i, "NetCon")?;
            it.sim.netcon_set(nc, name, 0, v).or_else(fault)?;
        }
    }
    Ok(obj(it, "NetCon", ObjData::NetCon(nc)))
}

fn new_point_process(it: &mut Interpreter, name: &str, args: &[ArgVal]) -> R<ObjRef> {
    let loc = match args.first() {
        Some(_) => {
            let x = arg_num(args, 0, name)?;
            Some((it.current_section()?, x))
        }
        None => None,
    };
    let pp = it.sim.new_point_process(name, loc).or_else(fault)?;
    Ok(obj(it, name, ObjData::PointProcess(pp)))
}

/// `o.name[idx](args)` on a built-in object.
pub(crate) fn member(
    it: &mut Interpreter,
    o: &ObjRef,
    name: &str,
    idx: &[f64],
    args: Option<Vec<ArgVal>>,
) -> R<RefVal> {
    enum Kind {
        Vector(NumCells),
        List,
        Other,
    }
    let kind = match &*o.data.borrow() {
        ObjData::Vector(c) => Kind::Vector(c.clone()),
        ObjData::List(_) => Kind::List,
        _ => Kind::Other,
    };
    let pp = match &*o.data.borrow() {
        ObjData::PointProcess(p) if args.is_some() => Some(*p),
        _ => None,
    };
    if let (Some(pp), Some(a)) = (pp, &args) {
        if let Some(v) = pp_function(it, pp, name, a) {
            return v.map(RefVal::Val);
        }
    }
    let a = args.unwrap_or_default();
    let v = match kind {
        Kind::Vector(c) if name == "x" => {
            let i = idx.first().copied().unwrap_or(0.0);
            it.vector_method(o, &c, "x", &[num_arg(i)])?
        }
        Kind::Vector(c) => it.vector_method(o, &c, name, &a)?,
        Kind::List => list_method(it, o, name, &a)?,
        Kind::Other => return other_member(it, o, name, idx, &a),
    };
    Ok(RefVal::Val(v))
}

fn num_arg(v: f64) -> ArgVal {
    ArgVal {
        value: Value::Num(v),
        place: None,
    }
}

fn list_method(it: &mut Interpreter, o: &ObjRef, name: &str, a: &[ArgVal]) -> R<Value> {
    let this = Value::Obj(Some(o.clone()));
    let arg_obj = |i: usize| match a.get(i).map(|x| &x.value) {
        Some(Value::Obj(Some(x))) => Ok(x.clone()),
        _ => fault(format!("List.{name}: argument {} must be an object", i + 1)),
    };
    let mut data = o.data.borrow_mut();
    let ObjData::List(items) = &mut *data else {
        return fault("not a List");
    };
    let n = items.len();
    let index = |i: f64| -> R<usize> {
        if i < 0.0 || i as usize >= n {
            return fault(format!("List index {i} out of range 0..{}", n as i64 - 1));
        }
        Ok(i as usize)
    };
    let v = match name {
        "append" => {
            items.push(arg_obj(0)?);
            Value::Num(n as f64 + 1.0)
        }
        "prepend" => {
            items.insert(0, arg_obj(0)?);
            Value::Num(n as f64 + 1.0)
        }
        "insrt" => {
            let i = (arg_num(a, 0, name)?.max(0.0) as usize).min(n);
            items.insert(i, arg_obj(1)?);
            Value::Num(n as f64 + 1.0)
        }
        "count" => Value::Num(n as f64),
        "o" | "object" => Value::Obj(Some(items[index(arg_num(a, 0, name)?)?].clone())),
        "remove" => {
            items.remove(index(arg_num(a, 0, name)?)?);
            Value::Num(n as f64 - 1.0)
        }
        "remove_all" => {
            items.clear();
            Value::Num(0.0)
        }
        "index" => {
            let x = arg_obj(0)?;
            let i = items.iter().position(|y| Rc::ptr_eq(&x, y));
            Value::Num(i.map(|i| i as f64).unwrap_or(-1.0))
        }
        "browser" | "accept_action" | "select_action" | "select" | "scroll_pos" => this,
        _ => return fault(format!("List has no method {name}")),
    };
    let _ = it;
    Ok(v)
}

fn other_member(
    it: &mut Interpreter,
    o: &ObjRef,
    name: &str,
    idx: &[f64],
    a: &[ArgVal],
) -> R<RefVal> {
    enum K {
        File,
        Random,
        Str,
        Matrix,
        SecList,
        SecRef(usize),
        Pp(usize),
        Ran(usize, String),
        Nc(usize),
        Par,
        I3d,
        Inert,
        Other,
    }
    let k = match &*o.data.borrow() {
        ObjData::File(_) => K::File,
        ObjData::Random(_) => K::Random,
        ObjData::StringFunctions => K::Str,
        ObjData::Matrix { .. } => K::Matrix,
        ObjData::SectionList(_) => K::SecList,
        ObjData::SectionRef(s) => K::SecRef(*s),
        ObjData::PointProcess(p) => K::Pp(*p),
        ObjData::NmodlRandom { pp, name } => K::Ran(*pp, name.clone()),
        ObjData::NetCon(n) => K::Nc(*n),
        ObjData::ParallelContext => K::Par,
        ObjData::Import3d(_) => K::I3d,
        ObjData::Inert(_) => K::Inert,
        _ => K::Other,
    };
    let v = match k {
        K::File => super::file::file_method(it, o, name, a)?,
        K::Random => super::random::random_method(it, o, name, a)?,
        K::Str => strfun_method(it, name, a)?,
        K::Matrix => it.matrix_method(o, name, idx, a)?,
        K::SecList => seclist_method(it, o, name, a)?,
        K::SecRef(s) => return secref_member(it, s, name, idx),
        K::Pp(p) => pp_member(it, p, name, a)?,
        K::Ran(pp, var) => super::random::nmodl_random_method(it, o, pp, &var, name, a)?,
        K::Nc(n) => netcon_member(it, n, name, idx, a)?,
        K::Par => it.parallel_method(name, a)?,
        K::I3d => it.import3d_method(o, name, a)?,
        K::Inert => inert_member(o, name, a),
        K::Other => return fault(format!("{o} has no member {name}")),
    };
    Ok(RefVal::Val(v))
}

fn strfun_method(it: &mut Interpreter, name: &str, a: &[ArgVal]) -> R<Value> {
    let s = || arg_str(a, 0, name);
    let set = |it: &mut Interpreter, i: usize, v: String| -> R<()> {
        match a.get(i).and_then(|x| x.place.clone()) {
            Some(p) => it.write_place(&p, Value::Str(v)),
            None => fault(format!(
                "StringFunctions.{name}: argument {} must be a strdef",
                i + 1
            )),
        }
    };
    let v = match name {
        "len" => Value::Num(s()?.chars().count() as f64),
        "substr" => {
            let t = arg_str(a, 1, name)?;
            Value::Num(
                s()?.find(&t)
                    .map(|i| s().map(|x| x[..i].chars().count()).unwrap_or(0) as f64)
                    .unwrap_or(-1.0),
            )
        }
        "head" | "tail" => {
            let text = s()?;
            let pat = arg_str(a, 1, name)?;
            let chars: Vec<char> = text.chars().collect();
            let (r, out) = match (name, super::regex_find(&pat, &text)) {
                ("head", Some((b, _))) => (b as f64, chars[..b].iter().collect()),
                ("tail", Some((_, e))) => (e as f64, chars[e..].iter().collect()),
                _ => (-1.0, String::new()),
            };
            set(it, 2, out)?;
            Value::Num(r)
        }
        "rtrim" | "ltrim" => {
            let text = s()?;
            let set_chars = match a.get(2) {
                Some(_) => arg_str(a, 2, name)?,
                None => " \t\n\r".to_string(),
            };
            let f = |c: char| set_chars.contains(c);
            let out = if name == "rtrim" {
                text.trim_end_matches(f)
            } else {
                text.trim_start_matches(f)
            };
            set(it, 1, out.to_string())?;
            Value::Num(0.0)
        }
        "right" | "left" => {
            let text = s()?;
            let n = arg_num(a, 1, name)?.max(0.0) as usize;
            let chars: Vec<char> = text.chars().collect();
            let n = n.min(chars.len());
            let out: String = if name == "left" {
                chars[..n].iter().collect()
            } else {
                chars[n..].iter().collect()
            };
            set(it, 0, out)?;
            Value::Num(1.0)
        }
        "is_name" => Value::Num(f64::from(u8::from(it.lookup(&s()?).is_some()))),
        "is_artificial" | "is_point_process" => Value::Num(0.0),
        _ => return fault(format!("StringFunctions has no method {name}")),
    };
    Ok(v)
}

fn seclist_method(it: &mut Interpreter, o: &ObjRef, name: &str, _a: &[ArgVal]) -> R<Value> {
    let v = match name {
        "append" => {
            let s = it.current_section()?;
            if let ObjData::SectionList(l) = &mut *o.data.borrow_mut() {
                l.push(s);
            }
            Value::Num(1.0)
        }
        "remove" => {
            let s = it.current_section()?;
            if let ObjData::SectionList(l) = &mut *o.data.borrow_mut() {
                l.retain(|x| *x != s);
            }
            Value::Num(1.0)
        }
        "wholetree" | "subtree" | "children" | "allroots" => {
            let s = it.current_section()?;
            let secs = match name {
                "wholetree" => tree(it, it.root_of(s)),
                "subtree" => tree(it, s),
                "children" => it.sim.children(s),
                _ => it
                    .sim
                    .sections()
                    .into_iter()
                    .filter(|x| it.sim.parent(*x).is_none())
                    .collect(),
            };
            if let ObjData::SectionList(l) = &mut *o.data.borrow_mut() {
                l.extend(secs);
            }
            Value::Num(1.0)
        }
        "unique" => {
            if let ObjData::SectionList(l) = &mut *o.data.borrow_mut() {
                let mut seen = std::collections::HashSet::new();
                l.retain(|x| seen.insert(*x));
            }
            Value::Num(0.0)
        }
        "printnames" => {
            let names: Vec<String> = match &*o.data.borrow() {
                ObjData::SectionList(l) => l.iter().map(|s| it.sim.section_name(*s)).collect(),
                _ => Vec::new(),
            };
            for n in names {
                it.write_out(&format!("{n}\n"));
            }
            Value::Num(1.0)
        }
        _ => return fault(format!("SectionList has no method {name}")),
    };
    Ok(v)
}

fn tree(it: &Interpreter, root: usize) -> Vec<usize> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() && out.len() < 10_000_000 {
        out.extend(it.sim.children(out[i]));
        i += 1;
    }
    out
}

fn secref_member(it: &mut Interpreter, s: usize, name: &str, idx: &[f64]) -> R<RefVal> {
    let v = match name {
        "sec" => return Ok(RefVal::Sec(s)),
        "parent" | "trueparent" => match it.sim.parent(s) {
            Some((p, _)) => return Ok(RefVal::Sec(p)),
            None => return fault("SectionRef.parent: the section has no parent"),
        },
        "root" => return Ok(RefVal::Sec(it.root_of(s))),
        "child" => {
            let kids = it.sim.children(s);
            let i = idx.first().copied().unwrap_or(0.0);
            match kids.get(i as usize).filter(|_| i >= 0.0) {
                Some(c) => return Ok(RefVal::Sec(*c)),
                None => {
                    return fault(format!(
                        "SectionRef.child[{i}] out of range 0..{}",
                        kids.len() as i64 - 1
                    ))
                }
            }
        }
        "nchild" => Value::Num(it.sim.children(s).len() as f64),
        "has_parent" | "has_trueparent" => {
            Value::Num(f64::from(u8::from(it.sim.parent(s).is_some())))
        }
        "is_cas" => Value::Num(f64::from(u8::from(it.current_section().ok() == Some(s)))),
        "exists" => Value::Num(1.0),
        _ => return fault(format!("SectionRef has no member {name}")),
    };
    Ok(RefVal::Val(v))
}

/// `pp.fn(args)`: a FUNCTION or PROCEDURE of the point process's mechanism
/// (`None` when it has none of that name).
fn pp_function(it: &mut Interpreter, pp: usize, name: &str, a: &[ArgVal]) -> Option<R<Value>> {
    if matches!(name, "loc" | "get_loc" | "has_loc") {
        return None;
    }
    let mut args = Vec::with_capacity(a.len());
    for (i, x) in a.iter().enumerate() {
        args.push(match &x.value {
            Value::Num(v) => CallArg::Num(*v),
            Value::Obj(Some(o)) => match &*o.data.borrow() {
                ObjData::Vector(c) => CallArg::Vector(c.clone()),
                ObjData::Random(r) => CallArg::Random(r.shared()),
                _ => CallArg::Object(o.class.clone()),
            },
            other => {
                return Some(fault(format!(
                    "{name}: argument {} is {}; a mechanism function takes numbers and Vectors",
                    i + 1,
                    other.type_name()
                )))
            }
        });
    }
    let r = it.sim.call_pp_function(pp, name, &args)?;
    Some(r.map(Value::Num).or_else(fault))
}

fn pp_member(it: &mut Interpreter, pp: usize, name: &str, a: &[ArgVal]) -> R<Value> {
    match name {
        "loc" => {
            let x = arg_num(a, 0, name)?;
            let s = it.current_section()?;
            it.sim.point_process_loc(pp, s, x).or_else(fault)?;
            Ok(Value::Num(x))
        }
        "get_loc" => match it.sim.point_process_get_loc(pp) {
            Some((s, x)) => {
                it.sec_stack.push(s);
                Ok(Value::Num(x))
            }
            None => fault("get_loc: the point process is not located in a section"),
        },
        "has_loc" => Ok(Value::Num(f64::from(u8::from(
            it.sim.point_process_get_loc(pp).is_some(),
        )))),
        // NEURON 9: a RANDOM variable reads as an NMODLRandom wrapping it
        _ if it.sim.pp_is_random(pp, name) => {
            let data = ObjData::NmodlRandom {
                pp,
                name: name.to_string(),
            };
            Ok(Value::Obj(Some(obj(it, "NMODLRandom", data))))
        }
        _ => it.sim.pp_get(pp, name).map(Value::Num).or_else(fault),
    }
}

fn netcon_member(
    it: &mut Interpreter,
    nc: usize,
    name: &str,
    idx: &[f64],
    a: &[ArgVal],
) -> R<Value> {
    // a target freed since the last sweep is gone for `valid()`, `syn()`...
    it.sweep_sim_objects();
    let vector = |i: usize| match a.get(i).map(|x| &x.value) {
        Some(Value::Obj(Some(o))) => match &*o.data.borrow() {
            ObjData::Vector(c) => Ok(c.clone()),
            _ => fault(format!("NetCon.record: {o} is not a Vector")),
        },
        _ => fault("NetCon.record needs a Vector"),
    };
    match name {
        "record" if a.len() >= 2 => {
            let (times, ids) = (vector(0)?, vector(1)?);
            let id = match a.get(2) {
                Some(_) => arg_num(a, 2, "NetCon.record")?.trunc(),
                None => 0.0,
            };
            it.sim
                .netcon_record_ids(nc, times, ids, id)
                .or_else(fault)?;
            Ok(Value::Num(0.0))
        }
        "record" => {
            let cells = vector(0)?;
            it.sim.netcon_record(nc, cells).or_else(fault)?;
            Ok(Value::Num(0.0))
        }
        "event" => {
            let t = arg_num(a, 0, "NetCon.event")?;
            let flag = match a.get(1) {
                Some(_) => Some(arg_num(a, 1, "NetCon.event")?),
                None => None,
            };
            it.sim.netcon_event(nc, t, flag).or_else(fault)?;
            // nrniv returns whether the NetCon is active
            let active = it.sim.netcon_active(nc, None).or_else(fault)?;
            Ok(Value::Num(f64::from(u8::from(active))))
        }
        "setpost" => {
            let target = match a.first().map(|x| &x.value) {
                None | Some(Value::Obj(None)) => None,
                Some(Value::Obj(Some(o))) => match &*o.data.borrow() {
                    ObjData::PointProcess(p) => Some(*p),
                    _ => return fault(format!("NetCon.setpost: {o} is not a point process")),
                },
                Some(_) => return fault("NetCon.setpost needs a point process or nil"),
            };
            it.sim.netcon_setpost(nc, target).or_else(fault)?;
            Ok(Value::Num(0.0))
        }
        "syn" => {
            let target = it.sim.netcon_target(nc);
            Ok(Value::Obj(target.and_then(|p| it.point_process_object(p))))
        }
        "active" => {
            let on = match a.first() {
                Some(_) => Some(arg_num(a, 0, "NetCon.active")? != 0.0),
                None => None,
            };
            let was = it.sim.netcon_active(nc, on).or_else(fault)?;
            Ok(Value::Num(f64::from(u8::from(was))))
        }
        "valid" => Ok(Value::Num(f64::from(u8::from(
            it.sim.netcon_valid(nc).unwrap_or_else(|| {
                it.sim
                    .netcon_source(nc)
                    .is_some_and(|s| s != crate::sim::NetConSource::None)
                    && it.sim.netcon_target(nc).is_some()
            }),
        )))),
        "wcnt" => {
            let mut n = 0;
            while it.sim.netcon_get(nc, "weight", n).is_ok() && n < 1000 {
                n += 1;
            }
            Ok(Value::Num(n as f64))
        }
        _ => {
            let i = idx.first().copied().unwrap_or(0.0).max(0.0) as usize;
            it.sim
                .netcon_get(nc, name, i)
                .map(Value::Num)
                .or_else(fault)
        }
    }
}

fn inert_member(o: &ObjRef, name: &str, _a: &[ArgVal]) -> Value {
    match name {
        "nhost" => Value::Num(1.0),
        "id" | "rank" => Value::Num(0.0),
        _ => match &*o.data.borrow() {
            ObjData::Inert(m) => Value::Num(m.get(name).copied().unwrap_or(0.0)),
            _ => Value::Num(0.0),
        },
    }
}
