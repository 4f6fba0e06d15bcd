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
                    format!(
                        "{name} uses a {}-bit {} key, too short to resist forgery.",
                        f.key.bits,
                        key_algorithm_name(&f.key.algorithm)
                    ),
                )
                .about(name.clone()),
            );
        }
        if f.key.rsa_exponent == Some(3) {
            findings.push(
                Finding::new(
                    FindingCode::RsaExponent3,
                    Severity::Warning,
                    format!(
                        "{name} has an RSA key with public exponent 3, which public CAs do not issue and which the 2019 Kazakh interceptor used for its forged certificates."
                    ),
                )
                .about(name.clone()),
            );
        }
        if f.signature_algorithm.is_weak() && !f.self_signed {
            findings.push(
                Finding::new(
                    FindingCode::Sha1Signature,
                    Severity::Warning,
                    format!(
                        "{name} is signed with {}, which can be forged; browsers refuse it.",
                        signature_name(&f.signature_algorithm.0)
                    ),
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
    let stripped = leaf.sct_log_ids.is_empty()
        && !leaf.has_authority_key_id
        && leaf.extended_key_usage.is_empty();
    if stripped {
        findings.push(
            Finding::new(
                FindingCode::StrippedLeaf,
                if public { Severity::Info } else { Severity::Warning },
                format!(
                    "{name} lacks the extensions public CAs always include (authority key ID, key usage for servers, CT timestamps), as forged interception certificates do."
                ),
            )
            .about(name.clone()),
        );
    } else if leaf.sct_log_ids.is_empty() && public {
        findings.push(
            Finding::new(
                FindingCode::NoSct,
                Severity::Info,
                format!(
                    "{name} carries no Certificate Transparency timestamps; public certificates need them (they may also arrive in the TLS handshake)."
                ),
            )
            .about(name),
        );
    }
}
