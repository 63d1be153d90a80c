//! Part of the semantic stage: what a `VERBATIM ... ENDVERBATIM` block does.
//!
//! NEURON pastes VERBATIM text into the C++ it compiles. Neurite compiles nothing, so
//! it recognises what the text is for instead of running it. [`classify`] sorts a
//! block into one of three kinds:
//!
//! - [`VerbatimKind::Trivial`]: nothing to run (comments, `#include`, prototypes,
//!   `return;`, `printf`, CoreNEURON `bbcore_read`/`bbcore_write` functions and code
//!   guarded for CoreNEURON only);
//! - [`VerbatimKind::Idiom`]: one of the few C idioms real models use, which the
//!   executable stage implements natively (event-time vectors, random streams, C
//!   control flow that NMODL statements between two VERBATIM blocks complete);
//! - [`VerbatimKind::Unsupported`]: C that would have to run and that Neurite cannot
//!   run, with the construct named so a warning can say what will not happen.
//!
//! The scan is lexical: comments and string literals are blanked, preprocessor
//! sections that only CoreNEURON compiles are dropped, and the remaining tokens are
//! read for calls, definitions and assignments. No input makes it panic.

use serde::Serialize;

/// What a VERBATIM block is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum VerbatimKind {
    /// Nothing that has to run in Neurite.
    Trivial,
    /// A recognised idiom, implemented natively by later stages.
    Idiom(Idiom),
    /// C that cannot run; `what` names the construct (e.g. "calls `install_vector_method`").
    Unsupported { what: String },
}

/// The C idioms of real mod files that Neurite implements without C.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Idiom {
    /// A hoc `Vector` of event times held in a mechanism variable (VecStim,
    /// vecevent, APCount's record vector): `vector_arg`, `vector_capacity`,
    /// `vector_vec`, `vector_resize`.
    EventVector,
    /// A Random123 stream owned by the instance: `nrnran123_*`, or ids taken from a
    /// hoc `Random` with `nrn_random_isran123`.
    Random123,
    /// A hoc `Random` object reached through a POINTER (`nrn_random_pick`,
    /// `nrn_random_arg`, `nrn_get_random`/`_p_donotuse`, `scop_random`): the
    /// `setRNG`/`urand`/`erand` wrappers of stochastic synapses, with their
    /// reference counting (`hoc_obj_ref`) and `bbsavestate` save/restore of the
    /// stream (`hoc_pgetarg`, `nrn_get_random_sequence`).
    HocRandom,
    /// A fragment of C control flow (`if (x) {`, `} else {`, `}`, `break;`) that the
    /// NMODL statements between neighbouring VERBATIM blocks complete.
    SplitControl,
    /// C functions over numbers (`static double gammln(double xx) {...}`), which
    /// the executable stage translates into internal functions of the mechanism.
    CFunctions,
}

impl Idiom {
    pub fn as_str(self) -> &'static str {
        match self {
            Idiom::EventVector => "event-time vector",
            Idiom::Random123 => "Random123 stream",
            Idiom::HocRandom => "hoc Random through a pointer",
            Idiom::SplitControl => "split C control flow",
            Idiom::CFunctions => "C functions over numbers",
        }
    }
}

/// Sorts one VERBATIM text (without the keywords) into trivial, idiom or unsupported.
pub fn classify(text: &str) -> VerbatimKind {
    classify_in(text, &|_| false)
}

/// As [`classify`], where `is_nmodl_callable` names the file's own FUNCTIONs and
/// PROCEDUREs: C that calls them (`element(_threadargs_)`) calls NMODL, not C.
pub fn classify_in(text: &str, is_nmodl_callable: &dyn Fn(&str) -> bool) -> VerbatimKind {
    let code = blank_comments_and_strings(text);
    let code = drop_inactive_preprocessor(&code);
    let tokens = tokenize(&code);
    let tokens = drop_functions(&tokens, &["bbcore_write", "bbcore_read"]);
    let facts = Facts::scan(&tokens, is_nmodl_callable);
    facts.decide()
}

/// The names of the C functions a VERBATIM text defines (`static double
/// gammln(double xx) {...}`): other blocks that call them call the file's
/// own code, not a C library.
pub fn defined_functions(text: &str) -> Vec<String> {
    let tokens = tokenize(&active_code(text));
    let mut out = Vec::new();
    for (i, tok) in tokens.iter().enumerate() {
        let Tok::Ident(name) = tok else { continue };
        if tokens.get(i + 1) != Some(&Tok::Punct("(")) || !is_declarator(&tokens, i) {
            continue;
        }
        let close = matching(&tokens, i + 1, "(", ")");
        if tokens.get(close + 1) == Some(&Tok::Punct("{")) {
            out.push(name.clone());
        }
    }
    out
}

/// The C of a VERBATIM text that NEURON compiles: comments blanked, string
/// literals emptied, preprocessor lines and CoreNEURON-only sections dropped.
pub fn active_code(text: &str) -> String {
    drop_inactive_preprocessor(&blank_comments_and_strings(text))
}

/// Replaces comments and the contents of string/char literals with spaces, so
/// the scan sees only code. Every byte keeps its offset (newlines stay), so a
/// position in the result is the same position in `text`.
fn blank_comments_and_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| {
        if c == '\n' {
            out.push('\n');
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str("  ");
                let mut prev = ' ';
                for c in chars.by_ref() {
                    blank(&mut out, c);
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                out.push(' ');
                for c in chars.by_ref() {
                    blank(&mut out, c);
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' | '\'' => {
                out.push(c);
                let mut escaped = false;
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                    if d == c && !escaped {
                        out.push(c);
                        break;
                    }
                    escaped = d == '\\' && !escaped;
                    blank(&mut out, d);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether a preprocessor condition holds when NEURON (not CoreNEURON) compiles.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cond {
    True,
    False,
    Unknown,
}

/// Evaluates the few conditions mod files use to tell NEURON from CoreNEURON.
fn eval_condition(directive: &str, rest: &str) -> Cond {
    let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let core = |name: &str| {
        matches!(
            name,
            "CORENEURON_BUILD" | "NRNBBCORE" | "defined(CORENEURON_BUILD)" | "defined(NRNBBCORE)"
        )
    };
    // NEURON 9.0.2 is at least every version a mod file tests for
    let version = |name: &str| {
        let name = name
            .strip_prefix("defined(")
            .and_then(|n| n.strip_suffix(')'))
            .unwrap_or(name);
        name.starts_with("NRN_VERSION_GTEQ")
    };
    let (negated, name) = match directive {
        "ifdef" => (false, rest.as_str()),
        "ifndef" => (true, rest.as_str()),
        _ => match rest.strip_prefix('!') {
            Some(n) => (true, n),
            None => (false, rest.as_str()),
        },
    };
    let value = if core(name) || name == "0" {
        Cond::False
    } else if version(name) || name == "1" {
        Cond::True
    } else {
        return Cond::Unknown;
    };
    match (value, negated) {
        (Cond::True, true) => Cond::False,
        (Cond::False, true) => Cond::True,
        (v, _) => v,
    }
}

/// Blanks directive lines, and the lines of sections only CoreNEURON compiles
/// (offsets are kept, as in [`blank_comments_and_strings`]).
fn drop_inactive_preprocessor(code: &str) -> String {
    preprocess_lines(code).0
}

/// A `#define` of the C NEURON compiles: `#define NAME body` or
/// `#define NAME(a, b) body`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Define {
    pub name: String,
    /// The parameters of a function-like macro.
    pub params: Option<Vec<String>>,
    pub body: String,
}

/// The `#define`s (and `#undef`s) of a VERBATIM text that NEURON compiles,
/// in order; an `#undef` is a define with no body and the name prefixed `-`.
pub fn defines(text: &str) -> Vec<Define> {
    preprocess_lines(&blank_comments_and_strings(text)).1
}

fn preprocess_lines(code: &str) -> (String, Vec<Define>) {
    // Each entry: is the current branch live?
    let mut stack: Vec<(Cond, bool)> = Vec::new();
    let mut out = String::with_capacity(code.len());
    let mut defines = Vec::new();
    let mut continued: Option<String> = None;
    for line in code.split_inclusive('\n') {
        let blank = |out: &mut String| {
            out.extend(line.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        };
        let content = line.trim_end_matches(['\n', '\r']);
        let directive = match continued.take() {
            Some(mut d) => {
                d.push(' ');
                d.push_str(content);
                Some(d)
            }
            None => content
                .trim_start()
                .strip_prefix('#')
                .map(|d| d.trim_start().to_string()),
        };
        let Some(directive) = directive else {
            if stack.iter().all(|&(_, live)| live) {
                out.push_str(line);
            } else {
                blank(&mut out);
            }
            continue;
        };
        blank(&mut out);
        if let Some(d) = directive.strip_suffix('\\') {
            continued = Some(d.to_string());
            continue;
        }
        let live = stack.iter().all(|&(_, live)| live);
        if live {
            if let Some(def) = parse_define(&directive) {
                defines.push(def);
            }
        }
        preprocess(&mut stack, &directive);
    }
    (out, defines)
}

fn parse_define(directive: &str) -> Option<Define> {
    let ident_end = |s: &str| {
        s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    if let Some(rest) = directive.strip_prefix("undef") {
        let rest = rest.trim();
        let name = &rest[..ident_end(rest)];
        return (!name.is_empty()).then(|| Define {
            name: format!("-{name}"),
            params: None,
            body: String::new(),
        });
    }
    let rest = directive.strip_prefix("define")?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let n = ident_end(rest);
    if n == 0 {
        return None;
    }
    let name = rest[..n].to_string();
    let after = &rest[n..];
    // a `(` right after the name makes a function-like macro
    if let Some(list) = after.strip_prefix('(') {
        let close = list.find(')')?;
        let params = list[..close]
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        return Some(Define {
            name,
            params: Some(params),
            body: list[close + 1..].trim().to_string(),
        });
    }
    Some(Define {
        name,
        params: None,
        body: after.trim().to_string(),
    })
}

fn preprocess(stack: &mut Vec<(Cond, bool)>, directive: &str) {
    let word: String = directive
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let rest = &directive[word.len()..];
    match word.as_str() {
        "if" | "ifdef" | "ifndef" => {
            let cond = eval_condition(&word, rest);
            stack.push((cond, cond != Cond::False));
        }
        "else" | "elif" => {
            if let Some(top) = stack.last_mut() {
                top.1 = top.0 != Cond::True;
            }
        }
        "endif" => {
            stack.pop();
        }
        _ => {}
    }
}

/// A C token: what the scan needs to tell calls, definitions and assignments apart.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Number,
    Punct(&'static str),
    Other(char),
}

const PUNCTS: [&str; 24] = [
    "::", "->", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "=", "(",
    ")", "{", "}", "[", "]", ";", "*", "&",
];

fn tokenize(code: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            toks.push(Tok::Ident(rest[..n].to_string()));
            rest = &rest[n..];
        } else if c.is_ascii_digit() {
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .unwrap_or(rest.len());
            toks.push(Tok::Number);
            rest = &rest[n..];
        } else if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            toks.push(Tok::Punct(p));
            rest = &rest[p.len()..];
        } else {
            toks.push(Tok::Other(c));
            rest = &rest[c.len_utf8()..];
        }
    }
    toks
}

/// Index of the token closing the bracket opened at `open` (or the end).
fn matching(tokens: &[Tok], open: usize, left: &str, right: &str) -> usize {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if *t == Tok::Punct(punct(left)) {
            depth += 1;
        } else if *t == Tok::Punct(punct(right)) {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i;
            }
        }
    }
    tokens.len()
}

fn punct(p: &str) -> &'static str {
    PUNCTS.iter().find(|q| **q == p).copied().unwrap_or("")
}

/// Whether the identifier at `i` (followed by `(`) is declared or defined there: it
/// is preceded, back to the start of the statement, only by type words and `*`/`&`.
fn is_declarator(tokens: &[Tok], i: usize) -> bool {
    let mut saw_type = false;
    for t in tokens[..i].iter().rev() {
        match t {
            Tok::Ident(w) if !is_statement_keyword(w) => saw_type = true,
            Tok::Punct("*" | "&" | "::") => {}
            Tok::Punct(";" | "{" | "}") => return saw_type,
            _ => return false,
        }
    }
    saw_type
}

fn is_statement_keyword(word: &str) -> bool {
    matches!(
        word,
        "return" | "else" | "case" | "do" | "if" | "while" | "for" | "new" | "delete"
    )
}

/// Removes the definitions of the named functions (CoreNEURON's data transfer hooks).
fn drop_functions(tokens: &[Tok], names: &[&str]) -> Vec<Tok> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let hook = matches!(&tokens[i], Tok::Ident(n) if names.contains(&n.as_str()))
            && tokens.get(i + 1) == Some(&Tok::Punct("("))
            && is_declarator(tokens, i);
        if hook {
            let close = matching(tokens, i + 1, "(", ")");
            if tokens.get(close + 1) == Some(&Tok::Punct("{")) {
                // Drop the return type too: back to the statement start.
                while matches!(out.last(), Some(Tok::Ident(_) | Tok::Punct("*" | "&"))) {
                    out.pop();
                }
                i = matching(tokens, close + 1, "{", "}") + 1;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// Functions whose call needs nothing from Neurite, or is part of every idiom.
fn is_neutral_call(name: &str) -> bool {
    const NEUTRAL: &[&str] = &[
        "if",
        "while",
        "for",
        "switch",
        "return",
        "sizeof",
        "printf",
        "fprintf",
        "fflush",
        "puts",
        "debug_printf",
        "hoc_obj_ref",
        "hoc_obj_unref",
        "hoc_execerror",
        "hoc_execerr_ext",
        "assert",
        "ifarg",
        "getarg",
        "hoc_is_double_arg",
        "hoc_is_object_arg",
        "exp",
        "log",
        "log10",
        "sqrt",
        "fabs",
        "pow",
        "floor",
        "ceil",
        "sin",
        "cos",
        "tan",
        "tanh",
        "fmin",
        "fmax",
        "double",
        "int",
        "uint32_t",
        "int32_t",
        "float",
        "unsigned",
        "long",
    ];
    NEUTRAL.contains(&name)
}

fn idiom_of_call(name: &str) -> Option<Idiom> {
    match name {
        "vector_arg" | "vector_capacity" | "vector_vec" | "vector_resize" | "vector_pobj"
        | "vector_buffer_size" | "vector_instance_px" | "vector_arg_px" => Some(Idiom::EventVector),
        "nrn_random_isran123" | "nrn_random123_getseq" | "nrn_random123_setseq" => {
            Some(Idiom::Random123)
        }
        n if n.starts_with("nrnran123_") => Some(Idiom::Random123),
        "nrn_random_pick"
        | "nrn_random_arg"
        | "nrn_get_random"
        | "nrn_random_reset"
        | "scop_random"
        | "random_pick"
        | "hoc_pgetarg"
        | "nrn_get_random_sequence"
        | "nrn_set_random_sequence" => Some(Idiom::HocRandom),
        _ => None,
    }
}

/// What the scan of one block found.
#[derive(Debug, Default)]
struct Facts {
    unknown_calls: Vec<String>,
    definitions: Vec<String>,
    numeric_definitions: Vec<String>,
    cxx: Vec<&'static str>,
    assigned: Vec<String>,
    idioms: Vec<Idiom>,
    pointer_vars: bool,
    random123_ids: bool,
    /// Calls the file's own FUNCTIONs or PROCEDUREs.
    nmodl_calls: Vec<String>,
    control: bool,
    brace_balance: i64,
}

impl Facts {
    fn scan(tokens: &[Tok], is_nmodl_callable: &dyn Fn(&str) -> bool) -> Facts {
        // `} else {` closes one C block and opens the next: a fragment even if balanced.
        let fragment =
            tokens.first() == Some(&Tok::Punct("}")) || tokens.last() == Some(&Tok::Punct("{"));
        let mut f = Facts {
            control: fragment,
            ..Facts::default()
        };
        for (i, tok) in tokens.iter().enumerate() {
            match tok {
                Tok::Ident(name) if is_nmodl_callable(name) => f.nmodl_calls.push(name.clone()),
                Tok::Ident(name) => f.ident(tokens, i, name),
                // `@K;`: an NMODL statement inside merged split C
                Tok::Other('@') => f.control = true,
                Tok::Punct("{") => f.brace_balance += 1,
                Tok::Punct("}") => f.brace_balance -= 1,
                Tok::Punct("=" | "+=" | "-=" | "*=" | "/=" | "++" | "--") => {
                    f.assignment(tokens, i)
                }
                _ => {}
            }
        }
        f
    }

    fn ident(&mut self, tokens: &[Tok], i: usize, name: &str) {
        match name {
            "new" | "delete" | "struct" | "class" | "goto" | "malloc" | "free" => {
                let what = match name {
                    "new" => "C++ `new`",
                    "delete" => "C++ `delete`",
                    "struct" | "class" => "a C struct",
                    "goto" => "`goto`",
                    _ => "C memory allocation",
                };
                self.cxx.push(what);
            }
            "break" | "continue" => self.control = true,
            // `return x;` sets a FUNCTION's value: C to translate
            "return" if tokens.get(i + 1) != Some(&Tok::Punct(";")) => self.control = true,
            "nrn_random_isran123" => self.random123_ids = true,
            n if n.starts_with("_p_") => self.pointer_vars = true,
            _ => {}
        }
        if tokens.get(i + 1) != Some(&Tok::Punct("(")) {
            return;
        }
        if is_declarator(tokens, i) {
            let close = matching(tokens, i + 1, "(", ")");
            if tokens.get(close + 1) == Some(&Tok::Punct("{")) {
                // a pointer parameter: C that works on memory, not numbers
                if tokens[i + 1..close].contains(&Tok::Punct("*")) {
                    self.definitions.push(name.to_string());
                } else {
                    self.numeric_definitions.push(name.to_string());
                }
            }
            return;
        }
        if let Some(idiom) = idiom_of_call(name) {
            self.idioms.push(idiom);
        } else if !is_neutral_call(name) {
            self.unknown_calls.push(name.to_string());
        }
    }

    /// Records the variable an assignment operator at `i` writes, when one is named.
    fn assignment(&mut self, tokens: &[Tok], i: usize) {
        let mut j = i;
        while j > 0 {
            j -= 1;
            match &tokens[j] {
                Tok::Ident(n) => {
                    self.assigned.push(n.clone());
                    return;
                }
                Tok::Punct("]") => j = j.saturating_sub(1),
                _ => return,
            }
        }
    }

    fn idiom(&self) -> Option<Idiom> {
        let has = |i: Idiom| self.idioms.contains(&i);
        if has(Idiom::HocRandom) && !self.random123_ids {
            Some(Idiom::HocRandom)
        } else if has(Idiom::Random123) || self.random123_ids {
            Some(Idiom::Random123)
        } else if has(Idiom::EventVector) {
            Some(Idiom::EventVector)
        } else if self.pointer_vars {
            Some(Idiom::HocRandom)
        } else {
            None
        }
    }

    fn decide(&self) -> VerbatimKind {
        if let Some(name) = self.definitions.first() {
            return unsupported(format!("defines the C function `{name}`"));
        }
        let defined = |n: &String| self.numeric_definitions.contains(n);
        if let Some(name) = self.unknown_calls.iter().find(|n| !defined(n)) {
            return unsupported(format!("calls the C function `{name}`"));
        }
        if let Some(what) = self.cxx.first() {
            return unsupported(format!("uses {what}"));
        }
        if let Some(idiom) = self.idiom() {
            return VerbatimKind::Idiom(idiom);
        }
        if !self.numeric_definitions.is_empty() {
            return VerbatimKind::Idiom(Idiom::CFunctions);
        }
        if self.brace_balance != 0 || self.control {
            return VerbatimKind::Idiom(Idiom::SplitControl);
        }
        if let Some(name) = self.nmodl_calls.first() {
            return unsupported(format!("calls `{name}` from C"));
        }
        if let Some(name) = self.assigned.first() {
            return unsupported(format!("assigns `{name}` in C"));
        }
        VerbatimKind::Trivial
    }
}

fn unsupported(what: String) -> VerbatimKind {
    VerbatimKind::Unsupported { what }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idiom(i: Idiom) -> VerbatimKind {
        VerbatimKind::Idiom(i)
    }

    #[test]
    fn empty_comments_and_includes_are_trivial() {
        assert_eq!(classify(""), VerbatimKind::Trivial);
        assert_eq!(
            classify("  /* nothing */ \n // here\n"),
            VerbatimKind::Trivial
        );
        assert_eq!(
            classify("#include <stdlib.h>\n#include \"x.h\"\n"),
            VerbatimKind::Trivial
        );
        assert_eq!(classify("return;"), VerbatimKind::Trivial);
        assert_eq!(classify("return 0;"), idiom(Idiom::SplitControl));
        assert_eq!(
            classify("printf(\"x = %g\\n\", x); fprintf(stderr, \"a;b(\");"),
            VerbatimKind::Trivial
        );
    }

    #[test]
    fn prototypes_are_trivial() {
        let text = "extern double* vector_vec();\nextern int vector_capacity();\n\
                    extern void* vector_arg();\ndouble nrn_random_pick(void* r);\n";
        assert_eq!(classify(text), VerbatimKind::Trivial);
    }

    #[test]
    fn corenrn_hooks_and_guarded_code_are_trivial() {
        let text = "static void bbcore_write(double* x, int* d, int* xx, int* off, \
                    _threadargsproto_) {\n  if (!d) return;\n  nrnran123_getids3(r, &a, &b, &c);\n}\n\
                    static void bbcore_read(double* x, int* d) { foo(x); }\n";
        assert_eq!(classify(text), VerbatimKind::Trivial);
        let guarded = "#ifdef CORENEURON_BUILD\n  coreneuron_thing(1);\n#endif\n";
        assert_eq!(classify(guarded), VerbatimKind::Trivial);
        let live = "#ifndef CORENEURON_BUILD\n  neuron_thing(1);\n#endif\n";
        assert_eq!(
            classify(live),
            unsupported("calls the C function `neuron_thing`".into())
        );
    }

    #[test]
    fn vector_of_event_times() {
        let text = "{ void* vv; int i, size; double* px;\n i = (int)index;\n\
                    vv = *((void**)(&space));\n if (vv) { size = vector_capacity(vv);\n\
                    px = vector_vec(vv); if (i < size) { etime = px[i]; index += 1.; } } }";
        assert_eq!(classify(text), idiom(Idiom::EventVector));
        let play = "void** vv; vv = (void**)(&space); *vv = (void*)0;\n\
                    if (ifarg(1)) { *vv = vector_arg(1); }";
        assert_eq!(classify(play), idiom(Idiom::EventVector));
    }

    #[test]
    fn random_streams() {
        let r123 = "#if !NRNBBCORE\n if (ifarg(1)) { Rand* r = nrn_random_arg(1);\n\
                    uint32_t id[3];\n if (!nrn_random_isran123(r, &id[0], &id[1], &id[2])) {\n\
                    hoc_execerr_ext(\"need Random123\"); }\n\
                    nrnran123_setids(ranvar, id[0], id[1], id[2]); }\n#endif\n";
        assert_eq!(classify(r123), idiom(Idiom::Random123));
        let urand = "double value;\n if (_p_rng) {\n#ifndef CORENEURON_BUILD\n\
                     value = nrn_random_pick(RANDCAST _p_rng);\n#endif\n } else { value = 0.0; }\n\
                     _lurand = value;";
        assert_eq!(classify(urand), idiom(Idiom::HocRandom));
        assert_eq!(classify("if (_p_rng) {"), idiom(Idiom::HocRandom));
        assert_eq!(
            classify("_lerand = nrnran123_negexp(_p_rng);"),
            idiom(Idiom::Random123)
        );
    }

    #[test]
    fn split_control_flow() {
        assert_eq!(classify("}"), idiom(Idiom::SplitControl));
        assert_eq!(classify("} else {"), idiom(Idiom::SplitControl));
        assert_eq!(classify("break;"), idiom(Idiom::SplitControl));
    }

    #[test]
    fn unsupported_constructs_are_named() {
        let def = "static double width(void* vv) { return 0.; }\n";
        assert_eq!(
            classify(def),
            unsupported("defines the C function `width`".into())
        );
        assert_eq!(
            classify("install_vector_method(\"w\", w);"),
            unsupported("calls the C function `install_vector_method`".into())
        );
        assert_eq!(
            classify("firing = 1; time = t;"),
            unsupported("assigns `firing` in C".into())
        );
        assert_eq!(
            classify("auto* p = new Info{};"),
            unsupported("uses C++ `new`".into())
        );
    }

    #[test]
    fn calls_of_the_files_own_functions() {
        let known = |n: &str| n == "element";
        assert_eq!(
            classify_in("while (element(_threadargs_) && etime < t) {}", &known),
            unsupported("calls `element` from C".into())
        );
        assert_eq!(
            classify("while (element(_threadargs_) && etime < t) {}"),
            unsupported("calls the C function `element`".into())
        );
        let guard = "if (cvode_active_) { hoc_execerror(\"VClamp\", \"no CVODE\"); }";
        assert_eq!(classify(guard), VerbatimKind::Trivial);
    }

    #[test]
    fn garbage_does_not_panic() {
        for text in [
            "(((",
            "}}}{",
            "#if\n#else\n#else\n#endif\n#endif",
            "\"unterminated",
            "/*",
            "é(ü)",
        ] {
            let _ = classify(text);
        }
    }
}
