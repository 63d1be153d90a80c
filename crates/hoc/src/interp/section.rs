//! Section statements (`create`, `access`, `connect`, `insert`, `sec stmt`,
//! `forall`, `forsec`, `ifsec`, `for (x)`, `rangevar(a:b) = y0:y1`), run
//! through the [`crate::sim::Simulator`]. Sections created by code running
//! in a template instance belong to that instance and are named `Cell[0].soma`.

use super::value::{ObjData, SecArray, Slot, Value};
use super::{fault, Flow, Interpreter, R};
use crate::ast::{Decl, Expr, ExprKind, Stmt, StmtKind};
use crate::sim::SecId;
use std::rc::Rc;

impl Interpreter {
    pub(crate) fn exec_section_stmt(&mut self, kind: &StmtKind) -> R<Flow> {
        match kind {
            StmtKind::Create(decls) => {
                for d in decls {
                    self.create(d)?;
                }
            }
            StmtKind::Access(e) => {
                let sec = self.require_section(e)?;
                self.accessed = Some(sec);
            }
            StmtKind::Connect { child, parent } => self.connect(child, parent)?,
            StmtKind::Insert(m) => {
                let sec = self.current_section()?;
                self.sim.insert(sec, m).or_else(fault)?;
            }
            StmtKind::Uninsert(m) => {
                let sec = self.current_section()?;
                self.sim.uninsert(sec, m).or_else(fault)?;
            }
            StmtKind::Setpointer { target, source } => {
                let target = self.sim_ref(target, "its POINTER (pp.ptr or ptr_mech(x))")?;
                let source = self.sim_ref(source, "what it points to (sec.v(x), pp.var)")?;
                self.sim.setpointer(target, source).or_else(fault)?;
            }
            StmtKind::SecScope { sec, body } => {
                let s = self.require_section(sec)?;
                return self.with_section(s, body);
            }
            StmtKind::RangeInterp {
                target,
                x0,
                x1,
                y0,
                y1,
            } => self.range_interp(target, [x0, x1, y0, y1])?,
            StmtKind::ForSeg { var, ends, body } => return self.for_segments(var, ends, body),
            StmtKind::Forall(body) => {
                let all = self.visible_sections();
                return self.over_sections(&all, body);
            }
            StmtKind::Forsec { target, body } => {
                let secs = self.sections_matching(target)?;
                return self.over_sections(&secs, body);
            }
            StmtKind::Ifsec { target, body } => {
                let cur = self.current_section()?;
                if self.sections_matching(target)?.contains(&cur) {
                    return self.exec(body);
                }
            }
            other => return fault(format!("statement {other:?} cannot run here")),
        }
        Ok(Flow::Normal)
    }

    /// A variable of the model named by `e` (as `&e` would give it).
    fn sim_ref(&mut self, e: &Expr, what: &str) -> R<crate::sim::RecordSource> {
        match self.address_of(e)? {
            Value::SimRef(r) => Ok(r),
            _ => fault(format!(
                "setpointer: expected {what}, a variable of a section or point process"
            )),
        }
    }

    /// `Cell[0].` when code of a template instance runs, else empty.
    fn object_prefix(&self) -> String {
        match self.this() {
            Some(o) if matches!(&*o.data.borrow(), ObjData::Hoc { .. }) => format!("{o}."),
            _ => String::new(),
        }
    }

    /// `forall` inside an object sees only that object's sections.
    fn visible_sections(&mut self) -> Vec<SecId> {
        self.sweep_sections();
        let prefix = self.object_prefix();
        let all = self.sim.sections();
        if prefix.is_empty() {
            return all;
        }
        all.into_iter()
            .filter(|s| self.sim.section_name(*s).starts_with(&prefix))
            .collect()
    }

    fn create(&mut self, d: &Decl) -> R<()> {
        let dims = self.dims(d)?;
        let n: usize = dims.iter().product::<usize>().max(1);
        if let Some(Slot::Section(old)) = self.lookup(&d.name) {
            for s in old.ids.iter() {
                self.sim.delete_section(*s);
            }
        }
        let prefix = self.object_prefix();
        let ids: Vec<SecId> = (0..n)
            .map(|i| {
                let name = if dims.is_empty() {
                    format!("{prefix}{}", d.name)
                } else {
                    format!("{prefix}{}[{i}]", d.name)
                };
                self.sim.create_section(&name)
            })
            .collect();
        if let Some(o) = self.this() {
            let owner = Rc::downgrade(&o);
            self.owned_sections
                .extend(ids.iter().map(|s| (*s, owner.clone())));
        }
        self.declare(
            &d.name,
            Slot::Section(SecArray {
                dims,
                ids: Rc::new(ids),
            }),
        );
        Ok(())
    }

    pub(crate) fn require_section(&mut self, e: &Expr) -> R<SecId> {
        match self.section_of(e)? {
            Some(s) => Ok(s),
            None => fault("expected a section name"),
        }
    }

    pub(crate) fn with_section(&mut self, sec: SecId, body: &Stmt) -> R<Flow> {
        self.sec_stack.push(sec);
        let r = self.exec(body);
        self.sec_stack.pop();
        r
    }

    /// A section with its location: `dend(0)` (or a bare section: x = `default`).
    fn located_section(&mut self, e: &Expr, default: f64) -> R<Option<(SecId, f64)>> {
        let (stripped, x) = match &e.kind {
            ExprKind::Name {
                name,
                indices,
                args: Some(a),
            } if a.len() == 1 => (
                Expr::new(
                    ExprKind::Name {
                        name: name.clone(),
                        indices: indices.clone(),
                        args: None,
                    },
                    e.span,
                ),
                Some(&a[0]),
            ),
            ExprKind::Member {
                base,
                name,
                indices,
                args: Some(a),
            } if a.len() == 1 => (
                Expr::new(
                    ExprKind::Member {
                        base: base.clone(),
                        name: name.clone(),
                        indices: indices.clone(),
                        args: None,
                    },
                    e.span,
                ),
                Some(&a[0]),
            ),
            _ => (e.clone(), None),
        };
        let is_sec_name = match &stripped.kind {
            ExprKind::Name { name, .. } => matches!(self.lookup(name), Some(Slot::Section(_))),
            _ => true,
        };
        if !is_sec_name {
            return Ok(None);
        }
        let Some(sec) = self.section_of(&stripped)? else {
            return Ok(None);
        };
        let x = match x {
            Some(x) => self.eval_num(x)?,
            None => default,
        };
        Ok(Some((sec, x)))
    }

    fn connect(&mut self, child: &Expr, parent: &Expr) -> R<()> {
        let Some((c, cx)) = self.located_section(child, 0.0)? else {
            return fault("connect: the first argument must be a section, as in dend(0)");
        };
        let (p, px) = match self.located_section(parent, 1.0)? {
            Some(v) => v,
            None => {
                let x = self.eval_num(parent)?;
                (self.current_section()?, x)
            }
        };
        if !(0.0..=1.0).contains(&cx) || !(0.0..=1.0).contains(&px) {
            return fault("connect: locations must be in [0, 1]");
        }
        self.sim.connect(c, cx, p, px).or_else(fault)
    }

    fn range_interp(&mut self, target: &Expr, xy: [&Expr; 4]) -> R<()> {
        let (sec, name) = match &target.kind {
            ExprKind::Name { name, .. } => (self.current_section()?, name.clone()),
            ExprKind::Member { base, name, .. } => (self.require_section(base)?, name.clone()),
            _ => return fault("expected rangevar(x0:x1) = y0:y1"),
        };
        let mut v = [0.0; 4];
        for (k, e) in xy.iter().enumerate() {
            v[k] = self.eval_num(e)?;
        }
        let [x0, x1, y0, y1] = v;
        for x in self.sim.segment_centers(sec) {
            if x >= x0 - 1e-11 && x <= x1 + 1e-11 {
                let frac = if x1 == x0 { 0.0 } else { (x - x0) / (x1 - x0) };
                let y = y0 + (y1 - y0) * frac;
                self.sim.set_range(sec, &name, Some(x), y).or_else(fault)?;
            }
        }
        Ok(())
    }

    /// `for (x)`: 0, every segment centre, 1; `for (x, 0)`: centres only.
    fn for_segments(&mut self, var: &Expr, ends: &Option<Expr>, body: &Stmt) -> R<Flow> {
        let sec = self.current_section()?;
        let centers = self.sim.segment_centers(sec);
        let with_ends = match ends {
            Some(e) => self.eval_num(e)? != 0.0,
            None => true,
        };
        let mut xs = Vec::new();
        if with_ends {
            xs.push(0.0);
        }
        xs.extend(centers);
        if with_ends {
            xs.push(1.0);
        }
        let place = self.place_of(var, true)?;
        for x in xs {
            self.write_place(&place, Value::Num(x))?;
            match self.exec(body)? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn over_sections(&mut self, secs: &[SecId], body: &Stmt) -> R<Flow> {
        for s in secs {
            match self.with_section(*s, body)? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// `forsec "regex"` or `forsec sectionlist`.
    fn sections_matching(&mut self, target: &Expr) -> R<Vec<SecId>> {
        match self.eval(target)? {
            Value::Str(pat) => {
                let prefix = self.object_prefix();
                let all = self.visible_sections();
                Ok(all
                    .into_iter()
                    .filter(|s| {
                        let name = self.sim.section_name(*s);
                        let rest = name.get(prefix.len()..).unwrap_or("");
                        crate::builtins::regex_match(&pat, rest)
                    })
                    .collect())
            }
            Value::Obj(Some(o)) => {
                let list = match &*o.data.borrow() {
                    ObjData::SectionList(l) => l.clone(),
                    _ => return fault(format!("forsec needs a string or a SectionList, not {o}")),
                };
                // Deleted sections drop out of lists, as in NEURON.
                self.sweep_sections();
                let live: std::collections::HashSet<SecId> =
                    self.sim.sections().into_iter().collect();
                Ok(list.into_iter().filter(|s| live.contains(s)).collect())
            }
            v => fault(format!(
                "forsec needs a string or a SectionList, not {}",
                v.type_name()
            )),
        }
    }
}
