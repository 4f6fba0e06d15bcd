//! `Engine::validated_clean` (the Android trust manager's native fast path) against the verdict
//! it stands for: for every chain, engine and host here, it must say `true` exactly when
//! `analyze_validated` answers `trusted` with nothing to report, and fail exactly when
//! `analyze_validated` fails. A `true` that the full verdict would not give would let a chain
//! through unreported; a `false` it would not give only costs time, but is tested too.

mod common;

use common::{certs, data, test_ca};
use qorgan::{
    CallerAnchor, Certificate, Engine, EngineConfig, PinPolicy, PlatformView, SpkiHash, VerdictKind,
};

fn pin(c: &Certificate) -> String {
    format!("sha256/{}", c.spki_hash().base64())
}

/// The real chains: (host, chain as served, root).
fn real_chains() -> Vec<(String, Vec<Certificate>, Vec<Certificate>)> {
    let dir = data("real-chains/limbo-online");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("limbo-online")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".chain.pem")?.to_string())
        })
        .collect();
    names.sort();
    for host in names {
        let chain = certs(&dir.join(format!("{host}.chain.pem")));
        let root = certs(&dir.join(format!("{host}.root.pem")));
        out.push((host, chain, root));
    }
    out
}

fn interception_roots() -> Vec<Certificate> {
    let dir = common::bundled("interception/certs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("interception certs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .collect();
    files.sort();
    files.iter().flat_map(|p| certs(p)).collect()
}

/// Compares the two answers; returns the fast path's (for the tallies).
fn agree(engine: &Engine, label: &str, chain: &[&[u8]], host: Option<&str>) -> Option<bool> {
    let full = engine
        .analyze_validated(chain, host)
        .map(|v| (v.verdict == VerdictKind::Trusted && !v.needs_report(), v));
    let fast = engine.validated_clean(chain, host);
    match (&full, &fast) {
        (Ok((clean, verdict)), Ok(fast_clean)) => {
            assert_eq!(
                clean, fast_clean,
                "{label} (host {host:?}): analyze_validated says {:?} with {:?}, validated_clean says {fast_clean}",
                verdict.verdict,
                verdict.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            );
            Some(*fast_clean)
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{label}: different errors");
            None
        }
        _ => panic!(
            "{label} (host {host:?}): analyze_validated {:?}, validated_clean {:?}",
            full.map(|(c, _)| c),
            fast
        ),
    }
}

#[test]
fn validated_clean_agrees_with_analyze_validated() {
    let chains = real_chains();
    assert!(
        chains.len() >= 10,
        "expected the real chains, found {}",
        chains.len()
    );
    let interception = interception_roots();
    assert!(interception.len() >= 10);
    let test_roots: Vec<Certificate> = [
        "kz-forged",
        "local-root",
        "qaznet-impostor",
        "superfish",
        "unknown-root",
    ]
    .iter()
    .flat_map(|n| certs(&test_ca(&format!("{n}/root.pem"))))
    .collect();

    // Pin policies over the real hosts: matching an intermediate, matching nothing (enforced
    // and report-only), expired, and a host that is excluded.
    let backup = format!("sha256/{}", SpkiHash([7; 32]).base64());
    let mut builder = PinPolicy::builder();
    for (i, (host, chain, root)) in chains.iter().enumerate() {
        builder = match i % 5 {
            0 => builder.add(
                host,
                [backup.as_str(), pin(&chain[chain.len() - 1]).as_str()],
            ),
            1 => builder.add(host, [backup.as_str()]),
            2 => builder.add(host, [backup.as_str()]).report_only(host),
            3 => builder
                .add(host, [pin(&root[0]).as_str()])
                .expiration(host, "2020-01-01"),
            // An exclusion lies under an added pattern (the builder refuses one that does not).
            _ => builder
                .add(&format!("**.{host}"), [backup.as_str()])
                .exclude(&format!("excluded.{host}")),
        };
    }
    let policy = builder.build().expect("policy");

    let caller = |user_added: bool| -> Vec<CallerAnchor> {
        test_roots
            .iter()
            .chain(interception.iter())
            .map(|c| CallerAnchor {
                certificate: c.clone(),
                user_added,
            })
            .collect()
    };
    let engines: Vec<(&str, Engine)> = vec![
        ("default", Engine::new(EngineConfig::default()).unwrap()),
        (
            "ios view",
            Engine::new(EngineConfig {
                platform: PlatformView::Ios,
                ..EngineConfig::default()
            })
            .unwrap(),
        ),
        (
            "caller anchors",
            Engine::new(EngineConfig {
                anchors: caller(false),
                ..EngineConfig::default()
            })
            .unwrap(),
        ),
        (
            "user-added anchors, allowed test root",
            Engine::new(EngineConfig {
                anchors: caller(true),
                allowed_anchors: vec![test_roots[1].spki_hash()],
                ..EngineConfig::default()
            })
            .unwrap(),
        ),
        (
            "pin policy",
            Engine::new(EngineConfig {
                pin_policy: Some(policy),
                ..EngineConfig::default()
            })
            .unwrap(),
        ),
    ];

    let (mut clean, mut not_clean, mut errors) = (0, 0, 0);
    let mut tally = |r: Option<bool>| match r {
        Some(true) => clean += 1,
        Some(false) => not_clean += 1,
        None => errors += 1,
    };
    for (name, engine) in &engines {
        for (host, chain, root) in &chains {
            let full: Vec<&[u8]> = chain.iter().chain(root).map(|c| c.der().as_ref()).collect();
            let below: Vec<&[u8]> = chain.iter().map(|c| c.der().as_ref()).collect();
            let excluded = format!("excluded.{host}");
            for h in [
                Some(host.as_str()),
                None,
                Some("other.example"),
                Some(excluded.as_str()),
            ] {
                tally(agree(
                    engine,
                    &format!("{name}: {host} to its root"),
                    &full,
                    h,
                ));
                tally(agree(
                    engine,
                    &format!("{name}: {host} below its root"),
                    &below,
                    h,
                ));
            }
            // A known CA's key in the chain, and as the anchor.
            for k in interception.iter().step_by(3) {
                let mut with_known = full.clone();
                with_known.insert(1, k.der().as_ref());
                tally(agree(
                    engine,
                    &format!("{name}: {host} through a known CA"),
                    &with_known,
                    Some(host),
                ));
                let to_known = [full[0], k.der().as_ref()];
                tally(agree(
                    engine,
                    &format!("{name}: {host} to a known CA"),
                    &to_known,
                    Some(host),
                ));
            }
        }
        for dir in [
            "kz-forged",
            "local-root",
            "qaznet-impostor",
            "superfish",
            "unknown-root",
            "wrong-host",
        ] {
            let chain = certs(&test_ca(&format!("{dir}/chain.pem")));
            let ders: Vec<&[u8]> = chain.iter().map(|c| c.der().as_ref()).collect();
            tally(agree(
                engine,
                &format!("{name}: test CA {dir}"),
                &ders,
                Some("localhost"),
            ));
            tally(agree(
                engine,
                &format!("{name}: test CA {dir}, leaf only"),
                &ders[..1],
                Some("localhost"),
            ));
        }
        // Bad input fails the same way.
        let nonsense: &[u8] = b"not a certificate";
        let one = chains[0].1[0].der().as_ref();
        let too_long = vec![one; 51];
        for (label, chain) in [
            ("empty", Vec::new()),
            ("garbage", vec![nonsense]),
            ("garbage after a leaf", vec![one, nonsense]),
            ("51 certificates", too_long),
        ] {
            tally(agree(
                engine,
                &format!("{name}: {label}"),
                &chain,
                Some("example.com"),
            ));
        }
    }
    eprintln!(
        "validated_clean: {clean} clean, {not_clean} not clean, {errors} errors, all agreeing"
    );
    assert!(
        clean >= 50,
        "too few clean cases ({clean}) to mean anything"
    );
    assert!(not_clean >= 200, "too few unclean cases ({not_clean})");
    assert!(errors >= 20, "too few error cases ({errors})");
}
