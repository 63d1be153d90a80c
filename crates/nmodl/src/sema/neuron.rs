//! The NEURON block: the mechanism's name and kind, RANGE/GLOBAL lists, pointers,
//! ions and currents. Checks what nocmodl checks there: valid ion variable names,
//! an ion named in two USEION statements.

use super::model::{Current, CurrentKind, IonUse, IonVar, IonVarKind, MechanismKind};
use crate::ast::{self, Ident, NeuronStmt};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// What the NEURON block declares.
#[derive(Debug, Default)]
pub(super) struct NeuronDecls {
    pub name: Option<String>,
    pub kind_word: KindWord,
    pub range: Vec<Ident>,
    pub global: Vec<Ident>,
    /// POINTER (`false`) and BBCOREPOINTER (`true`) names.
    pub pointers: Vec<(Ident, bool)>,
    pub externals: Vec<Ident>,
    pub randoms: Vec<Ident>,
    pub ions: Vec<IonUse>,
    pub currents: Vec<Current>,
    pub threadsafe: bool,
    pub has_block: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum KindWord {
    #[default]
    Suffix,
    PointProcess,
    ArtificialCell,
}

impl NeuronDecls {
    /// `SUFFIX nothing`: a library of functions, no mechanism (nocmodl).
    pub fn is_library(&self) -> bool {
        self.kind_word == KindWord::Suffix && self.name.as_deref() == Some("nothing")
    }

    pub fn kind(&self, name: &str) -> MechanismKind {
        match self.kind_word {
            KindWord::Suffix => MechanismKind::Density {
                suffix: self.name.clone().unwrap_or_else(|| name.to_string()),
            },
            KindWord::PointProcess => MechanismKind::PointProcess,
            KindWord::ArtificialCell => MechanismKind::ArtificialCell,
        }
    }

    pub fn is_point(&self) -> bool {
        self.kind_word != KindWord::Suffix
    }

    pub fn in_range(&self, name: &str) -> bool {
        self.range.iter().any(|i| i.name == name)
    }

    pub fn in_global(&self, name: &str) -> bool {
        self.global.iter().any(|i| i.name == name)
    }
}

pub(super) fn analyze(program: &ast::Program, diags: &mut Vec<Diagnostic>) -> NeuronDecls {
    let mut decls = NeuronDecls::default();
    for item in &program.items {
        if let ast::Item::Neuron(block) = item {
            decls.has_block = true;
            for stmt in &block.stmts {
                statement(&mut decls, stmt, diags);
            }
        }
    }
    for ion in &mut decls.ions {
        add_implicit_reads(ion);
    }
    decls
}

fn statement(d: &mut NeuronDecls, stmt: &NeuronStmt, diags: &mut Vec<Diagnostic>) {
    match stmt {
        NeuronStmt::Suffix { name, .. } => set_name(d, name, KindWord::Suffix, diags),
        NeuronStmt::PointProcess { name, .. } => set_name(d, name, KindWord::PointProcess, diags),
        NeuronStmt::ArtificialCell { name, .. } => {
            set_name(d, name, KindWord::ArtificialCell, diags)
        }
        NeuronStmt::UseIon(use_ion) => use_ion_stmt(d, use_ion, diags),
        NeuronStmt::NonspecificCurrent { names, .. } => {
            add_currents(d, names, CurrentKind::Nonspecific)
        }
        NeuronStmt::ElectrodeCurrent { names, .. } => {
            add_currents(d, names, CurrentKind::Electrode)
        }
        NeuronStmt::Range { names, .. } => d.range.extend(names.iter().cloned()),
        NeuronStmt::Global { names, .. } => d.global.extend(names.iter().cloned()),
        NeuronStmt::Pointer { names, .. } => {
            d.pointers.extend(names.iter().map(|n| (n.clone(), false)))
        }
        NeuronStmt::BbcorePointer { names, .. } => {
            d.pointers.extend(names.iter().map(|n| (n.clone(), true)))
        }
        NeuronStmt::External { names, .. } => d.externals.extend(names.iter().cloned()),
        NeuronStmt::ThreadSafe { .. } => d.threadsafe = true,
        NeuronStmt::Random { names, .. } => d.randoms.extend(names.iter().cloned()),
        NeuronStmt::Represents { .. } | NeuronStmt::Verbatim(_) => {}
    }
}

fn set_name(d: &mut NeuronDecls, name: &Ident, kind: KindWord, diags: &mut Vec<Diagnostic>) {
    if let Some(old) = &d.name {
        diags.push(
            Diagnostic::warning(
                name.span,
                format!(
                    "the mechanism is already named `{old}`; `{}` wins",
                    name.name
                ),
            )
            .with_help("a file defines one mechanism: keep one SUFFIX or POINT_PROCESS"),
        );
    }
    d.name = Some(name.name.clone());
    d.kind_word = kind;
}

fn add_currents(d: &mut NeuronDecls, names: &[Ident], kind: CurrentKind) {
    for name in names {
        d.currents.push(Current {
            name: name.name.clone(),
            kind: kind.clone(),
            span: name.span,
        });
    }
}

fn use_ion_stmt(d: &mut NeuronDecls, u: &ast::UseIon, diags: &mut Vec<Diagnostic>) {
    let ion = u.ion.name.as_str();
    if let Some(first) = d.ions.iter().find(|i| i.ion == ion) {
        diags.push(
            Diagnostic::error(
                u.ion.span,
                format!("ion `{ion}` is named in two USEION statements"),
            )
            .with_label(first.span, "first USEION here")
            .with_help("NEURON does not merge USEION statements: list READ and WRITE in one"),
        );
        return;
    }
    let reads = ion_vars(ion, &u.read, diags);
    let writes = ion_vars(ion, &u.write, diags);
    for w in &writes {
        if w.kind == IonVarKind::Current {
            d.currents.push(Current {
                name: w.name.clone(),
                kind: CurrentKind::Ion {
                    ion: ion.to_string(),
                },
                span: w.span,
            });
        }
    }
    d.ions.push(IonUse {
        ion: ion.to_string(),
        reads,
        writes,
        valence: u.valence.as_ref().map(|n| n.value),
        span: u.span,
    });
}

fn ion_vars(ion: &str, names: &[Ident], diags: &mut Vec<Diagnostic>) -> Vec<IonVar> {
    let kinds = [
        IonVarKind::Current,
        IonVarKind::Reversal,
        IonVarKind::Inside,
        IonVarKind::Outside,
    ];
    let mut out = Vec::new();
    for name in names {
        match kinds.iter().find(|k| k.name_for(ion) == name.name) {
            Some(&kind) => out.push(IonVar {
                name: name.name.clone(),
                kind,
                span: name.span,
                implicit: false,
            }),
            None => diags.push(
                Diagnostic::error(
                    name.span,
                    format!("`{}` is not a variable of ion `{ion}`", name.name),
                )
                .with_help(format!(
                    "the variables of `{ion}` are `i{ion}`, `e{ion}`, `{ion}i` and `{ion}o`"
                )),
            ),
        }
    }
    out
}

/// NEURON reads the other concentration when a mechanism names only one of `nai`,
/// `nao` (nocmodl's `check_sufficient_ion_read_statements`).
fn add_implicit_reads(ion: &mut IonUse) {
    let has = |k: IonVarKind| ion.reads.iter().chain(&ion.writes).any(|v| v.kind == k);
    let missing = match (has(IonVarKind::Inside), has(IonVarKind::Outside)) {
        (true, false) => IonVarKind::Outside,
        (false, true) => IonVarKind::Inside,
        _ => return,
    };
    let name = missing.name_for(&ion.ion);
    ion.reads.push(IonVar {
        name,
        kind: missing,
        span: Span::default(),
        implicit: true,
    });
}
