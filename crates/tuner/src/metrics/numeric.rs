//! Small numerical helpers with NumPy's and SciPy's exact semantics: the first local
//! maximum as `scipy.signal.find_peaks` finds it (plateaus resolved to their middle),
//! `numpy.percentile` with linear interpolation, the trapezoid rule, and the index
//! `floor(t / dt)` bmtool uses to turn a time into a sample.

/// The first index `i` with `pred(x[i])`, as bmtool's `_find_first(mask)`.
pub(crate) fn find_first(x: &[f64], pred: impl Fn(f64) -> bool) -> Option<usize> {
    x.iter().position(|&v| pred(v))
}

/// The first index `i` with `x[i + 1] - x[i] > 0` (`np.diff(x) > 0`).
pub(crate) fn first_rise(x: &[f64]) -> Option<usize> {
    x.windows(2).position(|w| w[1] - w[0] > 0.0)
}

/// The first local maximum of `x` as `scipy.signal.find_peaks(x)[0][0]` finds it:
/// a sample higher than its left neighbour followed by equal samples and then a
/// lower one; for a plateau, the middle sample (rounded down). Endpoints are never
/// peaks.
pub(crate) fn first_peak(x: &[f64]) -> Option<usize> {
    let n = x.len();
    if n < 3 {
        return None;
    }
    let last = n - 1;
    let mut i = 1;
    while i < last {
        if x[i - 1] < x[i] {
            let mut ahead = i + 1;
            while ahead < last && x[ahead] == x[i] {
                ahead += 1;
            }
            if x[ahead] < x[i] {
                return Some((i + ahead - 1) / 2);
            }
        }
        i += 1;
    }
    None
}

/// The index of the first largest `|x[i]|` (`np.argmax(np.abs(x))`).
pub(crate) fn argmax_abs(x: &[f64]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, &v) in x.iter().enumerate() {
        let a = v.abs();
        match best {
            Some((_, b)) if a <= b => {}
            _ => best = Some((i, a)),
        }
    }
    best.map(|(i, _)| i)
}

/// `np.sign`: -1, 0 or 1 (NaN stays NaN).
pub(crate) fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x * 0.0
    }
}

/// `np.percentile(x, q)` with NumPy's default linear interpolation, including its
/// way of interpolating from the upper neighbour when the fraction is at least 0.5.
pub(crate) fn percentile(x: &[f64], q: f64) -> Option<f64> {
    if x.is_empty() || x.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let pos = (sorted.len() - 1) as f64 * (q / 100.0);
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = pos - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi]);
    let diff = b - a;
    Some(if frac >= 0.5 {
        b - diff * (1.0 - frac)
    } else {
        a + diff * frac
    })
}

/// The mean of `x[from..to]` clipped to `x`'s length (NumPy slicing), `None` when the
/// clipped slice is empty.
pub(crate) fn mean_of(x: &[f64], from: usize, to: usize) -> Option<f64> {
    let to = to.min(x.len());
    let slice = x.get(from..to).filter(|s| !s.is_empty())?;
    Some(slice.iter().sum::<f64>() / slice.len() as f64)
}

/// The trapezoid rule with a constant step (`np.trapz(y, dx=dt)`).
pub(crate) fn trapezoid(y: &[f64], dt: f64) -> f64 {
    y.windows(2).map(|w| dt * (w[0] + w[1]) / 2.0).sum()
}

/// `floor(t / dt)` as a sample index, `None` when negative or not finite.
pub(crate) fn sample_index(t: f64, dt: f64) -> Option<usize> {
    let k = (t / dt).floor();
    (k.is_finite() && k >= 0.0 && k < usize::MAX as f64).then_some(k as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_follow_scipy() {
        assert_eq!(first_peak(&[0.0, 1.0, 0.0]), Some(1));
        assert_eq!(first_peak(&[0.0, 1.0, 1.0, 1.0, 1.0, 0.0]), Some(2));
        assert_eq!(first_peak(&[0.0, 1.0, 1.0, 2.0, 0.0]), Some(3));
        assert_eq!(first_peak(&[0.0, 1.0, 2.0]), None);
        assert_eq!(first_peak(&[2.0, 1.0, 1.0]), None);
        assert_eq!(first_peak(&[]), None);
        assert_eq!(first_peak(&[0.0, 2.0, 1.0, 1.0, 3.0, 0.0]), Some(1));
    }

    #[test]
    fn percentile_matches_numpy() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((percentile(&x, 90.0).unwrap_or(0.0) - 7.6).abs() < 1e-12);
        assert_eq!(percentile(&[5.0], 90.0), Some(5.0));
        assert_eq!(percentile(&[], 90.0), None);
    }

    #[test]
    fn helpers() {
        assert_eq!(argmax_abs(&[1.0, -3.0, 3.0]), Some(1));
        assert_eq!(first_rise(&[3.0, 2.0, 2.0, 4.0]), Some(2));
        assert_eq!(mean_of(&[1.0, 2.0, 3.0], 1, 10), Some(2.5));
        assert_eq!(mean_of(&[1.0], 1, 2), None);
        assert!((trapezoid(&[0.0, 1.0, 2.0], 0.5) - 1.0).abs() < 1e-15);
        assert_eq!(sample_index(-1.0, 0.1), None);
        assert_eq!(sample_index(0.25, 0.1), Some(2));
    }
}
