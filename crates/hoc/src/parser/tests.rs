//! Parser unit tests: statement shapes HOC's grammar allows.

use super::parse;
use crate::ast::{ExprKind, StmtKind};

fn ok(src: &str) -> Vec<StmtKind> {
    let p = parse(src);
    assert!(p.errors.is_empty(), "{src:?}: {:?}", p.errors);
    p.program.stmts.into_iter().map(|s| s.kind).collect()
}

#[test]
fn section_scope_and_range_interp() {
    let s = ok("soma { insert hh nseg = 5 }\ndend[2] diam(0:1) = 2:1\n");
    assert!(matches!(s[0], StmtKind::SecScope { .. }));
    match &s[1] {
        StmtKind::SecScope { body, .. } => {
            assert!(matches!(body.kind, StmtKind::RangeInterp { .. }))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn for_forms() {
    let s = ok("for i=0,3 print i\nfor (i=0;i<3;i+=1) {}\nfor (x) v(x)=1\nfor (x,0) {}\nfor sl.iter() {}\n");
    assert!(matches!(s[0], StmtKind::ForRange { .. }));
    assert!(matches!(s[1], StmtKind::ForC { .. }));
    assert!(matches!(s[2], StmtKind::ForSeg { ends: None, .. }));
    assert!(matches!(s[3], StmtKind::ForSeg { ends: Some(_), .. }));
    assert!(matches!(s[4], StmtKind::ForIter { .. }));
}

#[test]
fn precedence() {
    let s = ok("x = -2^2 + 3*4 > 1 && !y\n");
    let StmtKind::Expr { expr, print_value } = &s[0] else {
        panic!()
    };
    assert!(!print_value);
    assert!(matches!(expr.kind, ExprKind::Assign { .. }));
}

#[test]
fn template_with_functions() {
    let s = ok(
        "begintemplate A\npublic f\nproc init() { x = $1 }\nfunc f() { return x }\nendtemplate A\n",
    );
    assert!(matches!(s[0], StmtKind::Template(_)));
}

#[test]
fn errors_are_reported_and_recovered() {
    let p = parse("x = (1 + \ny = 2\nproc a() {\n z = * 3\n}\nw = 1\n");
    assert!(!p.errors.is_empty());
    assert!(p.errors[0].message.contains("expected"));
}
