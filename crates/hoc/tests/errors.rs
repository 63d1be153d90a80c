//! Error messages: a syntax error names file, line, column and what was
//! expected; a run-time error names file, line, the object and function, and
//! what failed. Nothing here may panic.

use neurite_hoc::{CapturedOutput, Interpreter, MemorySim};

fn run(code: &str) -> (String, String) {
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(MemorySim::new()), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    let err = it
        .execute_str(code, "test.hoc")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    (out.text(), err)
}

#[test]
fn syntax_error_says_where_and_what() {
    let (out, err) = run("print 1\nx = (2 + \n");
    assert_eq!(out, "1 \n", "statements before the error run");
    assert!(err.starts_with("test.hoc:2:"), "{err}");
    assert!(err.contains("expected"), "{err}");
}

#[test]
fn undefined_variable() {
    let (_, err) = run("x = 1\ny = x + nope\n");
    assert_eq!(err, "test.hoc:2:1: undefined variable nope");
}

#[test]
fn vector_index_out_of_range_names_object_and_function() {
    let code = "begintemplate A\npublic f\nobjref v\nproc init() { v = new Vector(3) }\n\
                proc f() {\n  print v.x[5]\n}\nendtemplate A\nobjref a\na = new A()\na.f()\n";
    let (_, err) = run(code);
    assert!(err.starts_with("test.hoc:6:"), "{err}");
    assert!(err.contains("index 5 out of range 0..2"), "{err}");
    assert!(err.contains("A[0].f"), "{err}");
}

#[test]
fn wrong_argument_type() {
    let (_, err) = run("func f() { return $1 }\nx = f(\"s\")\n");
    assert!(err.contains("argument 1 should be a number"), "{err}");
}

#[test]
fn runaway_recursion_is_an_error() {
    let (_, err) = run("func f() { return f($1 + 1) }\nx = f(0)\n");
    assert!(err.contains("nested too deeply"), "{err}");
}

#[test]
fn nil_member_and_private_member() {
    let (_, err) = run("objref o\nx = o.size()\n");
    assert!(err.contains("nil object"), "{err}");
    let (_, err) = run("begintemplate B\nx = 1\nendtemplate B\nobjref b\nb = new B()\nprint b.x\n");
    assert!(err.contains("not a public member"), "{err}");
}

#[test]
fn section_access_without_sections() {
    let (_, err) = run("insert hh\n");
    assert!(err.contains("Section access unspecified"), "{err}");
}

#[test]
fn execute1_reports_and_continues() {
    let (out, err) = run("print execute1(\"x = 1/0\")\nprint \"after\"\n");
    assert_eq!(err, "");
    assert_eq!(out, "0 \nafter\n");
}

#[test]
fn netcon_event_is_refused_rather_than_ignored() {
    // the bookkeeping simulator delivers no events: it says so
    let (_, err) = run("objref nc, nil\nnc = new NetCon(nil, nil)\nnc.event(1)\n");
    assert!(err.starts_with("test.hoc:3:"), "{err}");
    assert!(err.contains("NetCon.event is not supported"), "{err}");
}

#[test]
fn one_statement_per_top_level_line_as_nrniv() {
    for code in [
        "a = 1  b = 2\n",
        "a = 1; b = 2\n",
        "a = 1;\n",
        "if (1) { a = 3 } b = 4\n",
    ] {
        let (out, err) = run(&format!("print 0\n{code}print 9\n"));
        assert_eq!(out, "0 \n", "{code}: nothing of the line runs");
        assert!(err.starts_with("test.hoc:2:"), "{code}: {err}");
        assert!(err.contains("syntax error"), "{code}: {err}");
    }
    // inside braces, and an `else` on the same line, are fine
    let (out, err) = run("{ a = 1  b = 2 }\nif (a) c = 3 else c = 4\nprint a, b, c\n");
    assert_eq!(err, "");
    assert_eq!(out, "1 2 3 \n");
}

#[test]
fn stdrun_procedures_need_stdrun_hoc() {
    let (_, err) = run("create soma\ntstop = 1\nrun()\n");
    assert!(err.starts_with("test.hoc:3:"), "{err}");
    assert!(err.contains("run undefined function"), "{err}");
    let (out, err) = run("load_file(\"stdrun.hoc\")\ncreate soma\ntstop = 1\nrun()\nprint t\n");
    assert_eq!(err, "");
    assert!(out.ends_with("1 \n"), "{out}");
}
