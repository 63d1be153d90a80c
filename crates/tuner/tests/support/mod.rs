//! Reading `tests/reference/data/bmtool_*.json` (see `bmtool_README.md` beside them).

#![allow(dead_code)]

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The repository's `tests/reference/data` folder.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/data")
}

pub fn load<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = data_dir().join(name);
    let text = std::fs::read_to_string(&path).expect("reference data file");
    serde_json::from_str(&text).expect("reference data parses")
}

/// A stored trace: samples from `start`, `prefix` before it when known.
#[derive(Debug, Deserialize)]
pub struct StoredTrace {
    pub start: usize,
    pub len_full: usize,
    pub prefix: Option<f64>,
    pub f64le_base64: String,
}

impl StoredTrace {
    /// The whole trace; unknown samples before `start` are NaN.
    pub fn full(&self) -> Vec<f64> {
        let head = self.prefix.unwrap_or(f64::NAN);
        let mut out = vec![head; self.start];
        let bytes = decode_base64(&self.f64le_base64);
        out.extend(bytes.chunks_exact(8).map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            f64::from_le_bytes(b)
        }));
        assert_eq!(out.len(), self.len_full, "stored trace length");
        out
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a') as u32 + 26,
            b'0'..=b'9' => (c - b'0') as u32 + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut acc = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            acc |= value(c) << (18 - 6 * k);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[derive(Debug, Deserialize)]
pub struct SynapseFile {
    pub versions: BTreeMap<String, String>,
    pub settings: serde_json::Value,
    pub single: Run,
    pub train: Run,
    pub frequency_response: FrequencyData,
    pub train_single_netcon: Run,
}

/// bmtool's `stp_frequency_response` at its default frequencies (no traces).
#[derive(Debug, Deserialize)]
pub struct FrequencyData {
    pub frequencies: Vec<f64>,
    #[serde(rename = "amplitudes_nA")]
    pub amplitudes_na: Vec<Vec<f64>>,
    pub ppr: Vec<f64>,
    pub simple_ppr: Vec<f64>,
    pub induction: Vec<f64>,
    pub recovery: Vec<f64>,
}

#[derive(Debug, Deserialize)]
pub struct Run {
    pub dt: f64,
    pub tstop: f64,
    pub t_last: f64,
    pub spike_times: Vec<f64>,
    pub traces: BTreeMap<String, StoredTrace>,
    pub bmtool: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
}

impl Run {
    pub fn trace(&self, name: &str) -> Vec<f64> {
        match self.traces.get(name) {
            Some(t) => t.full(),
            None => vec![f64::NAN; self.traces["i"].len_full],
        }
    }

    pub fn number(&self, mode: &str, key: &str) -> f64 {
        self.bmtool[mode][key].as_f64().expect("a number")
    }

    pub fn numbers(&self, mode: &str, key: &str) -> Vec<f64> {
        let list = self.bmtool[mode][key].as_array().expect("a list");
        list.iter().map(|v| v.as_f64().expect("a number")).collect()
    }
}

#[derive(Debug, Deserialize)]
pub struct GapFile {
    pub versions: BTreeMap<String, String>,
    pub dt: f64,
    pub runs: Vec<GapRun>,
}

#[derive(Debug, Deserialize)]
pub struct GapRun {
    pub bmtool_resistance_argument: f64,
    #[serde(rename = "gap_g_uS")]
    pub gap_g_us: f64,
    pub cc: f64,
    pub windows: Vec<GapWindow>,
    pub plot: GapPlot,
}

#[derive(Debug, Deserialize)]
pub struct GapWindow {
    pub start: usize,
    pub t: Vec<f64>,
    pub v1: Vec<f64>,
    pub v2: Vec<f64>,
}

#[derive(Debug, Deserialize)]
pub struct GapPlot {
    pub step: usize,
    pub t: Vec<f64>,
    pub v1: Vec<f64>,
    pub v2: Vec<f64>,
}

/// `|a - b| <= rel·|b| + abs`.
pub fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    (a - b).abs() <= rel * b.abs() + abs
}
