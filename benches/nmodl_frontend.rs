//! Front-end speed: lex + parse + analyse, per file, over the real corpus (every `.mod`
//! file of the PyPI wheels neuron==9.0.2 and bmtk==1.2.0, installed into the target
//! cache as the tests do) and over Neurite's own `mod_files/hh.mod`, a typical channel.
//!
//! `cargo bench --bench nmodl_frontend`; criterion reports the time per iteration,
//! which for `corpus/*` is the whole corpus: divide by the file count it prints.

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use neurite_nmodl::check::check_source;
use neurite_nmodl::SourceFile;

fn corpus() -> Vec<SourceFile> {
    let mut files = Vec::new();
    for pkg in [support::NEURON, support::BMTK] {
        for (_, path) in support::package_mod_files(pkg) {
            files.push(SourceFile::read(&path).expect("read corpus file"));
        }
    }
    files
}

fn bench_frontend(c: &mut Criterion) {
    let files = corpus();
    eprintln!("corpus: {} files", files.len());
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("check_all_files", |b| {
        b.iter(|| {
            for f in &files {
                black_box(check_source(f.clone()));
            }
        })
    });
    group.finish();

    let hh_path = concat!(env!("CARGO_MANIFEST_DIR"), "/mod_files/hh.mod");
    let hh = SourceFile::read(std::path::Path::new(hh_path)).expect("read mod_files/hh.mod");
    c.bench_function("hh.mod/check", |b| {
        b.iter(|| black_box(check_source(hh.clone())))
    });
    c.bench_function("hh.mod/parse", |b| {
        b.iter(|| black_box(neurite_nmodl::parser::parse(hh.text())))
    });
}

criterion_group!(benches, bench_frontend);
criterion_main!(benches);
