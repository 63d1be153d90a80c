//! Stage 1 of the HOC front end: text to tokens.
//!
//! HOC's lexer is line oriented: a newline is a token (it ends top-level
//! statements), `//` comments run to the end of the line, `/* */` comments may
//! span lines, and a backslash just before a newline joins two lines. Names are
//! not classified here (NEURON's lexer asks the symbol table whether a name is a
//! section, a function, an object...); the parser is name-agnostic and the
//! interpreter resolves names when it runs. The lexer never fails: a character
//! it does not know becomes a [`Tok::Unknown`] token the parser reports.

use crate::span::Span;

/// What kind of `$` argument: `$1`, `$s1`, `$o1` or `$&1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    Num,
    Str,
    Obj,
    Ref,
}

/// `=`, `+=`, `-=`, `*=`, `/=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Add,
    Sub,
    Mul,
    Div,
}

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    /// `$1`, `$s2`, `$o3`, `$&1`; `n == 0` means `$i` (index taken at run time: unsupported).
    Arg(ArgKind, u32),
    Newline,
    Semi,
    Comma,
    Dot,
    Colon,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Assign(AssignOp),
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Not,
    Amp,
    Unknown(char),
    /// A string literal that reached the end of its line.
    Unterminated,
    Eof,
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Splits `text` into tokens; the last one is always [`Tok::Eof`].
pub fn lex(text: &str) -> Vec<Token> {
    let mut lx = Lexer {
        src: text.as_bytes(),
        text,
        pos: 0,
        out: Vec::new(),
    };
    lx.run();
    lx.out
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, k: usize) -> u8 {
        self.src.get(self.pos + k).copied().unwrap_or(0)
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.out.push(Token {
            tok,
            span: Span::new(start, self.pos),
        });
    }

    fn run(&mut self) {
        while self.pos < self.src.len() {
            let start = self.pos;
            let c = self.src[self.pos];
            match c {
                b' ' | b'\t' | b'\x0c' | b'\x0b' | b'\x1a' => self.pos += 1,
                b'\r' | b'\n' => self.newline(start),
                b'/' if self.peek(1) == b'/' => self.line_comment(start),
                b'/' if self.peek(1) == b'*' => self.block_comment(),
                b'\\' if matches!(self.peek(1), b'\n' | b'\r') => {
                    self.pos += 2;
                    if c == b'\r' && self.peek(0) == b'\n' {
                        self.pos += 1;
                    }
                }
                b'0'..=b'9' => self.number(start),
                b'.' if self.peek(1).is_ascii_digit() => self.number(start),
                b'"' => self.string(start),
                b'$' => self.arg(start),
                c if c.is_ascii_alphabetic() || c == b'_' => self.ident(start),
                _ => self.punct(start),
            }
        }
        let end = self.src.len();
        self.out.push(Token {
            tok: Tok::Eof,
            span: Span::new(end, end),
        });
    }

    fn newline(&mut self, start: usize) {
        if self.src[self.pos] == b'\r' && self.peek(1) == b'\n' {
            self.pos += 1;
        }
        self.pos += 1;
        self.push(Tok::Newline, start);
    }

    fn line_comment(&mut self, start: usize) {
        while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
            self.pos += 1;
        }
        let _ = start;
    }

    fn block_comment(&mut self) {
        self.pos += 2;
        while self.pos < self.src.len() && !(self.src[self.pos] == b'*' && self.peek(1) == b'/') {
            self.pos += 1;
        }
        self.pos = (self.pos + 2).min(self.src.len());
    }

    fn digits(&mut self) {
        while self.peek(0).is_ascii_digit() {
            self.pos += 1;
        }
    }

    fn number(&mut self, start: usize) {
        self.digits();
        if self.peek(0) == b'.' {
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(0), b'e' | b'E') {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(0), b'+' | b'-') {
                self.pos += 1;
            }
            if self.peek(0).is_ascii_digit() {
                self.digits();
            } else {
                self.pos = save;
            }
        }
        let text = &self.text[start..self.pos];
        let v = text.parse::<f64>().unwrap_or_else(|_| {
            // "5." and ".5" are valid HOC; Rust accepts both, but be safe.
            format!("{text}0").parse::<f64>().unwrap_or(0.0)
        });
        self.push(Tok::Num(v), start);
    }

    fn string(&mut self, start: usize) {
        self.pos += 1;
        let mut s = String::new();
        loop {
            let Some(ch) = self.text[self.pos..].chars().next() else {
                self.push(Tok::Unterminated, start);
                return;
            };
            if ch == '\n' {
                self.push(Tok::Unterminated, start);
                return;
            }
            self.pos += ch.len_utf8();
            match ch {
                '"' => break,
                '\\' => {
                    let Some(e) = self.text[self.pos..].chars().next() else {
                        continue;
                    };
                    self.pos += e.len_utf8();
                    s.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\x08',
                        'f' => '\x0c',
                        other => other,
                    });
                }
                c => s.push(c),
            }
        }
        self.push(Tok::Str(s), start);
    }

    fn arg(&mut self, start: usize) {
        self.pos += 1;
        let kind = match self.peek(0) {
            b'o' => ArgKind::Obj,
            b's' => ArgKind::Str,
            b'&' => ArgKind::Ref,
            _ => ArgKind::Num,
        };
        if kind != ArgKind::Num {
            self.pos += 1;
        }
        let dstart = self.pos;
        self.digits();
        let n = self.text[dstart..self.pos].parse::<u32>().unwrap_or(0);
        if n == 0 && self.peek(0) == b'i' {
            self.pos += 1;
        }
        self.push(Tok::Arg(kind, n), start);
    }

    fn ident(&mut self, start: usize) {
        while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
            self.pos += 1;
        }
        let name = self.text[start..self.pos].to_string();
        self.push(Tok::Ident(name), start);
    }

    fn punct(&mut self, start: usize) {
        let c = self.src[self.pos];
        let next = self.peek(1);
        let (tok, len) = match (c, next) {
            (b'=', b'=') => (Tok::Eq, 2),
            (b'!', b'=') => (Tok::Ne, 2),
            (b'<', b'=') => (Tok::Le, 2),
            (b'>', b'=') => (Tok::Ge, 2),
            (b'&', b'&') => (Tok::And, 2),
            (b'|', b'|') => (Tok::Or, 2),
            (b'+', b'=') => (Tok::Assign(AssignOp::Add), 2),
            (b'-', b'=') => (Tok::Assign(AssignOp::Sub), 2),
            (b'*', b'=') => (Tok::Assign(AssignOp::Mul), 2),
            (b'/', b'=') => (Tok::Assign(AssignOp::Div), 2),
            (b'=', _) => (Tok::Assign(AssignOp::Set), 1),
            (b'!', _) => (Tok::Not, 1),
            (b'<', _) => (Tok::Lt, 1),
            (b'>', _) => (Tok::Gt, 1),
            (b'&', _) => (Tok::Amp, 1),
            (b'+', _) => (Tok::Plus, 1),
            (b'-', _) => (Tok::Minus, 1),
            (b'*', _) => (Tok::Star, 1),
            (b'/', _) => (Tok::Slash, 1),
            (b'%', _) => (Tok::Percent, 1),
            (b'^', _) => (Tok::Caret, 1),
            (b';', _) => (Tok::Semi, 1),
            (b',', _) => (Tok::Comma, 1),
            (b'.', _) => (Tok::Dot, 1),
            (b':', _) => (Tok::Colon, 1),
            (b'(', _) => (Tok::LParen, 1),
            (b')', _) => (Tok::RParen, 1),
            (b'[', _) => (Tok::LBracket, 1),
            (b']', _) => (Tok::RBracket, 1),
            (b'{', _) => (Tok::LBrace, 1),
            (b'}', _) => (Tok::RBrace, 1),
            _ => {
                let ch = self.text[self.pos..].chars().next().unwrap_or('?');
                self.pos += ch.len_utf8();
                self.push(Tok::Unknown(ch), start);
                return;
            }
        };
        self.pos += len;
        self.push(tok, start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_args_and_operators() {
        assert_eq!(
            toks("x+=1e-3 $o2 .5"),
            vec![
                Tok::Ident("x".into()),
                Tok::Assign(AssignOp::Add),
                Tok::Num(1e-3),
                Tok::Arg(ArgKind::Obj, 2),
                Tok::Num(0.5),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn comments_and_continuation() {
        assert_eq!(
            toks("a // c\n/* x\ny */ b \\\n c"),
            vec![
                Tok::Ident("a".into()),
                Tok::Newline,
                Tok::Ident("b".into()),
                Tok::Ident("c".into()),
                Tok::Eof
            ]
        );
    }
}
