//! Helpers shared by the parser tests: span-insensitive tree comparison and the
//! round-trip check (parse → print → parse gives the same tree).

#![allow(dead_code)]

use neurite_nmodl::ast::Program;
use neurite_nmodl::parser::parse;
use neurite_nmodl::printer::print;
use serde_json::Value;

/// The tree as JSON with every `span` field removed.
pub fn without_spans(p: &Program) -> Value {
    let mut v = serde_json::to_value(p).expect("the syntax tree always serialises");
    strip(&mut v);
    v
}

fn strip(v: &mut Value) {
    match v {
        Value::Object(map)
            if map.len() == 2 && map.contains_key("start") && map.contains_key("end") =>
        {
            *v = Value::Null;
        }
        Value::Object(map) => {
            map.remove("span");
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// Checks that `text` parses without diagnostics and survives a print/parse round trip.
/// Returns a description of the first problem.
pub fn check_round_trip(text: &str) -> Result<(), String> {
    let first = parse(text);
    if let Some(d) = first.diagnostics.first() {
        return Err(format!("parse error at {}: {}", d.span.start, d.message));
    }
    check_spans(text, &first.program)?;
    let printed = print(&first.program);
    let second = parse(&printed);
    if let Some(d) = second.diagnostics.first() {
        return Err(format!(
            "printed text does not parse ({} at {}):\n{printed}",
            d.message, d.span.start
        ));
    }
    let (a, b) = (
        without_spans(&first.program),
        without_spans(&second.program),
    );
    if a != b {
        let at = first_difference(&a, &b, String::new());
        return Err(format!("tree changed after printing at {at}"));
    }
    Ok(())
}

/// Checks that every name in the tree has a span whose source text is the name, and
/// every unit text is the source between its span's parentheses.
pub fn check_spans(text: &str, p: &Program) -> Result<(), String> {
    let v = serde_json::to_value(p).expect("the syntax tree always serialises");
    let mut problems = Vec::new();
    walk_spans(text, &v, &mut problems);
    match problems.first() {
        Some(first) => Err(format!("{} bad spans, first: {first}", problems.len())),
        None => Ok(()),
    }
}

fn walk_spans(text: &str, v: &Value, problems: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(s)), Some(span)) = (map.get("name"), map.get("span")) {
                check_slice(text, span, s, 0, problems);
            }
            if let (Some(Value::String(s)), Some(span), None) =
                (map.get("text"), map.get("span"), map.get("value"))
            {
                if map.len() == 2
                    && text
                        .get(span_range(span))
                        .is_some_and(|t| t.starts_with('('))
                {
                    check_slice(text, span, s, 1, problems);
                }
            }
            map.values().for_each(|x| walk_spans(text, x, problems));
        }
        Value::Array(items) => items.iter().for_each(|x| walk_spans(text, x, problems)),
        _ => {}
    }
}

fn span_range(span: &Value) -> std::ops::Range<usize> {
    let get = |k: &str| span.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    get("start")..get("end")
}

/// `text[span]`, minus `trim` bytes at each end, must equal `want`.
fn check_slice(text: &str, span: &Value, want: &str, trim: usize, problems: &mut Vec<String>) {
    let r = span_range(span);
    let got = text.get(r.start + trim..r.end.saturating_sub(trim));
    if got != Some(want) {
        problems.push(format!("{r:?} is {got:?}, expected {want:?}"));
    }
}

/// Every `.mod` file under `dir`, recursively, sorted.
pub fn mod_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "mod") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The path and values of the first place where two JSON trees differ.
pub fn first_difference(a: &Value, b: &Value, path: String) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if v == w => {}
                    Some(w) => return first_difference(v, w, format!("{path}.{k}")),
                    None => return format!("{path}.{k} missing"),
                }
            }
            path
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (n, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, format!("{path}[{n}]"));
                }
            }
            path
        }
        _ => format!("{path}: {a} vs {b}"),
    }
}
