//! What can be wrong with a pin policy (errors refuse it) and what is merely risky (warnings).
//!
//! Every message says what to fix. Errors carry where the problem is: a line and column for
//! XML and JSON syntax and for Network Security Config elements, a path such as
//! `domains[1].pins[0]` for JSON values, the pattern for builder entries.

use std::fmt;

/// Where in a policy a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyLocation {
    /// A position in the text, counted from 1 (XML elements, XML and JSON syntax errors).
    Text {
        /// Line, from 1.
        line: u32,
        /// Column, from 1.
        column: u32,
    },
    /// A value in a JSON policy, for example `domains[1].pins[0]`.
    Path(String),
    /// An entry of a [`crate::PinPolicyBuilder`], by its pattern.
    Entry(String),
}

impl fmt::Display for PolicyLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text { line, column } => write!(f, "line {line}, column {column}"),
            Self::Path(p) => f.write_str(p),
            Self::Entry(p) => write!(f, "entry {p:?}"),
        }
    }
}

/// Why a pin policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyErrorKind {
    /// The text is neither XML nor JSON.
    #[error("the pin policy is neither XML (a Network Security Config file starting with '<') nor JSON (starting with '{{')")]
    UnknownFormat,
    /// The policy is larger than [`crate::pinning::MAX_POLICY_BYTES`].
    #[error("the pin policy is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// XML that does not parse.
    #[error("malformed XML: {reason}")]
    MalformedXml {
        /// What the XML parser reported.
        reason: String,
    },
    /// JSON that does not parse.
    #[error("malformed JSON: {reason}")]
    MalformedJson {
        /// What the JSON parser reported.
        reason: String,
    },
    /// A pin that is not base64.
    #[error("pin {pin:?} is not valid base64 ({reason}): write the SHA-256 of the certificate's public key (SubjectPublicKeyInfo) in standard base64, 44 characters ending in '=' (`qorgan pin CERT` prints it)")]
    BadBase64 {
        /// The pin as written.
        pin: String,
        /// What the decoder reported.
        reason: String,
    },
    /// A pin whose digest is not 32 bytes long.
    #[error("pin {pin:?} decodes to {length} bytes, but a SHA-256 digest is 32 bytes (44 base64 characters): is it a SHA-1 pin, a certificate hash in hex, or a truncated copy? (`qorgan pin CERT` prints the right value)")]
    WrongDigestLength {
        /// The pin as written.
        pin: String,
        /// Its decoded length.
        length: usize,
    },
    /// A digest algorithm other than SHA-256.
    #[error("unknown pin digest {digest:?}: only SHA-256 is supported (write digest=\"SHA-256\" in XML, or \"sha256/<base64>\" in JSON and builders)")]
    UnknownDigest {
        /// The digest as written.
        digest: String,
    },
    /// Subdomains included on a public suffix.
    #[error("{pattern:?} includes the subdomains of {domain:?}, a public suffix: it would pin every site under it; pin your own registered domain instead (for example \"example.{domain}\")")]
    PublicSuffix {
        /// The pattern as written.
        pattern: String,
        /// The public suffix.
        domain: String,
    },
    /// A pattern or domain that is not a host name.
    #[error("{pattern:?} is not a host name pattern ({reason}): write a host name (api.example.com), *.example.com for exactly one more label, or **.example.com (or includeSubdomains) for any depth")]
    InvalidPattern {
        /// The pattern as written.
        pattern: String,
        /// What is wrong.
        reason: String,
    },
    /// A domain with a character that IDNA (UTS-46) would map to something else, remove or
    /// forbid: Qorgan refuses it rather than guess which name was meant (see
    /// [`crate::pinning::IdnError`]).
    #[error("{pattern:?} is not a host name as written: {reason}")]
    UnnormalizedName {
        /// The pattern as written.
        pattern: String,
        /// The character at fault and what to write instead.
        reason: crate::pinning::IdnError,
    },
    /// An expiration that is not a `yyyy-MM-dd` date.
    #[error("expiration {value:?} is not a date in the form yyyy-MM-dd (for example 2027-01-31)")]
    InvalidDate {
        /// The value as written.
        value: String,
    },
    /// The same domain twice.
    #[error("{domain} is specified more than once: the most specific rule wins, so each domain may appear once (merge the two entries)")]
    DuplicateDomain {
        /// The domain.
        domain: String,
    },
    /// Anything else about the structure; the reason says what to change.
    #[error("{reason}")]
    Invalid {
        /// What to change.
        reason: String,
    },
}

/// A refused pin policy: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// Where, when known.
    pub location: Option<PolicyLocation>,
    /// What.
    pub kind: PolicyErrorKind,
}

impl PolicyError {
    pub(crate) fn new(kind: PolicyErrorKind, location: Option<PolicyLocation>) -> Self {
        Self { location, kind }
    }

    pub(crate) fn invalid(reason: impl Into<String>, location: Option<PolicyLocation>) -> Self {
        Self::new(
            PolicyErrorKind::Invalid {
                reason: reason.into(),
            },
            location,
        )
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

impl std::error::Error for PolicyError {}

impl From<PolicyError> for crate::Error {
    fn from(e: PolicyError) -> Self {
        crate::Error::InvalidConfig {
            reason: format!("pin policy: {e}"),
        }
    }
}

/// Kinds of [`PolicyWarning`]: the policy loads, but something in it is risky.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyWarningKind {
    /// A pin set with one pin: no backup, so a key change locks installed apps out.
    SinglePin,
    /// A pin set with no pin: the domain is not pinned.
    EmptyPinSet,
    /// A pin set whose expiration date has passed: it is not enforced.
    Expired,
    /// `overridePins="true"` outside `<debug-overrides>`: Qorgan does not let it bypass pins.
    OverridePinsIgnored,
    /// `<debug-overrides>` trust anchors without an explicit `overridePins="true"`.
    DebugOverridesImplicit,
    /// `<certificates src="user"/>`: the app trusts user-installed CAs for these domains.
    UserAnchors,
    /// A trust anchor whose certificate Qorgan cannot see (`@raw/...` without the file).
    UnresolvedAnchor,
    /// A `<domain>` Android reads otherwise (a leading `*.`, a final dot, non-ASCII letters):
    /// Android compares it as written and matches no host; Qorgan pins the name it stands for.
    DomainReadOtherwise,
}

/// Something risky in a policy that still loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWarning {
    /// What kind of risk.
    pub kind: PolicyWarningKind,
    /// Where, when known.
    pub location: Option<PolicyLocation>,
    /// What it means and what to do.
    pub message: String,
}

impl PolicyWarning {
    pub(crate) fn new(
        kind: PolicyWarningKind,
        location: Option<PolicyLocation>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}
