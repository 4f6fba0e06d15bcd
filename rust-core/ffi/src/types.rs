//! The engine's records and enums, declared to UniFFI here as remote types
//! (<https://mozilla.github.io/uniffi-rs/latest/types/remote_ext_types.html>): the engine
//! (crate `qorgan`) is plain Rust and knows nothing of UniFFI.
//!
//! Each declaration below repeats the engine's definition field by field and variant by
//! variant: `#[uniffi::remote(...)]` emits no type, only UniFFI's conversions for the engine's
//! type, and those construct and match it, so the compiler refuses a declaration that no longer
//! matches (a field added, renamed or retyped in the engine). The doc comments are the
//! engine's, copied: they are what the generated Kotlin and Swift carry. Keep the two in step
//! when an engine type changes.

use qorgan::{
    AnchorClass, AnchorInfo, AuditEntry, AuditReport, AuditSummary, BundleInfo, CertificateClass,
    CertificateFacts, CheckAdvice, CheckStatus, CheckVerdict, CheckedSite, CheckerReport,
    DevicePlatform, Distrusted, Finding, FindingCode, HandshakeObservation, HandshakeOutcome,
    InstalledCertificate, KeyFacts, KnownCa, KnownCaCategory, MessageArg, PathEntry, PathRole,
    PlatformView, ProbeError, ProbeErrorCode, ProbeResult, Program, Remedy, Report, Severity,
    SiteGroup, SkippedAnchor, StoreVersion, Target, TlsInfo, Verdict, VerdictKind,
};

// ---- verdict.rs --------------------------------------------------------------------------------

/// The one-word answer for a chain.
///
/// Precedence, highest first (the first that applies is the verdict):
/// 1. `intercepted_known`: a known interception or blocked CA is in the chain, anchors it, or
///    signed a certificate of it. It wins over everything, even an expired chain: who is
///    intercepting is what the user needs to hear.
/// 2. `pin_violation`: the app's pins do not match the validated chain (the pinning layer).
/// 3. `invalid`: the chain builds to an anchor, but the host name, dates, key usage or
///    constraints are wrong. A platform refuses such a chain, so nothing was intercepted
///    through it; a `non_public_anchor` finding still names a non-public anchor.
/// 4. `intercepted_local`: the chain builds only to an anchor that the device (or caller)
///    trusts and no public program holds: a user-installed, enterprise or government CA.
/// 5. `untrusted`: the chain builds to no anchor at all.
/// 6. `trusted`: the chain builds to a public root, and nothing above applies.
#[uniffi::remote(Enum)]
pub enum VerdictKind {
    /// Builds to a public root; nothing wrong.
    Trusted,
    /// Known interception or blocked CA in the chain.
    InterceptedKnown,
    /// Builds only to a non-public anchor that the device trusts.
    InterceptedLocal,
    /// Builds to no anchor.
    Untrusted,
    /// Builds, but the certificate is wrong for this host or time.
    Invalid,
    /// The app's pins do not match the validated chain.
    PinViolation,
}

/// How much a finding matters.
#[uniffi::remote(Enum)]
pub enum Severity {
    /// Worth knowing; nothing is wrong because of it.
    Info,
    /// Something is wrong or suspicious.
    Warning,
    /// Someone can read or change this traffic, or the connection must not be trusted.
    Critical,
}

/// A stable code for each kind of finding (JSON, reports and apps switch on these).
#[uniffi::remote(Enum)]
pub enum FindingCode {
    /// A known interception or blocked CA is in the chain or anchors it.
    KnownInterceptionCa,
    /// A government root outside every public program (no documented interception).
    GovernmentRoot,
    /// The chain ends at an anchor no public program holds.
    NonPublicAnchor,
    /// A key that root programs removed for cause.
    DistrustedRoot,
    /// A certificate carries the name of a known interception CA but not its key.
    ImpersonatesKnownCa,
    /// The leaf is not valid for the host name.
    HostnameMismatch,
    /// A certificate has expired.
    Expired,
    /// A certificate is not valid yet.
    NotYetValid,
    /// No path to any anchor.
    NoPath,
    /// A signature does not verify.
    BadSignature,
    /// RSA under 2048 bits or EC under 256 bits.
    WeakKey,
    /// RSA public exponent 3 (the 2019 Kazakh interceptor's leaves used it).
    RsaExponent3,
    /// Signed with SHA-1 or MD5.
    Sha1Signature,
    /// A leaf with no embedded Signed Certificate Timestamps.
    NoSct,
    /// A server leaf stripped of the extensions public CAs always include.
    StrippedLeaf,
    /// The leaf is not allowed for TLS servers, or a CA is used as a leaf.
    WrongKeyUsage,
    /// The chain breaks a name constraint or path length limit.
    ConstraintViolation,
    /// The chain could not be checked within the path-building budget.
    PathTooComplex,
    /// A certificate could not be checked for another reason.
    InvalidCertificate,
    /// The anchor is not public, but the app's configuration allows it.
    AllowedAnchor,
    /// The anchor was installed by the user (the platform's own word).
    UserAddedAnchor,
    /// The server's certificate is on a browser blocklist (revoked after misissuance).
    BlockedCertificate,
    /// A pin set applies and no certificate of the validated chain matches it.
    PinMismatch,
    /// The pin policy has expired and is not enforced.
    PinPolicyExpired,
    /// A certificate's outline (key, names) could be read but not the rest of it: it was kept
    /// in the analysis, its key looked up, and nothing else is claimed about it.
    UnreadableCertificate,
}

/// One thing Qorgan noticed.
#[uniffi::remote(Record)]
pub struct Finding {
    /// Stable code.
    pub code: FindingCode,
    /// How much it matters.
    pub severity: Severity,
    /// One sentence a person understands, in the engine's language
    /// (`QorganConfig.language`).
    pub message: String,
    /// The certificate it is about (its subject), when it is about one.
    pub subject: Option<String>,
    /// The id of `message` in the catalogs (`finding-expired`): with `args`, what an app needs
    /// to say it in its own words.
    pub message_id: String,
    /// The arguments of `message` (the CA's label, the host, a date, a count).
    pub args: Vec<MessageArg>,
}

/// One named argument of a finding's message.
#[uniffi::remote(Record)]
pub struct MessageArg {
    /// Its name in the catalogs (`label`, `host`, `date`).
    pub name: String,
    /// Its value as text.
    pub value: String,
    /// Its value as a number, when it is one (a count, which selects a plural form).
    pub number: Option<i64>,
}

/// What kind of anchor a chain ends at.
#[uniffi::remote(Enum)]
pub enum AnchorClass {
    /// A known interception or blocked CA.
    KnownInterception,
    /// Held by at least one public root program.
    PublicRoot,
    /// Trusted by the device or caller, held by no public program.
    NonPublicRoot,
    /// Removed from root programs for cause.
    Distrusted,
}

/// The anchor a chain was built to.
#[uniffi::remote(Record)]
pub struct AnchorInfo {
    /// Its subject (or the program's name for it).
    pub subject: String,
    /// SHA-256 of its key, hex.
    pub spki_sha256: String,
    /// SHA-256 of its key, base64 (pin form).
    pub spki_sha256_b64: String,
    /// What kind of anchor it is.
    pub class: AnchorClass,
    /// The public programs that hold it (empty when none).
    pub programs: Vec<Program>,
    /// The known-CA entry, when it is one.
    pub known: Option<KnownCa>,
    /// Why it was distrusted, when it was.
    pub distrusted: Option<Distrusted>,
    /// Supplied by the caller (device store, enterprise or test store) rather than bundled.
    pub from_caller: bool,
    /// The platform says the user installed it.
    pub user_added: bool,
    /// The app's configuration allows this non-public anchor (an enterprise proxy).
    pub allowed: bool,
}

/// A certificate on the built path (or of the presented chain when no path was built).
#[uniffi::remote(Record)]
pub struct PathEntry {
    /// `leaf`, `intermediate` or `anchor`.
    pub role: PathRole,
    /// The certificate's facts. For an anchor that was not sent by the server and is known
    /// only by subject and key (some bundled anchors), `None`.
    pub facts: Option<CertificateFacts>,
    /// For an anchor without facts: its subject and key hash.
    pub anchor_subject: Option<String>,
    /// Where it came from: the presented chain, or an anchor store.
    pub presented: bool,
}

/// The place of a certificate in a path.
#[uniffi::remote(Enum)]
pub enum PathRole {
    /// The server's certificate.
    Leaf,
    /// A CA between the leaf and the anchor.
    Intermediate,
    /// The trust anchor.
    Anchor,
}

/// Qorgan's answer for one chain.
#[uniffi::remote(Record)]
pub struct Verdict {
    /// The one-word answer.
    pub verdict: VerdictKind,
    /// The host the chain was checked for.
    pub host: Option<String>,
    /// Everything noticed, most severe first.
    pub findings: Vec<Finding>,
    /// The path that was built, leaf first; the presented chain when none was built.
    pub path: Vec<PathEntry>,
    /// The anchor the path ends at, when one was found.
    pub anchor: Option<AnchorInfo>,
    /// The validation time used, seconds since the Unix epoch.
    pub time: i64,
}
// ---- facts.rs ----------------------------------------------------------------------------------

/// The facts of one certificate, as shown by `qorgan inspect` and `qorgan audit`.
#[uniffi::remote(Record)]
pub struct CertificateFacts {
    /// Subject distinguished name (RFC 4514 style, most specific last as x509-parser prints it).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// The subject's common name, when there is one (for short messages).
    pub common_name: Option<String>,
    /// Serial number, hex.
    pub serial: String,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// Start of validity, seconds since the Unix epoch.
    pub not_before_unix: i64,
    /// End of validity, seconds since the Unix epoch.
    pub not_after_unix: i64,
    /// DNS names in the subjectAltName extension.
    pub san_dns: Vec<String>,
    /// IP addresses in the subjectAltName extension.
    pub san_ip: Vec<String>,
    /// The public key.
    pub key: KeyFacts,
    /// Signature algorithm name (for example `sha256WithRSAEncryption`), or its OID.
    pub signature_algorithm: String,
    /// SHA-256 of the SubjectPublicKeyInfo, hex.
    pub spki_sha256: String,
    /// SHA-256 of the SubjectPublicKeyInfo, base64 (the pin).
    pub spki_sha256_b64: String,
    /// SHA-256 of the whole certificate, hex.
    pub sha256: String,
    /// basicConstraints says this is a CA.
    pub is_ca: bool,
    /// basicConstraints path length, when set.
    pub path_len: Option<u32>,
    /// Subject and issuer are the same name.
    pub self_issued: bool,
    /// Self-issued and its signature verifies with its own key.
    pub self_signed: bool,
    /// Embedded Signed Certificate Timestamps (Certificate Transparency).
    pub sct_count: u32,
    /// The CT log IDs of those SCTs, base64.
    pub sct_log_ids: Vec<String>,
    /// Key usages, by name (`digitalSignature`, `keyCertSign`, ...).
    pub key_usage: Vec<String>,
    /// Extended key usages, by name.
    pub extended_key_usage: Vec<String>,
    /// Extensions present, by name (or OID when unnamed).
    pub extensions: Vec<String>,
    /// Has an authorityKeyIdentifier extension.
    pub has_authority_key_id: bool,
}

/// The public key of a certificate.
#[uniffi::remote(Record)]
pub struct KeyFacts {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA` or the algorithm OID.
    pub algorithm: String,
    /// Size in bits (RSA modulus, EC field).
    pub bits: u32,
    /// RSA public exponent.
    pub rsa_exponent: Option<u64>,
    /// EC curve name (`P-256`, `P-384`, `P-521`) or OID.
    pub curve: Option<String>,
}
// ---- audit.rs ----------------------------------------------------------------------------------

/// What a certificate in a trust store is.
#[uniffi::remote(Enum)]
pub enum CertificateClass {
    /// A known interception or blocked CA.
    KnownInterception,
    /// A root no public program holds: user-installed, enterprise, government, or removed.
    NonPublicRoot,
    /// Held by at least one public root program.
    PublicRoot,
    /// Not a CA at all (a leaf in the store).
    NotACa,
}

/// One certificate of an audited store.
#[uniffi::remote(Record)]
pub struct AuditEntry {
    /// Position in the input, from 1.
    pub index: u32,
    /// Subject.
    pub subject: String,
    /// SHA-256 of the key, hex.
    pub spki_sha256: String,
    /// SHA-256 of the key, base64.
    pub spki_sha256_b64: String,
    /// What it is.
    pub class: CertificateClass,
    /// Its label, when Qorgan knows it (a known CA's label, or the program's name for it).
    pub label: Option<String>,
    /// The public programs that hold it.
    pub programs: Vec<Program>,
    /// The known-CA entry, when it is one.
    pub known: Option<KnownCa>,
    /// Why it was distrusted, when it was.
    pub distrusted: Option<Distrusted>,
    /// The platform says the user installed it.
    pub user_added: bool,
    /// What Qorgan noticed, most severe first.
    pub findings: Vec<Finding>,
    /// All facts.
    pub facts: CertificateFacts,
}

/// Counts and the overall answer.
#[uniffi::remote(Record)]
pub struct AuditSummary {
    /// Certificates audited.
    pub total: u32,
    /// Known interception or blocked CAs (class `known_interception`).
    pub known_interception: u32,
    /// Of those, CAs that browsers block after a compromise or misconduct (not built for
    /// interception).
    pub blocked: u32,
    /// Roots no public program holds.
    pub non_public_root: u32,
    /// Public roots.
    pub public_root: u32,
    /// Certificates that are not CAs.
    pub not_a_ca: u32,
    /// The most severe finding, if any.
    pub max_severity: Option<Severity>,
    /// The findings that matter (warning or above), most severe first, one per certificate.
    pub findings: Vec<Finding>,
}

/// The result of an audit.
#[uniffi::remote(Record)]
pub struct AuditReport {
    /// Each certificate, most severe first, then in input order.
    pub certificates: Vec<AuditEntry>,
    /// The totals.
    pub summary: AuditSummary,
    /// The root-program versions this build compares against.
    pub store_versions: Vec<StoreVersion>,
}
// ---- anchors/known.rs --------------------------------------------------------------------------

/// Why a CA is on the list.
#[uniffi::remote(Enum)]
pub enum KnownCaCategory {
    /// A state root deployed to intercept its citizens' HTTPS (the Kazakh roots).
    GovernmentInterception,
    /// A state root outside every public program with no documented interception (the Russian
    /// Trusted Root CA of 2022): whoever holds it can issue a certificate for any site.
    GovernmentRoot,
    /// A root shipped by a vendor whose private key leaked (Superfish, eDellRoot, ...):
    /// anyone can intercept with it.
    VendorMitm,
    /// The default CA of a commercial interception appliance, or a CA sold for interception.
    EnterpriseMitm,
    /// A key used by interception spyware (Hacking Team).
    Spyware,
    /// Blocked by browsers after compromise or misissuance (DigiNotar, ...).
    Blocked,
    /// A test certificate that browsers list so that their interception warnings can be tested.
    Test,
}

/// One known interception or blocked CA.
#[uniffi::remote(Record)]
pub struct KnownCa {
    /// SHA-256 of its key, hex.
    pub spki_sha256: String,
    /// What it is, for people (for example `Kazakhstan 2019 "Qaznet Trust Network" root`).
    pub label: String,
    /// Its own name, as sentences use it (`Qaznet Trust Network`): the common name of its
    /// published subject, else the label up to its notes. Never translated.
    pub name: String,
    /// Who operates or shipped it.
    pub party: String,
    /// ISO 3166 country, when one applies.
    pub country: Option<String>,
    /// Year of first use or compromise, when known.
    pub year: Option<String>,
    /// Why it is listed.
    pub category: KnownCaCategory,
    /// Where the entry comes from.
    pub source: String,
}
// ---- anchors/programs.rs -----------------------------------------------------------------------

/// A root program.
#[uniffi::remote(Enum)]
pub enum Program {
    /// Mozilla's root store (Firefox, most Linux distributions, webpki-roots).
    Mozilla,
    /// Apple's trust store (iOS, macOS).
    Apple,
    /// Android's system store (AOSP Conscrypt).
    Android,
}

/// Which device's view of "public" applies.
///
/// On iOS no API lists profile-installed roots, so the Apple column is the only source; on
/// Android the platform's own word (`user:` aliases, `isUserAddedCertificate`) wins, and the
/// shell passes it in with each anchor.
#[uniffi::remote(Enum)]
pub enum PlatformView {
    /// Public in any program (desktops, the CLI).
    Any,
    /// Android.
    Android,
    /// iOS: public only when Apple's store has it.
    Ios,
}

/// The version of one program's store shipped in this build.
#[uniffi::remote(Record)]
pub struct StoreVersion {
    /// The program.
    pub program: String,
    /// Its store version.
    pub store_version: String,
    /// The date of that version.
    pub date: String,
    /// Where the facts come from.
    pub source: String,
}

/// A key removed from root programs for cause.
#[uniffi::remote(Record)]
pub struct Distrusted {
    /// The root's name.
    pub name: String,
    /// Why it was removed.
    pub reason: String,
    /// When.
    pub removed: String,
}
// ---- engine/mod.rs -----------------------------------------------------------------------------

/// A trusted certificate that rustls-webpki cannot use as a trust anchor (a duplicate
/// extension, an unsupported key, an odd encoding), so path building does without it.
///
/// Its key still counts: it is classified (non-public, user-added when the platform says so),
/// a validated chain that ends at it is judged by it, and a certificate it verifiably signed
/// leads to it. Whoever can install a CA must not be able to switch Qorgan off, or hide from
/// it, by installing an odd one.
#[uniffi::remote(Record)]
pub struct SkippedAnchor {
    /// Its position among the caller's anchors, from 1.
    pub index: u32,
    /// Its subject (empty when the certificate could not be read at all).
    pub subject: String,
    /// SHA-256 of its key, hex (empty when the certificate could not be read at all).
    pub spki_sha256: String,
    /// Why it was set aside.
    pub reason: String,
}
// ---- probe.rs ----------------------------------------------------------------------------------

/// The answer for one probed host: the chain's verdict, or `unreachable`.
#[uniffi::remote(Enum)]
pub enum CheckVerdict {
    /// Builds to a public root; nothing wrong.
    Trusted,
    /// A known interception or blocked CA is in the chain.
    InterceptedKnown,
    /// The device trusts the chain through an anchor no public program holds.
    InterceptedLocal,
    /// Builds to no anchor.
    Untrusted,
    /// Builds, but the certificate is wrong for this host or time.
    Invalid,
    /// The app's pins do not match.
    PinViolation,
    /// No chain could be obtained: the network failed (this is not interception).
    Unreachable,
}

/// Why a host could not be checked.
#[uniffi::remote(Enum)]
pub enum ProbeErrorCode {
    /// The name did not resolve.
    DnsFailed,
    /// No address accepted a TCP connection.
    ConnectFailed,
    /// The timeout ran out (packets dropped silently look like this).
    Timeout,
    /// The server (or something on the path) sent a TLS alert.
    TlsAlert,
    /// The connection was reset or closed right after the ClientHello, before any answer:
    /// how SNI-based blocking usually looks.
    ResetAfterClientHello,
    /// Another TLS failure.
    TlsError,
    /// The host refused the TCP connection (nothing listens on the port): the host is up and
    /// the network reaches it.
    ConnectionRefused,
    /// The server answered, but not with TLS (a plain-HTTP server on the port, say).
    NotTls,
}

/// A network failure, as a result.
#[uniffi::remote(Record)]
pub struct ProbeError {
    /// Stable code.
    pub code: ProbeErrorCode,
    /// What happened, for people.
    pub message: String,
}

/// What the handshake negotiated.
#[uniffi::remote(Record)]
pub struct TlsInfo {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The IANA name of the cipher suite.
    pub cipher_suite: String,
    /// The ALPN protocol the server chose, if any.
    pub alpn: Option<String>,
}

/// What a handshake made outside Qorgan saw, for [`judge_handshake`] (the phone checkers make
/// their handshakes with the platform's TLS stack).
#[uniffi::remote(Record)]
pub struct HandshakeObservation {
    /// The host name sent as SNI, which the certificate must match.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// The address connected to (`IP:PORT`), when a connection was made.
    pub address: Option<String>,
    /// How long the attempt took, in milliseconds.
    pub elapsed_ms: u64,
    /// The handshake's outcome.
    pub outcome: HandshakeOutcome,
}

/// How a handshake ended.
#[uniffi::remote(Enum)]
pub enum HandshakeOutcome {
    /// The server presented a chain and proved it holds the leaf's key (the handshake signature
    /// was verified; the chain itself was accepted only to be examined here).
    Completed {
        /// The chain as the server presented it, DER, leaf first.
        presented_chain: Vec<Vec<u8>>,
        /// What was negotiated.
        tls: TlsInfo,
        /// The operating system's own verdict on the chain for this host; `None` when it could
        /// not be asked.
        platform_trusted: Option<bool>,
    },
    /// No chain: the network failed. The result is `unreachable` with this error.
    Failed {
        /// Why, classified as in [`ProbeErrorCode`].
        error: ProbeError,
    },
}

/// The result for one host.
#[uniffi::remote(Record)]
pub struct ProbeResult {
    /// The host name (sent as SNI).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The answer.
    pub verdict: CheckVerdict,
    /// Everything noticed, most severe first.
    pub findings: Vec<Finding>,
    /// The network failure, when `verdict` is `unreachable`. Beside another verdict: the
    /// handshake failed after the server presented its chain (for instance its handshake
    /// signature did not verify), and `verdict` judges that chain.
    pub error: Option<ProbeError>,
    /// What the handshake negotiated.
    pub tls: Option<TlsInfo>,
    /// The path Qorgan built (or the presented chain).
    pub path: Vec<PathEntry>,
    /// The anchor the path ends at.
    pub anchor: Option<AnchorInfo>,
    /// The operating system's own verdict on the chain (`None` when not asked or unavailable).
    pub platform_trusted: Option<bool>,
    /// The address connected to.
    pub address: Option<String>,
    /// How long the probe took, in milliseconds.
    pub elapsed_ms: u64,
    /// The chain the server presented (DER, leaf first), for reports; not in JSON output.
    pub presented_chain: Vec<Vec<u8>>,
}

/// One default target.
#[uniffi::remote(Record)]
pub struct Target {
    /// Host name.
    pub host: String,
    /// `kz2019`, `kz2021_2024` or `control`.
    pub group: String,
    /// Where the entry comes from.
    pub source: String,
}
// ---- checker.rs --------------------------------------------------------------------------------

/// Where the person is: the removal steps differ.
#[uniffi::remote(Enum)]
pub enum DevicePlatform {
    /// Android phones and tablets.
    Android,
    /// iPhone and iPad.
    Ios,
    /// Desktops (the `qorgan` CLI).
    Desktop,
}

/// The one-word answer for the screen.
#[uniffi::remote(Enum)]
pub enum CheckStatus {
    /// Nothing could be checked (no network): nothing was learned.
    Offline,
    /// No interception seen.
    Safe,
    /// Something needs attention, but no interception was seen.
    Warning,
    /// Traffic is being intercepted, or a root that allows it is installed.
    Intercepted,
}

/// One thing to tell the person.
#[uniffi::remote(Record)]
pub struct CheckAdvice {
    /// How much it matters.
    pub severity: Severity,
    /// A short title.
    pub title: String,
    /// What it means, in plain language.
    pub explanation: String,
    /// What to do about it.
    pub action: String,
    /// The site it is about, if any.
    pub host: Option<String>,
    /// The certificate authority it is about, if any.
    pub certificate_authority: Option<String>,
}

/// What the screen shows.
#[uniffi::remote(Record)]
pub struct CheckerReport {
    /// The overall answer.
    pub status: CheckStatus,
    /// One sentence for the top of the screen.
    pub headline: String,
    /// Each thing to tell, most severe first.
    pub advice: Vec<CheckAdvice>,
    /// Sites probed.
    pub hosts_checked: u32,
    /// Sites that could not be reached.
    pub hosts_unreachable: u32,
    /// Sites whose connection was intercepted.
    pub hosts_intercepted: u32,
    /// Every probed site with a short verdict, grouped by the authority that vouched for it:
    /// interception first, then refused, public and not reached.
    pub site_groups: Vec<SiteGroup>,
    /// The certificates a person, an app or a profile installed, and any known interception
    /// CA the device trusts, each with what it is and how to remove it (most severe first).
    /// Empty when the platform let no audit be made (iOS).
    pub installed: Vec<InstalledCertificate>,
}

/// One probed site, as a line of the screen.
#[uniffi::remote(Record)]
pub struct CheckedSite {
    /// The host name probed.
    pub host: String,
    /// The port probed.
    pub port: u16,
    /// The probe's verdict (its stable code is [`CheckVerdict::as_str`]).
    pub verdict: CheckVerdict,
    /// How much this site's answer matters.
    pub severity: Severity,
    /// A few words for the person: "Intercepted", "Blocked on this network", "Fine".
    pub summary: String,
}

/// The sites one certificate authority vouched for (or that were refused, or not reached).
#[uniffi::remote(Record)]
pub struct SiteGroup {
    /// The group's heading, naming the authority when there is one.
    pub title: String,
    /// The authority the group is about: a known interception CA by its own name, another
    /// anchor by its subject. None for the public-CA, refused and not-reached groups.
    pub certificate_authority: Option<String>,
    /// The most severe of its sites.
    pub severity: Severity,
    /// Its sites, in the order they were probed.
    pub sites: Vec<CheckedSite>,
}

/// A certificate installed on the device, as the screen lists it.
#[uniffi::remote(Record)]
pub struct InstalledCertificate {
    /// Its label when Qorgan knows it, else the name it gives itself.
    pub name: String,
    /// SHA-256 of its SubjectPublicKeyInfo, hex (what identifies it: names can be copied).
    pub spki_sha256: String,
    /// Installed by a person, an app or a profile (not shipped with the system).
    pub user_added: bool,
    /// How much its presence matters.
    pub severity: Severity,
    /// What it is, in plain language.
    pub what_it_is: String,
    /// How to remove it on this platform.
    pub how_to_remove: String,
}
// ---- report.rs ---------------------------------------------------------------------------------

/// One report.
#[uniffi::remote(Record)]
pub struct Report {
    /// The host connected to.
    pub hostname: String,
    /// The port connected to.
    pub port: u16,
    /// When, RFC 3339.
    pub date_time: String,
    /// Qorgan's verdict on the connection.
    pub verdict: Verdict,
    /// The known interception CA, when there is one.
    pub interception_ca: Option<String>,
    /// The chain the server sent, PEM.
    pub served_certificate_chain: Vec<String>,
    /// The chain the platform validated, PEM (empty when validation failed).
    pub validated_certificate_chain: Vec<String>,
    /// The domain of the pin rule that applied, or the host name when none did.
    pub noted_hostname: String,
    /// The rule reaches below its domain.
    pub include_subdomains: bool,
    /// `false` when the rule is report-only.
    pub enforce_pinning: bool,
    /// The rule's pin expiration, RFC 3339, when it has one.
    pub effective_expiration_date: Option<String>,
    /// The rule's pins, `pin-sha256="<base64>"`.
    pub known_pins: Vec<String>,
    /// TrustKit's code: 0 success, 1 no matching pin, 2 chain not trusted.
    pub validation_result: u32,
    /// Where the rule asks reports to go (empty when it names none).
    pub report_uris: Vec<String>,
    /// The whole report as JSON (RFC 7469 / TrustKit fields plus Qorgan's).
    pub json: String,
}

// ---- decision.rs -------------------------------------------------------------------------------

/// What the app's owner can do about a verdict; each shell words it in its own API
/// (`QorganTrustManager.Builder().allowAnchor(pin)`, `QorganConfig.allowedAnchorPins`).
#[uniffi::remote(Enum)]
pub enum Remedy {
    /// Nothing to configure (a trusted chain, a wrong host name, an expired certificate).
    None,
    /// The chain ends at a non-public root that is not a known interception CA and that the
    /// configuration does not allow yet: if it is the owner's own (an enterprise proxy, a test
    /// CA), allowing this pin lets it through (still reported).
    AllowAnchor {
        /// The anchor's pin, `sha256/<base64>`.
        pin: String,
    },
    /// A known interception CA: it can never be allowed; whoever holds its key can read the
    /// traffic, and the device's owner should remove it.
    RemoveKnownCa,
}

// ---- bundle.rs ---------------------------------------------------------------------------------

/// Which bundle the engine's knowledge comes from (in audits, reports and the CLI's output).
#[uniffi::remote(Record)]
pub struct BundleInfo {
    /// Its version.
    pub version: u64,
    /// When it was issued, RFC 3339.
    pub issued: String,
    /// When it expires, RFC 3339.
    pub expires: String,
    /// The key id of its signer, hex.
    pub key_id: String,
    /// How many known CAs it lists.
    pub known_cas: u32,
    /// How many distrusted keys it lists.
    pub distrusted: u32,
    /// How many domains it pins.
    pub pinned_domains: u32,
    /// Whether its pins are in force (the app opted in, and it has some).
    pub pins_applied: bool,
    /// When it was issued, seconds since the epoch.
    pub issued_unix: i64,
    /// When it expires, seconds since the epoch.
    pub expires_unix: i64,
}
