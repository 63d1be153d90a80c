//! The printer is a fixed point of parse → print on the test scripts.

use neurite_hoc::{parse, printer::print_program};

#[test]
fn scripts_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut n = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "hoc") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let once = print_program(&parse(&text).program);
        let again = parse(&once);
        assert!(
            again.errors.is_empty(),
            "{}: {:?}\n{once}",
            p.display(),
            again.errors
        );
        assert_eq!(once, print_program(&again.program), "{}", p.display());
        n += 1;
    }
    assert!(n > 0);
}
