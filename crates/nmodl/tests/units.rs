//! Tests of the units module against numbers measured from NEURON 9.0.2.
//!
//! Every expected factor below is the constant `nocmodl` 9.0.2 writes into the
//! generated C++ for a `UNITS` line `X = (from) (to)` (it prints them with `%a`, so they
//! are exact; the hexadecimal form is in each comment), run with `MODLUNIT` pointing at
//! the wheel's `share/nrn/lib/nrnunits.lib` as `nrnivmodl` does. Dimensions are the unit
//! strings `modlunit` 9.0.2 prints. Comparisons are bit-exact.

use approx::assert_relative_eq;
use neurite_nmodl::units::{Dims, UnitDb, UnitError};
use proptest::prelude::*;

/// The aliases most mod files declare, in a valid order (each may use earlier ones).
const COMMON_ALIASES: &[(&str, &str)] = &[
    ("mA", "milliamp"),
    ("mV", "millivolt"),
    ("nA", "nanoamp"),
    ("pA", "picoamp"),
    ("uA", "microamp"),
    ("S", "siemens"),
    ("mS", "millisiemens"),
    ("uS", "microsiemens"),
    ("nS", "nanosiemens"),
    ("pS", "picosiemens"),
    ("um", "micron"),
    ("mM", "milli/liter"),
    ("uM", "micro/liter"),
    ("nM", "nano/liter"),
    ("M", "1/liter"),
    ("molar", "1/liter"),
    ("mol", "1"),
    ("uF", "microfarad"),
    ("MOhm", "megohm"),
    ("l", "liter"),
    ("celsius", "degC"),
];

fn db_with(aliases: &[(&str, &str)]) -> UnitDb {
    let mut db = UnitDb::new();
    for (name, value) in aliases {
        if let Err(e) = db.define_alias(name, value) {
            panic!("({name}) = ({value}): {e}");
        }
    }
    db
}

/// `X = (from) (to)` with [`COMMON_ALIASES`]: (from, to, what nocmodl 9.0.2 writes).
#[rustfmt::skip]
const CONVERSIONS: &[(&str, &str, f64)] = &[
    ("faraday", "coulomb", 96485.33212331001), // 0x1.78e555060882cp+16
    ("faraday", "kilocoulombs", 96.48533212331002), // 0x1.81f0fae775425p+6
    ("faraday", "coul", 96485.33212331001), // 0x1.78e555060882cp+16
    ("k-mole", "joule/degC", 8.31446261815324), // 0x1.0a1013e8990bep+3
    ("k-mole", "joule/kelvin", 8.31446261815324), // 0x1.0a1013e8990bep+3
    ("mV", "volt", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("volt", "mV", 1000.0), // 0x1.f4p+9
    ("millivolt", "volt", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("mA/cm2", "amp/m2", 10.0), // 0x1.4p+3
    ("mA/cm2", "nA/um2", 0.009999999999999998), // 0x1.47ae147ae147ap-7
    ("nA", "mA", 1e-06), // 0x1.0c6f7a0b5ed8dp-20
    ("mA", "nA", 1000000.0), // 0x1.e848p+19
    ("S/cm2", "mho/cm2", 1.0), // 0x1p+0
    ("pS/um2", "S/cm2", 0.0001), // 0x1.a36e2eb1c432dp-14
    ("S/cm2", "pS/um2", 10000.0), // 0x1.388p+13
    ("mS/cm2", "S/cm2", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("uS", "S", 1e-06), // 0x1.0c6f7a0b5ed8dp-20
    ("nS", "uS", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("um", "cm", 9.999999999999999e-05), // 0x1.a36e2eb1c432cp-14
    ("micron", "m", 1e-06), // 0x1.0c6f7a0b5ed8dp-20
    ("um2", "cm2", 9.999999999999999e-09), // 0x1.5798ee2308c39p-27
    ("um3", "liter", 9.999999999999997e-16), // 0x1.203af9ee75614p-50
    ("mM", "M", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("M", "mM", 1000.0), // 0x1.f4p+9
    ("mM", "milli/liter", 1.0), // 0x1p+0
    ("uM", "mM", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("1/ms", "/s", 1000.0), // 0x1.f4p+9
    ("/ms", "/s", 1000.0), // 0x1.f4p+9
    ("/mV", "/volt", 1000.0), // 0x1.f4p+9
    ("ms", "sec", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("ms", "s", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("degC", "kelvin", 1.0), // 0x1p+0
    ("celsius", "K", 1.0), // 0x1p+0
    ("e", "coulomb", 1.602176634e-19), // 0x1.7a4da290c1653p-63
    ("k", "joule/kelvin", 1.380649e-23), // 0x1.0b0e6d55e647cp-76
    ("boltzmann", "joule/K", 1.380649e-23), // 0x1.0b0e6d55e647cp-76
    ("mole", "1", 6.02214076e+23), // 0x1.fe185ca57c517p+78
    ("mol", "1", 1.0), // 0x1p+0
    ("liter", "cm3", 1000.0000000000001), // 0x1.f400000000001p+9
    ("cm3", "liter", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("nA/um2", "mA/cm2", 100.00000000000001), // 0x1.9000000000001p+6
    ("cm", "um", 10000.0), // 0x1.388p+13
    ("uF/cm2", "farad/m2", 0.009999999999999998), // 0x1.47ae147ae147ap-7
    ("mA-ms", "coul", 1e-06), // 0x1.0c6f7a0b5ed8dp-20
    ("mA ms", "microcoul", 1.0), // 0x1p+0
    ("MOhm", "ohm", 1000000.0), // 0x1.e848p+19
    ("megohm", "kilohm", 1000.0), // 0x1.f4p+9
    ("ohm-cm", "ohm-m", 0.01), // 0x1.47ae147ae147bp-7
    ("1+8 um5/ms", "cm5/sec", 9.999999999999996e-10), // 0x1.12e0be826d693p-30
    ("1-10 um2/ms", "cm2/sec", 9.999999999999999e-16), // 0x1.203af9ee75615p-50
    (".001 coul/cm3", "faraday/liter", 1.0364269656262178e-05), // 0x1.5bc466003d1c2p-17
    ("10000 coulomb", "faraday", 0.10364269656262175), // 0x1.a8853e834a98bp-4
    ("pi", "1", std::f64::consts::PI), // 0x1.921fb54442d18p+1
    ("planck", "joule-sec", 6.62607015e-34), // 0x1.b860bde023111p-111
    ("hbar", "joule-sec", 1.0545718176461565e-34), // 0x1.185a7057c690dp-113
    ("c", "m/sec", 299792458.0), // 0x1.1de784ap+28
    ("degree", "radian", 0.017453292519943295), // 0x1.1df46a2529d39p-6
    ("hz", "/sec", 1.0), // 0x1p+0
    ("Hz", "/ms", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("l", "ml", 1000.0000000000001), // 0x1.f400000000001p+9
    ("nm", "angstrom", 9.999999999999998), // 0x1.3ffffffffffffp+3
    ("cm2", "um2", 100000000.0), // 0x1.7d784p+26
    ("mA/cm2", "uA/cm2", 1000.0000000000001), // 0x1.f400000000001p+9
    ("/mM-ms", "/M-s", 1000000.0), // 0x1.e848p+19
    ("mM/ms", "M/sec", 1.0), // 0x1p+0
    ("milliamp", "amp", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("microamp", "nanoamp", 999.9999999999999), // 0x1.f3fffffffffffp+9
    ("kilocoulombs", "coulomb", 1000.0), // 0x1.f4p+9
    ("2 faraday", "coulomb", 192970.66424662003), // 0x1.78e555060882cp+17
    ("faraday/k-mole", "degC/volt", 11604.518121550082), // 0x1.6aa4251ce947ap+13
    ("k-mole/faraday", "volt/degC", 8.617333262145177e-05), // 0x1.696fe94e2cf9ep-14
    ("e/k", "degC/mV", 11.60451812155008), // 0x1.735836633cb3dp+3
    ("1|3", "1", 0.3333333333333333), // 0x1.5555555555555p-2
    ("1-3", "1", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("1+3", "1", 1000.0), // 0x1.f4p+9
    ("mV/ms", "volt/sec", 1.0), // 0x1p+0
    ("mV2", "volt2", 1e-06), // 0x1.0c6f7a0b5ed8dp-20
    ("/s2", "/ms2", 1e-06), // 0x1.0c6f7a0b5ed8dp-20
    ("cm2", "m2", 0.0001), // 0x1.a36e2eb1c432dp-14
    ("cm3", "m3", 1.0000000000000002e-06), // 0x1.0c6f7a0b5ed8ep-20
    ("mho", "siemens", 1.0), // 0x1p+0
    ("kilohm", "ohm", 1000.0), // 0x1.f4p+9
    ("yr", "day", 365.24219879), // 0x1.6d3e00bd6a2e4p+8
    ("micron3", "liter", 9.999999999999997e-16), // 0x1.203af9ee75614p-50
    ("mg", "kg", 1e-06), // 0x1.0c6f7a0b5ed8dp-20
    ("gram", "kg", 0.001), // 0x1.0624dd2f1a9fcp-10
    ("amp", "coul/sec", 1.0), // 0x1p+0
    ("joule", "volt-coul", 1.0), // 0x1p+0
    ("erg", "joule", 1.0000000000000001e-07), // 0x1.ad7f29abcaf49p-24
    ("atm", "pascal", 101325.0), // 0x1.8bcdp+16
    ("torr", "pascal", 133.322), // 0x1.0aa4dd2f1a9fcp+7
];

#[test]
fn conversions_match_nocmodl_exactly() {
    let db = db_with(COMMON_ALIASES);
    for &(from, to, want) in CONVERSIONS {
        let got = db
            .factor(from, to)
            .unwrap_or_else(|e| panic!("({from}) ({to}): {e}"));
        assert_eq!(
            got.to_bits(),
            want.to_bits(),
            "({from}) ({to}): {got:e} vs {want:e}"
        );
    }
}

#[test]
fn headline_constants() {
    let db = UnitDb::new();
    // nocmodl 9.0.2 writes FARADAY = 0x1.78e555060882cp+16 for (faraday) (coulomb):
    // e-mole with the exact 2019 SI values, 96485.3321233100184 rounded to a double.
    let f = db.factor("faraday", "coulomb").unwrap_or(0.0);
    assert_eq!(f, 96485.33212331001);
    // The exact product is 96485.3321233100184.
    assert_relative_eq!(f, 96_485.332_123_310_02, max_relative = 1e-15);
    assert_relative_eq!(f, 1.602176634e-19 * 6.02214076e23, max_relative = 1e-15);
    // nocmodl 9.0.2 writes 0x1.81f0fae775425p+6 for (faraday) (kilocoulombs).
    assert_eq!(
        db.factor("faraday", "kilocoulombs").unwrap_or(0.0),
        96.48533212331002
    );
    // nocmodl 9.0.2 writes R = 0x1.0a1013e8990bep+3 for (k-mole) (joule/degC).
    let r = db.factor("k-mole", "joule/degC").unwrap_or(0.0);
    assert_eq!(r, 8.31446261815324);
    assert_relative_eq!(r, 1.380649e-23 * 6.02214076e23, max_relative = 1e-15);
}

/// Every unit text found in the mod files of NEURON's repository and of the wheels in the
/// corpus, with the union of their UNITS-block aliases (first ALIASES, then the texts):
/// (text, what nocmodl 9.0.2 writes for `X = (text) (1)`, what modlunit prints).
const CORPUS_ALIASES: &[(&str, &str)] = &[
    ("molar", "1/liter"),
    ("M", "1/liter"),
    ("mA", "milliamp"),
    ("mV", "millivolt"),
    ("mM", "milli/liter"),
    ("nA", "nanoamp"),
    ("S", "siemens"),
    ("uM", "micro/liter"),
    ("uS", "microsiemens"),
    ("um", "micron"),
    ("umho", "micromho"),
    ("mol", "1"),
    ("avogadro", "mole"),
    ("msM", "ms mM"),
];

#[rustfmt::skip]
const CORPUS: &[(&str, f64, &str)] = &[
    (" /mV", 1000.0, "sec2-coul/m2-kg"), // 0x1.f4p+9
    (" /ms", 1000.0, "/sec"), // 0x1.f4p+9
    (".001 coul/cm3", 1000.0, "coul/m3"), // 0x1.f4p+9
    ("/M", 0.0010000000000000002, "m3"), // 0x1.0624dd2f1a9fdp-10
    ("/mM", 1.0000000000000002, "m3"), // 0x1.0000000000001p+0
    ("/mM-ms", 1000.0000000000002, "m3/sec"), // 0x1.f400000000002p+9
    ("/mM-s", 1.0000000000000002, "m3/sec"), // 0x1.0000000000001p+0
    ("/mM2-ms", 1000.0000000000005, "m6/sec"), // 0x1.f400000000004p+9
    ("/mV", 1000.0, "sec2-coul/m2-kg"), // 0x1.f4p+9
    ("/ms", 1000.0, "/sec"), // 0x1.f4p+9
    ("/ms-mV", 1000000.0, "sec-coul/m2-kg"), // 0x1.e848p+19
    ("/ms2", 1000000.0, "/sec2"), // 0x1.e848p+19
    ("/s", 1.0, "/sec"), // 0x1p+0
    ("1", 1.0, "1"), // 0x1p+0
    ("1+8 um5/ms", 9.999999999999997e-20, "m5/sec"), // 0x1.d83c94fb6d2aap-64
    ("1-10 um2/ms", 9.999999999999999e-20, "m2/sec"), // 0x1.d83c94fb6d2abp-64
    ("1/liter", 999.9999999999998, "/m3"), // 0x1.f3ffffffffffep+9
    ("1/ms", 1000.0, "/sec"), // 0x1.f4p+9
    ("1/s", 1.0, "/sec"), // 0x1p+0
    ("10000 coulomb", 10000.0, "coul"), // 0x1.388p+13
    ("S/cm2", 10000.0, "sec-coul2/m4-kg"), // 0x1.388p+13
    ("angstrom", 1.0000000000000002e-10, "m"), // 0x1.b7cdfd9d7bdbcp-34
    ("avogadro", 6.02214076e+23, "1"), // 0x1.fe185ca57c517p+78
    ("cm/s", 0.01, "m/sec"), // 0x1.47ae147ae147bp-7
    ("coul", 1.0, "coul"), // 0x1p+0
    ("coulomb", 1.0, "coul"), // 0x1p+0
    ("coulombs", 1.0, "coul"), // 0x1p+0
    ("degC", 1.0, "K"), // 0x1p+0
    ("e", 1.602176634e-19, "coul"), // 0x1.7a4da290c1653p-63
    ("faraday", 96485.33212331001, "coul"), // 0x1.78e555060882cp+16
    ("hbar", 1.0545718176461565e-34, "m2-kg/sec"), // 0x1.185a7057c690dp-113
    ("joule-sec", 1.0, "m2-kg/sec"), // 0x1p+0
    ("joule/degC", 1.0, "m2-kg/sec2-K"), // 0x1p+0
    ("k", 1.380649e-23, "m2-kg/sec2-K"), // 0x1.0b0e6d55e647cp-76
    ("k-mole", 8.31446261815324, "m2-kg/sec2-K"), // 0x1.0a1013e8990bep+3
    ("kilocoulombs", 1000.0, "coul"), // 0x1.f4p+9
    ("liter", 0.0010000000000000002, "m3"), // 0x1.0624dd2f1a9fdp-10
    ("mA/cm2", 10.0, "coul/m2-sec"), // 0x1.4p+3
    ("mM", 0.9999999999999998, "/m3"), // 0x1.ffffffffffffep-1
    ("mM/ms", 999.9999999999998, "/m3-sec"), // 0x1.f3ffffffffffep+9
    ("mM2", 0.9999999999999996, "/m6"), // 0x1.ffffffffffffcp-1
    ("mV", 0.001, "m2-kg/sec2-coul"), // 0x1.0624dd2f1a9fcp-10
    ("mV/degC", 0.001, "m2-kg/sec2-coul-K"), // 0x1.0624dd2f1a9fcp-10
    ("megohm", 1000000.0, "m2-kg/sec-coul2"), // 0x1.e848p+19
    ("mho/cm2", 10000.0, "sec-coul2/m4-kg"), // 0x1.388p+13
    ("micro/liter", 0.0009999999999999998, "/m3"), // 0x1.0624dd2f1a9fbp-10
    ("micromho", 1e-06, "sec-coul2/m2-kg"), // 0x1.0c6f7a0b5ed8dp-20
    ("micron", 1e-06, "m"), // 0x1.0c6f7a0b5ed8dp-20
    ("microsiemens", 1e-06, "sec-coul2/m2-kg"), // 0x1.0c6f7a0b5ed8dp-20
    ("milli/liter", 0.9999999999999998, "/m3"), // 0x1.ffffffffffffep-1
    ("milliM", 0.9999999999999998, "/m3"), // 0x1.ffffffffffffep-1
    ("milliamp", 0.001, "coul/sec"), // 0x1.0624dd2f1a9fcp-10
    ("milliamp/cm2", 10.0, "coul/m2-sec"), // 0x1.4p+3
    ("millicoul/cm3", 1000.0, "coul/m3"), // 0x1.f4p+9
    ("millimho/cm2", 10.0, "sec-coul2/m4-kg"), // 0x1.4p+3
    ("millimolar", 0.9999999999999998, "/m3"), // 0x1.ffffffffffffep-1
    ("millivolt", 0.001, "m2-kg/sec2-coul"), // 0x1.0624dd2f1a9fcp-10
    ("mol/cm2", 10000.0, "/m2"), // 0x1.388p+13
    ("mole", 6.02214076e+23, "1"), // 0x1.fe185ca57c517p+78
    ("ms", 0.001, "sec"), // 0x1.0624dd2f1a9fcp-10
    ("ms mM", 0.0009999999999999998, "sec/m3"), // 0x1.0624dd2f1a9fbp-10
    ("nA", 1e-09, "coul/sec"), // 0x1.12e0be826d695p-30
    ("nanoamp", 1e-09, "coul/sec"), // 0x1.12e0be826d695p-30
    ("nm", 1e-09, "m"), // 0x1.12e0be826d695p-30
    ("pi", std::f64::consts::PI, "1"), // 0x1.921fb54442d18p+1
    ("planck", 6.62607015e-34, "m2-kg/sec"), // 0x1.b860bde023111p-111
    ("siemens", 1.0, "sec-coul2/m2-kg"), // 0x1p+0
    ("uM", 0.0009999999999999998, "/m3"), // 0x1.0624dd2f1a9fbp-10
    ("uS", 1e-06, "sec-coul2/m2-kg"), // 0x1.0c6f7a0b5ed8dp-20
    ("um", 1e-06, "m"), // 0x1.0c6f7a0b5ed8dp-20
    ("um2", 1e-12, "m2"), // 0x1.19799812dea11p-40
    ("um2/ms", 1e-09, "m2/sec"), // 0x1.12e0be826d695p-30
    ("um3", 9.999999999999999e-19, "m3"), // 0x1.2725dd1d243abp-60
    ("umho", 1e-06, "sec-coul2/m2-kg"), // 0x1.0c6f7a0b5ed8dp-20
    ("msss", 0.001, "sec"), // 0x1.0624dd2f1a9fcp-10
    ("m12", 1.0, "m"), // 0x1p+0
    ("1|3|7", 2.3333333333333335, "1"), // 0x1.2aaaaaaaaaaabp+1
    ("0 volt", 1.0, "m2-kg/sec2-coul"), // 0x1p+0
    ("2-ms", 0.002, "sec"), // 0x1.0624dd2f1a9fcp-9
    ("-volt", 1.0, "m2-kg/sec2-coul"), // 0x1p+0
    ("+volt", 1.0, "m2-kg/sec2-coul"), // 0x1p+0
    ("1e-3 volt", 1.602176634e-19, "m2-kg/sec2"), // 0x1.7a4da290c1653p-63
    ("1.5.2 volt", 1.5, "m2-kg/sec2-coul"), // 0x1.8p+0
    ("cms", 0.01, "m"), // 0x1.47ae147ae147bp-7
    ("millimicrovolt", 1e-09, "m2-kg/sec2-coul"), // 0x1.12e0be826d695p-30
    ("megavolt", 1000000.0, "m2-kg/sec2-coul"), // 0x1.e848p+19
    ("meg", 8388608.0, "bit"), // 0x1p+23
    ("megs", 1000000.0, "sec"), // 0x1.e848p+19
    ("milli", 0.001, "1"), // 0x1.0624dd2f1a9fcp-10
    ("kilokilogram", 1000.0, "kg"), // 0x1.f4p+9
    ("bohrradius", 3.6810140437902824e-171, "m-coul9"), // 0x1.c7369d7dfd1a1p-567
    ("eV", 1.602176634e-19, "m2-kg/sec2"), // 0x1.7a4da290c1653p-63
    ("e9", 6.956544115913262e-170, "coul9"), // 0x1.0cd6980de794fp-562
    ("radian", 0.15915494309189535, "1"), // 0x1.45f306dc9c883p-3
    ("degree", 0.002777777777777778, "1"), // 0x1.6c16c16c16c17p-9
    ("nmile", 1852.0, "m"), // 0x1.cfp+10
    ("Xunit", 1.00202e-13, "m"), // 0x1.c3450a651066bp-44
    ("water", 9806.649999999998, "kg/m2-sec2"), // 0x1.3275333333332p+13
    ("mA/cm2-ms", 10000.0, "coul/m2-sec2"), // 0x1.388p+13
    ("mA/cm2 ms", 10000.0, "coul/m2-sec2"), // 0x1.388p+13
    ("/mV/ms", 1000000.0, "sec-coul/m2-kg"), // 0x1.e848p+19
];

#[test]
fn corpus_units_match_nocmodl_and_modlunit() {
    let db = db_with(CORPUS_ALIASES);
    for &(text, want, dims) in CORPUS {
        let v = db.parse(text).unwrap_or_else(|e| panic!("({text}): {e}"));
        assert_eq!(
            v.factor.to_bits(),
            want.to_bits(),
            "({text}): {:e} vs {want:e}",
            v.factor
        );
        assert_eq!(v.dims.to_string(), dims, "({text})");
    }
    // The other aliases real files use.
    let mut db = db_with(&[("molar", "1/liter")]);
    assert!(db.define_alias("mM", "millimolar").is_ok());
    // nocmodl 9.0.2: 0x1.ffffffffffffep-1 (a millimolar is not exactly 1 base unit).
    assert_eq!(db.parse("mM").map(|v| v.factor), Ok(0.9999999999999998));
    let mut db = db_with(&[("M", "1/liter")]);
    assert!(db.define_alias("mM", "milliM").is_ok());
    assert_eq!(db.parse("mM").map(|v| v.factor), Ok(0.9999999999999998));
}

#[test]
fn dimensions_display_like_modlunit() {
    let db = db_with(COMMON_ALIASES);
    let dims = |t: &str| db.parse(t).map(|v| v.dims.to_string()).unwrap_or_default();
    assert_eq!(dims("mA/cm2"), "coul/m2-sec");
    assert_eq!(dims("mV"), "m2-kg/sec2-coul");
    assert_eq!(dims("/mV"), "sec2-coul/m2-kg");
    assert_eq!(dims("S/cm2"), "sec-coul2/m4-kg");
    assert_eq!(dims("mM"), "/m3");
    assert_eq!(dims("k-mole"), "m2-kg/sec2-K");
    assert_eq!(dims("mole"), "1");
    assert_eq!(Dims::NONE.to_string(), "1");
    assert_eq!(Dims::BASE_NAMES[2], "sec");
    assert_eq!(db.parse("um").map(|v| v.dims), Ok(Dims::base(0)));
}

/// NEURON's database has no single-letter prefixes and none of the usual short names:
/// nocmodl 9.0.2 stops with "Cannot recognize the units: mV" for `X = (mV) (volt)`
/// without `(mV) = (millivolt)`.
#[test]
fn unknown_units_are_reported_with_name_and_position() {
    let db = UnitDb::new();
    for name in [
        "mV", "mA", "nA", "um", "mM", "uS", "S", "M", "mol", "molar", "avogadro", "DegC", "kHz",
        "uF",
    ] {
        let err = db.parse(name);
        assert_eq!(
            err,
            Err(UnitError::UnknownUnit {
                unit: name.to_string(),
                text: name.to_string()
            }),
            "{name}"
        );
    }
    let err = db.parse("mA/cm2").err();
    assert_eq!(err.as_ref().and_then(UnitError::position), Some(0));
    let err = db.factor("milliamp", "1/mV").err();
    assert_eq!(
        err,
        Some(UnitError::UnknownUnit {
            unit: "mV".into(),
            text: "1/mV".into()
        })
    );
    assert_eq!(err.as_ref().and_then(UnitError::position), Some(2));
    assert_eq!(err.as_ref().and_then(UnitError::span_len), Some(2));
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("`mV`") && msg.contains("(1/mV)") && msg.contains("UNITS"),
        "{msg}"
    );
    // `0` is part of a name, so `m10` is `m` then the unknown `0` (nocmodl: "Cannot
    // recognize the units: 0").
    let err = db.parse("m10").err();
    assert!(
        matches!(err, Some(UnitError::Syntax { position: 2, .. })),
        "{err:?}"
    );
}

#[test]
fn malformed_texts_are_syntax_errors() {
    let db = UnitDb::new();
    let check = |text: &str, at: usize, hint: &str| match db.parse(text) {
        Err(UnitError::Syntax {
            position, expected, ..
        }) => {
            assert_eq!(position, at, "{text}");
            assert!(expected.contains(hint), "{text}: {expected}");
        }
        other => panic!("{text}: {other:?}"),
    };
    check("cm^2", 2, "digit");
    check("volt*sec", 4, "`-`");
    check("volt,sec", 4, "unit name");
    check("m.s", 1, "unit name");
    // nocmodl writes `inf` (which does not compile) for these.
    assert_eq!(
        db.parse("1|0"),
        Err(UnitError::NonFinite { text: "1|0".into() })
    );
    assert!(matches!(db.factor("volt", "0|5 volt"), Ok(f) if f == 1.0));
}

#[test]
fn incompatible_dimensions_are_rejected_with_both_dimensions() {
    let db = db_with(COMMON_ALIASES);
    let err = db.factor("mV", "ms");
    assert_eq!(
        err,
        Err(UnitError::Incompatible {
            from: "mV".into(),
            to: "ms".into(),
            from_dims: "m2-kg/sec2-coul".into(),
            to_dims: "sec".into(),
        })
    );
    let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("m2-kg/sec2-coul") && msg.contains("sec"),
        "{msg}"
    );
    assert!(matches!(
        db.factor("faraday", "1"),
        Err(UnitError::Incompatible { .. })
    ));
    assert!(db.convert(1.0, "mA/cm2", "nA").is_err());
    // nocmodl itself does not check: `X = (millivolt) (ms)` gives 0x1p+0.
    assert_eq!(db.factor_unchecked("millivolt", "ms"), Ok(1.0));
    // and `X = (faraday) (1)` gives 0x1.78e555060882cp+16.
    assert_eq!(db.factor_unchecked("faraday", "1"), Ok(96485.33212331001));
}

#[test]
fn convert_multiplies_by_the_factor() {
    let db = db_with(COMMON_ALIASES);
    assert_eq!(db.convert(-65.0, "mV", "volt"), Ok(-65.0 * 0.001));
    assert_eq!(db.convert(2.0, "S/cm2", "pS/um2"), Ok(20000.0));
    assert_relative_eq!(
        db.convert(36.0, "degC", "kelvin").unwrap_or(0.0),
        36.0,
        max_relative = 1e-15
    );
}

#[test]
fn aliases_work_like_nocmodl() {
    let mut db = UnitDb::new();
    assert!(db.parse("mV").is_err());
    assert_eq!(db.define_alias("mV", "millivolt"), Ok(()));
    assert_eq!(db.parse("mV/ms").map(|v| v.factor), Ok(1.0));
    // Prefixes and plurals apply to aliases too.
    assert_eq!(db.define_alias("molar", "1/liter"), Ok(()));
    assert_eq!(db.define_alias("mM", "millimolar"), Ok(()));
    assert!(db.parse("molars").is_ok());
    // A clone is independent (one database per mod file).
    let fresh = UnitDb::new();
    assert!(fresh.parse("mV").is_err());
    assert_eq!(db.aliases().count(), 3);
    // nocmodl: "Units redefinition" for a second (mV), or for a built-in name like (ms).
    assert!(matches!(
        db.define_alias("mV", "volt"),
        Err(UnitError::Redefinition { ref name, .. }) if name == "mV"
    ));
    let err = db.define_alias("ms", "millisec");
    let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("(ms)") && msg.contains("sec"), "{msg}");
    // The value is evaluated first, so an unknown unit there is what gets reported.
    assert_eq!(
        db.define_alias("ms", "msec"),
        Err(UnitError::UnknownUnit {
            unit: "msec".into(),
            text: "msec".into()
        })
    );
    // A name with a separator is stored (as nocmodl does) but can never be used: with
    // `(mA/cm2) = (milliamp/cm2)`, nocmodl still fails on (mA/cm2) with "mA".
    assert!(!UnitDb::alias_is_usable("mA/cm2"));
    assert!(!UnitDb::alias_is_usable(" mV "));
    assert!(UnitDb::alias_is_usable("mA"));
    assert_eq!(db.define_alias("mA/cm2", "milliamp/cm2"), Ok(()));
    assert!(db.parse("mA/cm2").is_err());
}

/// Oddities of NEURON's reader, each checked against nocmodl 9.0.2.
#[test]
fn neuron_reader_quirks() {
    let db = UnitDb::new();
    let f = |t: &str| db.parse(t).map(|v| v.factor).unwrap_or(f64::NAN);
    assert_eq!(f("1|3|7"), 1.0 / (3.0 / 7.0)); // 0x1.2aaaaaaaaaaabp+1
    assert_eq!(f("0 volt"), 1.0); // a zero number means "no number": 0x1p+0
    assert_eq!(f("2-ms"), 0.002); // 0x1.0624dd2f1a9fcp-9
    assert_eq!(f("-volt"), 1.0); // 0x1p+0
    assert_eq!(f("1e-3 volt"), 1.602176634e-19); // `e` is the electron charge
    assert_eq!(f("1.5.2 volt"), 1.5); // 0x1.8p+0
    assert_eq!(f("m12"), 1.0); // one power digit: m, then an empty name
    assert_eq!(f("msss"), 0.001); // plurals strip repeatedly
    assert_eq!(f("megavolt"), 1e6); // mega, not meg
    assert_eq!(f("meg"), 8_388_608.0); // a megabyte in bits: 0x1p+23
    assert_eq!(f("megs"), 1e6); // meg- prefix on s: 0x1.e848p+19
    assert_eq!(f("milli"), 0.001); // a bare prefix is a number
    assert_eq!(f("millimicrovolt"), 1e-9); // 0x1.12e0be826d695p-30
    assert_eq!(f("mA/cm2-ms".replace("mA", "milliamp").as_str()), 10000.0);
    assert_eq!(f("radian"), 0.15915494309189535); // a circle is 1: 0x1.45f306dc9c883p-3
    assert_eq!(f("bohrradius"), f64::from_bits(0x1c8c7369d7dfd1a1)); // `e9` = e to the 9th
    assert_eq!(
        db.parse("degC").map(|v| v.dims.to_string()),
        Ok("K".to_string())
    );
}

proptest! {
    #[test]
    fn parse_never_panics(text in "\\PC{0,40}") {
        let db = UnitDb::new();
        let _ = db.parse(&text);
        let _ = db.factor(&text, "volt");
    }

    #[test]
    fn parse_never_panics_on_unit_like_text(text in "[ -/0-9|+.a-zA-Z%$^*\t]{0,40}") {
        let mut db = UnitDb::new();
        if let Err(e) = db.parse(&text) {
            if let Some(p) = e.position() {
                prop_assert!(p <= text.len());
            }
        }
        let _ = db.define_alias(&text, &text);
        let _ = db.convert(1.0, &text, &text);
    }
}
