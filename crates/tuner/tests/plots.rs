//! The figures bmtool draws, from the reference runs: they render, carry bmtool's
//! titles and labels, and number the train's peaks.

mod support;

use neurite_tuner::metrics::{stp_ratios, train_response};
use neurite_tuner::plot::{
    frequency_response, gap_voltages, synapse_traces, write_svg, TracePanel,
};
use neurite_tuner::report::FrequencyResponse;
use neurite_tuner::{MetricsMode, Recording};
use support::{load, GapFile, SynapseFile};

#[test]
fn train_figure_numbers_the_peaks() {
    let file: SynapseFile = load("bmtool_synapse_exc.json");
    let run = &file.train;
    let syn = run.trace("i");
    let clamp = run.trace("ivcl");
    let rec = Recording {
        dt: run.dt,
        spike_times: &run.spike_times,
        syn_current: &syn,
        clamp_current: &clamp,
    };
    let r = train_response(&rec, false, run.tstop, 1.3, MetricsMode::Correct).expect("train");
    let t: Vec<f64> = (0..syn.len()).map(|k| k as f64 * run.dt).collect();
    let pa: Vec<f64> = syn.iter().map(|v| (v - r.baseline) * 1000.0).collect();
    let clamp_pa: Vec<f64> = clamp.iter().map(|v| v * 1000.0).collect();
    let panels = [
        TracePanel {
            t: &t,
            y: &pa,
            y_label: "Synaptic Current (pA)",
            peaks: &r.peak_indices,
        },
        TracePanel {
            t: &t,
            y: &clamp_pa,
            y_label: "VClamp Current (pA)",
            peaks: &[],
        },
    ];
    let xlim = (500.0 - 20.0 / 3.0, run.tstop);
    let svg = synapse_traces("exc", &panels, xlim).expect("svg");
    assert!(svg.starts_with("<svg"), "{}", &svg[..60.min(svg.len())]);
    let path = std::env::temp_dir().join("neurite-tuner-train.svg");
    write_svg(&path, &svg).expect("written");
    for text in [
        "Connection: exc",
        "Synaptic Current (pA)",
        "VClamp Current (pA)",
        "Time (ms)",
    ] {
        assert!(svg.contains(text), "missing {text}");
    }
    let labels = texts(&svg);
    for n in 1..=12 {
        assert!(labels.contains(&n.to_string()), "peak {n} is not numbered");
    }
}

#[test]
fn frequency_panels() {
    let file: SynapseFile = load("bmtool_synapse_inh.json");
    let data = &file.frequency_response;
    let mut resp = FrequencyResponse::default();
    for (f, amps) in data.frequencies.iter().zip(&data.amplitudes_na) {
        resp.push(*f, &stp_ratios(amps).expect("ratios"));
    }
    for log_x in [true, false] {
        let svg = frequency_response(&resp, log_x).expect("svg");
        let path = std::env::temp_dir().join(format!("neurite-tuner-frequency-{log_x}.svg"));
        write_svg(&path, &svg).expect("written");
        for text in [
            "PPR vs Frequency",
            "Induction vs Frequency",
            "Recovery vs Frequency",
            "Simple PPR",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }
    assert!(frequency_response(&FrequencyResponse::default(), true).is_err());
}

#[test]
fn gap_figure() {
    let file: GapFile = load("bmtool_gap.json");
    let run = &file.runs[1];
    let p = &run.plot;
    let svg = gap_voltages("NeuritePassive", &p.t, &p.v1, &p.v2, (400.0, 1100.0)).expect("svg");
    let path = std::env::temp_dir().join("neurite-tuner-gap.svg");
    write_svg(&path, &svg).expect("written");
    for text in [
        "NeuritePassive gap junction",
        "NeuritePassive 1",
        "NeuritePassive 2",
        "Membrane Voltage (mV)",
    ] {
        assert!(svg.contains(text), "missing {text}");
    }
    assert!(gap_voltages("x", &p.t, &p.v1[..3], &p.v2, (400.0, 1100.0)).is_err());
    assert!(gap_voltages("x", &p.t, &p.v1, &p.v2, (5000.0, 6000.0)).is_err());
}

/// The contents of the SVG's `<text>` elements, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("</text>")
        .filter_map(|chunk| chunk.rsplit_once('>'))
        .map(|(_, text)| text.trim().to_string())
        .collect()
}
