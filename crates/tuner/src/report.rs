//! Reports: the JSON the tuner writes, with bmtool's key names and units.
//!
//! The last stage: it takes computed metrics and converts units, nothing else.
//! Units are bmtool's: `amp` and `baseline` in nA, train `amplitudes` in pA, times in
//! ms, `integral` in pA·ms, `conductance_uS` in µS, `resistance_MOhm` in MΩ (see
//! [`GapResistance`] for bmtool's mislabelled "resistance"). A key with no value is
//! left out; a non-finite number is written as `null`.

use crate::metrics::{GapResistance, SingleEvent, StpRatios, TrainResponse};
use crate::MetricsMode;
use serde::{Deserialize, Serialize};

/// The synapse tuner's result for one connection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SynapseReport {
    /// The connection's name in `conn_type_settings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    /// Which definitions produced the numbers.
    pub metrics: MetricsMode,
    /// Peak of the sign-corrected response (nA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amp: Option<f64>,
    /// ms from the spike to the first rising sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<f64>,
    /// ms between the `rise_interval` fractions of the peak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rise_time: Option<f64>,
    /// ms, τ of the fitted exponential decay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay_time: Option<f64>,
    /// ms above half the peak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_width: Option<f64>,
    /// nA at the spike sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// ±1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<f64>,
    /// pA·ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integral: Option<f64>,
    /// Train amplitudes, one a pulse (pA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amplitudes: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ppr: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simple_ppr: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub induction: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<f64>,
}

impl SynapseReport {
    /// An empty report for `connection` in `mode`.
    pub fn new(connection: Option<String>, metrics: MetricsMode) -> Self {
        SynapseReport {
            connection,
            metrics,
            ..SynapseReport::default()
        }
    }

    /// Adds a single event's properties and integral.
    pub fn with_single(mut self, event: &SingleEvent) -> Self {
        let p = &event.props;
        self.amp = Some(p.amp);
        self.latency = Some(p.latency);
        self.rise_time = Some(p.rise_time);
        self.decay_time = Some(p.decay_time);
        self.half_width = Some(p.half_width);
        self.baseline = Some(p.baseline);
        self.sign = Some(p.sign);
        self.integral = Some(event.integral);
        self
    }

    /// Adds a train's amplitudes (converted from nA to pA) and ratios.
    pub fn with_train(mut self, train: &TrainResponse, ratios: &StpRatios) -> Self {
        self.amplitudes = Some(train.amplitudes.iter().map(|a| a * 1000.0).collect());
        self.ppr = Some(ratios.ppr);
        self.simple_ppr = Some(ratios.simple_ppr);
        self.induction = Some(ratios.induction);
        self.recovery = Some(ratios.recovery);
        self
    }
}

/// The gap-junction tuner's result for one conductance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    pub metrics: MetricsMode,
    /// Coupling coefficient ΔV2/ΔV1.
    pub cc: f64,
    /// The Gap's `g` (µS).
    #[serde(rename = "conductance_uS")]
    pub conductance_us: f64,
    /// 1/g in MΩ; bmtool's number (g itself) with `"metrics": "bmtool"`.
    #[serde(rename = "resistance_MOhm")]
    pub resistance_mohm: f64,
}

impl GapReport {
    /// A report from a coupling coefficient and the junction's strength.
    pub fn new(
        connection: Option<String>,
        metrics: MetricsMode,
        cc: f64,
        gap: GapResistance,
    ) -> Self {
        GapReport {
            connection,
            metrics,
            cc,
            conductance_us: gap.conductance_uS,
            resistance_mohm: gap.resistance_MOhm,
        }
    }
}

/// bmtool's `stp_frequency_response` result: the ratios at each train frequency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrequencyResponse {
    /// Hz.
    pub frequencies: Vec<f64>,
    pub ppr: Vec<f64>,
    pub simple_ppr: Vec<f64>,
    pub induction: Vec<f64>,
    pub recovery: Vec<f64>,
}

impl FrequencyResponse {
    /// Appends the ratios measured at `frequency` (Hz).
    pub fn push(&mut self, frequency: f64, ratios: &StpRatios) {
        self.frequencies.push(frequency);
        self.ppr.push(ratios.ppr);
        self.simple_ppr.push(ratios.simple_ppr);
        self.induction.push(ratios.induction);
        self.recovery.push(ratios.recovery);
    }
}

/// Pretty JSON for any report (non-finite numbers become `null`).
pub fn to_json<T: Serialize>(report: &T) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_keys_are_bmtools() {
        let g = GapResistance::from_conductance(0.002, MetricsMode::Correct).expect("g");
        let json = to_json(&GapReport::new(None, MetricsMode::Correct, 0.3, g));
        for key in [
            "\"cc\"",
            "\"conductance_uS\"",
            "\"resistance_MOhm\"",
            "\"correct\"",
        ] {
            assert!(json.contains(key), "{json}");
        }
    }

    #[test]
    fn empty_keys_are_left_out() {
        let json = to_json(&SynapseReport::new(Some("exc".into()), MetricsMode::Bmtool));
        assert!(
            json.contains("\"bmtool\"") && !json.contains("amp"),
            "{json}"
        );
    }
}
