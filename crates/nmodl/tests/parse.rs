//! Parser fixtures: every `data/ok/*.mod` parses without diagnostics, round-trips
//! through the printer and matches its tree snapshot; every `data/err/*.mod` gives
//! exactly the diagnostics stored beside it in `<name>.expected`.
//! Run with `UPDATE_EXPECT=1` to rewrite the `.expected` files after a deliberate change.

mod common;

use neurite_nmodl::ast::{Expr, Item, Stmt};
use neurite_nmodl::parser::parse;
use neurite_nmodl::span::SourceFile;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn data(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir);
    common::mod_files(&root)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The tree without spans, with names, numbers and units shortened to their text.
fn compact(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let keys: Vec<&str> = map.keys().map(String::as_str).collect();
            match keys.as_slice() {
                ["name"] => map["name"].clone(),
                ["text", "value"] => map["text"].clone(),
                ["text"] => map["text"].clone(),
                _ => Value::Object(map.into_iter().map(|(k, v)| (k, compact(v))).collect()),
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

#[test]
fn ok_fixtures_parse_round_trip_and_match_snapshots() {
    let files = data("ok");
    assert!(files.len() >= 4, "fixtures missing");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("fixture is readable");
        if let Err(e) = common::check_round_trip(&text) {
            panic!("{}: {e}", path.display());
        }
        let tree = compact(common::without_spans(&parse(&text).program));
        let dump = serde_json::to_string_pretty(&tree).expect("json");
        insta::assert_snapshot!(format!("ok_{}", stem(&path)), dump);
    }
}

fn render_all(path: &Path, text: &str) -> String {
    let name = format!(
        "err/{}",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let file = SourceFile::new(name, text);
    let parsed = parse(text);
    parsed.diagnostics.iter().map(|d| d.render(&file)).collect()
}

#[test]
fn err_fixtures_give_the_expected_diagnostics() {
    let files = data("err");
    assert!(files.len() >= 6, "fixtures missing");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut mismatches = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("fixture is readable");
        let got = render_all(&path, &text);
        assert!(!got.is_empty(), "{}: no diagnostics", path.display());
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).expect("write .expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            mismatches.push(format!("{}:\n{got}", path.display()));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The expression assigned by the first statement of the first BREAKPOINT, with every
/// operation in parentheses, to check precedence and associativity.
fn grouping(expr_text: &str) -> String {
    let text = format!("BREAKPOINT {{ x = {expr_text} }}");
    let parsed = parse(&text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    match &parsed.program.items[0] {
        Item::Breakpoint(b) => match &b.stmts[0] {
            Stmt::Assign { rhs, .. } => full_parens(rhs),
            s => panic!("not an assignment: {s:?}"),
        },
        i => panic!("not BREAKPOINT: {i:?}"),
    }
}

fn full_parens(e: &Expr) -> String {
    match e {
        Expr::Binary { op, lhs, rhs, .. } => {
            format!(
                "({} {} {})",
                full_parens(lhs),
                op.as_str(),
                full_parens(rhs)
            )
        }
        Expr::Unary { op, operand, .. } => {
            let o = if *op == neurite_nmodl::ast::UnOp::Neg {
                "-"
            } else {
                "!"
            };
            format!("({o}{})", full_parens(operand))
        }
        Expr::Paren { inner, .. } => full_parens(inner),
        other => neurite_nmodl::printer::print_expr(other),
    }
}

#[test]
fn precedence_follows_neuron() {
    assert_eq!(grouping("-x^2"), "(-(x ^ 2))");
    assert_eq!(grouping("2^-3^2"), "(2 ^ (-(3 ^ 2)))");
    assert_eq!(grouping("a^b^c"), "(a ^ (b ^ c))");
    assert_eq!(grouping("-a*b"), "((-a) * b)");
    assert_eq!(grouping("a - b - c"), "((a - b) - c)");
    assert_eq!(grouping("a / b * c"), "((a / b) * c)");
    assert_eq!(grouping("a + b * c"), "(a + (b * c))");
    assert_eq!(grouping("a < b == c"), "((a < b) == c)");
    assert_eq!(grouping("!a && b || c"), "(((!a) && b) || c)");
    assert_eq!(
        grouping("a || b && c > d + 1"),
        "(a || (b && (c > (d + 1))))"
    );
    assert_eq!(grouping("2 (mV) * f(1, y[2])"), "(2 (mV) * f(1, y[2]))");
}

#[test]
fn units_keep_their_source_text() {
    let p = parse("PARAMETER { k = 1 (mM-1 ms-1) R = 8.3 ( k-mole ) }");
    let Item::Parameter(b) = &p.program.items[0] else {
        panic!("not PARAMETER");
    };
    let units: Vec<&str> = b
        .decls
        .iter()
        .filter_map(|d| d.units.as_ref().map(|u| u.text.as_str()))
        .collect();
    assert_eq!(units, ["mM-1 ms-1", " k-mole "]);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let cases = [
        ("(", ")"),
        ("-", ""),
        ("{", "}"),
        ("x^", ""),
        ("if (1) {} else ", ""),
    ];
    for (open, close) in cases {
        let body = format!("{}x{}", open.repeat(100_000), close.repeat(100_000));
        let text = if open == "{" || open.starts_with("if") {
            format!("INITIAL {{ {body} }}")
        } else {
            format!("INITIAL {{ y = {body} }}")
        };
        let p = parse(&text);
        assert!(
            p.diagnostics.iter().any(|d| d.message.contains("too deep")),
            "{open}: {:?}",
            p.diagnostics.first()
        );
    }
}

#[test]
fn every_error_is_reported_after_recovery() {
    let text = "NEURON { SUFFIX }\nPARAMETER { a = }\nBREAKPOINT { x = 1 + }\nINITIAL { y = 2 }\n";
    let p = parse(text);
    assert_eq!(p.diagnostics.len(), 3, "{:?}", p.diagnostics);
    assert!(matches!(p.program.items.last(), Some(Item::Initial(_))));
}

#[test]
fn derivative_of_an_array_element_keeps_its_index() {
    let p = parse("DERIVATIVE d { FROM i = 0 TO 1 { w'[i] = -w[i] } }");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let printed = neurite_nmodl::printer::print(&p.program);
    assert!(printed.contains("w'[i] = -w[i]"), "{printed}");
    assert!(common::check_round_trip(&printed).is_ok());
}

#[test]
fn conserve_accepts_reaction_coefficients() {
    let p = parse("KINETIC k { CONSERVE 2 A + B[1] = 1 }");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let printed = neurite_nmodl::printer::print(&p.program);
    assert!(printed.contains("CONSERVE 2 * A + B[1] = 1"), "{printed}");
    assert!(common::check_round_trip(&printed).is_ok());
}

#[test]
fn span_check_notices_a_wrong_span() {
    let p = parse("NEURON { SUFFIX abc RANGE g }\nUNITS { (mV) = (millivolt) }");
    assert!(common::check_spans(
        "NEURON { SUFFIX abc RANGE g }\nUNITS { (mV) = (millivolt) }",
        &p.program
    )
    .is_ok());
    assert!(common::check_spans(
        "NEURON { SUFFIX abd RANGE g }\nUNITS { (mV) = (millivolt) }",
        &p.program
    )
    .is_err());
    assert!(common::check_spans(
        "NEURON { SUFFIX abc RANGE g }\nUNITS { (mV) = (millivolT) }",
        &p.program
    )
    .is_err());
}

#[test]
fn rare_statements_round_trip() {
    let text = "BREAKPOINT {\n    SOLVE x IFERROR { RESET }\n    RESET\n}\n\
                KINETIC k {\n    ~ A -> B (kf)\n    ~ A -> (kf)\n    ~ ca << (f)\n}\n";
    let p = parse(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let printed = neurite_nmodl::printer::print(&p.program);
    for line in [
        "SOLVE x IFERROR {",
        "RESET",
        "~ A -> B (kf)",
        "~ A -> (kf)",
        "~ ca << (f)",
    ] {
        assert!(printed.contains(line), "{line} missing from\n{printed}");
    }
    assert!(common::check_round_trip(text).is_ok());
}

#[test]
fn seldom_used_blocks_round_trip() {
    let text = "NEURON { SUFFIX s THREADSAFE a, b }\n\
                DISCRETE d { x = x + 1 }\n\
                PARTIAL p { y = 1 }\n\
                BEFORE INITIAL { z = 0 }\n\
                AFTER STEP { z = 1 }\n\
                DEFINE NEG -3\n\
                INCLUDE \"other.inc\"\n";
    let p = parse(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.program.items.len(), 7);
    assert!(common::check_round_trip(text).is_ok());
}
