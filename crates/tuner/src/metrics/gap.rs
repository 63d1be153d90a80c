//! Gap-junction metrics (bmtool's `GapJunctionTuner.coupling_coefficient`) and the
//! conductance/resistance bmtool mislabels.

use super::{MetricsError, MetricsMode};

/// The coupling coefficient ΔV2/ΔV1 over the current step into cell 1.
///
/// ΔV is taken between the last sample with `t < t_start` and the last with
/// `t < t_end` (bmtool: `np.nonzero(t < t_start)[0][-1]`), in both cells. `t` must be
/// increasing; it may be any increasing subsequence of the recording's times (with
/// the matching voltages) that holds those two samples.
pub fn coupling_coefficient(
    t: &[f64],
    v1: &[f64],
    v2: &[f64],
    t_start: f64,
    t_end: f64,
) -> Result<f64, MetricsError> {
    if v1.len() != t.len() || v2.len() != t.len() {
        return Err(MetricsError::LengthMismatch {
            what: format!("t {}, v1 {}, v2 {}", t.len(), v1.len(), v2.len()),
        });
    }
    let last_before = |time: f64| {
        t.iter()
            .rposition(|&x| x < time)
            .ok_or(MetricsError::NoSampleBefore { time })
    };
    let (i1, i2) = (last_before(t_start)?, last_before(t_end)?);
    let dv1 = v1[i2] - v1[i1];
    let dv2 = v2[i2] - v2[i1];
    for (index, v) in [(i1, v1[i1]), (i2, v1[i2])] {
        if !v.is_finite() {
            return Err(MetricsError::NonFinite { trace: "v1", index });
        }
    }
    if dv1 == 0.0 {
        return Err(MetricsError::ZeroDenominator {
            metric: "cc",
            denominator: "the voltage change of cell 1",
        });
    }
    Ok(dv2 / dv1)
}

/// A gap junction's strength as reported.
///
/// The Gap mechanism's `g` is a conductance in µS. bmtool passes it as "resistance"
/// and labels it MΩ: its "resistance" is the conductance in µS. In
/// [`MetricsMode::Correct`] `resistance_MOhm` is `1/g` (µS⁻¹ = MΩ); in
/// [`MetricsMode::Bmtool`] it is bmtool's number, `g` itself.
#[derive(Clone, Copy, Debug, PartialEq)]
#[allow(non_snake_case)]
pub struct GapResistance {
    pub conductance_uS: f64,
    pub resistance_MOhm: f64,
}

impl GapResistance {
    /// From the Gap's conductance `g` (µS). `g = 0` has infinite resistance, which
    /// JSON cannot hold: the error names it.
    pub fn from_conductance(g: f64, mode: MetricsMode) -> Result<Self, MetricsError> {
        let resistance = match mode {
            MetricsMode::Bmtool => g,
            MetricsMode::Correct if g == 0.0 => {
                return Err(MetricsError::ZeroDenominator {
                    metric: "resistance_MOhm",
                    denominator: "the gap conductance",
                })
            }
            MetricsMode::Correct => 1.0 / g,
        };
        Ok(GapResistance {
            conductance_uS: g,
            resistance_MOhm: resistance,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coupling_from_last_samples_before_edges() {
        let t = [0.0, 1.0, 2.0, 3.0, 4.0];
        let v1 = [-70.0, -70.0, -74.0, -74.0, -70.0];
        let v2 = [-70.0, -70.0, -71.0, -71.0, -70.0];
        let cc = coupling_coefficient(&t, &v1, &v2, 1.5, 3.5).expect("cc");
        assert!((cc - 0.25).abs() < 1e-12);
        assert!(coupling_coefficient(&t, &v1, &v2, 0.0, 3.5).is_err());
        assert!(coupling_coefficient(&t, &v1, &v1[..2], 1.5, 3.5).is_err());
        assert!(coupling_coefficient(&t, &v2, &v1, 0.5, 1.5).is_err());
    }

    #[test]
    fn resistance_modes() {
        let c = GapResistance::from_conductance(0.001, MetricsMode::Correct).expect("g");
        assert!((c.resistance_MOhm - 1000.0).abs() < 1e-9);
        let b = GapResistance::from_conductance(0.001, MetricsMode::Bmtool).expect("g");
        assert_eq!(b.resistance_MOhm, 0.001);
        assert!(GapResistance::from_conductance(0.0, MetricsMode::Correct).is_err());
    }
}
