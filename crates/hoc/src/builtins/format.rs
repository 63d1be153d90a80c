//! C `printf` formatting as HOC uses it (`printf`, `sprint`, `File.printf`,
//! `Vector.printf`) and HOC's number printing (`print` uses `%.8g`).
//!
//! Rust's `{:e}` rounds correctly, as glibc does, so `%e`, `%f` and `%g` are
//! built on it and then reshaped to C's layout (`1.5e+02`, trailing zeros
//! removed by `%g`).

use crate::interp::value::Value;

/// `%.{prec}e` as C prints it: `d.ddde+XX`.
pub fn fmt_e(v: f64, prec: usize, upper: bool) -> String {
    if !v.is_finite() {
        return non_finite(v, upper);
    }
    let s = format!("{:.*e}", prec, v);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    let e = if upper { 'E' } else { 'e' };
    format!("{mant}{e}{sign}{:02}", exp.abs())
}

fn non_finite(v: f64, upper: bool) -> String {
    let s = if v.is_nan() {
        "nan"
    } else if v > 0.0 {
        "inf"
    } else {
        "-inf"
    };
    if upper {
        s.to_uppercase()
    } else {
        s.to_string()
    }
}

/// `%.{prec}g` as C prints it (`alt` is the `#` flag: keep trailing zeros).
pub fn fmt_g(v: f64, prec: usize, alt: bool, upper: bool) -> String {
    if !v.is_finite() {
        return non_finite(v, upper);
    }
    let p = prec.max(1);
    let es = format!("{:.*e}", p - 1, v);
    let exp: i32 = es
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let s = if exp < -4 || exp >= p as i32 {
        fmt_e(v, p - 1, upper)
    } else {
        format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, v)
    };
    if alt {
        return s;
    }
    strip_zeros(&s)
}

fn strip_zeros(s: &str) -> String {
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    if !mant.contains('.') {
        return s.to_string();
    }
    let m = mant.trim_end_matches('0').trim_end_matches('.');
    format!("{m}{exp}")
}

/// HOC's `print` of a number.
pub fn fmt_num(v: f64) -> String {
    fmt_g(v, 8, false, false)
}

/// Widths and precisions are capped (a typo must not allocate gigabytes).
const MAX_PREC: usize = 1000;

#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

fn pad(spec: &Spec, body: String, numeric: bool) -> String {
    let n = body.chars().count();
    if n >= spec.width {
        return body;
    }
    let fill = spec.width - n;
    if spec.left {
        return format!("{body}{}", " ".repeat(fill));
    }
    if spec.zero && numeric {
        let (sign, digits) = match body.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
            _ => (String::new(), body),
        };
        return format!("{sign}{}{digits}", "0".repeat(fill));
    }
    format!("{}{body}", " ".repeat(fill))
}

fn signed(spec: &Spec, s: String, neg: bool) -> String {
    if neg || s.starts_with('-') {
        s
    } else if spec.plus {
        format!("+{s}")
    } else if spec.space {
        format!(" {s}")
    } else {
        s
    }
}

fn conv_num(spec: &Spec, conv: char, v: f64) -> String {
    let body = match conv {
        'd' | 'i' => {
            let n = v as i64;
            let mut s = n.abs().to_string();
            if let Some(p) = spec.prec {
                while s.len() < p {
                    s.insert(0, '0');
                }
            }
            signed(spec, if n < 0 { format!("-{s}") } else { s }, false)
        }
        'o' => format!("{:o}", v as i64),
        'x' => format!("{:x}", v as i64),
        'X' => format!("{:X}", v as i64),
        'c' => char::from_u32(v as u32)
            .map(String::from)
            .unwrap_or_default(),
        'f' | 'F' => signed(spec, format!("{:.*}", spec.prec.unwrap_or(6), v), false),
        'e' | 'E' => signed(spec, fmt_e(v, spec.prec.unwrap_or(6), conv == 'E'), false),
        _ => signed(
            spec,
            fmt_g(v, spec.prec.unwrap_or(6), spec.alt, conv == 'G'),
            false,
        ),
    };
    pad(spec, body, conv != 'c')
}

fn parse_spec(chars: &[char], i: &mut usize) -> Spec {
    let mut spec = Spec::default();
    while let Some(c) = chars.get(*i) {
        match c {
            '-' => spec.left = true,
            '+' => spec.plus = true,
            ' ' => spec.space = true,
            '#' => spec.alt = true,
            '0' => spec.zero = true,
            _ => break,
        }
        *i += 1;
    }
    while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
        spec.width = (spec.width * 10 + d as usize).min(MAX_PREC);
        *i += 1;
    }
    if chars.get(*i) == Some(&'.') {
        *i += 1;
        let mut p = 0;
        while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
            p = (p * 10 + d as usize).min(MAX_PREC);
            *i += 1;
        }
        spec.prec = Some(p.min(MAX_PREC));
    }
    while matches!(chars.get(*i), Some('l' | 'h')) {
        *i += 1;
    }
    spec
}

/// Formats `fmt` with `args` as HOC's `sprint`/`printf` do. Errors name the
/// conversion and the argument that did not fit it.
pub fn sprintf(fmt: &str, args: &[Value]) -> Result<String, String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut next = args.iter();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let spec = parse_spec(&chars, &mut i);
        let Some(&conv) = chars.get(i) else {
            out.push('%');
            break;
        };
        i += 1;
        let arg = next
            .next()
            .ok_or_else(|| format!("not enough arguments for the format \"{fmt}\""))?;
        out.push_str(&convert(&spec, conv, arg)?);
    }
    Ok(out)
}

fn convert(spec: &Spec, conv: char, arg: &Value) -> Result<String, String> {
    match (conv, arg) {
        ('s', Value::Str(s)) => {
            let s = match spec.prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.clone(),
            };
            Ok(pad(spec, s, false))
        }
        ('s', Value::Num(v)) => Ok(pad(spec, fmt_num(*v), false)),
        ('s', Value::Obj(o)) => Ok(pad(spec, obj_name(o), false)),
        ('d' | 'i' | 'o' | 'x' | 'X' | 'c' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G', Value::Num(v)) => {
            Ok(conv_num(spec, conv, *v))
        }
        (c, Value::Str(_)) if "dioxXcfFeEgG".contains(c) => {
            Err(format!("%{c} needs a number but the argument is a string"))
        }
        (c, v) => Err(format!("format %{c} cannot print {}", v.type_name())),
    }
}

/// `Vector[0]` or `NULLobject`.
pub fn obj_name(o: &Option<crate::interp::value::ObjRef>) -> String {
    match o {
        Some(o) => o.to_string(),
        None => "NULLobject".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_like_c() {
        assert_eq!(fmt_num(1.0 / 3.0), "0.33333333");
        assert_eq!(fmt_num(123456789.0), "1.2345679e+08");
        assert_eq!(fmt_num(1e-5), "1e-05");
        assert_eq!(fmt_num(100000000.0), "1e+08");
        assert_eq!(fmt_num(-0.0), "-0");
        assert_eq!(fmt_num(96485.33212), "96485.332");
        assert_eq!(fmt_g(0.0001, 6, false, false), "0.0001");
    }

    #[test]
    fn printf_conversions() {
        let a = [
            Value::Num(1.0 / 3.0),
            Value::Num(3.7),
            Value::Str("hi".into()),
            Value::Num(2.345),
            Value::Str("ab".into()),
            Value::Num(12345.678),
        ];
        assert_eq!(
            sprintf("%g %d %s %5.2f|%-6s|%e\n", &a).as_deref(),
            Ok("0.333333 3 hi  2.35|ab    |1.234568e+04\n")
        );
        let b = [Value::Num(3.0625), Value::Num(255.0), Value::Num(65.0)];
        assert_eq!(
            sprintf("%05.1f|%x|%c|%%", &b).as_deref(),
            Ok("003.1|ff|A|%")
        );
    }
}
