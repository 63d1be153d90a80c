//! BMTK biophysical post cells (`model_template` `ctdb:Biophys1.hoc`) built as bmtk's
//! bionet builds them, written as a HOC template the runner instantiates like any
//! other `post_cell`.
//!
//! bmtk's steps, reproduced: `Biophys1` — every section from the node's SWC
//! morphology through Import3d (sections named and listed by type: `soma`/`somatic`,
//! `dend`/`basal`, `apic`/`apical`, `axon`/`axonal`); with `model_processing`
//! `aibs_perisomatic` and the node's `dynamics_params` (an Allen Cell Types fit):
//! `fix_axon_peri` (the reconstructed axon deleted, two 30 µm × 1 µm `axon` sections
//! appended to `axonal` and `all`, `axon[0](0)` on `soma[0](0.5)`, `axon[1](0)` on
//! `axon[0](1)`) and `set_params_peri` (`Ra`, `cm` per section type, `pas` with
//! `e_pas` everywhere; each `genome` entry's mechanism inserted and value set on its
//! section type; `ena`/`ek` per section type); then the simulation's
//! `nseg = 1 + 2·int(L/(2·dL))` for every section when the config's `run.dL` is set.
//! `aibs_allactive` differs: the stub keeps the first and last axon diameters and
//! hangs on `soma[0](1)`, `Ra`/`cm`/`e_pas` are set only when the fit has them, a
//! `glob` section is skipped and `ek`/`ena` are set only where the ion is.
//! Section types are taken from the lists Import3d fills, which bmtk reads from the
//! section names.

use serde_json::Value;
use std::fmt::Write;
use std::path::Path;

/// bmtk's `model_processing` of a biophysical node, with its fit (`dynamics_params`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Processing<'a> {
    /// None: the morphology alone.
    None,
    /// `aibs_perisomatic`: `fix_axon_peri` and `set_params_peri`.
    Perisomatic(&'a Value),
    /// `aibs_allactive`: `fix_axon_allactive` and `set_params_allactive`.
    Allactive(&'a Value),
}

/// What a biophysical node needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Biophys1<'a> {
    /// The template's name.
    pub name: &'a str,
    pub morphology: &'a Path,
    pub processing: Processing<'a>,
    pub dl: Option<f64>,
}

/// The section list of a bmtk section type.
fn list_of(section: &str) -> Option<&'static str> {
    match section {
        "soma" => Some("somatic"),
        "dend" => Some("basal"),
        "apic" => Some("apical"),
        "axon" => Some("axonal"),
        _ => None,
    }
}

/// The template's HOC text; an error names what the fit lacks.
pub fn template(cell: &Biophys1<'_>) -> Result<String, String> {
    let swc = cell.morphology.display().to_string();
    if swc.contains('"') || swc.contains('\\') {
        return Err(format!(
            "the morphology path `{swc}` cannot be written in HOC"
        ));
    }
    let mut body = format!(
        "    all = new SectionList()\n    somatic = new SectionList()\n\
         \x20   basal = new SectionList()\n    apical = new SectionList()\n\
         \x20   axonal = new SectionList()\n    forall delete_section()\n\
         \x20   nl = new Import3d_SWC_read()\n    nl.quiet = 1\n    nl.input(\"{swc}\")\n\
         \x20   i3d = new Import3d_GUI(nl, 0)\n    i3d.instantiate(this)\n"
    );
    match cell.processing {
        Processing::None => {}
        Processing::Perisomatic(fit) => {
            body.push_str(FIX_AXON);
            body.push_str(&set_params(fit)?);
        }
        Processing::Allactive(fit) => {
            body.push_str(FIX_AXON_ALLACTIVE);
            body.push_str(&set_params_allactive(fit)?);
        }
    }
    if let Some(dl) = cell.dl.filter(|d| d.is_finite() && *d > 0.0) {
        let _ = writeln!(
            body,
            "    forall {{ nseg = 1 + 2 * int(L / (2 * {dl:e})) }}"
        );
    }
    let name = cell.name;
    Ok(format!(
        "// Written by Neurite: a bmtk biophysical node as bmtk's bionet builds it.\n\
         begintemplate {name}\n\
         public soma, dend, apic, axon, all, somatic, basal, apical, axonal\n\
         objref all, somatic, basal, apical, axonal, this\n\
         create soma[1], dend[1], apic[1], axon[1]\n\
         proc init() {{ local n, i, d0, d1 localobj nl, i3d\n{body}}}\n\
         endtemplate {name}\n"
    ))
}

/// bmtk's `fix_axon_peri`.
const FIX_AXON: &str = "    n = 0\n    forsec axonal { n += 1 }\n\
    for i = 0, n - 1 { axon[i] delete_section() }\n\
    execute(\"create axon[2]\", this)\n\
    for i = 0, 1 { axon[i] { L = 30  diam = 1  axonal.append()  all.append() } }\n\
    connect axon[0](0), soma[0](0.5)\n    connect axon[1](0), axon[0](1)\n\
    define_shape()\n";

/// bmtk's `fix_axon_allactive`: the stub keeps the first and last axon diameters and
/// hangs on `soma[0](1)`.
const FIX_AXON_ALLACTIVE: &str = "    d0 = axon[0].diam\n    d1 = d0\n\
    forsec axonal { d1 = diam }\n\
    n = 0\n    forsec axonal { n += 1 }\n\
    for i = 0, n - 1 { axon[i] delete_section() }\n\
    execute(\"create axon[2]\", this)\n\
    axon[0] { L = 30  diam = d0  axonal.append()  all.append() }\n\
    axon[1] { L = 30  diam = d1  axonal.append()  all.append() }\n\
    connect axon[0](0), soma[0](1)\n    connect axon[1](0), axon[0](1)\n\
    define_shape()\n";

/// bmtk's `set_params_allactive`: `pas` everywhere, `e_pas`, `Ra` and `cm` when
/// given, the genome (a `glob` section skipped), `ek`/`ena` where the ions are.
fn set_params_allactive(fit: &Value) -> Result<String, String> {
    let first = |key: &str| {
        fit.get(key)
            .and_then(|v| v.get(0))
            .ok_or_else(|| format!("no `{key}[0]`"))
    };
    let passive = first("passive")?;
    let mut code = String::from("    forsec all { insert pas }\n");
    if let Some(e) = passive.get("e_pas").and_then(Value::as_f64) {
        let _ = writeln!(code, "    forsec all {{ e_pas = {e:e} }}");
    }
    if let Some(ra) = passive.get("ra").and_then(Value::as_f64) {
        let _ = writeln!(code, "    forsec all {{ Ra = {ra:e} }}");
    }
    for c in passive
        .get("cm")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let cm = number(c, "cm")?;
        if let Some(list) = known_list(c) {
            let _ = writeln!(code, "    forsec {list} {{ cm = {cm:e} }}");
        }
    }
    for p in fit
        .get("genome")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if p.get("section").and_then(Value::as_str) == Some("glob") {
            continue;
        }
        let value = number(p, "value")?;
        let Some(list) = known_list(p) else { continue };
        let _ = writeln!(code, "    forsec {list} {{ {}}}", genome_entry(p, value)?);
    }
    for e in first("conditions")?
        .get("erev")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (ena, ek) = (number(e, "ena")?, number(e, "ek")?);
        if let Some(list) = known_list(e) {
            let _ = writeln!(
                code,
                "    forsec {list} {{ if (ismembrane(\"k_ion\")) {{ ek = {ek:e} }} \
                 if (ismembrane(\"na_ion\")) {{ ena = {ena:e} }} }}"
            );
        }
    }
    Ok(code)
}

/// A number, or a string holding one (allactive fits write values as strings).
fn number(v: &Value, key: &str) -> Result<f64, String> {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("no number `{key}`"))
}

/// The list of an entry's section type, None for a type the cell does not have.
fn known_list(entry: &Value) -> Option<&'static str> {
    list_of(
        entry
            .get("section")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )
}

/// `insert MECH  NAME = VALUE ` for a genome entry.
fn genome_entry(p: &Value, value: f64) -> Result<String, String> {
    let name = hoc_word(p.get("name").and_then(Value::as_str).unwrap_or_default())?;
    let mech = p
        .get("mechanism")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let insert = if mech.is_empty() {
        String::new()
    } else {
        format!("insert {}  ", hoc_word(mech)?)
    };
    Ok(format!("{insert}{name} = {value:e} "))
}

/// bmtk's `set_params_peri` over a fit's `passive`, `genome` and `conditions`.
fn set_params(fit: &Value) -> Result<String, String> {
    let first = |key: &str| {
        fit.get(key)
            .and_then(|v| v.get(0))
            .ok_or_else(|| format!("no `{key}[0]`"))
    };
    let num = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("no number `{key}`"))
    };
    let passive = first("passive")?;
    let mut code = String::new();
    let ra = num(passive, "ra")?;
    let e_pas = num(passive, "e_pas")?;
    let _ = writeln!(
        code,
        "    forsec all {{ Ra = {ra:e}  insert pas  e_pas = {e_pas:e} }}"
    );
    for c in passive
        .get("cm")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let list = section_list(c)?;
        let _ = writeln!(code, "    forsec {list} {{ cm = {:e} }}", num(c, "cm")?);
    }
    for p in fit
        .get("genome")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let list = section_list(p)?;
        let name = hoc_word(p.get("name").and_then(Value::as_str).unwrap_or_default())?;
        let mech = p
            .get("mechanism")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let insert = if mech.is_empty() {
            String::new()
        } else {
            format!("insert {}  ", hoc_word(mech)?)
        };
        let value = num(p, "value")?;
        let _ = writeln!(code, "    forsec {list} {{ {insert}{name} = {value:e} }}");
    }
    let conditions = first("conditions")?;
    for e in conditions
        .get("erev")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let list = section_list(e)?;
        let (ena, ek) = (num(e, "ena")?, num(e, "ek")?);
        let _ = writeln!(code, "    forsec {list} {{ ena = {ena:e}  ek = {ek:e} }}");
    }
    Ok(code)
}

fn section_list(entry: &Value) -> Result<&'static str, String> {
    let s = entry
        .get("section")
        .and_then(Value::as_str)
        .unwrap_or_default();
    list_of(s).ok_or_else(|| format!("section type `{s}` is none of soma, dend, apic, axon"))
}

fn hoc_word(w: &str) -> Result<&str, String> {
    let ok = w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(w)
    } else {
        Err(format!("`{w}` is not a mechanism or variable name"))
    }
}
