//! Fuzzing the front end: no input may panic the lexer, the parser or the printer.
//!
//! Seeds are the fixtures under `data/ok/` (plus every `.mod` under
//! `$NEURITE_CORPUS_DIR` when set); each case applies a few random mutations
//! (truncation, byte changes, deleted brackets, duplicated or moved slices, inserted
//! keywords) and runs lex → parse → print → parse; a mutant that still parses without
//! diagnostics must also round-trip through the printer. 2000 cases by default; set
//! `PROPTEST_CASES` for more.

mod common;

use neurite_nmodl::lexer::lex;
use neurite_nmodl::parser::parse;
use neurite_nmodl::printer::print;
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")];
        if let Some(d) = std::env::var_os("NEURITE_CORPUS_DIR") {
            dirs.push(d.into());
        }
        let files: Vec<Vec<u8>> = dirs
            .iter()
            .flat_map(|d| common::mod_files(d))
            .filter_map(|p| std::fs::read(p).ok())
            .collect();
        assert!(!files.is_empty(), "no seed files");
        files
    })
}

/// Bytes that matter to the lexer and parser.
const INTERESTING: &[u8] = b"{}()[]<>:?~'\"=-+*/^!&|,\n\r\t 0.e_aZ\xc3\xb5";

const KEYWORDS: &[&str] = &[
    "NEURON",
    "PARAMETER",
    "STATE",
    "VERBATIM",
    "ENDVERBATIM",
    "COMMENT",
    "ENDCOMMENT",
    "TITLE",
    "KINETIC",
    "~",
    "<->",
    "FROM",
    "TO",
    "if",
    "else",
    "SOLVE",
    "TABLE",
    "WATCH",
    "(mV)",
    "REPRESENTS",
    "NET_RECEIVE",
    "INITIAL",
    "UNITS",
    "LOCAL",
    "m'",
];

#[derive(Clone, Debug)]
enum Mutation {
    Truncate(usize),
    SetByte(usize, u8),
    DeleteBracket(usize),
    Duplicate(usize, usize, usize),
    Delete(usize, usize),
    InsertKeyword(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = any::<usize>();
    prop_oneof![
        n.prop_map(Mutation::Truncate),
        (n, any::<u8>(), any::<bool>()).prop_map(|(a, b, raw)| {
            let byte = if raw {
                b
            } else {
                INTERESTING[b as usize % INTERESTING.len()]
            };
            Mutation::SetByte(a, byte)
        }),
        n.prop_map(Mutation::DeleteBracket),
        (n, n, n).prop_map(|(a, b, c)| Mutation::Duplicate(a, b, c)),
        (n, 0usize..40).prop_map(|(a, b)| Mutation::Delete(a, b)),
        (n, n).prop_map(|(a, b)| Mutation::InsertKeyword(a, b)),
    ]
}

fn apply(text: &mut Vec<u8>, m: &Mutation) {
    let len = text.len().max(1);
    match *m {
        Mutation::Truncate(a) => text.truncate(a % len),
        Mutation::SetByte(a, b) => {
            if let Some(x) = text.get_mut(a % len) {
                *x = b;
            }
        }
        Mutation::DeleteBracket(a) => {
            let at: Vec<usize> = (0..text.len())
                .filter(|&i| b"{}()".contains(&text[i]))
                .collect();
            if !at.is_empty() {
                text.remove(at[a % at.len()]);
            }
        }
        Mutation::Duplicate(a, b, c) => {
            let start = a % len;
            let end = (start + b % 200).min(text.len());
            let slice = text.get(start..end).unwrap_or(&[]).to_vec();
            let at = (c % len).min(text.len());
            text.splice(at..at, slice);
        }
        Mutation::Delete(a, n) => {
            let start = (a % len).min(text.len());
            let end = (start + n).min(text.len());
            text.drain(start..end);
        }
        Mutation::InsertKeyword(a, k) => {
            let at = (a % len).min(text.len());
            let word = format!(" {} ", KEYWORDS[k % KEYWORDS.len()]);
            text.splice(at..at, word.into_bytes());
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_mod_files_never_panic(seed in any::<usize>(), muts in prop::collection::vec(mutation(), 1..5)) {
        let seeds = seeds();
        let mut text = seeds[seed % seeds.len()].clone();
        for m in &muts {
            apply(&mut text, m);
        }
        let text = String::from_utf8_lossy(&text);
        let _ = lex(&text);
        let parsed = parse(&text);
        let printed = print(&parsed.program);
        let _ = parse(&printed);
        if parsed.diagnostics.is_empty() {
            // Whatever still parses cleanly must also survive the printer.
            if let Err(e) = common::check_round_trip(&text) {
                panic!("{e}\n--- input ---\n{text}");
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let parsed = parse(&text);
        let _ = parse(&print(&parsed.program));
    }
}
