//! Criterion benchmarks behind `scripts/bench.sh` (medians go to target/bench/summary.json).
//!
//! - `analyze_validated/<chain>`: the in-app fast path on leaf, intermediate, root.
//! - `validated_clean/<chain>`: the same question answered as one bit (the Android trust
//!   manager's native fast path).
//! - `analyze/<chain>`: the full analysis of the chain as a server presents it (leaf and
//!   intermediate; the root comes from the bundled anchors), path building included, for a
//!   chain this engine has not seen: the facts memo is cleared before each call, so the
//!   certificates are parsed every time.
//! - `analyze_repeat/<chain>`: the same chain again on one engine: the facts of certificates
//!   seen before come from the engine's memo; path building and signatures run every time.
//! - `webpki_verify/<chain>`: a bare rustls-webpki verification of the same chain against
//!   Mozilla's roots, host name included: what the platform already pays.
//! - `audit/mozilla`: `Engine::audit` of Mozilla's whole root set.
//!
//! The cold start (first call in a fresh process) cannot be repeated inside one process; the
//! helper binary measures it (`qorgan-bench cold-start`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use pki_types::CertificateDer;
use qorgan::{Engine, EngineConfig, VerdictKind};
use qorgan_bench::{chains, mozilla_roots, BareWebpki};

fn engine_benches(c: &mut Criterion) {
    let engine = Engine::new(EngineConfig::default()).expect("engine");
    let webpki = BareWebpki::new();
    for chain in chains() {
        let validated = chain.validated();
        let presented = chain.presented();
        // The corpus chains are trusted public chains: check before timing anything.
        let v = engine
            .analyze_validated(&validated, Some(chain.host))
            .expect("analyze_validated");
        assert_eq!(v.verdict, VerdictKind::Trusted, "{}: {v:?}", chain.label);
        let v = engine
            .analyze_with_facts(&presented, Some(chain.host), Some(chain.time))
            .expect("analyze");
        assert_eq!(
            v.verdict,
            VerdictKind::Trusted,
            "{}: {:?}",
            chain.label,
            v.findings
        );
        let intermediates = [CertificateDer::from(chain.ders[1].as_slice())];
        webpki.verify(&chain.ders[0], &intermediates, chain.host, chain.time);

        c.bench_function(&format!("analyze_validated/{}", chain.label), |b| {
            b.iter(|| {
                black_box(
                    engine
                        .analyze_validated(black_box(&validated), Some(chain.host))
                        .unwrap(),
                )
            })
        });
        assert!(engine
            .validated_clean(&validated, Some(chain.host))
            .unwrap());
        c.bench_function(&format!("validated_clean/{}", chain.label), |b| {
            b.iter(|| {
                black_box(
                    engine
                        .validated_clean(black_box(&validated), Some(chain.host))
                        .unwrap(),
                )
            })
        });
        c.bench_function(&format!("analyze/{}", chain.label), |b| {
            b.iter(|| {
                engine.clear_memo();
                black_box(
                    engine
                        .analyze_with_facts(
                            black_box(&presented),
                            Some(chain.host),
                            Some(chain.time),
                        )
                        .unwrap(),
                )
            })
        });
        c.bench_function(&format!("analyze_repeat/{}", chain.label), |b| {
            b.iter(|| {
                black_box(
                    engine
                        .analyze_with_facts(
                            black_box(&presented),
                            Some(chain.host),
                            Some(chain.time),
                        )
                        .unwrap(),
                )
            })
        });
        c.bench_function(&format!("webpki_verify/{}", chain.label), |b| {
            b.iter(|| {
                webpki.verify(
                    black_box(&chain.ders[0]),
                    black_box(&intermediates),
                    chain.host,
                    chain.time,
                )
            })
        });
    }
    let roots = mozilla_roots();
    c.bench_function("audit/mozilla", |b| {
        b.iter(|| black_box(engine.audit(black_box(&roots))))
    });
}

criterion_group!(benches, engine_benches);
criterion_main!(benches);
