//! Path building with rustls-webpki: from the leaf through the presented certificates to one
//! of the engine's anchors, every signature checked.
//!
//! A chain that fails is still followed as far as it honestly can be: a chain that only
//! expired is built again at a time its leaf was valid, and one stopped by key usage,
//! constraints or a weak signature algorithm is followed by names to the anchor whose key
//! signed ([`Engine::anchor_by_names`]), so that it is reported as `invalid` at that anchor
//! rather than `untrusted`.

use std::time::Duration;

use pki_types::{CertificateDer, Der, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, KeyUsage};

use super::chain::Presented;
use super::messages;
use super::Engine;
use crate::anchors::anchor_spki_hash;
use crate::cert::{Certificate, SpkiHash};
use crate::verdict::{Finding, FindingCode, Severity};

/// Where a chain leads: the anchor, and the certificates of the presented chain on the way.
pub(super) struct Built {
    /// The anchor's key hash.
    pub(super) anchor_spki: SpkiHash,
    /// The anchor's index in the presented chain, when the server sent it.
    pub(super) anchor_index: Option<usize>,
    /// Indices into the presented chain of the certificates on the path, leaf first.
    pub(super) path_indices: Vec<usize>,
    /// Found only by names because a weak signature algorithm stopped webpki.
    pub(super) weak_only: bool,
    /// Built by webpki, signatures checked, at the validation time itself (not at a retry
    /// time for an expired chain, not by names): the only paths pins are checked on.
    pub(super) verified_at_t: bool,
}

/// The anchors path building is given for one chain ([`Engine::candidate_anchors`]), borrowed
/// from the engine's, with their key hashes.
struct CandidateAnchors<'a> {
    anchors: Vec<TrustAnchor<'a>>,
    /// The key hash of each of `anchors`, at the same index.
    keys: Vec<SpkiHash>,
}

impl CandidateAnchors<'_> {
    /// The key hash of `anchor`, which path building returned: one of these (looked up by
    /// reference; the key is hashed only if it is not).
    fn key_of(&self, anchor: &TrustAnchor<'_>) -> SpkiHash {
        match self.anchors.iter().position(|a| std::ptr::eq(a, anchor)) {
            Some(i) => self.keys[i],
            None => anchor_spki_hash(&anchor.subject_public_key_info),
        }
    }
}

impl Engine {
    /// Builds a path and returns where it leads. Pushes findings for what stopped it.
    pub(super) fn build_path(
        &self,
        presented: &Presented<'_>,
        ee: Result<&EndEntityCert<'_>, &webpki::Error>,
        t: i64,
        findings: &mut Vec<Finding>,
    ) -> Option<Built> {
        let chain: &[Certificate] = &presented.certs;
        let ee = match ee {
            Ok(ee) => ee,
            Err(e) => {
                findings.push(Finding::new(
                    FindingCode::InvalidCertificate,
                    Severity::Warning,
                    messages::unusable_leaf(e),
                ));
                return None;
            }
        };
        let intermediates: Vec<CertificateDer<'_>> = chain[1..]
            .iter()
            .map(|c| CertificateDer::from(c.der().as_ref()))
            .collect();
        let candidates = self.candidate_anchors(chain);
        let attempt = |at: i64| -> Result<Built, webpki::Error> {
            let path = ee.verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &candidates.anchors,
                &intermediates,
                unix_time(at),
                KeyUsage::server_auth(),
                None,
                None,
            )?;
            let anchor_spki = candidates.key_of(path.anchor());
            let mut path_indices = vec![0];
            for c in path.intermediate_certificates() {
                let der = c.der();
                if let Some(i) = chain.iter().position(|p| p.der().as_ref() == der.as_ref()) {
                    path_indices.push(i);
                }
            }
            let anchor_index = chain.iter().position(|c| c.spki_hash() == anchor_spki);
            Ok(Built {
                anchor_spki,
                anchor_index,
                path_indices,
                weak_only: false,
                verified_at_t: at == t,
            })
        };
        let first = attempt(t);
        let err = match first {
            Ok(b) => return Some(b),
            Err(e) => e,
        };
        if is_time_error(&err) {
            // Expired or not yet valid: say where the chain leads anyway.
            let leaf = &presented.info[0];
            let mid = leaf.not_before / 2 + leaf.not_after / 2;
            for retry in [mid, leaf.not_before + 1, leaf.not_after - 1] {
                match attempt(retry) {
                    Ok(b) => return Some(b),
                    Err(e) if is_time_error(&e) => continue,
                    Err(e) => return self.unbuilt(presented, e, findings),
                }
            }
            return None;
        }
        self.unbuilt(presented, err, findings)
    }

    /// The anchors that may have issued a certificate of `chain`, in the engine's order: those
    /// whose subject is the issuer of one of them.
    ///
    /// Path building with these alone reaches the same anchor, or fails with the same error, as
    /// with all of the engine's anchors: for each certificate on a path, rustls-webpki tries
    /// every anchor in turn and passes over one whose subject is not that certificate's issuer
    /// (byte for byte), with `UnknownIssuer`, the lowest-ranked error, which never replaces
    /// another. Passing over the several hundred others, at each step of the path, cost more
    /// than this scan.
    fn candidate_anchors(&self, chain: &[Certificate]) -> CandidateAnchors<'_> {
        let mut candidates = CandidateAnchors {
            anchors: Vec::new(),
            keys: Vec::new(),
        };
        let issuers: Vec<&[u8]> = chain.iter().map(|c| strip_header(c.issuer_der())).collect();
        // The bundled anchors (the first ones) through their index by subject, the caller's
        // one by one; then in the engine's order.
        let bundled = crate::anchors::BUNDLED.len();
        let mut picked: Vec<usize> = issuers
            .iter()
            .flat_map(|issuer| crate::anchors::bundled_with_subject(issuer))
            .collect();
        picked.extend(
            (bundled..self.anchors.len())
                .filter(|&i| issuers.contains(&self.anchors[i].subject.as_ref())),
        );
        picked.sort_unstable();
        picked.dedup();
        for i in picked {
            let a = &self.anchors[i];
            candidates.anchors.push(TrustAnchor {
                subject: Der::from_slice(a.subject.as_ref()),
                subject_public_key_info: Der::from_slice(a.subject_public_key_info.as_ref()),
                name_constraints: a.name_constraints.as_ref().map(|n| Der::from_slice(n)),
            });
            candidates.keys.push(self.anchor_keys[i]);
        }
        candidates
    }

    /// Records why no path was built. For faults that leave the names linked up to an anchor
    /// (key usage, constraints, weak signature algorithms) returns that anchor, found by name,
    /// so that the verdict is `invalid` rather than `untrusted`.
    // The unit variants are deprecated in favour of the *Context ones, but webpki still
    // returns either; match both.
    #[allow(deprecated)]
    fn unbuilt(
        &self,
        presented: &Presented<'_>,
        err: webpki::Error,
        findings: &mut Vec<Finding>,
    ) -> Option<Built> {
        use webpki::Error as E;
        let chain: &[Certificate] = &presented.certs;
        let leaf_name = presented.name(0);
        let (code, severity, message, by_name) = match &err {
            E::UnknownIssuer => (
                FindingCode::NoPath,
                Severity::Warning,
                messages::no_path(&leaf_name),
                false,
            ),
            E::InvalidSignatureForPublicKey => (
                FindingCode::BadSignature,
                Severity::Critical,
                messages::bad_signature(),
                false,
            ),
            E::UnsupportedSignatureAlgorithm
            | E::UnsupportedSignatureAlgorithmContext(_)
            | E::UnsupportedSignatureAlgorithmForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
                if presented
                    .info
                    .iter()
                    .any(|f| f.signature_algorithm.is_weak() && !f.self_signed) =>
            {
                // reported by the heuristics as sha1_signature
                return self
                    .anchor_by_names(chain)
                    .map(|mut b| {
                        b.weak_only = true;
                        b
                    })
                    .or_else(|| {
                        findings.push(Finding::new(
                            FindingCode::NoPath,
                            Severity::Warning,
                            messages::no_path_with_acceptable_algorithm(&leaf_name),
                        ));
                        None
                    });
            }
            E::RequiredEkuNotFound
            | E::RequiredEkuNotFoundContext(_)
            | E::EmptyEkuExtension
            | E::CaUsedAsEndEntity
            | E::EndEntityUsedAsCa => (
                FindingCode::WrongKeyUsage,
                Severity::Warning,
                messages::wrong_key_usage(&err),
                true,
            ),
            E::NameConstraintViolation
            | E::PathLenConstraintViolated
            | E::InvalidNetworkMaskConstraint
            | E::MalformedNameConstraint => (
                FindingCode::ConstraintViolation,
                Severity::Warning,
                messages::constraint_violation(&err),
                true,
            ),
            E::MaximumPathBuildCallsExceeded
            | E::MaximumPathDepthExceeded
            | E::MaximumSignatureChecksExceeded
            | E::MaximumNameConstraintComparisonsExceeded => (
                FindingCode::PathTooComplex,
                Severity::Warning,
                messages::path_too_complex(&err),
                false,
            ),
            E::CertDistrusted => (
                FindingCode::DistrustedRoot,
                Severity::Critical,
                messages::distrusted_by_verifier(),
                false,
            ),
            _ => (
                FindingCode::InvalidCertificate,
                Severity::Warning,
                messages::malformed_certificate(&err),
                false,
            ),
        };
        findings.push(Finding::new(code, severity, message));
        if by_name {
            self.anchor_by_names(chain)
        } else {
            None
        }
    }

    /// Follows issuer names from the leaf through the presented certificates to an anchor,
    /// without checking signatures (used only to name where an invalid chain leads).
    fn anchor_by_names(&self, chain: &[Certificate]) -> Option<Built> {
        let mut current = 0usize;
        let mut path_indices = vec![0];
        for _ in 0..chain.len() + 1 {
            let cert = &chain[current];
            // The anchor whose key signed, not the last one with the issuer's name: names are
            // what an attacker writes, and Kazakhstan gave nine roots one name.
            if let Some(spki) = self.parent_anchor(cert.der(), cert.issuer_der(), |_| true) {
                let anchor_index = chain.iter().position(|c| c.spki_hash() == spki);
                return Some(Built {
                    anchor_spki: spki,
                    anchor_index,
                    path_indices,
                    weak_only: false,
                    verified_at_t: false,
                });
            }
            let next = chain.iter().enumerate().position(|(i, c)| {
                !path_indices.contains(&i) && c.subject_der() == cert.issuer_der()
            })?;
            path_indices.push(next);
            current = next;
        }
        None
    }
}

/// Whether path building failed only on the dates: then it is tried again at other times.
fn is_time_error(e: &webpki::Error) -> bool {
    matches!(
        e,
        webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. }
    )
}

pub(super) fn unix_time(t: i64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(t).unwrap_or(0)))
}

/// A DER element's contents, without its tag and length (the whole of it when it cannot be
/// read): a Name as rustls-webpki holds an anchor's subject.
fn strip_header(der: &[u8]) -> &[u8] {
    match crate::der::read_tlv(der) {
        Ok(t) => &der[t.header..t.total()],
        Err(_) => der,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CallerAnchor, EngineConfig};

    /// Path building given the candidate anchors ends as it does given all of the engine's:
    /// the same anchor, or the same error, on the real chains and test CAs, at a time each is
    /// valid, long before and long after, whole and without their last certificate.
    #[test]
    fn path_building_with_the_candidate_anchors_ends_as_with_all_anchors() {
        use pki_types::pem::PemObject;
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/");
        let mut pems = Vec::new();
        for dir in [
            "data/real-chains/limbo-online",
            "test-ca/kz-forged",
            "test-ca/local-root",
        ]
        .iter()
        .chain(&[
            "test-ca/qaznet-impostor",
            "test-ca/superfish",
            "test-ca/unknown-root",
        ])
        .chain(&["test-ca/wrong-host"])
        {
            for entry in std::fs::read_dir(format!("{root}{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "pem") {
                    pems.push(path);
                }
            }
        }
        let local = std::fs::read(format!("{root}test-ca/local-root/root.der")).unwrap();
        let engine = Engine::new(EngineConfig {
            anchors: vec![CallerAnchor {
                certificate: Certificate::from_der(local, 1).unwrap(),
                user_added: true,
            }],
            ..EngineConfig::default()
        })
        .unwrap();
        let mut built = 0;
        for path in pems {
            let ders: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&path)
                .unwrap()
                .map(|c| c.unwrap())
                .collect();
            let Some(chain) = ders
                .iter()
                .enumerate()
                .map(|(i, d)| Certificate::from_der(d.to_vec(), i + 1).ok())
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let Ok(ee) = EndEntityCert::try_from(&ders[0]) else {
                continue;
            };
            for chain in [&chain[..], &chain[..chain.len() - 1]] {
                if chain.is_empty() {
                    continue;
                }
                let candidates = engine.candidate_anchors(chain);
                let intermediates: Vec<CertificateDer<'_>> =
                    chain[1..].iter().map(|c| c.der().clone()).collect();
                let facts = crate::facts::CertificateFacts::of(&chain[0], 1).unwrap();
                let mid = facts.not_before_unix / 2 + facts.not_after_unix / 2;
                for t in [
                    mid,
                    facts.not_before_unix - 86_400,
                    facts.not_after_unix + 86_400,
                ] {
                    let run = |anchors: &[TrustAnchor<'_>]| {
                        ee.verify_for_usage(
                            webpki::ALL_VERIFICATION_ALGS,
                            anchors,
                            &intermediates,
                            unix_time(t),
                            KeyUsage::server_auth(),
                            None,
                            None,
                        )
                        .map(|p| anchor_spki_hash(&p.anchor().subject_public_key_info))
                        .map_err(|e| format!("{e:?}"))
                    };
                    let all = run(&engine.anchors);
                    built += usize::from(all.is_ok());
                    assert_eq!(run(&candidates.anchors), all, "{} at {t}", path.display());
                }
            }
        }
        assert!(built >= 20, "{built}");
    }

    #[test]
    fn candidate_anchors_are_the_issuers_of_the_chain_with_their_keys() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/test-ca/local-root/");
        let root = Certificate::from_der(std::fs::read(format!("{dir}root.der")).unwrap(), 1);
        let root = root.unwrap();
        let leaf = Certificate::from_der(std::fs::read(format!("{dir}leaf.der")).unwrap(), 1);
        let leaf = leaf.unwrap();
        let engine = Engine::new(EngineConfig {
            anchors: vec![CallerAnchor {
                certificate: root.clone(),
                user_added: true,
            }],
            ..EngineConfig::default()
        })
        .unwrap();
        assert_eq!(engine.anchors.len(), engine.anchor_keys.len());
        for (a, key) in engine.anchors.iter().zip(&engine.anchor_keys) {
            assert_eq!(*key, anchor_spki_hash(&a.subject_public_key_info));
        }
        // The local root issued the leaf (and itself).
        for chain in [vec![leaf.clone()], vec![leaf.clone(), root.clone()]] {
            let c = engine.candidate_anchors(&chain);
            assert_eq!(c.anchors.len(), 1);
            assert_eq!(c.key_of(&c.anchors[0]), root.spki_hash());
            // An anchor that is not one of them (a copy) is hashed.
            let copy = c.anchors[0].clone();
            assert_eq!(c.key_of(&copy), root.spki_hash());
        }
        // Every engine anchor whose subject some certificate names as issuer, in order: the
        // Mozilla roots' own certificates name themselves.
        let mut roots: Vec<Certificate> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .enumerate()
            .map(|(i, c)| Certificate::from_der(c.to_vec(), i + 1).unwrap())
            .collect();
        roots.push(leaf);
        let c = engine.candidate_anchors(&roots);
        let expected: Vec<SpkiHash> = engine
            .anchors
            .iter()
            .zip(&engine.anchor_keys)
            .filter(|(a, _)| {
                roots
                    .iter()
                    .any(|r| strip_header(r.issuer_der()) == a.subject.as_ref())
            })
            .map(|(_, k)| *k)
            .collect();
        assert!(expected.len() >= roots.len());
        assert_eq!(expected.last(), Some(&root.spki_hash()));
        assert_eq!(c.keys, expected);
        for (a, k) in c.anchors.iter().zip(&c.keys) {
            assert_eq!(c.key_of(a), *k);
            assert_eq!(anchor_spki_hash(&a.subject_public_key_info), *k);
        }
    }
}
