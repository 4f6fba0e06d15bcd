//! Hints from the certificates themselves: weak keys and signatures, and the fingerprints of
//! forged certificates.
//!
//! The 2019 Kazakh interceptor (IMC 2020, Raman et al.) minted leaves that copied the real
//! subject and SANs but used a host-specific RSA key with public exponent 3, shifted validity,
//! and stripped every other extension (no AKI, no EKU, no SCTs). One chain can show some of
//! that; these findings are hints, graded as such, never a verdict on their own.

use crate::cert::Certificate;
use crate::cert_info::CertInfo;
use crate::facts::{key_algorithm_name, signature_name};
use crate::i18n::Message;
use crate::verdict::{AnchorClass, AnchorInfo, Finding, FindingCode, Severity};

/// Decided on the typed readings (key size and algorithm, signature algorithm OID, extensions
/// present); the names only word the messages.
pub(crate) fn certificate_hints(
    certs: &[(&Certificate, &CertInfo)],
    anchor: Option<&AnchorInfo>,
    findings: &mut Vec<Finding>,
) {
    let public = anchor.is_some_and(|a| a.class == AnchorClass::PublicRoot);
    for (c, f) in certs {
        let name = f.display_name(c);
        if f.key.is_weak() {
            findings.push(
                Finding::new(
                    FindingCode::WeakKey,
                    Severity::Warning,
                    Message::new("finding-weak-key")
                        .arg("name", &name)
                        .arg("bits", f.key.bits)
                        .arg("algorithm", key_algorithm_name(&f.key.algorithm)),
                )
                .about(name.clone()),
            );
        }
        if f.key.rsa_exponent == Some(3) {
            findings.push(
                Finding::new(
                    FindingCode::RsaExponent3,
                    Severity::Warning,
                    Message::new("finding-rsa-exponent-3").arg("name", &name),
                )
                .about(name.clone()),
            );
        }
        if f.signature_algorithm.is_weak() && !f.self_signed {
            findings.push(
                Finding::new(
                    FindingCode::Sha1Signature,
                    Severity::Warning,
                    Message::new("finding-weak-signature")
                        .arg("name", &name)
                        .arg("algorithm", signature_name(&f.signature_algorithm.0)),
                )
                .about(name.clone()),
            );
        }
    }
    let Some(&(leaf_cert, leaf)) = certs.first() else {
        return;
    };
    if leaf.is_ca {
        return;
    }
    let name = leaf.display_name(leaf_cert);
    let stripped =
        leaf.sct_count == 0 && !leaf.has_authority_key_id && leaf.extended_key_usage.is_empty();
    if stripped {
        findings.push(
            Finding::new(
                FindingCode::StrippedLeaf,
                if public {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                Message::new("finding-stripped-leaf").arg("name", &name),
            )
            .about(name.clone()),
        );
    } else if leaf.sct_count == 0 && public {
        findings.push(
            Finding::new(
                FindingCode::NoSct,
                Severity::Info,
                Message::new("finding-no-sct").arg("name", &name),
            )
            .about(name),
        );
    }
}
