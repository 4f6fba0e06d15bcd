//! Signed knowledge bundles through the FFI: `Qorgan.apply_bundle` / `bundle_info` and the
//! typed error the shells throw. The engine decides everything (`qorgan::bundle`); Kotlin and
//! Swift pass the bytes and show the result.

use qorgan::{BundleError, BundleInfo, BundleKey};

use crate::api::{guarded, Qorgan, QorganError};

/// Why a bundle was refused; one variant per reason of the engine's `BundleError`. The engine
/// keeps the knowledge it had: a refused bundle changes nothing. Each `reason` says which
/// check failed and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum QorganBundleError {
    /// Larger than the limit (a little over 1 MiB): not a bundle.
    #[error("{reason}")]
    TooLarge {
        /// What happened and what to do.
        reason: String,
    },
    /// Not a Qorgan bundle at all (no "QORGAN-BUNDLE-V1" magic, or truncated).
    #[error("{reason}")]
    NotABundle {
        /// What happened and what to do.
        reason: String,
    },
    /// Signed, but the container or content is malformed.
    #[error("{reason}")]
    Malformed {
        /// What happened and what to do.
        reason: String,
    },
    /// Signed by a key the app did not configure.
    #[error("{reason}")]
    UnknownKey {
        /// The bundle's key id, hex.
        key_id: String,
        /// What happened and what to do.
        reason: String,
    },
    /// The signature does not verify: the bundle was altered or forged.
    #[error("{reason}")]
    BadSignature {
        /// What happened and what to do.
        reason: String,
    },
    /// Past its expiry time.
    #[error("{reason}")]
    Expired {
        /// Its expiry, RFC 3339.
        expires: String,
        /// What happened and what to do.
        reason: String,
    },
    /// Not newer than the bundle in use or the configured minimum version (a replay or a
    /// rollback).
    #[error("{reason}")]
    NotNewer {
        /// The refused bundle's version.
        version: u64,
        /// The version in use, or the configured minimum.
        current: u64,
        /// What happened and what to do.
        reason: String,
    },
    /// The app configured no bundle public key.
    #[error("{reason}")]
    NoKeys {
        /// What happened and what to do.
        reason: String,
    },
    /// A bug in Qorgan; the engine kept what it had.
    #[error("{reason}")]
    Internal {
        /// Detail for the bug report.
        reason: String,
    },
}

impl From<BundleError> for QorganBundleError {
    fn from(e: BundleError) -> Self {
        let said = e.to_string();
        let reason = |advice: &str| format!("bundle refused ({}): {said}; {advice}", e.code());
        match &e {
            BundleError::TooLarge { .. } => Self::TooLarge {
                reason: reason("check that the URL serves the file `qorgan bundle sign` wrote"),
            },
            BundleError::NotABundle => Self::NotABundle {
                reason: reason("check that the URL serves the file `qorgan bundle sign` wrote"),
            },
            BundleError::Malformed { .. } | BundleError::InvalidKey { .. } => Self::Malformed {
                reason: reason("the publisher must sign a well-formed bundle again"),
            },
            BundleError::UnknownKey { key_id } => Self::UnknownKey {
                key_id: key_id.clone(),
                reason: reason(
                    "if the publisher rotated keys, add the new public key to the app's bundle keys; otherwise the file is not from your publisher",
                ),
            },
            BundleError::BadSignature => Self::BadSignature {
                reason: reason(
                    "keep the bundle in use, fetch again later and check who serves the file",
                ),
            },
            BundleError::Expired { expires } => Self::Expired {
                expires: expires.clone(),
                reason: reason("the publisher must sign a new bundle with a later expiry"),
            },
            BundleError::NotNewer { version, current } => Self::NotNewer {
                version: *version,
                current: *current,
                reason: reason(
                    "the bundle in use stays; the publisher must sign the next one with a higher version",
                ),
            },
            BundleError::NoKeys => Self::NoKeys {
                reason: reason("configure the publisher's public key (bundle keys) to accept bundles"),
            },
        }
    }
}

impl From<QorganError> for QorganBundleError {
    fn from(e: QorganError) -> Self {
        Self::Internal {
            reason: e.to_string(),
        }
    }
}

/// The configured public keys, or [`QorganError::InvalidConfig`] naming the bad one.
pub(crate) fn parse_keys(keys: &[String]) -> Result<Vec<BundleKey>, QorganError> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            BundleKey::from_base64(k).map_err(|e| QorganError::InvalidConfig {
                reason: format!(
                    "bundle key #{} ({k:?}): {e} (expected base64 of a 32-byte Ed25519 public key, as `qorgan bundle keygen` prints)",
                    i + 1
                ),
            })
        })
        .collect()
}

#[uniffi::export]
impl Qorgan {
    /// Applies a signed knowledge bundle: accepted only when its signature verifies under one
    /// of the configured bundle keys, it has not expired and its version is newer than the one
    /// in use (and not older than the configured minimum). A refused bundle changes nothing.
    /// Store the accepted bytes and version, apply them at the next start and pass the version
    /// as the minimum, so that a restart does not let an older bundle back in.
    pub fn apply_bundle(&self, bytes: Vec<u8>) -> Result<BundleInfo, QorganBundleError> {
        guarded("apply_bundle", || Ok(self.engine().apply_bundle(&bytes)))?
            .map_err(QorganBundleError::from)
    }

    /// The bundle in use, or `None` before one was applied.
    pub fn bundle_info(&self) -> Option<BundleInfo> {
        guarded("bundle_info", || Ok(self.engine().bundle_info())).unwrap_or(None)
    }
}
