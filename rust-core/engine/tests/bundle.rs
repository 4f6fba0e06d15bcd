//! Signed knowledge bundles (`qorgan::bundle`, `Engine::apply_bundle`): a root known only from a
//! bundle is named as a built-in one is; tampered, foreign-key, expired, rolled-back and
//! malformed bundles are refused and change nothing; key rotation; pins only on opt-in.
//!
//! The new "government" root is minted here with rcgen (P-256), so no build of Qorgan knows it.

use qorgan::{
    AnchorClass, BundleContent, BundleError, BundleKey, BundleSigner, CallerAnchor, Certificate,
    CertificateClass, Engine, EngineConfig, FindingCode, KnownCaCategory, PinPolicy, Report,
    VerdictKind,
};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

/// 2026-12-01T00:00:00Z: the bundles below are issued then.
const ISSUED: i64 = 1_796_083_200;
/// 2027-06-30T00:00:00Z.
const EXPIRES: i64 = 1_814_313_600;
/// A time both are valid at.
const NOW: i64 = ISSUED + 86_400;

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der.to_vec(), 1).expect("certificate")
}

/// A new self-signed root ("Kazakhstan 2026"), and a leaf for `host` it signed.
fn new_root(host: &str) -> (Certificate, Certificate) {
    let mut p = CertificateParams::default();
    p.distinguished_name
        .push(DnType::CommonName, "Qaznet Trust Network 2026");
    p.distinguished_name.push(DnType::CountryName, "KZ");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate().expect("key");
    let root = p.self_signed(&key).expect("root");
    let issuer = Issuer::new(p, key);
    let mut lp = CertificateParams::new(vec![host.to_string()]).expect("params");
    lp.distinguished_name.push(DnType::CommonName, host);
    let leaf = lp
        .signed_by(&KeyPair::generate().expect("key"), &issuer)
        .expect("leaf");
    (cert(leaf.der()), cert(root.der()))
}

fn signer(seed: u8) -> BundleSigner {
    BundleSigner::from_seed(&[seed; 32]).expect("signer")
}

fn content_for(root: &Certificate) -> String {
    format!(
        r#"{{"known_cas": [{{"spki_sha256": "{}", "label": "Kazakhstan 2026 interception root",
            "party": "Ministry", "country": "KZ", "year": 2026, "category": "government",
            "source": "https://example.org/kz-2026"}}]}}"#,
        root.spki_hash().hex()
    )
}

fn bundle(s: &BundleSigner, content: &str, version: u64) -> Vec<u8> {
    let c = BundleContent::from_json(content).expect("content");
    s.sign(&c, version, ISSUED, EXPIRES).expect("sign")
}

fn engine(anchors: Vec<Certificate>, keys: Vec<BundleKey>) -> Engine {
    Engine::new(EngineConfig {
        anchors: anchors.into_iter().map(CallerAnchor::new).collect(),
        bundle_keys: keys,
        ..EngineConfig::default()
    })
    .expect("engine")
}

#[test]
fn a_root_known_only_from_a_bundle_is_named_like_a_built_in_one() {
    let (leaf, root) = new_root("kaspi.kz");
    let chain = vec![leaf.clone(), root.clone()];
    let s = signer(1);
    // The root installed on the device, as the 2019 campaign asked.
    let e = engine(vec![root.clone()], vec![s.public_key()]);
    let before = e.analyze(&chain, Some("kaspi.kz"), Some(NOW)).unwrap();
    assert_eq!(before.verdict, VerdictKind::InterceptedLocal);
    assert!(e.bundle_info().is_none());

    let info = e
        .apply_bundle_at(&bundle(&s, &content_for(&root), 1), NOW)
        .expect("accepted");
    assert_eq!(info.version, 1);
    assert_eq!(info.known_cas, 1);
    assert_eq!(info.issued, "2026-12-01T00:00:00Z");
    assert_eq!(e.bundle_info(), Some(info));

    let v = e.analyze(&chain, Some("kaspi.kz"), Some(NOW)).unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown, "{v:#?}");
    assert!(v.has(FindingCode::KnownInterceptionCa));
    let a = v.anchor.as_ref().expect("anchor");
    assert_eq!(a.class, AnchorClass::KnownInterception);
    let k = a.known.as_ref().expect("known");
    assert_eq!(k.category, KnownCaCategory::GovernmentInterception);
    assert_eq!(k.country.as_deref(), Some("KZ"));
    assert_eq!(k.year.as_deref(), Some("2026"));
    assert_eq!(
        v.interception_ca(),
        Some("Kazakhstan 2026 interception root")
    );

    // The same verdict on the per-handshake path, which must not call it clean.
    let ders: Vec<&[u8]> = chain.iter().map(|c| c.der().as_ref()).collect();
    assert!(!e.validated_clean(&ders, Some("kaspi.kz")).unwrap());
    let fast = e.analyze_validated(&ders, Some("kaspi.kz")).unwrap();
    assert_eq!(fast.verdict, VerdictKind::InterceptedKnown);

    // Without the root installed or sent: its key in the chain is enough.
    let bare = engine(Vec::new(), vec![s.public_key()]);
    bare.apply_bundle_at(&bundle(&s, &content_for(&root), 1), NOW)
        .unwrap();
    let v = bare.analyze(&chain, Some("kaspi.kz"), Some(NOW)).unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown);

    // An audit of a store holding it.
    let audit = e.audit(std::slice::from_ref(&root));
    assert_eq!(
        audit.certificates[0].class,
        CertificateClass::KnownInterception
    );
    assert_eq!(audit.summary.known_interception, 1);
}

/// Every way a bundle is refused: the error says which, and the engine keeps what it had.
#[test]
fn refused_bundles_change_nothing() {
    let (leaf, root) = new_root("kaspi.kz");
    let chain = vec![leaf, root.clone()];
    let s = signer(1);
    let e = engine(Vec::new(), vec![s.public_key()]);
    let (_, other_root) = new_root("other.kz");
    e.apply_bundle_at(&bundle(&s, &content_for(&other_root), 5), NOW)
        .expect("the bundle in use");
    let in_use = e.bundle_info();
    let verdict = |e: &Engine| e.analyze(&chain, Some("kaspi.kz"), Some(NOW)).unwrap();
    let before = verdict(&e);
    assert_eq!(before.verdict, VerdictKind::Untrusted);

    let good = bundle(&s, &content_for(&root), 6);
    let mut tampered = good.clone();
    let i = tampered.len() - 80; // inside the payload
    tampered[i] ^= 1;
    let mut bad_sig = good.clone();
    let last = bad_sig.len() - 1;
    bad_sig[last] ^= 1;
    let foreign = bundle(&signer(2), &content_for(&root), 6);
    let expired = {
        let c = BundleContent::from_json(&content_for(&root)).unwrap();
        s.sign(&c, 6, ISSUED - 100, NOW - 1).unwrap()
    };
    let rollback = bundle(&s, &content_for(&root), 4);
    let replay = bundle(&s, &content_for(&root), 5);
    let bad_spki = s
        .seal(
            br#"{"version": 6, "issued": 1796083200, "expires": 1814313600,
                   "known_cas": [{"spki_sha256": "abc", "label": "x", "category": "government",
                   "source": "y"}]}"#,
        )
        .unwrap();
    let not_json = s.seal(b"version 6").unwrap();
    let unknown_field = s
        .seal(br#"{"version": 6, "issued": 1796083200, "expires": 1814313600, "remove": []}"#)
        .unwrap();
    let no_version = s
        .seal(br#"{"issued": 1796083200, "expires": 1814313600}"#)
        .unwrap();
    let mut trailing = good.clone();
    trailing.push(0);

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("tampered", tampered, "bundle_bad_signature"),
        ("bad signature", bad_sig, "bundle_bad_signature"),
        ("foreign key", foreign, "bundle_unknown_key"),
        ("expired", expired, "bundle_expired"),
        ("rollback", rollback, "bundle_not_newer"),
        ("replay", replay, "bundle_not_newer"),
        ("bad spki", bad_spki, "bundle_malformed"),
        ("not json", not_json, "bundle_malformed"),
        ("unknown field", unknown_field, "bundle_malformed"),
        ("no version", no_version, "bundle_malformed"),
        ("trailing byte", trailing, "bundle_malformed"),
        ("empty", Vec::new(), "not_a_bundle"),
        ("truncated", good[..40].to_vec(), "not_a_bundle"),
        (
            "not a bundle",
            b"{\"known_cas\": []}".to_vec(),
            "not_a_bundle",
        ),
        (
            "huge",
            vec![0u8; qorgan::bundle::MAX_BUNDLE_BYTES + 1],
            "bundle_too_large",
        ),
    ];
    for (what, bytes, code) in cases {
        let err = e.apply_bundle_at(&bytes, NOW).expect_err(what);
        assert_eq!(err.code(), code, "{what}: {err}");
        assert!(!err.to_string().is_empty());
        assert_eq!(e.bundle_info(), in_use, "{what} changed the bundle in use");
        assert_eq!(verdict(&e), before, "{what} changed a verdict");
    }
    if let Err(BundleError::NotNewer { version, current }) =
        e.apply_bundle_at(&bundle(&s, &content_for(&root), 5), NOW)
    {
        assert_eq!((version, current), (5, 5));
    } else {
        panic!("a replay must be NotNewer");
    }

    // No keys configured: nothing is ever accepted.
    let keyless = engine(Vec::new(), Vec::new());
    assert_eq!(
        keyless.apply_bundle_at(&good, NOW),
        Err(BundleError::NoKeys)
    );

    // The good one still applies afterwards.
    e.apply_bundle_at(&good, NOW).expect("the good bundle");
    assert_eq!(verdict(&e).verdict, VerdictKind::InterceptedKnown);
}

#[test]
fn a_restarted_engine_refuses_bundles_older_than_the_last_accepted_version() {
    let (_, root) = new_root("kaspi.kz");
    let s = signer(1);
    let e = Engine::new(EngineConfig {
        bundle_keys: vec![s.public_key()],
        bundle_min_version: 8,
        ..EngineConfig::default()
    })
    .unwrap();
    let old = e.apply_bundle_at(&bundle(&s, &content_for(&root), 7), NOW);
    assert_eq!(
        old,
        Err(BundleError::NotNewer {
            version: 7,
            current: 8
        })
    );
    assert!(e.bundle_info().is_none());
    // The stored bundle of the last run applies again.
    e.apply_bundle_at(&bundle(&s, &content_for(&root), 8), NOW)
        .expect("the last accepted version");
}

#[test]
fn key_rotation_accepts_a_bundle_signed_by_either_configured_key() {
    let (leaf, root) = new_root("kaspi.kz");
    let (old, new) = (signer(1), signer(2));
    let e = engine(Vec::new(), vec![old.public_key(), new.public_key()]);
    let info = e
        .apply_bundle_at(&bundle(&new, &content_for(&root), 1), NOW)
        .expect("signed by the second key");
    assert_eq!(info.key_id, new.public_key().key_id_hex());
    let v = e
        .analyze(&[leaf.clone(), root.clone()], Some("kaspi.kz"), Some(NOW))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::InterceptedKnown);
    // The old key still works for the next version, until apps drop it.
    e.apply_bundle_at(&bundle(&old, &content_for(&root), 2), NOW)
        .expect("signed by the first key");
    // A key parsed back from its base64 is the same key.
    let b64 = new.public_key().to_base64();
    assert_eq!(BundleKey::from_base64(&b64).unwrap(), new.public_key());
    assert!(BundleKey::from_base64("AAAA").is_err());
}

#[test]
fn a_later_bundle_replaces_an_earlier_one_but_never_the_built_in_list() {
    let (leaf, root) = new_root("kaspi.kz");
    let s = signer(1);
    let e = engine(Vec::new(), vec![s.public_key()]);
    e.apply_bundle_at(&bundle(&s, &content_for(&root), 1), NOW)
        .unwrap();
    // Version 2 no longer lists the root: the knowledge is version 2's.
    e.apply_bundle_at(&bundle(&s, r#"{"known_cas": []}"#, 2), NOW)
        .unwrap();
    let v = e
        .analyze(&[leaf, root], Some("kaspi.kz"), Some(NOW))
        .unwrap();
    assert_eq!(v.verdict, VerdictKind::Untrusted);

    // A bundle cannot relabel or demote a built-in interception CA.
    let kz = qorgan::anchors::known::all()
        .into_iter()
        .find(|k| k.category == KnownCaCategory::GovernmentInterception)
        .expect("a built-in Kazakh root");
    let demote = format!(
        r#"{{"known_cas": [{{"spki_sha256": "{}", "label": "harmless", "category": "test",
             "source": "x"}}]}}"#,
        kz.spki_sha256
    );
    e.apply_bundle_at(&bundle(&s, &demote, 3), NOW).unwrap();
    let spki = qorgan::SpkiHash::from_hex(&kz.spki_sha256).unwrap();
    assert_eq!(qorgan::anchors::known::lookup(&spki), Some(kz));
}

#[test]
fn a_distrusted_key_from_a_bundle_makes_its_anchor_distrusted() {
    let (leaf, root) = new_root("bank.example");
    let s = signer(1);
    let e = engine(vec![root.clone()], vec![s.public_key()]);
    let content = format!(
        r#"{{"distrusted": [{{"spki_sha256": "{}", "name": "Qaznet 2026", "reason": "misissuance",
             "removed": "2026-11-30"}}]}}"#,
        root.spki_hash().hex()
    );
    e.apply_bundle_at(&bundle(&s, &content, 1), NOW).unwrap();
    let v = e
        .analyze(&[leaf, root], Some("bank.example"), Some(NOW))
        .unwrap();
    let a = v.anchor.as_ref().unwrap();
    assert_eq!(a.class, AnchorClass::Distrusted);
    assert_eq!(a.distrusted.as_ref().unwrap().reason, "misissuance");
    assert!(v.has(FindingCode::DistrustedRoot));
}

#[test]
fn bundle_pins_replace_the_apps_only_for_the_domains_named_and_only_on_opt_in() {
    let s = signer(1);
    let app = PinPolicy::from_json(
        r#"{"domains": [
            {"domain": "a.example", "pins": ["sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                             "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="]},
            {"domain": "b.example", "pins": ["sha256/CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=",
                                             "sha256/DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD="]}]}"#,
    )
    .unwrap();
    let content = r#"{"pins": {"domains": [
        {"domain": "a.example", "pins": ["sha256/EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE=",
                                         "sha256/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF="]}]}}"#;
    let b = bundle(&s, content, 1);
    let pins_of = |e: &Engine, host: &str| {
        e.pin_policy()
            .and_then(|p| p.rule_for(host).map(|r| r.pins[0].base64()))
            .unwrap_or_default()
    };
    for opt_in in [false, true] {
        let e = Engine::new(EngineConfig {
            pin_policy: Some(app.clone()),
            bundle_keys: vec![s.public_key()],
            bundle_pins: opt_in,
            ..EngineConfig::default()
        })
        .unwrap();
        let info = e.apply_bundle_at(&b, NOW).unwrap();
        assert_eq!(info.pinned_domains, 1);
        assert_eq!(info.pins_applied, opt_in);
        let a = pins_of(&e, "a.example");
        if opt_in {
            assert!(a.starts_with("EEEE"), "{a}");
        } else {
            assert!(a.starts_with("AAAA"), "{a}");
        }
        assert!(pins_of(&e, "b.example").starts_with("CCCC"));
    }
    // A bundle may not bring its own allowed anchors or debug overrides, for the whole policy
    // or for one domain.
    let err = BundleContent::from_json(r#"{"pins": {"domains": [], "allowed-anchors": []}}"#)
        .unwrap_err();
    assert_eq!(err.code(), "bundle_malformed");
    for rule in [
        r#""allowed-anchors": ["sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]"#,
        r#""trust-user-anchors": true"#,
    ] {
        let content = format!(
            r#"{{"pins": {{"domains": [{{"domain": "a.example", {rule},
                "pins": ["sha256/EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE=",
                         "sha256/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF="]}}]}}}}"#
        );
        let err = BundleContent::from_json(&content).unwrap_err();
        assert_eq!(err.code(), "bundle_malformed", "{rule}");
        assert!(err.to_string().contains("pins only"), "{err}");
    }
}

#[test]
fn bundle_pins_for_a_domain_leave_the_apps_pins_for_its_subdomains() {
    // The app pins example.com and every name below it; the bundle pins example.com alone: the
    // subdomains stay pinned by the app, the domain itself by the bundle.
    let s = signer(1);
    let app = PinPolicy::from_json(
        r#"{"domains": [{"domain": "example.com", "include-subdomains": true,
            "pins": ["sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                     "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="]}]}"#,
    )
    .unwrap();
    let e = Engine::new(EngineConfig {
        pin_policy: Some(app),
        bundle_keys: vec![s.public_key()],
        bundle_pins: true,
        ..EngineConfig::default()
    })
    .unwrap();
    let content = r#"{"pins": {"domains": [{"domain": "example.com",
        "pins": ["sha256/EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE=",
                 "sha256/FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF="]}]}}"#;
    e.apply_bundle_at(&bundle(&s, content, 1), NOW).unwrap();
    let first_pin = |host: &str| {
        e.pin_policy()
            .and_then(|p| p.rule_for(host).map(|r| r.pins[0].base64()))
            .unwrap_or_default()
    };
    assert!(
        first_pin("api.example.com").starts_with("AAAA"),
        "{}",
        first_pin("api.example.com")
    );
    assert!(
        first_pin("example.com").starts_with("EEEE"),
        "{}",
        first_pin("example.com")
    );
}

#[test]
fn reports_say_which_bundle_the_knowledge_comes_from() {
    let (leaf, root) = new_root("kaspi.kz");
    let s = signer(1);
    let e = engine(Vec::new(), vec![s.public_key()]);
    e.apply_bundle_at(&bundle(&s, &content_for(&root), 9), NOW)
        .unwrap();
    let chain = vec![leaf, root];
    let v = e.analyze(&chain, Some("kaspi.kz"), Some(NOW)).unwrap();
    let served: Vec<Vec<u8>> = chain.iter().map(|c| c.der().to_vec()).collect();
    let plain = Report::new("kaspi.kz".into(), 443, &served, &[], v.clone(), NOW, None);
    assert!(!plain.json.contains("qorgan-bundle"));
    let r = plain.with_bundle(e.bundle_info().as_ref());
    let json: serde_json::Value = serde_json::from_str(&r.json).unwrap();
    assert_eq!(json["qorgan-bundle"]["version"], 9);
    assert_eq!(json["qorgan-bundle"]["issued"], "2026-12-01T00:00:00Z");
    assert_eq!(json["qorgan-verdict"], "intercepted_known");
}

#[test]
fn content_is_checked_before_it_is_signed() {
    for (bad, why) in [
        (
            r#"{"known_cas": [{"spki_sha256": "zz", "label": "x", "category": "government", "source": "y"}]}"#,
            "short spki",
        ),
        (
            r#"{"known_cas": [{"spki_sha256": "0000000000000000000000000000000000000000000000000000000000000000", "label": "x", "category": "nope", "source": "y"}]}"#,
            "category",
        ),
        (
            r#"{"known_cas": [{"spki_sha256": "0000000000000000000000000000000000000000000000000000000000000000", "label": "", "category": "test", "source": "y"}]}"#,
            "empty label",
        ),
        (
            r#"{"known_cas": [{"spki_sha256": "0000000000000000000000000000000000000000000000000000000000000000", "label": "x", "category": "test", "source": "y", "country": "Kazakhstan"}]}"#,
            "country",
        ),
        (r#"{"version": 3}"#, "version in the content"),
        (r#"[]"#, "not an object"),
    ] {
        assert_eq!(
            BundleContent::from_json(bad)
                .map(|_| ())
                .unwrap_err()
                .code(),
            "bundle_malformed",
            "{why}"
        );
    }
}

/// Each member of the content has one type; a wrong one, a misspelt one or a missing required
/// one is refused with where it is, never skipped (a skipped entry is a CA the app is not told
/// about).
#[test]
fn content_members_are_read_strictly_and_refusals_say_where() {
    let ok = r#""spki_sha256": "0000000000000000000000000000000000000000000000000000000000000000", "label": "x", "category": "test", "source": "y""#;
    let parsed = BundleContent::from_json(&format!(
        r#"{{"known_cas": [{{{ok}, "year": "2019", "name": null}}]}}"#
    ))
    .expect("a good entry");
    assert_eq!(parsed.known_cas[0].ca.year.as_deref(), Some("2019"));
    assert_eq!(parsed.known_cas[0].ca.name, "x");
    for (bad, says) in [
        (format!(r#"{{"known_cas": [{{{ok}, "lable": "x"}}]}}"#), "known_cas[0]: unknown member \"lable\""),
        (format!(r#"{{"known_cas": [{{}}, {{{ok}, "label": 7}}]}}"#), "known_cas[0]: spki_sha256 is missing"),
        (format!(r#"{{"known_cas": [{{{ok}, "party": 7}}]}}"#),
            "known_cas[0]: party must be a string"),
        (format!(r#"{{"known_cas": [{{{ok}, "year": 19}}]}}"#), "known_cas[0]: year must be a year"),
        (r#"{"known_cas": {}}"#.to_string(), "known_cas must be an array"),
        (r#"{"known_cas": null}"#.to_string(), "known_cas must be an array"),
        (r#"{"known_cas": [7]}"#.to_string(), "known_cas[0]: expected a JSON object"),
        (r#"{"distrusted": [{"spki_sha256": "00", "name": "n", "reason": "r", "gone": 1}]}"#.to_string(), "distrusted[0]: unknown member \"gone\""),
        (r#"{"distrusted": [{"spki_sha256": "0000000000000000000000000000000000000000000000000000000000000000", "name": "n"}]}"#.to_string(), "distrusted[0]: reason is missing"),
        (r#"{"known_ca": []}"#.to_string(), "the content: unknown member \"known_ca\""),
    ] {
        let err = BundleContent::from_json(&bad).map(|_| ()).unwrap_err();
        assert_eq!(err.code(), "bundle_malformed", "{bad}");
        assert!(err.to_string().contains(says), "{bad}: {err}");
    }
}

/// Readers see the old knowledge or the new one: a verdict taken while bundles are applied is
/// always one of the two, never a mix (its finding and its anchor class agree).
#[test]
fn applying_is_atomic_for_concurrent_readers() {
    let (leaf, root) = new_root("kaspi.kz");
    let s = signer(1);
    let e = engine(vec![root.clone()], vec![s.public_key()]);
    let chain = vec![leaf, root.clone()];
    let bundles: Vec<Vec<u8>> = (1..=40)
        .map(|v| {
            let content = if v % 2 == 0 {
                content_for(&root)
            } else {
                r#"{"known_cas": []}"#.to_string()
            };
            bundle(&s, &content, v)
        })
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..60 {
                    let v = e.analyze(&chain, Some("kaspi.kz"), Some(NOW)).unwrap();
                    let class = v.anchor.as_ref().unwrap().class;
                    match v.verdict {
                        VerdictKind::InterceptedKnown => {
                            assert_eq!(class, AnchorClass::KnownInterception)
                        }
                        VerdictKind::InterceptedLocal => {
                            assert_eq!(class, AnchorClass::NonPublicRoot)
                        }
                        other => panic!("{other:?}"),
                    }
                }
            });
        }
        for b in &bundles {
            e.apply_bundle_at(b, NOW).unwrap();
        }
    });
}

#[test]
fn a_key_distrusted_below_a_public_anchor_is_never_clean_on_the_per_handshake_paths() {
    // amazon.com's real chain to DigiCert Global Root G2 (public); a bundle distrusts its
    // intermediate's key. analyze says so; the per-handshake paths must not call it clean.
    let pem = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/real-chains/limbo-online/amazon.com.chain.pem"),
    )
    .unwrap();
    let chain = qorgan::parse_store(&pem).unwrap();
    let ders: Vec<&[u8]> = chain.iter().map(|c| c.der().as_ref()).collect();
    let s = signer(1);
    let e = engine(Vec::new(), vec![s.public_key()]);
    assert!(
        e.validated_clean(&ders, Some("amazon.com")).unwrap(),
        "clean before the bundle"
    );
    let content = format!(
        r#"{{"distrusted": [{{"spki_sha256": "{}", "name": "DigiCert Global CA G2", "reason": "misissuance",
             "removed": "2026-11-30"}}]}}"#,
        chain[1].spki_hash().hex()
    );
    e.apply_bundle_at(&bundle(&s, &content, 1), NOW).unwrap();
    assert!(
        !e.validated_clean(&ders, Some("amazon.com")).unwrap(),
        "clean after the bundle"
    );
    let v = e.analyze_validated(&ders, Some("amazon.com")).unwrap();
    assert!(v.has(FindingCode::DistrustedRoot), "{:?}", v.findings);
}
