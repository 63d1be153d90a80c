//! A native `Import3d` for SWC morphologies: `Import3d_SWC_read` and
//! `Import3d_GUI(reader, 0).instantiate(cell)`, used when NEURON's
//! `import3d.hoc` is not on disk. It follows NEURON's rules (written down
//! here from NEURON's documented behaviour, checked against nrniv):
//!
//! - points are split into unbranched sections; a point with other than one
//!   child, or whose child is not the next point, or whose child has another
//!   type, ends a section; consecutive soma points stay together unless a soma
//!   point has several soma children;
//! - a non-root section starts with a copy of its parent point (with the
//!   child's diameter when the parent is soma);
//! - attachment: to a one-point soma at 0.5 through a "wire" (the copied point
//!   dropped), to the first point of the root at 0, to an interior soma point
//!   at 0.5, otherwise at 1; a 3-point soma of neuromorpho.org's convention
//!   becomes a sphere;
//! - one-point and zero-length two-point sections are removed, their children
//!   reattached to the grandparent;
//! - sections are named by type (`soma`, `axon`, `dend`, `apic`, `dend_N`),
//!   created as arrays, put into `somatic`, `axonal`, `basal`, `apical` and
//!   `all`, connected, and given their 3-D points (`%.8g`, as NEURON prints
//!   them), a lone point becoming three along x.
//!
//! The result is HOC text run in the cell's context, exactly what NEURON
//! executes. Neurolucida and other formats need NEURON's `import3d.hoc`.

use super::format::fmt_g;
use crate::interp::value::{ObjData, ObjRef, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
use crate::span::Source;

/// SWC points, in id order; `parent` is an index.
#[derive(Debug, Clone, Default)]
pub struct Swc {
    ty: Vec<i64>,
    x: Vec<f64>,
    y: Vec<f64>,
    z: Vec<f64>,
    d: Vec<f64>,
    parent: Vec<Option<usize>>,
}

/// One section being built.
#[derive(Debug, Clone)]
struct Sec3d {
    /// Index of the section's own first point.
    id: usize,
    /// Point indices (a non-root section starts with its parent point).
    pts: Vec<usize>,
    d: Vec<f64>,
    ty: i64,
    parent: Option<usize>,
    parentx: f64,
    /// 1 when the first (copied) point is dropped: a wire to the parent.
    first: usize,
    alive: bool,
}

/// State of an `Import3d_*` object.
#[derive(Debug, Clone)]
pub enum Import3d {
    Reader {
        kind: String,
        quiet: f64,
        swc: Option<Swc>,
    },
    Gui {
        reader: ObjRef,
    },
}

/// Reads SWC text: `id type x y z radius parent` per line, `#` comments.
/// Lines that are not 7 numbers are reported in `notes` as NEURON does.
pub fn read_swc(text: &str, file: &str, notes: &mut String) -> Swc {
    let mut rows: Vec<[f64; 7]> = Vec::new();
    for (k, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let v: Vec<f64> = t.split_whitespace().map_while(|w| w.parse().ok()).collect();
        if v.len() >= 7 {
            // NEURON's sscanf("%f") reads single-precision numbers.
            let f = |x: f64| f64::from(x as f32);
            rows.push([v[0], v[1], f(v[2]), f(v[3]), f(v[4]), f(v[5]) * 2.0, v[6]]);
        } else {
            notes.push_str(&format!(
                "error {file} line {}: could not parse: {line}",
                k + 1
            ));
        }
    }
    rows.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let index: std::collections::HashMap<i64, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r[0] as i64, i))
        .collect();
    let mut s = Swc::default();
    for r in &rows {
        s.ty.push(r[1] as i64);
        s.x.push(r[2]);
        s.y.push(r[3]);
        s.z.push(r[4]);
        s.d.push(r[5]);
        s.parent.push(index.get(&(r[6] as i64)).copied());
    }
    s
}

/// Child counts as NEURON marks them (1 = continues the section) and the
/// points whose child must attach to the proximal end of their section.
fn mark_branch(s: &Swc) -> (Vec<f64>, Vec<bool>) {
    let n = s.ty.len();
    let mut nchild = vec![0.0; n];
    let mut prox = vec![false; n];
    for (i, parent) in s.parent.iter().enumerate() {
        let Some(p) = *parent else { continue };
        nchild[p] += 1.0;
        if p + 1 != i {
            nchild[p] += 0.01;
            // A missing parent reads as point 0, as NEURON's `x[-1]` does.
            let grand_soma = s.ty[s.parent[p].unwrap_or(0)] == 1;
            if (p > 1 && s.ty[p] != 1 && grand_soma) || (p == 0 && s.ty[p] != 1) {
                prox[i] = true;
                nchild[p] = 1.0;
            }
        }
        if s.ty[p] != s.ty[i] {
            nchild[p] += 0.01;
        }
    }
    (nchild, prox)
}

fn dist(s: &Swc, a: usize, b: usize) -> f64 {
    ((s.x[a] - s.x[b]).powi(2) + (s.y[a] - s.y[b]).powi(2) + (s.z[a] - s.z[b]).powi(2)).sqrt()
}

/// neuromorpho.org's 3-point soma: middle point root, two points at ±r, same diameter.
fn three_point_soma(s: &Swc, nchild: &[f64]) -> bool {
    s.ty.len() >= 3
        && s.parent[1] == Some(0)
        && s.parent[2] == Some(0)
        && nchild[1] == 0.0
        && nchild[2] == 0.0
        && s.d[1] == s.d[0]
        && s.d[2] == s.d[0]
        && ((dist(s, 1, 0) + dist(s, 2, 0)) / s.d[0] - 1.0).abs() < 0.01
}

/// Splits the points into sections (NEURON's `sectionify` and `mksections`).
fn sections(s: &mut Swc) -> Vec<Sec3d> {
    let n = s.ty.len();
    if n == 0 {
        return Vec::new();
    }
    let (mut nchild, prox) = mark_branch(s);
    let mut nchild_soma = vec![0.0; n];
    let mut nsoma = usize::from(s.ty[0] == 1);
    for i in 1..n {
        if s.ty[i] == 1 {
            nsoma += 1;
            if let Some(p) = s.parent[i].filter(|p| s.ty[*p] == 1) {
                nchild_soma[p] += 1.0;
            }
        }
    }
    let soma3 = nsoma == 3 && three_point_soma(s, &nchild);
    if soma3 {
        s.parent[2] = Some(1);
    }
    for i in 0..n - 1 {
        let contiguous = s.ty[i] == 1 && s.ty[i + 1] == 1 && s.parent[i + 1] == Some(i);
        if contiguous && !(i != 0 && nchild_soma[i] > 1.0) {
            nchild[i] = 1.0;
        }
    }
    let ends: Vec<usize> = (0..n).filter(|i| nchild[*i] != 1.0).collect();
    let mut p2s = vec![0usize; n];
    let mut si = 0;
    for (i, slot) in p2s.iter_mut().enumerate().skip(1) {
        if ends.get(si).is_some_and(|e| i > *e) {
            si += 1;
        }
        *slot = si;
    }
    let mut secs = Vec::new();
    let (mut isec, mut first) = (0, 0);
    for i in 0..n {
        if p2s[i] > isec {
            mksection(s, &mut secs, &p2s, &nchild_soma, first, i, soma3);
            isec += 1;
            first = i;
        }
    }
    mksection(s, &mut secs, &p2s, &nchild_soma, first, n, soma3);
    for sec in &mut secs {
        if prox[sec.id] && sec.parent.is_some() {
            sec.parentx = 0.0;
        }
    }
    secs
}

fn mksection(
    s: &Swc,
    secs: &mut Vec<Sec3d>,
    p2s: &[usize],
    nchild_soma: &[f64],
    first: usize,
    end: usize,
    soma3: bool,
) {
    let ty = s.ty[first];
    if secs.is_empty() {
        let last = if soma3 { 1 } else { end };
        let pts: Vec<usize> = (first..last).collect();
        let d = pts.iter().map(|p| s.d[*p]).collect();
        secs.push(Sec3d {
            id: first,
            pts,
            d,
            ty,
            parent: None,
            parentx: 1.0,
            first: 0,
            alive: true,
        });
        return;
    }
    // The root of a second tree has parent -1, which NEURON's vectors read as
    // element 0: it hangs on the root section at the root point.
    let pp_raw: i64 = s.parent[first].map_or(-1, |p| p as i64);
    let pp = pp_raw.max(0) as usize;
    let psec = p2s[pp];
    let (pty, pid, pn) = (
        secs[psec].ty,
        secs[psec].id as i64,
        secs[psec].pts.len() as i64,
    );
    let den_con_soma = pty == 1 && ty != 1;
    let (mut parentx, mut wire) = (1.0, false);
    let mut handled = false;
    if psec == 0 {
        handled = true;
        if den_con_soma && pn == 1 {
            parentx = 0.5;
            wire = end - first > 1;
        } else if pp_raw == pid {
            parentx = 0.0;
            wire = ty != 1 && nchild_soma[pp] > 1.0;
        } else {
            handled = false;
        }
    }
    if !handled && pty == 1 {
        let offset = if pid == 0 { 1 } else { 2 };
        if pp_raw + offset < pid + pn {
            parentx = 0.5;
            wire = den_con_soma && end - first > 1;
        } else if end - first > 1 && nchild_soma[pp] > 1.0 && ty != 1 {
            wire = true;
        }
    }
    let mut pts = vec![pp];
    pts.extend(first..end);
    let mut d: Vec<f64> = pts.iter().map(|p| s.d[*p]).collect();
    if pty == 1 && ty != 1 && d.len() > 1 {
        d[0] = d[1];
    }
    let first_pt = usize::from(wire);
    secs.push(Sec3d {
        id: first,
        pts,
        d,
        ty,
        parent: Some(psec),
        parentx,
        first: first_pt,
        alive: true,
    });
}

/// Removes one-point and zero-length two-point sections (NEURON's `chk_valid`).
fn check_valid(s: &Swc, secs: &mut [Sec3d], notes: &mut String) {
    for i in (0..secs.len()).rev() {
        if secs[i].parent.is_none() || !secs[i].alive {
            continue;
        }
        let sec = &secs[i];
        let left = sec.pts.len() - sec.first;
        let zero = left == 2 && {
            let (a, b) = (sec.pts[sec.first], sec.pts[sec.first + 1]);
            s.x[a] == s.x[b] && s.y[a] == s.y[b] && s.z[a] == s.z[b]
        };
        if left > 1 && !zero {
            continue;
        }
        notes.push_str(if zero {
            "Two point section with 0 length has been removed\n"
        } else {
            "One point section has been removed\n"
        });
        secs[i].alive = false;
        let (gp, gx) = (secs[i].parent, secs[i].parentx);
        for sec in secs.iter_mut().skip(i + 1) {
            if sec.parent == Some(i) {
                sec.parent = gp;
                sec.parentx = gx;
            }
        }
    }
}

fn type2name(t: i64) -> String {
    match t {
        1 => "soma".into(),
        2 => "axon".into(),
        3 => "dend".into(),
        4 => "apic".into(),
        t if t < 0 => format!("minus_{}", -t),
        t => format!("dend_{t}"),
    }
}

fn subset(t: i64) -> String {
    match t {
        1 => "somatic".into(),
        2 => "axonal".into(),
        3 => "basal".into(),
        4 => "apical".into(),
        t if t < 0 => format!("minus_{}set", -t),
        t => format!("dendritic_{t}"),
    }
}

fn g8(v: f64) -> String {
    fmt_g(v, 8, false, false)
}

/// The HOC NEURON runs to build the cell (`with_cell`: inside a cell object).
fn commands(s: &Swc, secs: &[Sec3d], with_cell: bool) -> String {
    let min = s.ty.iter().copied().min().unwrap_or(0);
    let max = s.ty.iter().copied().max().unwrap_or(0);
    let mut count = vec![0usize; (max - min + 1).max(0) as usize];
    let mut names = vec![String::new(); secs.len()];
    for (i, sec) in secs.iter().enumerate().filter(|(_, s)| s.alive) {
        let k = (sec.ty - min) as usize;
        let base = type2name(sec.ty);
        names[i] = if count[k] > 0 {
            format!("{base}[{}]", count[k])
        } else {
            base
        };
        count[k] += 1;
    }
    let mut out = String::new();
    for (k, c) in count.iter().enumerate() {
        let t = min + k as i64;
        if *c > 0 {
            out.push_str(&format!("create {}[{c}]\n", type2name(t)));
        }
        if with_cell {
            out.push_str(&format!(
                "forsec \"{}\" {}.append\n",
                type2name(t),
                subset(t)
            ));
        }
    }
    if with_cell {
        out.push_str("forall all.append\n");
    }
    for (k, (i, sec)) in secs.iter().enumerate().filter(|(_, s)| s.alive).enumerate() {
        let name = &names[i];
        if k == 0 && !with_cell {
            out.push_str(&format!("access {name}\n"));
        }
        if let Some(p) = sec.parent {
            let px = fmt_g(sec.parentx, 6, false, false);
            out.push_str(&format!("{} connect {name}(0), {px}\n", names[p]));
        }
        let idx = &sec.pts[sec.first..];
        let mut pts: Vec<[f64; 4]> = idx
            .iter()
            .zip(&sec.d[sec.first..])
            .map(|(p, d)| [s.x[*p], s.y[*p], s.z[*p], *d])
            .collect();
        if pts.len() == 1 {
            let [x, y, z, d] = pts[0];
            pts = vec![[x - d / 2.0, y, z, d], [x, y, z, d], [x + d / 2.0, y, z, d]];
        }
        for [x, y, z, d] in pts {
            out.push_str(&format!(
                "{name} {{ pt3dadd({}, {}, {}, {}) }}\n",
                g8(x),
                g8(y),
                g8(z),
                g8(d)
            ));
        }
    }
    out
}

/// The HOC that builds the cell for SWC `text` (for tests and tools).
pub fn swc_to_hoc(text: &str, with_cell: bool) -> String {
    let mut notes = String::new();
    let mut swc = read_swc(text, "swc", &mut notes);
    let span =
        swc.ty.iter().max().copied().unwrap_or(0) - swc.ty.iter().min().copied().unwrap_or(0);
    if swc.ty.len() < 2 || !(0..=10_000).contains(&span) {
        return String::new();
    }
    let mut secs = sections(&mut swc);
    check_valid(&swc, &mut secs, &mut notes);
    commands(&swc, &secs, with_cell)
}

impl Interpreter {
    /// Methods of `Import3d_*` objects.
    pub(crate) fn import3d_method(&mut self, o: &ObjRef, name: &str, a: &[ArgVal]) -> R<Value> {
        let state = match &*o.data.borrow() {
            ObjData::Import3d(s) => s.clone(),
            _ => return fault("not an Import3d object"),
        };
        match (state, name) {
            (Import3d::Reader { kind, quiet, .. }, "input") => {
                if kind != "Import3d_SWC_read" {
                    return fault(format!("{kind}: only SWC files are read natively; put NEURON's import3d.hoc on HOC_LIBRARY_PATH for other formats"));
                }
                let path = super::arg_str(a, 0, "input")?;
                let text = std::fs::read(&path)
                    .map_err(|e| format!("Import3d_SWC_read.input: cannot read {path}: {e}"))
                    .or_else(fault)?;
                let mut notes = String::new();
                let swc = read_swc(&String::from_utf8_lossy(&text), &path, &mut notes);
                self.write_out(&notes);
                if swc.ty.is_empty() {
                    return fault(format!("Import3d_SWC_read.input: no points in {path}"));
                }
                *o.data.borrow_mut() = ObjData::Import3d(Import3d::Reader {
                    kind,
                    quiet,
                    swc: Some(swc),
                });
                Ok(Value::Num(0.0))
            }
            (Import3d::Reader { quiet, .. }, "quiet") => Ok(Value::Num(quiet)),
            (Import3d::Reader { .. }, "err") => Ok(Value::Num(0.0)),
            (Import3d::Gui { reader }, "instantiate") => self.instantiate3d(&reader, a),
            (_, _) => fault(format!(
                "{o} has no method {name} in Neurite's native Import3d"
            )),
        }
    }

    fn instantiate3d(&mut self, reader: &ObjRef, a: &[ArgVal]) -> R<Value> {
        let swc =
            match &*reader.data.borrow() {
                ObjData::Import3d(Import3d::Reader { swc: Some(s), .. }) => s.clone(),
                _ => return fault(
                    "Import3d_GUI.instantiate: the reader has no morphology (call input() first)",
                ),
            };
        let cell = match a.first().map(|x| &x.value) {
            Some(Value::Obj(o)) => o.clone(),
            _ => None,
        };
        let (lo, hi) = (swc.ty.iter().min(), swc.ty.iter().max());
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if hi.saturating_sub(*lo) > 10_000 {
                return fault(format!("Import3d: point types {lo}..{hi} are out of range"));
            }
        }
        let mut swc = swc;
        let mut secs = sections(&mut swc);
        let mut notes = String::new();
        check_valid(&swc, &mut secs, &mut notes);
        self.write_out(&notes);
        if swc.ty.len() < 2 {
            return Ok(Value::Num(0.0));
        }
        let code = commands(&swc, &secs, cell.is_some());
        let src = Source::new("<Import3d (native)>", code);
        self.run_nested(src, cell, false)?;
        Ok(Value::Num(0.0))
    }
}
