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
