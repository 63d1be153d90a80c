//! Stage 1 of the NMODL pipeline: text to tokens.
//!
//! The lexer owns everything decided by characters alone: names and keywords (keywords
//! are case-sensitive, as in NEURON), numbers, operators, `:`/`?` line comments, and the
//! blocks whose body is raw text (`TITLE` to end of line, `COMMENT ... ENDCOMMENT`,
//! `VERBATIM ... ENDVERBATIM`, the ontology term after `REPRESENTS`). Tokens hold only a
//! kind and a [`Span`]; their text is sliced from the source by whoever needs it.
//! Characters that start no token become [`TokenKind::Unknown`] so that the parser can
//! report them in context (inside unit text such as `(µM)` they are legal).

use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Declares the keyword enum with its spellings: the first spelling of each keyword is
/// the canonical one (what the printer writes), the others are aliases NEURON accepts.
macro_rules! keywords {
    ($($variant:ident => $text:literal $(| $alias:literal)*,)*) => {
        /// A keyword of NMODL. Keywords are case-sensitive, as in NEURON; the lower-case
        /// `if`, `else`, `while` also accept the upper-case spelling.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Keyword {
            $($variant,)*
        }

        impl Keyword {
            /// The keyword for a word, if it is one.
            pub fn from_word(word: &str) -> Option<Keyword> {
                Some(match word {
                    $($text $(| $alias)* => Keyword::$variant,)*
                    _ => return None,
                })
            }

            /// The canonical spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Keyword::$variant => $text,)*
                }
            }
        }
    };
}

keywords! {
    Neuron => "NEURON",
    Suffix => "SUFFIX",
    PointProcess => "POINT_PROCESS",
    ArtificialCell => "ARTIFICIAL_CELL",
    UseIon => "USEION",
    Read => "READ",
    Write => "WRITE",
    Valence => "VALENCE" | "CHARGE",
    Represents => "REPRESENTS",
    NonspecificCurrent => "NONSPECIFIC_CURRENT",
    ElectrodeCurrent => "ELECTRODE_CURRENT",
    Range => "RANGE",
    Global => "GLOBAL",
    Pointer => "POINTER",
    BbcorePointer => "BBCOREPOINTER",
    External => "EXTERNAL",
    ThreadSafe => "THREADSAFE",
    Random => "RANDOM",
    Units => "UNITS",
    Parameter => "PARAMETER",
    Assigned => "ASSIGNED" | "DEPENDENT",
    State => "STATE",
    Constant => "CONSTANT",
    Independent => "INDEPENDENT",
    Define => "DEFINE",
    Include => "INCLUDE",
    Initial => "INITIAL",
    Breakpoint => "BREAKPOINT",
    Derivative => "DERIVATIVE",
    Kinetic => "KINETIC",
    Linear => "LINEAR",
    NonLinear => "NONLINEAR",
    Discrete => "DISCRETE",
    Partial => "PARTIAL",
    Procedure => "PROCEDURE",
    Function => "FUNCTION",
    FunctionTable => "FUNCTION_TABLE",
    NetReceive => "NET_RECEIVE",
    Constructor => "CONSTRUCTOR",
    Destructor => "DESTRUCTOR",
    Before => "BEFORE",
    After => "AFTER",
    Step => "STEP",
    Local => "LOCAL",
    If => "if" | "IF",
    Else => "else" | "ELSE",
    While => "while" | "WHILE",
    From => "FROM",
    To => "TO",
    By => "BY",
    With => "WITH",
    Start => "START",
    Sweep => "SWEEP",
    Solve => "SOLVE",
    Method => "METHOD",
    SteadyState => "STEADYSTATE",
    SolveFor => "SOLVEFOR",
    Table => "TABLE",
    Depend => "DEPEND",
    Conserve => "CONSERVE",
    Compartment => "COMPARTMENT",
    LongitudinalDiffusion => "LONGITUDINAL_DIFFUSION",
    Watch => "WATCH",
    ForNetCons => "FOR_NETCONS",
    Conductance => "CONDUCTANCE",
    Protect => "PROTECT",
    MutexLock => "MUTEXLOCK",
    MutexUnlock => "MUTEXUNLOCK",
    UnitsOn => "UNITSON",
    UnitsOff => "UNITSOFF",
    Lag => "LAG",
}

impl Keyword {
    /// True for keywords that open a top-level block or declaration and can appear
    /// nowhere else; the parser restarts at these after an error.
    pub fn is_top_level(self) -> bool {
        use Keyword as K;
        matches!(
            self,
            K::Neuron
                | K::Units
                | K::Parameter
                | K::Assigned
                | K::State
                | K::Constant
                | K::Independent
                | K::Define
                | K::Include
                | K::Breakpoint
                | K::Derivative
                | K::Kinetic
                | K::Linear
                | K::NonLinear
                | K::Discrete
                | K::Partial
                | K::Procedure
                | K::Function
                | K::FunctionTable
                | K::NetReceive
                | K::Constructor
                | K::Destructor
                | K::Before
                | K::After
        )
    }
}

/// What a token is. The token's text is the source sliced by its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Name,
    Keyword(Keyword),
    /// Digits only: `10`.
    Integer,
    /// `1.5`, `.5`, `1e-3`.
    Real,
    /// A name followed by one or more `'`: `m'`.
    Prime,
    /// `"text"` (the span includes the quotes).
    String,
    /// `TITLE` and the rest of its line.
    Title,
    /// `COMMENT ... ENDCOMMENT`, the whole block.
    Comment,
    /// `VERBATIM ... ENDVERBATIM`, the whole block.
    Verbatim,
    /// The term after `REPRESENTS`: `NCIT:C17145` or `[NCIT:C17145]`.
    Ontology,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Assign,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Percent,
    Tilde,
    At,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
    Not,
    AndAnd,
    OrOr,
    /// `<->`.
    React,
    /// A character that starts no token.
    Unknown,
}

/// One token: its kind and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    /// The token's text in `src`, the text it was lexed from.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.span.range()).unwrap_or("")
    }
}

/// Splits `text` into tokens. Problems (an unterminated COMMENT, VERBATIM or string)
/// are returned as diagnostics; lexing always reaches the end of the text.
pub fn lex(text: &str) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut lexer = Lexer {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(text.len() / 4),
        diags: Vec::new(),
    };
    lexer.run();
    (lexer.tokens, lexer.diags)
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    diags: Vec<Diagnostic>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
        });
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let c = self.peek(0);
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\x0b' => self.pos += 1,
                b':' | b'?' => self.skip_line(),
                b'a'..=b'z' | b'A'..=b'Z' => self.word(),
                b'0'..=b'9' => self.number(),
                b'.' if self.peek(1).is_ascii_digit() => self.number(),
                b'"' => self.string(),
                _ => self.punct(),
            }
        }
    }

    /// Skips to the end of the line (before the `\n`, `\r\n` or lone `\r`): the rest of
    /// a `:` or `?` comment, or of a TITLE.
    fn skip_line(&mut self) {
        while let Some(&c) = self.bytes.get(self.pos) {
            if c == b'\n' || c == b'\r' {
                break;
            }
            self.pos += 1;
        }
    }

    fn word(&mut self) {
        let start = self.pos;
        while matches!(self.peek(0), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
            self.pos += 1;
        }
        let word = &self.src[start..self.pos];
        if self.peek(0) == b'\'' {
            while self.peek(0) == b'\'' {
                self.pos += 1;
            }
            return self.push(TokenKind::Prime, start);
        }
        match Keyword::from_word(word) {
            None => self.push(TokenKind::Name, start),
            Some(Keyword::Represents) => {
                self.push(TokenKind::Keyword(Keyword::Represents), start);
                self.ontology();
            }
            Some(kw) => self.push(TokenKind::Keyword(kw), start),
        }
        match word {
            "TITLE" => self.title(start),
            "COMMENT" => self.raw_block(start, "ENDCOMMENT", TokenKind::Comment),
            "VERBATIM" => self.raw_block(start, "ENDVERBATIM", TokenKind::Verbatim),
            _ => {}
        }
    }

    /// `TITLE` and the rest of the line become one token.
    fn title(&mut self, start: usize) {
        self.tokens.pop();
        self.skip_line();
        self.push(TokenKind::Title, start);
    }

    /// A block of raw text closed by a line whose first word is `end` (the rest of
    /// that line is dropped, as NEURON does).
    fn raw_block(&mut self, start: usize, end: &str, kind: TokenKind) {
        self.tokens.pop();
        let body = self.pos;
        match find_end_line(&self.src[body..], end) {
            Some((_, line_end)) => {
                self.pos = body + line_end;
                self.push(kind, start);
            }
            None => {
                self.pos = self.bytes.len();
                self.push(kind, start);
                let word = &self.src[start..body];
                self.diags.push(
                    Diagnostic::error(
                        Span::new(start, body),
                        format!("{word} block is never closed"),
                    )
                    .with_note(format!("no line starting with {end} after this"))
                    .with_help(format!("add a line `{end}` where the block ends")),
                );
            }
        }
    }

    /// After `REPRESENTS`: an ontology term such as `NCIT:C17145` or `[NCIT:C17145]`.
    fn ontology(&mut self) {
        while matches!(self.peek(0), b' ' | b'\t') {
            self.pos += 1;
        }
        let start = self.pos;
        let ok = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'[' | b']');
        while ok(self.peek(0)) {
            self.pos += 1;
        }
        if self.pos > start {
            self.push(TokenKind::Ontology, start);
        }
    }

    fn number(&mut self) {
        let start = self.pos;
        let mut real = false;
        self.digits();
        if self.peek(0) == b'.' {
            real = true;
            self.pos += 1;
            self.digits();
        }
        let e = self.peek(0);
        let sign = usize::from(matches!(self.peek(1), b'+' | b'-'));
        if (e == b'e' || e == b'E') && self.peek(1 + sign).is_ascii_digit() {
            real = true;
            self.pos += 1 + sign;
            self.digits();
        }
        let kind = if real {
            TokenKind::Real
        } else {
            TokenKind::Integer
        };
        self.push(kind, start);
    }

    fn digits(&mut self) {
        while self.peek(0).is_ascii_digit() {
            self.pos += 1;
        }
    }

    fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        match self.src[self.pos..].find('"') {
            Some(i) => {
                self.pos += i + 1;
                self.push(TokenKind::String, start);
            }
            None => {
                self.pos = self.bytes.len();
                self.push(TokenKind::String, start);
                self.diags.push(
                    Diagnostic::error(Span::new(start, start + 1), "string is never closed")
                        .with_note("no closing `\"` after this"),
                );
            }
        }
    }

    fn punct(&mut self) {
        use TokenKind as T;
        let start = self.pos;
        let (kind, len) = match (self.peek(0), self.peek(1), self.peek(2)) {
            (b'<', b'-', b'>') => (T::React, 3),
            (b'<', b'=', _) => (T::Le, 2),
            (b'>', b'=', _) => (T::Ge, 2),
            (b'=', b'=', _) => (T::EqEq, 2),
            (b'!', b'=', _) => (T::Ne, 2),
            (b'&', b'&', _) => (T::AndAnd, 2),
            (b'|', b'|', _) => (T::OrOr, 2),
            (c, _, _) => match single(c) {
                Some(kind) => (kind, 1),
                None => (T::Unknown, utf8_len(c)),
            },
        };
        self.pos = (start + len).min(self.bytes.len());
        while !self.src.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        self.push(kind, start);
    }
}

fn single(c: u8) -> Option<TokenKind> {
    use TokenKind as T;
    Some(match c {
        b'{' => T::LBrace,
        b'}' => T::RBrace,
        b'(' => T::LParen,
        b')' => T::RParen,
        b'[' => T::LBracket,
        b']' => T::RBracket,
        b',' => T::Comma,
        b'=' => T::Assign,
        b'+' => T::Plus,
        b'-' => T::Minus,
        b'*' => T::Star,
        b'/' => T::Slash,
        b'^' => T::Caret,
        b'%' => T::Percent,
        b'~' => T::Tilde,
        b'@' => T::At,
        b'<' => T::Lt,
        b'>' => T::Gt,
        b'!' => T::Not,
        _ => return None,
    })
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// Finds the first line of `text` (the first being the rest of the keyword's line) whose first word is
/// `end`; returns the offsets of that line's start and of its end (after the newline).
fn find_end_line(text: &str, end: &str) -> Option<(usize, usize)> {
    let mut line_start = 0;
    while line_start < text.len() {
        let rest = &text[line_start..];
        let line_len = line_length(rest);
        let word: &str = rest[..line_len]
            .trim_start_matches([' ', '\t'])
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        if word == end {
            return Some((line_start, line_start + line_len));
        }
        line_start += line_len;
    }
    None
}

/// Length of the first line of `text` with its line end: `\n`, `\r\n`, or a lone `\r`
/// (NEURON reads all three as a line end).
fn line_length(text: &str) -> usize {
    let bytes = text.as_bytes();
    match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => i + 2,
        Some(i) => i + 1,
        None => text.len(),
    }
}

/// The text between the keyword of a COMMENT or VERBATIM token and the line holding
/// its closing keyword, exactly as in the source.
pub fn raw_block_body<'a>(src: &'a str, token: &Token) -> &'a str {
    let whole = src.get(token.span.range()).unwrap_or("");
    let (keyword, end) = match token.kind {
        TokenKind::Comment => ("COMMENT", "ENDCOMMENT"),
        _ => ("VERBATIM", "ENDVERBATIM"),
    };
    let body = whole.get(keyword.len()..).unwrap_or("");
    match find_end_line(body, end) {
        Some((line_start, _)) => &body[..line_start],
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        lex(text).0.into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn names_numbers_and_operators() {
        use TokenKind as T;
        assert_eq!(
            kinds("m' = .5e-3*x <-> 1 (mV) : c"),
            vec![
                T::Prime,
                T::Assign,
                T::Real,
                T::Star,
                T::Name,
                T::React,
                T::Integer,
                T::LParen,
                T::Name,
                T::RParen
            ]
        );
    }

    #[test]
    fn keywords_are_case_sensitive() {
        assert_eq!(kinds("Suffix")[0], TokenKind::Name);
        assert_eq!(kinds("SUFFIX")[0], TokenKind::Keyword(Keyword::Suffix));
        assert_eq!(kinds("IF if")[1], TokenKind::Keyword(Keyword::If));
    }

    #[test]
    fn verbatim_body_is_kept_exactly() {
        let src = "VERBATIM\n  if (x) {\nENDVERBATIM junk\nA";
        let (toks, diags) = lex(src);
        assert!(diags.is_empty());
        assert_eq!(toks[0].kind, TokenKind::Verbatim);
        assert_eq!(raw_block_body(src, &toks[0]), "\n  if (x) {\n");
        assert_eq!(toks[1].kind, TokenKind::Name);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let src = "TITLE t\rVERBATIM\rx\rENDVERBATIM\rCOMMENT c\rENDCOMMENT\r: c\rA";
        let (toks, diags) = lex(src);
        assert!(diags.is_empty());
        let kinds: Vec<TokenKind> = toks.iter().map(|t| t.kind).collect();
        use TokenKind as T;
        assert_eq!(kinds, [T::Title, T::Verbatim, T::Comment, T::Name]);
        assert_eq!(raw_block_body(src, &toks[1]), "\rx\r");
    }

    #[test]
    fn unclosed_comment_is_reported() {
        let (toks, diags) = lex("COMMENT\nabc\n");
        assert_eq!(toks.len(), 1);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn ontology_term_keeps_its_colon() {
        use TokenKind as T;
        assert_eq!(
            kinds("REPRESENTS NCIT:C17145\nRANGE"),
            vec![
                T::Keyword(Keyword::Represents),
                T::Ontology,
                T::Keyword(Keyword::Range)
            ]
        );
    }

    #[test]
    fn non_ascii_is_one_unknown_token() {
        let (toks, _) = lex("(µM)");
        assert_eq!(toks[1].kind, TokenKind::Unknown);
        assert_eq!(toks[1].span.len(), 2);
    }
}
