//! Proof that the facts the library builds (x509-parser, read once into its typed reading, then
//! turned into display strings) are the facts it always gave: every certificate of the test
//! material (real chains, badssl.com, x509-limbo, the test CAs, the bundled known CAs,
//! Mozilla's roots), and single-byte variants of each, go through the library and through the
//! frozen reference (`x509_reference`, the facts code of before the typed reading), and every
//! field and every Ok/Err outcome must agree. And the strict DER walker of the fast path
//! (`Certificate::from_der`) finds the same subject, issuer and key bytes as x509-parser
//! wherever both read a certificate.

mod x509_reference;

use qorgan::{Certificate, CertificateFacts};
use x509_reference::corpus;

/// Variants per certificate: enough that every part of a certificate (names, times, keys,
/// extensions) is hit by some change, few enough for a debug build.
/// `QORGAN_FACTS_VARIANTS=N` asks for more (a longer search for differences).
fn mutations_per_certificate() -> usize {
    std::env::var("QORGAN_FACTS_VARIANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

struct Tally {
    compared: usize,
    ok: usize,
    err: usize,
    mismatches: Vec<String>,
}

impl Tally {
    fn compare(&mut self, origin: &str, der: &[u8]) {
        let Ok(cert) = Certificate::from_der(der.to_vec(), 1) else {
            return;
        };
        self.compared += 1;
        if let Some(d) = walker_differences(&cert) {
            self.mismatches.push(format!("{origin}: DER walker: {d}"));
        }
        let ours = CertificateFacts::of(&cert, 1);
        let theirs = x509_reference::facts(&cert);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                self.ok += 1;
                if a != b {
                    self.mismatches
                        .push(format!("{origin}: {}", field_differences(a, b).join("; ")));
                }
            }
            (Err(_), Err(_)) => self.err += 1,
            (Ok(_), Err(e)) => self.mismatches.push(format!(
                "{origin}: x509-parser refused it ({e}), ours accepted it"
            )),
            (Err(e), Ok(_)) => self.mismatches.push(format!(
                "{origin}: ours refused it ({e}), x509-parser accepted it"
            )),
        }
    }
}

/// Where the DER walker's slices differ from x509-parser's raw ones (`None` when they agree or
/// x509-parser refuses the certificate). The walker takes each whole element; x509-parser's raw
/// slice ends where its reading did (a Name at its first malformed RDN, a key after its BIT
/// STRING even when the SEQUENCE goes on), so there it must be a prefix of the walker's.
fn walker_differences(cert: &Certificate) -> Option<String> {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (_, x) = X509Certificate::from_der(cert.der()).ok()?;
    let mut out = Vec::new();
    for (label, ours, theirs) in [
        ("subjectPublicKeyInfo", cert.spki_der(), x.public_key().raw),
        ("subject", cert.subject_der(), x.subject().as_raw()),
        ("issuer", cert.issuer_der(), x.issuer().as_raw()),
    ] {
        if ours != theirs && (theirs.len() == ours.len() || !ours.starts_with(theirs)) {
            out.push(label);
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

fn field_differences(a: &CertificateFacts, b: &CertificateFacts) -> Vec<String> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($f:ident).+) => {
            if a.$($f).+ != b.$($f).+ {
                out.push(format!(
                    "{}: ours {:?}, x509-parser {:?}",
                    stringify!($($f).+),
                    a.$($f).+,
                    b.$($f).+
                ));
            }
        };
    }
    cmp!(subject);
    cmp!(issuer);
    cmp!(common_name);
    cmp!(serial);
    cmp!(not_before);
    cmp!(not_after);
    cmp!(not_before_unix);
    cmp!(not_after_unix);
    cmp!(san_dns);
    cmp!(san_ip);
    cmp!(key.algorithm);
    cmp!(key.bits);
    cmp!(key.rsa_exponent);
    cmp!(key.curve);
    cmp!(signature_algorithm);
    cmp!(spki_sha256);
    cmp!(spki_sha256_b64);
    cmp!(sha256);
    cmp!(is_ca);
    cmp!(path_len);
    cmp!(self_issued);
    cmp!(self_signed);
    cmp!(sct_count);
    cmp!(sct_log_ids);
    cmp!(key_usage);
    cmp!(extended_key_usage);
    cmp!(extensions);
    cmp!(has_authority_key_id);
    out
}

/// The corpus and Mozilla's roots, each distinct certificate once.
fn all_samples() -> Vec<corpus::Sample> {
    let mut samples = corpus::samples();
    for (i, c) in webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().enumerate() {
        samples.push(corpus::Sample {
            origin: format!("webpki-root-certs #{}", i + 1),
            der: c.to_vec(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    samples.retain(|s| seen.insert(s.der.clone()));
    samples
}

/// Compares every certificate of `items` and prints the tally under `label`.
fn run<'a>(label: &str, items: impl Iterator<Item = (String, &'a [u8])>) -> Tally {
    let mut tally = Tally {
        compared: 0,
        ok: 0,
        err: 0,
        mismatches: Vec::new(),
    };
    for (origin, der) in items {
        tally.compare(&origin, der);
    }
    println!(
        "facts differential, {label}: {} certificates compared ({} parsed by both, {} refused by both)",
        tally.compared, tally.ok, tally.err
    );
    let shown: Vec<&str> = tally
        .mismatches
        .iter()
        .take(40)
        .map(String::as_str)
        .collect();
    assert!(
        tally.mismatches.is_empty(),
        "{} of {} differ (first 40):\n{}",
        tally.mismatches.len(),
        tally.compared,
        shown.join("\n")
    );
    tally
}

#[test]
fn facts_equal_x509_parser_on_every_test_certificate() {
    let samples = all_samples();
    let tally = run(
        "corpus",
        samples.iter().map(|s| (s.origin.clone(), s.der.as_slice())),
    );
    assert!(
        tally.compared >= 500,
        "only {} certificates",
        tally.compared
    );
}

#[test]
fn facts_equal_x509_parser_on_single_byte_variants() {
    let samples = all_samples();
    let per_certificate = mutations_per_certificate();
    let variants: Vec<(String, Vec<u8>)> = samples
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            corpus::mutations(&s.der, i as u64, per_certificate)
                .into_iter()
                .enumerate()
                .map(move |(j, m)| (format!("{} variant {j}", s.origin), m))
        })
        .collect();
    let tally = run(
        "variants",
        variants.iter().map(|(o, m)| (o.clone(), m.as_slice())),
    );
    assert!(tally.compared >= 10_000, "only {} variants", tally.compared);
}
