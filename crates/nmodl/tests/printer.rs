//! The printer against random expression trees: printing a tree and parsing the text
//! back gives the same tree, once the parentheses the printer had to add are removed.
//! This checks that the printer and the parser agree on every precedence and
//! associativity rule.

mod common;

use neurite_nmodl::ast::{BinOp, Expr, Ident, Item, Number, Stmt, UnOp, Units};
use neurite_nmodl::parser::parse;
use neurite_nmodl::printer::print_expr;
use neurite_nmodl::span::Span;
use proptest::prelude::*;

fn ident(name: &str) -> Ident {
    Ident {
        name: name.to_string(),
        span: Span::default(),
    }
}

fn leaf() -> impl Strategy<Value = Expr> {
    let names = prop::sample::select(vec!["a", "b", "v", "celsius"]);
    let numbers = prop::sample::select(vec!["1", "2.5", ".5", "1e-3", "0"]);
    prop_oneof![
        names.prop_map(|n| Expr::Name(ident(n))),
        (numbers, any::<bool>()).prop_map(|(t, with_units)| Expr::Number {
            value: Number {
                value: t.parse().unwrap_or(0.0),
                text: t.to_string(),
                span: Span::default(),
            },
            units: with_units.then(|| Units {
                text: "mV".into(),
                span: Span::default(),
            }),
        }),
    ]
}

const OPS: [BinOp; 13] = [
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::Div,
    BinOp::Pow,
    BinOp::Lt,
    BinOp::Le,
    BinOp::Gt,
    BinOp::Ge,
    BinOp::Eq,
    BinOp::Ne,
    BinOp::And,
    BinOp::Or,
];

fn tree() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(6, 64, 3, |inner| {
        prop_oneof![
            (0..OPS.len(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| Expr::Binary {
                op: OPS[op],
                lhs: Box::new(l),
                rhs: Box::new(r),
                span: Span::default(),
            }),
            (any::<bool>(), inner.clone()).prop_map(|(neg, e)| Expr::Unary {
                op: if neg { UnOp::Neg } else { UnOp::Not },
                operand: Box::new(e),
                span: Span::default(),
            }),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|args| Expr::Call {
                name: ident("f"),
                args,
                span: Span::default(),
            }),
            inner.prop_map(|e| Expr::Index {
                name: ident("s"),
                index: Box::new(e),
                span: Span::default(),
            }),
        ]
    })
}

/// The tree with every `Paren` node replaced by its content.
fn unparen(e: Expr) -> Expr {
    let b = |e: Box<Expr>| Box::new(unparen(*e));
    match e {
        Expr::Paren { inner, .. } => unparen(*inner),
        Expr::Binary { op, lhs, rhs, span } => Expr::Binary {
            op,
            lhs: b(lhs),
            rhs: b(rhs),
            span,
        },
        Expr::Unary { op, operand, span } => Expr::Unary {
            op,
            operand: b(operand),
            span,
        },
        Expr::Call { name, args, span } => Expr::Call {
            name,
            args: args.into_iter().map(unparen).collect(),
            span,
        },
        Expr::Index { name, index, span } => Expr::Index {
            name,
            index: b(index),
            span,
        },
        other => other,
    }
}

fn parse_rhs(text: &str) -> Result<Expr, String> {
    let p = parse(&format!("BREAKPOINT {{ x = {text} }}"));
    if let Some(d) = p.diagnostics.first() {
        return Err(d.message.clone());
    }
    match p.program.items.into_iter().next() {
        Some(Item::Breakpoint(b)) => match b.stmts.into_iter().next() {
            Some(Stmt::Assign { rhs, .. }) => Ok(rhs),
            other => Err(format!("not an assignment: {other:?}")),
        },
        other => Err(format!("not BREAKPOINT: {other:?}")),
    }
}

fn json(e: &Expr) -> serde_json::Value {
    let program = neurite_nmodl::ast::Program {
        items: vec![Item::Breakpoint(neurite_nmodl::ast::Block {
            stmts: vec![Stmt::Expr(e.clone())],
            span: Span::default(),
        })],
        span: Span::default(),
    };
    common::without_spans(&program)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn printed_expressions_parse_back_to_the_same_tree(e in tree()) {
        let text = print_expr(&e);
        let back = parse_rhs(&text).map_err(|m| TestCaseError::fail(format!("{text}: {m}")))?;
        prop_assert_eq!(json(&unparen(back)), json(&e), "printed as {}", text);
    }
}
