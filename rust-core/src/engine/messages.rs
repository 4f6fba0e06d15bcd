//! The sentences of the engine's findings, one function each.
//!
//! The decision code says what it found (a code, a severity, the certificate it is about) and
//! calls one of these for the sentence a person reads: no sentence of a finding is written
//! anywhere else in the engine, so that a translation replaces these bodies and nothing else.
//! The wording is part of the interface (apps show it, tests match on it): change it here
//! deliberately or not at all.

use std::fmt::Display;

use crate::anchors::known::KnownCa;
use crate::anchors::programs::Distrusted;
use crate::cert::SpkiHash;
use crate::cert_info::CertInfo;

// The presented chain.

/// A certificate the server sent that not even the DER outline of could be read.
pub(super) fn unusable_presented_certificate(error: impl Display) -> String {
    format!("The server sent a certificate that cannot be read: {error}.")
}

/// A certificate whose outline (key, names) was read but not the rest of it.
pub(crate) fn unreadable_certificate(name: &str, error: impl Display) -> String {
    format!("{name} could not be read in full ({error}); its key was still checked.")
}

// Path building (rustls-webpki's reasons for building none).

/// rustls-webpki cannot use the server's certificate at all.
pub(super) fn unusable_leaf(error: impl Display) -> String {
    format!("The server's certificate cannot be used: {error}.")
}

/// No anchor issued the chain.
pub(super) fn no_path(leaf: &str) -> String {
    format!("No trusted root vouches for {leaf}: the chain leads to no anchor this device or any public program trusts.")
}

/// No anchor issued the chain with a signature algorithm rustls-webpki accepts.
pub(super) fn no_path_with_acceptable_algorithm(leaf: &str) -> String {
    format!("No trusted root vouches for {leaf} with an acceptable signature algorithm.")
}

/// A signature of the chain does not verify.
pub(super) fn bad_signature() -> String {
    "A signature in the chain does not verify: a certificate was altered or forged.".to_string()
}

/// A certificate's key usage or extended key usage does not allow its place in the chain.
pub(super) fn wrong_key_usage(error: impl Display) -> String {
    format!("A certificate in the chain is not allowed for this use: {error}.")
}

/// A name constraint or path length limit is broken.
pub(super) fn constraint_violation(error: impl Display) -> String {
    format!("The chain breaks a limit its CAs set: {error}.")
}

/// Path building ran out of its budget.
pub(super) fn path_too_complex(error: impl Display) -> String {
    format!("The chain is too long or tangled to check safely ({error}).")
}

/// rustls-webpki itself refused a CA as distrusted.
pub(super) fn distrusted_by_verifier() -> String {
    "The chain goes through a CA that is distrusted by the verifier.".to_string()
}

/// Any other reason rustls-webpki gives.
pub(super) fn malformed_certificate(error: impl Display) -> String {
    format!("A certificate in the chain is malformed or unsupported: {error}.")
}

// Known and distrusted keys.

/// A government root with no documented interception in the chain.
pub(super) fn government_root(k: &KnownCa) -> String {
    format!(
        "This connection relies on the {}: {}; no interception with it is documented, but whoever holds it can issue a certificate for any site.",
        k.label,
        k.category.describe()
    )
}

/// A known interception or blocked CA's key in the chain.
pub(super) fn known_interception_ca(k: &KnownCa) -> String {
    format!(
        "This connection goes through the {}, {}: whoever holds it can read and change this traffic.",
        k.label,
        k.category.describe()
    )
}

/// A certificate a known interception CA verifiably signed.
pub(super) fn signed_by_known_ca(name: &str, k: &KnownCa) -> String {
    format!(
        "{} was issued by the {}, verified by its signature; that is {}: whoever holds its key can read and change this traffic.",
        name,
        k.label,
        k.category.describe()
    )
}

/// A server certificate on a browser blocklist.
pub(super) fn blocked_certificate(k: &KnownCa) -> String {
    format!("This certificate is blocked by browsers: {}.", k.label)
}

/// A distrusted key in the chain of a full analysis.
pub(super) fn distrusted_key(d: &Distrusted) -> String {
    format!("{} was {}. It must not be trusted.", d.name, d.removal())
}

/// A distrusted anchor of a validated chain.
pub(super) fn distrusted_anchor(subject: &str) -> String {
    format!("{subject} was removed from the root programs for cause; it must not be trusted.")
}

/// A certificate with a known interception CA's name on another key.
pub(super) fn impersonates_known_ca(cn: &str) -> String {
    format!(
        "\"{cn}\" carries the name of a known interception CA but not its key: it may be a new key of the same interceptor, or an imitation."
    )
}

/// A certificate naming a known interception CA as its issuer that no key of it signed.
pub(super) fn claims_known_issuer(name: &str, issuer_cn: &str) -> String {
    format!(
        "{name} claims to be issued by \"{issuer_cn}\", a known interception CA, but no known key of it signed it."
    )
}

// The anchor.

/// The chain ends at an anchor no public program holds.
pub(super) fn non_public_anchor(subject: &str, user_added: bool) -> String {
    let who = if user_added {
        "was installed on this device by a user or an app"
    } else {
        "is trusted on this device but is in no public root program"
    };
    format!(
        "This connection is vouched for by \"{subject}\", which {who}: whoever holds its key can read and change this traffic."
    )
}

/// The platform's word that the anchor was installed by the user.
pub(super) fn user_added_anchor(subject: &str) -> String {
    format!("The platform reports \"{subject}\" as user-installed.")
}

/// The app's configuration accepts the non-public anchor.
pub(super) fn allowed_anchor(subject: &str) -> String {
    format!("The app's configuration allows \"{subject}\" (an accepted enterprise proxy).")
}

/// What an anchor is called when neither a certificate, the caller, a program nor the list of
/// known CAs names it.
pub(super) fn unnamed_anchor(spki: &SpkiHash) -> String {
    format!("an unnamed CA with key {}", spki.pin())
}

// The leaf and the dates.

/// The leaf is not valid for the host name.
pub(super) fn hostname_mismatch(host: &str, leaf: &CertInfo) -> String {
    format!(
        "The certificate is not for {}: it names {}.",
        host,
        names_of(leaf)
    )
}

/// The host names a leaf is for: a few of them, then how many more.
fn names_of(f: &CertInfo) -> String {
    let mut names: Vec<String> = f.san_dns.iter().take(5).cloned().collect();
    names.extend(
        f.san_ip
            .iter()
            .take(3)
            .map(|ip| crate::facts::ip_to_string(ip)),
    );
    if names.is_empty() {
        if let Some(cn) = &f.common_name {
            return format!("only \"{cn}\" in its subject");
        }
        return "no host name at all".into();
    }
    let more = f.san_dns.len() + f.san_ip.len() - names.len();
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

/// A server certificate that may sign certificates but is not a CA.
pub(super) fn cert_sign_on_leaf(name: &str) -> String {
    format!("{name} may sign certificates (keyCertSign) but is not a CA.")
}

/// A certificate on the path has expired.
pub(super) fn expired(name: &str, not_after: &str) -> String {
    format!("{name} expired on {not_after}.")
}

/// A certificate on the path is not valid yet.
pub(super) fn not_yet_valid(name: &str, not_before: &str) -> String {
    format!("{name} is not valid before {not_before}.")
}
