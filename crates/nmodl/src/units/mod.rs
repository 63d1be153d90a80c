//! Units: parses the unit texts written between parentheses in NMODL (`(mA/cm2)`,
//! `(/mV)`, `(k-mole)`), computes their scale factors and dimensions, and evaluates the
//! `UNITS` block statements `(mA) = (milliamp)` (an alias) and `FARADAY = (faraday)
//! (coulomb)` (a conversion factor).
//!
//! This module reproduces what NEURON 9.0.2's translator `nocmodl` does, bit for bit:
//!
//! * The **database** is NEURON's default units library (the one `nrnivmodl` hands to
//!   `nocmodl` through `MODLUNIT`), rewritten as Neurite's own table in [`table`]. It uses
//!   the exact 2019 SI constants: `e` = 1.602176634e-19 coul, `mole` = 6.02214076e23
//!   (a pure number), `k` = 1.380649e-23 joule/K, so `faraday` = `e-mole` and
//!   `R` = `k-mole`.
//! * A **unit text** is read the way NEURON reads it: an optional leading number
//!   (`1|3` is one third, `1-3` is 1e-3, `1+8` is 1e8), then names separated by space,
//!   tab or `-`; a digit 1-9 right after a name is a power (`cm2`); every name after the
//!   first `/` is in the denominator (`mA/cm2-ms` divides by ms too). A name is looked
//!   up as written; if absent, one of the long prefixes (`milli`, `micro`, `kilo`, ...;
//!   see [`table::PREFIXES`]) is stripped and the rest looked up again; failing that a
//!   final `s` is dropped (`coulombs`). Single-letter prefixes are **not** known: `mV`,
//!   `mA`, `um`, `mM`, `nA`, `uS`, `S`, `M`, `mol` are all unknown until a `UNITS` block
//!   declares them, exactly as in NEURON.
//! * The **arithmetic** is NEURON's, in the same order and in `f64`, so factors match the
//!   hexadecimal constants `nocmodl` writes (`static double FARADAY =
//!   0x1.78e555060882cp+16;`). A power multiplies the factor n times rather than by a
//!   precomputed power, and prefixes multiply the looked-up factor before it is applied.
//! * A **conversion factor** `NAME = (from) (to)` is `factor(from) / factor(to)`.
//!   `nocmodl` itself never checks dimensions there (`X = (millivolt) (ms)` silently
//!   gives 1); [`UnitDb::factor`] rejects such a pair the way `modlunit` does, and
//!   [`UnitDb::factor_unchecked`] gives nocmodl's number regardless.
//! * An **alias** `(name) = (text)` stores `name` verbatim; redefining any existing name
//!   (built-in or earlier alias) is an error, as in NEURON.
//!
//! Dimensions are exponents over NEURON's base units, in this order: `m`, `kg`, `sec`,
//! `coul`, `candela`, `dollar`, `bit`, `erlang`, `K` (see [`Dims`]). Note that in this
//! system `mole` is dimensionless, so a concentration `milli/liter` has dimension `/m3`.

mod table;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// Number of base dimensions.
pub const NDIMS: usize = 9;

/// Exponents over the base units `m`, `kg`, `sec`, `coul`, `candela`, `dollar`, `bit`,
/// `erlang`, `K` (in that order; the same base set and order as NEURON's database).
///
/// Displays like NEURON's `modlunit` does, e.g. `m2-kg/sec3-coul`; a dimensionless
/// quantity displays as `1`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
pub struct Dims(pub [i8; NDIMS]);

impl Dims {
    /// The dimensionless exponent vector.
    pub const NONE: Dims = Dims([0; NDIMS]);

    /// Names of the base units, in exponent order.
    pub const BASE_NAMES: [&'static str; NDIMS] = table::BASE_UNITS;

    /// The dimension of base unit `index` (see [`Dims::BASE_NAMES`]).
    pub fn base(index: usize) -> Dims {
        let mut d = Dims::NONE;
        if let Some(e) = d.0.get_mut(index) {
            *e = 1;
        }
        d
    }

    /// True when every exponent is zero.
    pub fn is_dimensionless(&self) -> bool {
        self.0.iter().all(|&e| e == 0)
    }
}

/// Dimension of a product (exponents add, wrapping like NEURON's `char`s).
impl std::ops::Mul for Dims {
    type Output = Dims;
    fn mul(self, other: Dims) -> Dims {
        let mut d = self;
        for (a, b) in d.0.iter_mut().zip(other.0) {
            *a = a.wrapping_add(b);
        }
        d
    }
}

/// Dimension of a quotient.
impl std::ops::Div for Dims {
    type Output = Dims;
    fn div(self, other: Dims) -> Dims {
        let mut d = self;
        for (a, b) in d.0.iter_mut().zip(other.0) {
            *a = a.wrapping_sub(b);
        }
        d
    }
}

impl fmt::Display for Dims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_dimensionless() {
            return f.write_str("1");
        }
        let part = |f: &mut fmt::Formatter<'_>, sign: i8| -> fmt::Result {
            let mut first = true;
            for (name, &e) in Self::BASE_NAMES.iter().zip(&self.0) {
                let e = i16::from(e) * i16::from(sign);
                if e > 0 {
                    if !first {
                        f.write_str("-")?;
                    }
                    first = false;
                    f.write_str(name)?;
                    if e > 1 {
                        write!(f, "{e}")?;
                    }
                }
            }
            Ok(())
        };
        part(f, 1)?;
        if self.0.iter().any(|&e| e < 0) {
            f.write_str("/")?;
            part(f, -1)?;
        }
        Ok(())
    }
}

/// A quantity: a scale factor relative to the database's base units, and its dimension.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct UnitValue {
    /// How many base units (m, kg, sec, coul, ...) one of this unit is.
    pub factor: f64,
    /// Exponents over the base units.
    pub dims: Dims,
}

impl UnitValue {
    /// The dimensionless unit 1.
    pub const ONE: UnitValue = UnitValue {
        factor: 1.0,
        dims: Dims::NONE,
    };
}

impl fmt::Display for UnitValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.factor, self.dims)
    }
}

/// Why a unit text could not be evaluated. Positions are byte offsets into `text`.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum UnitError {
    /// A name that is not in the database, not a prefixed name, and not a plural.
    /// `unit` is the name as written in `text`; [`UnitError::position`] locates it.
    #[error(
        "unknown unit `{unit}` in `({text})`: expected a name from NEURON's units database \
         or declared earlier in a UNITS block, e.g. ({unit}) = (...)"
    )]
    UnknownUnit { unit: String, text: String },
    /// Text that cannot be part of a unit at all.
    #[error("invalid unit `({text})` at byte {position}: expected {expected}")]
    Syntax {
        text: String,
        position: usize,
        expected: String,
    },
    /// `factor`/`convert` between units of different dimensions.
    #[error(
        "cannot convert `({from})` to `({to})`: expected the same dimensions, \
         but `{from}` is {from_dims} and `{to}` is {to_dims}"
    )]
    Incompatible {
        from: String,
        to: String,
        from_dims: String,
        to_dims: String,
    },
    /// An alias for a name the database already has (NEURON: "Units redefinition").
    #[error(
        "redefinition of units `({name})` as `{new}` is not allowed: expected a new name \
         (`{name}` is already {existing})"
    )]
    Redefinition {
        name: String,
        existing: String,
        new: String,
    },
    /// The factor overflowed or was divided by zero (e.g. `(1|0)`).
    #[error("unit `({text})` has no finite scale factor: expected a factor that fits a double")]
    NonFinite { text: String },
}

impl UnitError {
    /// Byte offset into the unit text where the problem starts, when it is one place.
    pub fn position(&self) -> Option<usize> {
        match self {
            UnitError::Syntax { position, .. } => Some(*position),
            // Evaluation stops at the first name it cannot find, and equal names look up
            // equally, so the first token spelled `unit` is the offending one.
            UnitError::UnknownUnit { unit, text } => tokens(text)
                .into_iter()
                .find(|t| &text[t.start..t.end] == unit.as_str())
                .map(|t| t.start),
            _ => None,
        }
    }

    /// Length in bytes of the offending part of the text, when [`Self::position`] is known.
    pub fn span_len(&self) -> Option<usize> {
        match self {
            UnitError::Syntax { .. } => Some(1),
            UnitError::UnknownUnit { unit, .. } => Some(unit.len()),
            _ => None,
        }
    }
}

/// The built-in database plus user aliases from UNITS blocks.
///
/// Cloning is cheap; the built-in table is shared and built once per process.
#[derive(Debug, Clone, Default)]
pub struct UnitDb {
    aliases: HashMap<String, UnitValue>,
}

impl UnitDb {
    /// NEURON's default database, with no aliases.
    pub fn new() -> UnitDb {
        UnitDb::default()
    }

    /// Factor and dimension of a unit text as written between parentheses, e.g.
    /// `"mA/cm2"`, `"/mV"`, `"k-mole"`, `"1|3 sec"`.
    pub fn parse(&self, text: &str) -> Result<UnitValue, UnitError> {
        evaluate(text, &|name| self.lookup_exact(name))
    }

    /// `UNITS { (name) = (value) }`. The value is evaluated first (unknown units in it are
    /// reported first, as in NEURON), then `name` must not exist yet. `name` is stored
    /// verbatim, as nocmodl does; a name that [`UnitDb::alias_is_usable`] rejects is
    /// accepted but can never be referred to.
    pub fn define_alias(&mut self, name: &str, value: &str) -> Result<(), UnitError> {
        let v = self.parse(value)?;
        if let Some(old) = self.lookup_exact(name) {
            return Err(UnitError::Redefinition {
                name: name.to_string(),
                existing: old.to_string(),
                new: v.to_string(),
            });
        }
        self.aliases.insert(name.to_string(), v);
        Ok(())
    }

    /// Whether an alias name can ever be matched by a unit text: false when it is empty
    /// or contains a separator (space, tab, `-`, `/`, a digit 1-9), e.g. `mA/cm2`.
    pub fn alias_is_usable(name: &str) -> bool {
        !name.is_empty() && !name.bytes().any(is_separator)
    }

    /// The aliases defined so far, in no particular order.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &UnitValue)> {
        self.aliases.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// `NAME = (from) (to)`: the number that converts a quantity in `from` to `to`,
    /// computed as nocmodl does (`factor(from) / factor(to)`). Errors if the dimensions
    /// differ.
    pub fn factor(&self, from: &str, to: &str) -> Result<f64, UnitError> {
        let a = self.parse(from)?;
        let b = self.parse(to)?;
        if a.dims != b.dims {
            return Err(UnitError::Incompatible {
                from: from.to_string(),
                to: to.to_string(),
                from_dims: describe(a.dims),
                to_dims: describe(b.dims),
            });
        }
        finite(a.factor / b.factor, from, to)
    }

    /// nocmodl's exact behaviour for `NAME = (from) (to)`: the ratio of the factors
    /// whatever the dimensions (nocmodl does not check them).
    pub fn factor_unchecked(&self, from: &str, to: &str) -> Result<f64, UnitError> {
        let a = self.parse(from)?;
        let b = self.parse(to)?;
        finite(a.factor / b.factor, from, to)
    }

    /// `value` in `from` expressed in `to`: `value * factor(from, to)`.
    pub fn convert(&self, value: f64, from: &str, to: &str) -> Result<f64, UnitError> {
        Ok(value * self.factor(from, to)?)
    }

    /// A name exactly as stored: an alias, a built-in, or the empty name (the number 1,
    /// what remains after stripping a bare prefix such as `milli`).
    fn lookup_exact(&self, name: &str) -> Option<UnitValue> {
        if name.is_empty() {
            return Some(UnitValue::ONE);
        }
        self.aliases
            .get(name)
            .or_else(|| builtin().get(name))
            .copied()
    }
}

/// A dimension for a message: its unit string, or `dimensionless`.
fn describe(d: Dims) -> String {
    if d.is_dimensionless() {
        "dimensionless".to_string()
    } else {
        d.to_string()
    }
}

fn finite(f: f64, from: &str, to: &str) -> Result<f64, UnitError> {
    if f.is_finite() {
        Ok(f)
    } else {
        Err(UnitError::NonFinite {
            text: format!("{from}) / ({to}"),
        })
    }
}

/// The built-in table, evaluated once from [`table::DEFINITIONS`].
fn builtin() -> &'static HashMap<&'static str, UnitValue> {
    static TABLE: OnceLock<HashMap<&'static str, UnitValue>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::with_capacity(table::DEFINITIONS.len() + NDIMS);
        for (i, name) in table::BASE_UNITS.iter().enumerate() {
            map.insert(
                *name,
                UnitValue {
                    factor: 1.0,
                    dims: Dims::base(i),
                },
            );
        }
        for (name, def) in table::DEFINITIONS {
            let value = evaluate(def, &|n| {
                if n.is_empty() {
                    Some(UnitValue::ONE)
                } else {
                    map.get(n).copied()
                }
            });
            // Every definition evaluates (a unit test checks it); a broken one is left
            // out rather than aborting.
            if let Ok(v) = value {
                map.insert(*name, v);
            }
        }
        map
    })
}

/// Separators end a name: NEURON's `convr` treats digits 1-9 (a power), `-`, `/`, space,
/// tab and newline this way. `0` is not one: it is part of a name.
fn is_separator(b: u8) -> bool {
    matches!(b, b'1'..=b'9' | b'-' | b'/' | b' ' | b'\t' | b'\n')
}

/// One name in a unit text, with the separator that ended it (`b'\n'` at the end).
#[derive(Clone, Copy, Debug)]
struct Token {
    start: usize,
    end: usize,
    sep: u8,
    denominator: bool,
}

/// The leading number, as NEURON's `getflt` reads it: returns its value (0 when there
/// is none) and the offset of the first byte after it.
fn leading_number(b: &[u8]) -> (f64, usize) {
    // `a|b|c` is a / (b / c): collect the parts, then fold from the right.
    let mut parts = Vec::new();
    let mut pos = 0;
    loop {
        while matches!(b.get(pos), Some(b' ' | b'\t')) {
            pos += 1;
        }
        let start = pos;
        while matches!(b.get(pos), Some(c) if c.is_ascii_digit() || *c == b'.') {
            pos += 1;
        }
        let mantissa = &b[start..pos];
        let mut exponent: &[u8] = &[];
        if matches!(b.get(pos), Some(b'+' | b'-')) {
            let s = pos;
            pos += 1;
            while matches!(b.get(pos), Some(c) if c.is_ascii_digit()) {
                pos += 1;
            }
            exponent = &b[s..pos];
        }
        parts.push(atof(mantissa, exponent));
        if b.get(pos) == Some(&b'|') {
            pos += 1;
        } else {
            break;
        }
    }
    let mut value = parts.pop().unwrap_or(0.0);
    while let Some(p) = parts.pop() {
        value = p / value;
    }
    (value, pos)
}

/// C `atof` of `mantissa` followed by `e` and `exponent` (a sign and digits): the
/// longest valid prefix, correctly rounded; 0 when there is no digit.
fn atof(mantissa: &[u8], exponent: &[u8]) -> f64 {
    let mut int = String::new();
    let mut frac = String::new();
    let mut dot = false;
    // A second dot ends the number, and then the exponent after it is not reached.
    let mut whole = true;
    for &c in mantissa {
        match c {
            b'.' if !dot => dot = true,
            b'.' => {
                whole = false;
                break;
            }
            d if dot => frac.push(char::from(d)),
            d => int.push(char::from(d)),
        }
    }
    if int.is_empty() && frac.is_empty() {
        return 0.0;
    }
    let mut s = format!(
        "{}.{}",
        if int.is_empty() { "0" } else { &int },
        if frac.is_empty() { "0" } else { &frac }
    );
    if whole && exponent.len() > 1 {
        s.push('e');
        s.extend(exponent.iter().map(|&c| char::from(c)));
    }
    s.parse().unwrap_or(0.0)
}

/// Splits a unit text (after its leading number) into names, as NEURON's `convr` does.
/// Ends at the end of the text; a newline or NUL also ends it (as in NEURON).
fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let (_, mut pos) = leading_number(b);
    let mut out = Vec::new();
    let mut start = pos;
    let mut denominator = false;
    loop {
        let c = match b.get(pos) {
            None | Some(b'\n' | b'\0') => b'\n',
            Some(&c) => c,
        };
        if is_separator(c) {
            if start < pos {
                out.push(Token {
                    start,
                    end: pos,
                    sep: c,
                    denominator,
                });
            }
            if c == b'/' {
                denominator = true;
            }
            if c == b'\n' {
                return out;
            }
            start = pos + 1;
        }
        pos += 1;
    }
}

/// Evaluates a unit text against a name table (`lookup` answers exact names).
fn evaluate(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<UnitValue>,
) -> Result<UnitValue, UnitError> {
    let (number, _) = leading_number(text.as_bytes());
    let mut acc = UnitValue {
        factor: if number == 0.0 { 1.0 } else { number },
        dims: Dims::NONE,
    };
    for t in tokens(text) {
        let written = &text[t.start..t.end];
        let Some((value, e)) = resolve(written, lookup) else {
            return Err(name_error(text, t));
        };
        let reps = if (b'2'..=b'9').contains(&t.sep) {
            t.sep - b'0'
        } else {
            1
        };
        for _ in 0..reps {
            if t.denominator {
                acc.factor /= value.factor * e;
                acc.dims = acc.dims / value.dims;
            } else {
                acc.factor *= value.factor * e;
                acc.dims = acc.dims * value.dims;
            }
        }
    }
    if acc.factor.is_finite() {
        Ok(acc)
    } else {
        Err(UnitError::NonFinite {
            text: text.to_string(),
        })
    }
}

/// NEURON's `lookup` of one name: exact, else strip a long prefix and retry, else drop
/// a final `s` (names of 2+ bytes) and retry. Returns the entry and the product of the
/// stripped prefixes.
fn resolve(name: &str, lookup: &dyn Fn(&str) -> Option<UnitValue>) -> Option<(UnitValue, f64)> {
    let mut name = name;
    let mut e = 1.0;
    loop {
        if let Some(v) = lookup(name) {
            return Some((v, e));
        }
        if let Some((p, f)) = table::PREFIXES.iter().find(|(p, _)| name.starts_with(p)) {
            e *= f;
            name = &name[p.len()..];
        } else if name.len() > 1 && name.ends_with('s') {
            name = &name[..name.len() - 1];
        } else {
            return None;
        }
    }
}

/// The error for a name that did not resolve: a syntax error when it contains something
/// no unit name has, otherwise an unknown unit.
fn name_error(text: &str, t: Token) -> UnitError {
    let written = &text[t.start..t.end];
    let bad = written
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '%' | '$')));
    let syntax = |offset: usize, expected: &str| UnitError::Syntax {
        text: text.to_string(),
        position: t.start + offset,
        expected: expected.to_string(),
    };
    match bad {
        Some((i, '^')) => syntax(i, "a power written as a digit after the name, e.g. cm2"),
        Some((i, '*')) => syntax(i, "a space or `-` between multiplied units, e.g. mA-ms"),
        Some((i, c)) if c == '(' || c == ')' => syntax(i, "a unit name; units do not nest"),
        Some((i, _)) => syntax(
            i,
            "a unit name, a number, a power digit 2-9, `-` or space between units, or `/`",
        ),
        None if written.starts_with('0') => {
            syntax(0, "a unit name (a power is a single digit 2-9)")
        }
        None => UnitError::UnknownUnit {
            unit: written.to_string(),
            text: text.to_string(),
        },
    }
}

#[cfg(test)]
mod nocmodl_reference;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_definition_evaluates_and_names_are_unique() {
        let mut seen = HashSet::new();
        for name in table::BASE_UNITS
            .iter()
            .chain(table::DEFINITIONS.iter().map(|(n, _)| n))
        {
            assert!(seen.insert(*name), "duplicate name {name}");
        }
        assert_eq!(
            builtin().len(),
            table::BASE_UNITS.len() + table::DEFINITIONS.len()
        );
    }

    /// Every built-in name against the constant nocmodl 9.0.2 writes for it.
    #[test]
    fn builtin_table_matches_nocmodl_bit_for_bit() {
        let db = UnitDb::new();
        assert_eq!(nocmodl_reference::NOCMODL_9_0_2.len(), builtin().len());
        for &(name, bits, dims) in nocmodl_reference::NOCMODL_9_0_2 {
            let v = db.parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                v.factor.to_bits(),
                bits,
                "{name}: {} vs {}",
                v.factor,
                f64::from_bits(bits)
            );
            assert_eq!(v.dims.to_string(), dims, "{name}");
        }
    }

    #[test]
    fn leading_number_reads_like_getflt() {
        let n = |s: &str| leading_number(s.as_bytes());
        assert_eq!(n("1|3|7"), (1.0 / (3.0 / 7.0), 5));
        assert_eq!(n("1-3 volt"), (1e-3, 3));
        assert_eq!(n("1+8 um5"), (1e8, 3));
        assert_eq!(n("2-ms"), (2.0, 2));
        assert_eq!(n("  .5 / pi"), (0.5, 4));
        assert_eq!(n("1.5.2 volt"), (1.5, 5));
        assert_eq!(n("1..5+3"), (1.0, 6));
        assert_eq!(n("1.+3"), (1000.0, 4));
        assert_eq!(n(".+5 volt"), (0.0, 3));
        assert_eq!(n("k-mole"), (0.0, 0));
        assert_eq!(n("-volt"), (0.0, 1));
        assert_eq!(n(""), (0.0, 0));
    }

    #[test]
    fn tokens_split_like_convr() {
        let t: Vec<(String, u8, bool)> = tokens("mA/cm2-ms")
            .into_iter()
            .map(|t| {
                (
                    "mA/cm2-ms"[t.start..t.end].to_string(),
                    t.sep,
                    t.denominator,
                )
            })
            .collect();
        assert_eq!(
            t,
            vec![
                ("mA".to_string(), b'/', false),
                ("cm".to_string(), b'2', true),
                ("ms".to_string(), b'\n', true),
            ]
        );
        // `0` is part of a name; the power is the first digit only.
        let t: Vec<&str> = tokens("m10")
            .iter()
            .map(|t| &"m10"[t.start..t.end])
            .collect();
        assert_eq!(t, vec!["m", "0"]);
    }
}
