//! What can go wrong before Qorgan can decide anything.
//!
//! Detection results (interception, an untrusted chain, a pin mismatch) are never errors: they
//! are a [`crate::Verdict`]. An [`Error`] means "could not decide", and its message says what the
//! caller should fix.

use std::fmt;

/// The largest certificate Qorgan accepts, in bytes of DER.
///
/// Public CAs issue certificates of a few kilobytes; even the 1,000-SAN test certificate of
/// badssl.com is 37 KB. Anything larger is refused before parsing so that a hostile peer cannot
/// make a phone hash and parse megabytes on every handshake.
pub const MAX_CERTIFICATE_BYTES: usize = 64 * 1024;

/// The longest chain Qorgan accepts.
///
/// TLS stacks cap chains far lower in practice (rustls-webpki stops path building at depth 6);
/// 50 leaves room for servers that send their whole CA bundle.
pub const MAX_CHAIN_CERTIFICATES: usize = 50;

/// Everything that stops Qorgan from reaching a verdict.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input held no bytes, or only white space.
    #[error("the input is empty: expected a certificate in PEM or DER form")]
    Empty,

    /// PEM text was found but held no `CERTIFICATE` section.
    #[error("no certificate found: the PEM text holds no \"-----BEGIN CERTIFICATE-----\" section")]
    NoCertificate,

    /// PEM text could not be decoded.
    #[error("malformed PEM: {reason}")]
    MalformedPem {
        /// What the PEM decoder reported.
        reason: String,
    },

    /// Bytes that should be a DER certificate are not one.
    #[error("certificate #{index} is not a valid X.509 certificate: {reason}")]
    NotACertificate {
        /// Position in the input, counted from 1 (leaf first for chains).
        index: usize,
        /// What is wrong with it.
        reason: String,
    },

    /// The DER encoding stops before its declared length.
    #[error("certificate #{index} is truncated: it declares {declared} bytes but only {available} follow")]
    Truncated {
        /// Position in the input, counted from 1.
        index: usize,
        /// Length the encoding declares.
        declared: usize,
        /// Bytes actually present.
        available: usize,
    },

    /// A certificate is larger than [`MAX_CERTIFICATE_BYTES`].
    #[error(
        "certificate #{index} is {size} bytes, over the {limit}-byte limit for one certificate"
    )]
    CertificateTooLarge {
        /// Position in the input, counted from 1.
        index: usize,
        /// Its size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },

    /// A chain holds more than [`MAX_CHAIN_CERTIFICATES`] certificates.
    #[error("the chain holds {count} certificates, over the limit of {limit}")]
    ChainTooLong {
        /// How many certificates were given.
        count: usize,
        /// The limit.
        limit: usize,
    },

    /// The host name cannot be a TLS server name.
    #[error("\"{host}\" is not a valid host name or IP address")]
    InvalidHost {
        /// The name as given.
        host: String,
    },

    /// A configuration value is unusable (for example a pin that is not base64 SHA-256).
    #[error("invalid configuration: {reason}")]
    InvalidConfig {
        /// What to fix.
        reason: String,
    },

    /// A bug in Qorgan: an invariant did not hold. Enforcing callers must fail closed on it.
    #[error("internal error: {reason}")]
    Internal {
        /// Detail for the bug report.
        reason: String,
    },
}

impl Error {
    /// The stable machine-readable code of this error (used in JSON output and the FFI).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_input",
            Self::NoCertificate => "no_certificate",
            Self::MalformedPem { .. } => "malformed_pem",
            Self::NotACertificate { .. } => "not_a_certificate",
            Self::Truncated { .. } => "truncated",
            Self::CertificateTooLarge { .. } => "certificate_too_large",
            Self::ChainTooLong { .. } => "chain_too_long",
            Self::InvalidHost { .. } => "invalid_host",
            Self::InvalidConfig { .. } => "invalid_config",
            Self::Internal { .. } => "internal",
        }
    }

    pub(crate) fn not_a_certificate(index: usize, reason: impl fmt::Display) -> Self {
        Self::NotACertificate {
            index,
            reason: reason.to_string(),
        }
    }
}
