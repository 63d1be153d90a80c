//! NEURON's own Import3d (hoc code from the `neuron` wheel) running in
//! Neurite's interpreter on a real morphology: a large test of the language
//! (templates, File, Matrix, String, sscanf, regular expressions, execute
//! with an object context). Runs when `NEURITE_NRN_HOC_LIB` names NEURON's
//! `share/nrn/lib/hoc` folder and `NEURITE_SWC` an SWC file; otherwise passes.
//! With NEURON 9.0.2's import3d and bmtk's `Nr5a1_471087815_m.swc`, nrniv
//! makes 38 sections, `soma[0]` with 3 points and `dend[3]` with 52.

use neurite_hoc::{CapturedOutput, Interpreter, MemorySim};

#[test]
fn import3d_reads_an_swc_morphology() {
    let (Ok(lib), Ok(swc)) = (
        std::env::var("NEURITE_NRN_HOC_LIB"),
        std::env::var("NEURITE_SWC"),
    ) else {
        return;
    };
    let code = format!(
        "xopen(\"{lib}/import3d.hoc\")\nobjref nl, imp\nnl = new Import3d_SWC_read()\n\
         nl.quiet = 1\nnl.input(\"{swc}\")\nimp = new Import3d_GUI(nl, 0)\n\
         imp.instantiate(nil)\nn = 0\nforall n += 1\nprint n\n\
         soma[0] print secname(), \" \", n3d()\n"
    );
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(MemorySim::new()), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    let r = it.execute_str(&code, "import3d_test.hoc");
    assert!(r.is_ok(), "{r:?}\n{}", out.text());
    let text = out.text();
    let lines: Vec<&str> = text.lines().rev().take(2).collect();
    let n: f64 = lines[1].trim().parse().unwrap_or(0.0);
    assert!(n > 1.0, "{text}");
    assert!(lines[0].starts_with("soma[0] "), "{text}");
    if swc.ends_with("Nr5a1_471087815_m.swc") {
        assert_eq!(n, 38.0);
        assert_eq!(lines[0], "soma[0] 3 ");
    }
}
