//! What the engine knows beyond its build: the signed bundle in use ([`crate::bundle`]).
//!
//! A [`Knowledge`] is immutable. The engine holds the current one behind a lock and an `Arc`;
//! every analysis, audit and fast-path check takes the `Arc` once at its start and asks only
//! it, so that applying a bundle while other threads analyse is atomic: each call sees the old
//! knowledge or the new one, never a mix. [`Engine::apply_bundle`] builds the new knowledge
//! aside and swaps it in with one store.
//!
//! Built-in data always wins and is never removed: a bundle's entry for a key the build already
//! knows is ignored, so a bundle can only add.

use std::collections::HashMap;
use std::sync::Arc;

use super::Engine;
use crate::anchors::known::{self, KnownCa};
use crate::anchors::programs::{self, Distrusted};
use crate::bundle::{read_bundle, BundleError, BundleInfo};
use crate::cert::SpkiHash;
use crate::pinning::{DomainScope, PinPolicy};

/// The knowledge in force: the built-in tables, and what the bundle in use adds.
#[derive(Debug, Default)]
pub(crate) struct Knowledge {
    /// The bundle it comes from, if any.
    pub(crate) bundle: Option<BundleInfo>,
    /// The bundle's known CAs whose keys the build does not know. A std `HashMap` (SipHash),
    /// not a `SpkiHashMap`: these key hashes are written by the bundle's signer, not computed
    /// here, so a leaked signing key must not be able to pick colliding ones and slow every
    /// lookup down.
    cas: HashMap<SpkiHash, KnownCa>,
    /// The bundle's distrusted keys that the build does not know (a std `HashMap`, as `cas`).
    distrusted: HashMap<SpkiHash, Distrusted>,
    /// The pins in force: the app's, with the bundle's for the domains it names when the app
    /// opted in.
    pub(crate) pins: Option<Arc<PinPolicy>>,
}

impl Knowledge {
    /// The knowledge of the build, with the app's pins.
    pub(crate) fn built_in(pins: Option<Arc<PinPolicy>>) -> Self {
        Self {
            pins,
            ..Self::default()
        }
    }

    /// The known CA with this key: built-in first, then the bundle's.
    pub(crate) fn known(&self, spki: &SpkiHash) -> Option<KnownCa> {
        known::lookup(spki).or_else(|| self.cas.get(spki).cloned())
    }

    /// Whether this key is a known CA.
    pub(crate) fn is_known(&self, spki: &SpkiHash) -> bool {
        known::contains(spki) || self.cas.contains_key(spki)
    }

    /// Whether this key is a known interception CA (not a government root merely known).
    pub(crate) fn is_interception(&self, spki: &SpkiHash) -> bool {
        known::is_interception(spki)
            || self
                .cas
                .get(spki)
                .is_some_and(|k| k.category.is_interception())
    }

    /// The key's distrust for cause: built-in first, then the bundle's.
    pub(crate) fn distrusted(&self, spki: &SpkiHash) -> Option<Distrusted> {
        programs::distrusted(spki).or_else(|| self.distrusted.get(spki).cloned())
    }

    /// Whether the key was distrusted for cause.
    pub(crate) fn is_distrusted(&self, spki: &SpkiHash) -> bool {
        programs::is_distrusted(spki) || self.distrusted.contains_key(spki)
    }
}

/// The app's pins with the bundle's rules in place of the app's for the names the bundle's
/// rules cover; the rest of the app's policy (allowed anchors, debug overrides) stays the app's.
///
/// An app rule goes only when a bundle rule for its domain reaches every name it reached: the
/// same scope, or the bundle's covering the domain and all below it. A bundle pinning
/// `example.com` alone leaves the app's `**.example.com` in force for the subdomains (for the
/// domain itself the narrower rule, the bundle's, wins in `rule_for`).
fn merged_pins(app: Option<&PinPolicy>, bundle: &PinPolicy) -> PinPolicy {
    let covered = |r: &crate::pinning::DomainRule| {
        bundle.rules.iter().any(|b| {
            b.domain == r.domain && (b.scope == r.scope || b.scope == DomainScope::Subdomains)
        })
    };
    match app {
        Some(app) => {
            let mut merged = app.clone();
            merged.rules.retain(|r| !covered(r));
            merged.rules.extend(bundle.rules.iter().cloned());
            merged.warnings.extend(bundle.warnings.iter().cloned());
            merged
        }
        None => bundle.clone(),
    }
}

impl Engine {
    /// The knowledge in force now: take it once per call and ask only it.
    pub(crate) fn knowledge(&self) -> Arc<Knowledge> {
        match self.knowledge.read() {
            Ok(k) => Arc::clone(&k),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Which bundle the engine's knowledge comes from; `None` before one was applied.
    pub fn bundle_info(&self) -> Option<BundleInfo> {
        self.knowledge().bundle.clone()
    }

    /// Applies a signed bundle ([`crate::bundle`]): accepted only when its signature verifies
    /// under one of [`crate::EngineConfig::bundle_keys`], it has not expired, and its version is
    /// newer than the one in use (and not older than [`crate::EngineConfig::bundle_min_version`]).
    /// Its CAs and distrusted keys are added to the built-in ones
    /// (never replacing them), and the knowledge of any earlier bundle is replaced by this
    /// one's; its pins replace the app's for the domains it names when
    /// [`crate::EngineConfig::bundle_pins`] is set.
    ///
    /// Atomic: a refused bundle changes nothing; an accepted one is swapped in at once, and a
    /// call already running finishes with the knowledge it started with.
    pub fn apply_bundle(&self, bytes: &[u8]) -> Result<BundleInfo, BundleError> {
        self.apply_bundle_at(bytes, super::now_unix())
    }

    /// [`Engine::apply_bundle`] at `now` (seconds since the epoch) instead of the clock.
    pub fn apply_bundle_at(&self, bytes: &[u8], now: i64) -> Result<BundleInfo, BundleError> {
        let bundle = read_bundle(bytes, &self.bundle_keys, now)?;
        if bundle.info.version < self.bundle_min_version {
            return Err(BundleError::NotNewer {
                version: bundle.info.version,
                current: self.bundle_min_version,
            });
        }
        let mut info = bundle.info;
        let content = bundle.content;
        let pins = match (&content.pins, self.bundle_pins) {
            (Some(p), true) if !p.rules.is_empty() => {
                info.pins_applied = true;
                Some(Arc::new(merged_pins(self.app_pins.as_deref(), p)))
            }
            _ => self.app_pins.clone(),
        };
        let next = Knowledge {
            bundle: Some(info.clone()),
            cas: content
                .known_cas
                .into_iter()
                .filter(|c| !known::contains(&c.spki))
                .map(|c| (c.spki, c.ca))
                .collect(),
            distrusted: content
                .distrusted
                .into_iter()
                .filter(|d| !programs::is_distrusted(&d.spki))
                .map(|d| (d.spki, d.distrusted))
                .collect(),
            pins,
        };
        let mut current = match self.knowledge.write() {
            Ok(k) => k,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Checked under the lock: two bundles applied at once cannot both win.
        if let Some(in_use) = &current.bundle {
            if info.version <= in_use.version {
                return Err(BundleError::NotNewer {
                    version: info.version,
                    current: in_use.version,
                });
            }
        }
        *current = Arc::new(next);
        Ok(info)
    }
}
