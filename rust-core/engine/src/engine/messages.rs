//! The sentences of the engine's findings, one function each.
//!
//! The decision code says what it found (a code, a severity, the certificate it is about) and
//! calls one of these for the [`Message`] a person reads: a catalog id and its arguments,
//! rendered in the engine's language by [`crate::i18n`]. No sentence of a finding is written
//! anywhere else in the engine; the sentences themselves are in `i18n/{en,ru,kk}.ftl`.

use std::fmt::Display;

use crate::anchors::known::KnownCa;
use crate::anchors::programs::Distrusted;
use crate::cert::{Certificate, SpkiHash};
use crate::cert_info::CertInfo;
use crate::i18n::{Lang, Message};

/// A known CA as the messages about it take it: its own name, country and year (the
/// catalogs' `known-ca`), and its category (`ca-kind`).
pub(crate) fn known(m: Message, k: &KnownCa) -> Message {
    m.arg("ca_name", &k.name)
        .arg("country", k.country.as_deref().unwrap_or("none"))
        .arg("year", k.year.as_deref().unwrap_or("none"))
        .arg("category", k.category.code())
}

// The presented chain.

/// A certificate the server sent that not even the DER outline of could be read.
pub(super) fn unusable_presented_certificate(error: impl Display) -> Message {
    Message::new("finding-unusable-presented-certificate").arg("error", error.to_string())
}

/// A certificate whose outline (key, names) was read but not the rest of it.
pub(crate) fn unreadable_certificate(name: &str, error: impl Display) -> Message {
    Message::new("finding-unreadable-certificate")
        .arg("name", name)
        .arg("error", error.to_string())
}

// Path building (rustls-webpki's reasons for building none).

/// rustls-webpki cannot use the server's certificate at all.
pub(super) fn unusable_leaf(error: impl Display) -> Message {
    Message::new("finding-unusable-leaf").arg("error", error.to_string())
}

/// No anchor issued the chain.
pub(super) fn no_path(leaf: &str) -> Message {
    Message::new("finding-no-path").arg("leaf", leaf)
}

/// No anchor issued the chain with a signature algorithm rustls-webpki accepts.
pub(super) fn no_path_with_acceptable_algorithm(leaf: &str) -> Message {
    Message::new("finding-no-path-acceptable-algorithm").arg("leaf", leaf)
}

/// A signature of the chain does not verify.
pub(super) fn bad_signature() -> Message {
    Message::new("finding-bad-signature")
}

/// A certificate's key usage or extended key usage does not allow its place in the chain.
pub(super) fn wrong_key_usage(error: impl Display) -> Message {
    Message::new("finding-wrong-key-usage").arg("error", error.to_string())
}

/// A name constraint or path length limit is broken.
pub(super) fn constraint_violation(error: impl Display) -> Message {
    Message::new("finding-constraint-violation").arg("error", error.to_string())
}

/// Path building ran out of its budget.
pub(super) fn path_too_complex(error: impl Display) -> Message {
    Message::new("finding-path-too-complex").arg("error", error.to_string())
}

/// rustls-webpki itself refused a CA as distrusted.
pub(super) fn distrusted_by_verifier() -> Message {
    Message::new("finding-distrusted-by-verifier")
}

/// Any other reason rustls-webpki gives.
pub(super) fn malformed_certificate(error: impl Display) -> Message {
    Message::new("finding-malformed-certificate").arg("error", error.to_string())
}

// Known and distrusted keys.

/// A government root with no documented interception in the chain.
pub(super) fn government_root(k: &KnownCa) -> Message {
    known(Message::new("finding-government-root"), k)
}

/// A known interception or blocked CA's key in the chain.
pub(super) fn known_interception_ca(k: &KnownCa) -> Message {
    known(Message::new("finding-known-interception-ca"), k)
}

/// A certificate a known interception CA verifiably signed.
pub(super) fn signed_by_known_ca(name: &str, k: &KnownCa) -> Message {
    known(
        Message::new("finding-signed-by-known-ca").arg("name", name),
        k,
    )
}

/// A server certificate on a browser blocklist.
pub(super) fn blocked_certificate(k: &KnownCa) -> Message {
    known(Message::new("finding-blocked-certificate"), k)
}

/// A distrusted key in the chain of a full analysis.
pub(super) fn distrusted_key(d: &Distrusted) -> Message {
    distrusted(Message::new("finding-distrusted-key"), d)
}

/// The name, year and reason of a key removed for cause.
pub(crate) fn distrusted(m: Message, d: &Distrusted) -> Message {
    distrust_reason(m.arg("name", &d.name).arg("removed", &d.removed), &d.reason)
}

/// The reason a key was removed: its English text, and the id of its translations.
pub(crate) fn distrust_reason(m: Message, reason: &str) -> Message {
    m.arg("reason", reason.trim_end_matches('.')).arg(
        "reason_id",
        crate::anchors::programs::distrust_reason_id(reason).unwrap_or("other"),
    )
}

/// A distrusted anchor of a validated chain.
pub(super) fn distrusted_anchor(subject: &str) -> Message {
    Message::new("finding-distrusted-anchor").arg("subject", subject)
}

/// A certificate with a known interception CA's name on another key.
pub(super) fn impersonates_known_ca(cn: &str) -> Message {
    Message::new("finding-impersonates-known-ca").arg("cn", cn)
}

/// A certificate naming a known interception CA as its issuer that no key of it signed.
pub(super) fn claims_known_issuer(name: &str, issuer_cn: &str) -> Message {
    Message::new("finding-claims-known-issuer")
        .arg("name", name)
        .arg("issuer", issuer_cn)
}

// The anchor.

/// The chain ends at an anchor no public program holds.
pub(super) fn non_public_anchor(subject: &str, user_added: bool) -> Message {
    Message::new("finding-non-public-anchor")
        .arg("subject", subject)
        .arg("user_added", user_added)
}

/// The platform's word that the anchor was installed by the user.
pub(super) fn user_added_anchor(subject: &str) -> Message {
    Message::new("finding-user-added-anchor").arg("subject", subject)
}

/// The app's configuration accepts the non-public anchor.
pub(super) fn allowed_anchor(subject: &str) -> Message {
    Message::new("finding-allowed-anchor").arg("subject", subject)
}

/// What an anchor is called when neither a certificate, the caller, a program nor the list of
/// known CAs names it. A name, not a sentence: it goes into the anchor's `subject`, in English
/// (the engine's records carry names, which are not translated).
pub(super) fn unnamed_anchor(spki: &SpkiHash) -> String {
    Message::new("unnamed-anchor")
        .arg("pin", spki.pin())
        .render(Lang::En)
}

// The leaf and the dates.

/// The leaf is not valid for the host name: the names it has, the first few of them.
pub(super) fn hostname_mismatch(host: &str, info: &CertInfo, cert: &Certificate) -> Message {
    let leaf = info.text(cert);
    let mut names: Vec<String> = leaf.san_dns.iter().take(5).cloned().collect();
    names.extend(
        leaf.san_ip
            .iter()
            .take(3)
            .map(|ip| crate::facts::ip_to_string(ip)),
    );
    let m = Message::new("finding-hostname-mismatch").arg("host", host);
    if names.is_empty() {
        return match &info.common_name {
            Some(cn) => m.arg("names_kind", "cn").arg("names", cn).arg("more", 0u32),
            None => m
                .arg("names_kind", "none")
                .arg("names", "")
                .arg("more", 0u32),
        };
    }
    let more = leaf.san_dns.len() + leaf.san_ip.len() - names.len();
    m.arg("names_kind", "list")
        .arg("names", names.join(", "))
        .arg("more", more)
}

/// A server certificate that may sign certificates but is not a CA.
pub(super) fn cert_sign_on_leaf(name: &str) -> Message {
    Message::new("finding-cert-sign-on-leaf").arg("name", name)
}

/// A certificate on the path has expired.
pub(super) fn expired(name: &str, not_after: &str) -> Message {
    Message::new("finding-expired")
        .arg("name", name)
        .arg("date", not_after)
}

/// A certificate on the path is not valid yet.
pub(super) fn not_yet_valid(name: &str, not_before: &str) -> Message {
    Message::new("finding-not-yet-valid")
        .arg("name", name)
        .arg("date", not_before)
}
