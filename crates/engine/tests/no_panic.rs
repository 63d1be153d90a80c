//! No sequence of HOC operations makes the engine panic: random programs
//! built from section, mechanism, point process, NetCon, record and
//! simulation statements, plays and timed records, NetCon events and
//! retargeting, NetCons on other variables, ParallelContext gids, transfers
//! (also from ion variables) and `psolve`, point processes and NetCons freed
//! mid-run, mechanism calls, with odd numbers (negative, zero, huge, NaN).

use neurite_engine::Engine;
use neurite_hoc::Interpreter;
use proptest::prelude::*;

const NUMBERS: [&str; 10] = [
    "0", "1", "-1", "0.5", "3", "1e9", "-1e-9", "0/0", "1/0", "7.25",
];

fn statement(kind: usize, a: &str, b: &str, s: usize) -> String {
    let sec = format!("s[{}]", s % 3);
    match kind {
        0 => format!("{sec} {{ nseg = {a} }}"),
        1 => format!("{sec} {{ L = {a} diam = {b} }}"),
        2 => format!("connect {sec}(0), s[{}]({b})", (s + 1) % 3),
        3 => format!("{sec} insert hh"),
        4 => format!("{sec} insert pas"),
        5 => format!("{sec}.gnabar_hh({b}) = {a}"),
        6 => format!("{sec} {{ pt3dadd({a}, 0, 0, {b}) }}"),
        7 => format!("{sec} p[{}] = new IClamp({b})", s % 2),
        8 => format!("p[{}].amp = {a}", s % 2),
        9 => format!("{sec} nc = new NetCon(&v({b}), p[{}])", s % 2),
        10 => format!("nc.weight[{}] = {a}", s % 3),
        11 => format!("rec.record(&{sec}.v({b}))"),
        12 => format!("finitialize({a})"),
        13 => "fadvance()".to_string(),
        14 => format!("dt = {a}"),
        15 => format!("secondorder = {a}"),
        16 => format!("celsius = {a}"),
        17 => format!("{sec} delete_section()"),
        18 => format!("{sec} {{ print area({b}), ri({b}), distance({b}) }}"),
        19 => format!("{sec}.ena({b}) = {a}"),
        20 => format!("{sec} uninsert hh"),
        21 => format!("p[{}].loc({b})", s % 2),
        22 => format!("{sec}.v({b}) = {a}"),
        23 => "finitialize()".to_string(),
        24 => format!("y.play(&{sec}.v({b}), {a})"),
        25 => format!("y.play(&p[{}].amp, tv, {})", s % 2, s % 2),
        26 => format!("rec.record(&{sec}.v({b}), {a})"),
        27 => "rec.record(&t, tv)".to_string(),
        28 => format!("usetable_hh = {a}"),
        29 => format!("nc.event({a})"),
        30 => format!("nc.setpost(p[{}])", s % 2),
        31 => format!("{sec} nc = new NetCon(&m_hh({b}), nil, {a}, 1, 1)"),
        32 => format!("nc.record(rec, tv, {a})"),
        33 => format!("pc.set_gid2node({}, 0)", s % 3),
        34 => format!("pc.cell({}, nc)", s % 3),
        35 => format!("nc = pc.gid_connect({}, p[{}])", s % 3, s % 2),
        36 => format!("pc.set_maxstep({a})"),
        37 => format!("pc.psolve({a})"),
        38 => format!("{sec} pc.source_var(&v({b}), {})", s % 2),
        39 => format!("pc.target_var(p[{}], &p[{}].amp, {})", s % 2, s % 2, s % 3),
        40 => "pc.setup_transfer()".to_string(),
        41 => format!("{sec} setdata_hh({b})"),
        42 => format!("x = rates_hh({a})"),
        43 => format!("nc.active({a})"),
        44 => format!("p[{}] = nil", s % 2),
        45 => "nc = nil".to_string(),
        46 => format!("nc = pc.gid_connect({}, p[{}], nc)", s % 3, s % 2),
        47 => format!("{sec} pc.source_var(&ena({b}), {})", s % 2),
        _ => "pc.spike_record(-1, rec, tv)".to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn random_programs_do_not_panic(
        ops in proptest::collection::vec((0usize..49, 0usize..10, 0usize..10, 0usize..6), 1..30)
    ) {
        let engine = Engine::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut hoc = Interpreter::with_output(Box::new(engine), Box::new(std::io::sink()));
        hoc.set_error_output(Box::new(std::io::sink()));
        hoc.set_step_limit(Some(100_000));
        let setup = "load_file(\"stdrun.hoc\")\ncreate s[3]\nobjref p[2], nc, rec, y, tv, pc, nil\n\
                     pc = new ParallelContext()\nrec = new Vector()\n\
                     y = new Vector(3)\ny.x[1] = 1\ntv = new Vector(3)\ntv.x[1] = 0.1\ntv.x[2] = 0.05\n";
        let _ = hoc.execute_str(setup, "setup");
        for (kind, a, b, s) in ops {
            let code = statement(kind, NUMBERS[a], NUMBERS[b], s);
            let _ = hoc.execute_str(&code, "op");
        }
    }
}
