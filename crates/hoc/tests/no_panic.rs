//! Fuzzing the front end: no input, however mangled, panics the lexer or the
//! parser (a panic would be a bug in Neurite, never the user's fault).

use proptest::prelude::*;

const SEED: &str = r#"begintemplate Cell
public soma, f
create soma[2]
objref v, l
proc init() { local i
  for i = 0, 1 soma[i] { nseg = 3 insert hh diam(0:1) = 2:1 }
  v = new Vector($1) l = new List()
  for (i=0; i<3; i+=1) if (i%2 == 0 && !x) { print i^2 } else continue
}
func f() { return $1 * $o2.x[0] + $&3[1] }
endtemplate Cell
strdef s
sprint(s, "%d %s\n", 3, "a")
connect soma[1](0), soma[0](1)
forall { forsec "soma" ifsec "dend" {} }
"#;

proptest! {
    #[test]
    fn mutated_hoc_never_panics(cut in 0usize..600, len in 0usize..40, ins in "[ -~\n]{0,12}") {
        let mut text: Vec<char> = SEED.chars().collect();
        let a = cut.min(text.len());
        let b = (a + len).min(text.len());
        text.splice(a..b, ins.chars());
        let text: String = text.into_iter().collect();
        let _ = neurite_hoc::parse(&text);
    }

    #[test]
    fn random_bytes_never_panic(s in "\\PC{0,200}") {
        let _ = neurite_hoc::parse(&s);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    let p = neurite_hoc::parse(&text);
    assert!(!p.errors.is_empty());
    let text = format!("{}\n", "-".repeat(5000));
    let _ = neurite_hoc::parse(&text);
    let text = format!("{}x=1{}\n", "{".repeat(5000), "}".repeat(5000));
    let _ = neurite_hoc::parse(&text);
}

const RUN_SEED: &str = r#"objref v, l, f, s, r, m
v = new Vector(5)
v.indgen().add(1)
l = new List()
l.append(v)
strdef str
sprint(str, "%d %g %s", v.size(), v.sum(), "x")
s = new StringFunctions()
x = s.len(str) + v.x[2] * 3 % 2 ^ 2
create soma, dend[2]
connect dend[0](0), soma(1)
soma { nseg = 3 diam(0:1) = 2:1 insert hh }
forall for (x) print secname(), x
r = new Random(3)
y = r.uniform(0, 1) + l.o(0).x[1]
m = new Matrix(2, 2)
m.x[1][1] = y
func g() { if ($1 > 0) return g($1 - 1) + 1 else return 0 }
print g(3), execute1("z = 1/0"), strcmp(str, "a")
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn mutated_hoc_never_panics_the_interpreter(cut in 0usize..700, len in 0usize..30, ins in "[ -~\n]{0,10}") {
        let mut text: Vec<char> = RUN_SEED.chars().collect();
        let a = cut.min(text.len());
        let b = (a + len).min(text.len());
        text.splice(a..b, ins.chars());
        let text: String = text.into_iter().collect();
        let sim = neurite_hoc::MemorySim::new();
        let out = neurite_hoc::CapturedOutput::new();
        let mut it = neurite_hoc::Interpreter::with_output(Box::new(sim), Box::new(out));
        it.set_error_output(Box::new(std::io::sink()));
        it.set_step_limit(Some(20_000));
        let _ = it.execute_str(&text, "fuzz.hoc");
    }
}

proptest! {
    /// Any tree (or forest, or garbage) of SWC points gives HOC that parses.
    #[test]
    fn native_import3d_never_panics(
        rows in proptest::collection::vec((1i64..6, -5.0f64..5.0, -5.0f64..5.0, 0.0f64..3.0, 0usize..40), 0..40),
        junk in "[ -~\n]{0,20}",
    ) {
        let mut text = String::from("# test\n");
        for (i, (ty, x, y, r, p)) in rows.iter().enumerate() {
            let parent = if *p > i || *p == 0 { -1 } else { *p as i64 };
            text.push_str(&format!("{} {ty} {x} {y} 0 {r} {parent}\n", i + 1));
        }
        text.push_str(&junk);
        let hoc = neurite_hoc::builtins::import3d::swc_to_hoc(&text, false);
        prop_assert!(neurite_hoc::parse(&hoc).errors.is_empty());
        let out = neurite_hoc::CapturedOutput::new();
        let mut it = neurite_hoc::Interpreter::with_output(Box::new(neurite_hoc::MemorySim::new()), Box::new(out));
        it.set_step_limit(Some(100_000));
        let r = it.execute_str(&format!("{hoc}\ntopology()\n"), "swc.hoc");
        prop_assert!(r.is_ok(), "{:?}\n{}", r, hoc);
    }
}
