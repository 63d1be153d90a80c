//! The small regular expressions of `forsec`, `ifsec` and `issection`:
//! literals, `.`, `[a-z]` classes (`[^...]` negated), `*` and `+`, and the
//! anchors `^` and `$`. As in NEURON, a pattern matches when it is found
//! anywhere in the section name (NEURON wraps it in `.*pattern.*`).

#[derive(Debug)]
enum Atom {
    Any,
    Lit(char),
    Class(Vec<(char, char)>, bool),
}

#[derive(Debug)]
struct Piece {
    atom: Atom,
    /// (min, max) repetitions.
    rep: (usize, usize),
}

fn compile(pat: &str) -> (Vec<Piece>, bool, bool) {
    let chars: Vec<char> = pat.chars().collect();
    let mut i = 0;
    let start = chars.first() == Some(&'^');
    if start {
        i = 1;
    }
    let end = chars.len() > i && chars.last() == Some(&'$');
    let stop = if end { chars.len() - 1 } else { chars.len() };
    let mut pieces = Vec::new();
    while i < stop {
        let atom = match chars[i] {
            '.' => Atom::Any,
            '\\' if i + 1 < stop => {
                i += 1;
                Atom::Lit(chars[i])
            }
            '[' => {
                let (a, next) = class(&chars, i + 1, stop);
                i = next - 1;
                a
            }
            c => Atom::Lit(c),
        };
        i += 1;
        let rep = match chars.get(i) {
            Some('*') if i < stop => {
                i += 1;
                (0, usize::MAX)
            }
            Some('+') if i < stop => {
                i += 1;
                (1, usize::MAX)
            }
            _ => (1, 1),
        };
        pieces.push(Piece { atom, rep });
    }
    (pieces, start, end)
}

fn class(chars: &[char], mut i: usize, stop: usize) -> (Atom, usize) {
    let neg = chars.get(i) == Some(&'^');
    if neg {
        i += 1;
    }
    let mut ranges = Vec::new();
    while i < stop
        && (chars[i] != ']' || ranges.is_empty() && chars.get(i.wrapping_sub(1)) == Some(&'['))
    {
        if chars[i] == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..stop].iter().collect();
            if let Some(end) = rest.find(":]") {
                ranges.extend(posix_class(&rest[..end]));
                i += end + 4;
                continue;
            }
        }
        let a = chars[i];
        if i + 2 < stop && chars[i + 1] == '-' && chars[i + 2] != ']' {
            ranges.push((a, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((a, a));
            i += 1;
        }
    }
    (Atom::Class(ranges, neg), i + 1)
}

fn posix_class(name: &str) -> Vec<(char, char)> {
    match name {
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "digit" => vec![('0', '9')],
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        _ => Vec::new(),
    }
}

fn atom_matches(a: &Atom, c: char) -> bool {
    match a {
        Atom::Any => true,
        Atom::Lit(l) => *l == c,
        Atom::Class(r, neg) => r.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *neg,
    }
}

/// Length of the match of `p` at the start of `s` (greedy), if any.
fn match_len(p: &[Piece], s: &[char], end: bool, budget: &mut u32) -> Option<usize> {
    *budget = budget.saturating_sub(1);
    if *budget == 0 {
        return None;
    }
    let Some((first, rest)) = p.split_first() else {
        return (!end || s.is_empty()).then_some(0);
    };
    let mut n = 0;
    while n < first.rep.1 && n < s.len() && atom_matches(&first.atom, s[n]) {
        n += 1;
    }
    if n < first.rep.0 {
        return None;
    }
    (first.rep.0..=n)
        .rev()
        .find_map(|k| match_len(rest, &s[k..], end, budget).map(|m| m + k))
}

/// The first match of `pat` in `text`, as a char range.
pub fn regex_find(pat: &str, text: &str) -> Option<(usize, usize)> {
    let (pieces, start, end) = compile(pat);
    let s: Vec<char> = text.chars().collect();
    let mut budget = 100_000;
    let last = if start { 0 } else { s.len() };
    (0..=last).find_map(|i| match_len(&pieces, &s[i..], end, &mut budget).map(|n| (i, i + n)))
}

fn match_here(p: &[Piece], s: &[char], end: bool, budget: &mut u32) -> bool {
    *budget = budget.saturating_sub(1);
    if *budget == 0 {
        return false;
    }
    let Some((first, rest)) = p.split_first() else {
        return !end || s.is_empty();
    };
    let mut n = 0;
    while n < first.rep.1 && n < s.len() && atom_matches(&first.atom, s[n]) {
        n += 1;
    }
    if n < first.rep.0 {
        return false;
    }
    (first.rep.0..=n)
        .rev()
        .any(|k| match_here(rest, &s[k..], end, budget))
}

/// Whether `pat` is found in `name`.
pub fn regex_match(pat: &str, name: &str) -> bool {
    let (pieces, start, end) = compile(pat);
    let s: Vec<char> = name.chars().collect();
    let mut budget = 100_000;
    if start {
        return match_here(&pieces, &s, end, &mut budget);
    }
    (0..=s.len()).any(|i| match_here(&pieces, &s[i..], end, &mut budget))
}

#[cfg(test)]
mod tests {
    use super::regex_match;

    #[test]
    fn patterns() {
        assert!(regex_match("dend", "Cell[0].dend[2]"));
        assert!(regex_match("^soma", "soma"));
        assert!(!regex_match("^soma", "xsoma"));
        assert!(regex_match("dend[0-9]*$", "dend12"));
        assert!(regex_match("a.*c", "abbbc"));
        assert!(!regex_match("axon", "dend"));
        assert_eq!(super::regex_find("[^/]*$", "a/b/cell.swc"), Some((4, 12)));
        assert_eq!(super::regex_find("^[ \t]*", "  x"), Some((0, 2)));
        assert_eq!(super::regex_find("[[:blank:]]*#", "  # c"), Some((0, 3)));
    }
}
