//! Signed knowledge bundles: interception CAs, distrusted keys and pins published after the
//! app was built.
//!
//! Kazakhstan issued new interception roots in 2019, 2020 and later; a library that knows roots
//! only from its build can never name a new one. The app's owner (or an organisation the app
//! trusts) publishes a bundle signed with an Ed25519 key; the app fetches it and gives it to
//! [`crate::Engine::apply_bundle`], which accepts it only when the signature verifies under one
//! of the public keys the app configured ([`crate::EngineConfig::bundle_keys`]).
//!
//! # The container
//!
//! ```text
//! offset  size  field
//!      0    16  magic, ASCII "QORGAN-BUNDLE-V1"
//!     16     8  key id: the first 8 bytes of SHA-256 of the signer's 32-byte public key
//!     24     4  payload length n, unsigned big-endian, at most MAX_BUNDLE_PAYLOAD_BYTES
//!     28     n  payload: UTF-8 JSON (below)
//!   28+n    64  Ed25519 signature of bytes 0 .. 28+n (everything before it)
//! ```
//!
//! Nothing may follow the signature. The payload is one JSON object:
//!
//! ```json
//! {
//!   "version": 7, "issued": 1796000000, "expires": 1803000000,
//!   "known_cas": [{"spki_sha256": "<64 hex>", "label": "Kazakhstan 2026 root",
//!                  "party": "...", "country": "KZ", "year": 2026,
//!                  "category": "government", "source": "https://..."}],
//!   "distrusted": [{"spki_sha256": "<64 hex>", "name": "...", "reason": "...",
//!                   "removed": "2026-05-01"}],
//!   "pins": {"domains": [ ...Qorgan's JSON pin policy... ]}
//! }
//! ```
//!
//! `issued` and `expires` are seconds since the epoch (UTC). `category` is one of the codes of
//! [`KnownCaCategory`] (`government_interception`, `government_root`, `vendor_mitm`,
//! `enterprise_mitm`, `spyware`, `blocked`, `test`), `government` meaning
//! `government_interception`. `pins` is Qorgan's JSON pin policy with `domains` only.
//! Unknown keys are refused everywhere (a typo must not silently drop an entry).
//!
//! # Why it is safe to accept
//!
//! - **Everything that matters is signed**: the version, the issue and expiry times and the
//!   content are all inside the payload, and the signature covers the header too (magic, key
//!   id, length). A bundle cannot be made to look newer, to live longer or to say more than its
//!   signer said.
//! - **Domain separation**: the signed bytes always begin with the 16-byte magic
//!   `QORGAN-BUNDLE-V1`, so a signature the same key made over anything else (another file
//!   format, a later version of this one with another magic) never verifies as a bundle. Keep
//!   the key for bundles only all the same.
//! - **The signature is checked before the payload is parsed**: an attacker who can serve the
//!   file but does not hold the key reaches only the fixed-size header reader.
//! - **Size limits**: a bundle over [`MAX_BUNDLE_BYTES`] is refused before anything else is
//!   read; at most [`MAX_BUNDLE_ENTRIES`] CAs and as many distrusted keys, text fields at most
//!   [`MAX_FIELD_CHARS`] characters; JSON nesting is bounded by serde_json's recursion limit.
//! - **Freshness**: an expired bundle is refused, and so is one whose version is not newer
//!   than the one in use, so that an old bundle cannot be replayed to roll pins back.
//! - **Additive only**: a bundle adds CAs and distrusted keys; it never removes or changes a
//!   built-in one. A bundle's pins replace the app's only for the domains the bundle names,
//!   and only when the app opted in ([`crate::EngineConfig::bundle_pins`]).
//! - **Key rotation**: the app may configure several public keys; the key id picks the one to
//!   check with, so an unknown key and a bad signature are told apart.
//! - **All or nothing**: a refused bundle changes nothing; an accepted one replaces the
//!   engine's knowledge in one step (see [`crate::Engine::apply_bundle`]).

use ring::signature::{Ed25519KeyPair, KeyPair as _, UnparsedPublicKey, ED25519};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::anchors::known::{own_name, KnownCa, KnownCaCategory};
use crate::anchors::programs::Distrusted;
use crate::cert::SpkiHash;
use crate::facts::rfc3339;
use crate::pinning::PinPolicy;

/// The first 16 bytes of every bundle, and of the bytes its signature covers.
pub const BUNDLE_MAGIC: &[u8; 16] = b"QORGAN-BUNDLE-V1";
/// The largest payload (JSON) a bundle may hold, in bytes.
pub const MAX_BUNDLE_PAYLOAD_BYTES: usize = 1024 * 1024;
/// The largest bundle accepted, in bytes: header, payload and signature.
pub const MAX_BUNDLE_BYTES: usize = HEADER_BYTES + MAX_BUNDLE_PAYLOAD_BYTES + SIGNATURE_BYTES;
/// The most known CAs, and the most distrusted keys, one bundle may list.
pub const MAX_BUNDLE_ENTRIES: usize = 10_000;
/// The longest text field (label, party, source, ...) of an entry, in characters.
pub const MAX_FIELD_CHARS: usize = 1024;

const HEADER_BYTES: usize = 16 + 8 + 4;
const SIGNATURE_BYTES: usize = 64;

/// Why a bundle was refused. The engine keeps what it had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Larger than [`MAX_BUNDLE_BYTES`].
    #[error("the bundle is {size} bytes, over the limit of {limit}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not a Qorgan bundle: no magic, or shorter than a header and a signature.
    #[error("not a Qorgan bundle (it does not start with \"QORGAN-BUNDLE-V1\" or is truncated)")]
    NotABundle,
    /// The container or the signed content is malformed.
    #[error("malformed bundle: {reason}")]
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// Signed by a key the app did not configure.
    #[error("the bundle is signed by key {key_id}, which is not one of the configured keys")]
    UnknownKey {
        /// The bundle's key id, hex.
        key_id: String,
    },
    /// The signature does not verify under the key the bundle names: altered, or forged.
    #[error("the bundle's signature does not verify: it was altered or not signed by that key")]
    BadSignature,
    /// Past its expiry time.
    #[error("the bundle expired at {expires}")]
    Expired {
        /// Its expiry, RFC 3339.
        expires: String,
    },
    /// Not newer than the bundle in use, or older than
    /// [`crate::EngineConfig::bundle_min_version`] (a replay or a rollback).
    #[error("bundle version {version} is not newer than version {current}, which is in use or was accepted before")]
    NotNewer {
        /// The refused bundle's version.
        version: u64,
        /// The version in use (or the configured minimum).
        current: u64,
    },
    /// The app configured no bundle key, so no bundle can be accepted.
    #[error("no bundle public key is configured")]
    NoKeys,
    /// A public or private key is unusable.
    #[error("invalid key: {reason}")]
    InvalidKey {
        /// What is wrong.
        reason: String,
    },
}

impl BundleError {
    /// The stable machine-readable code of this error (JSON output, the FFI).
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "bundle_too_large",
            Self::NotABundle => "not_a_bundle",
            Self::Malformed { .. } => "bundle_malformed",
            Self::UnknownKey { .. } => "bundle_unknown_key",
            Self::BadSignature => "bundle_bad_signature",
            Self::Expired { .. } => "bundle_expired",
            Self::NotNewer { .. } => "bundle_not_newer",
            Self::NoKeys => "bundle_no_keys",
            Self::InvalidKey { .. } => "bundle_invalid_key",
        }
    }

    fn malformed(reason: impl std::fmt::Display) -> Self {
        Self::Malformed {
            reason: reason.to_string(),
        }
    }
}

fn base64_std() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An Ed25519 public key that bundles may be signed with.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BundleKey([u8; 32]);

impl std::fmt::Debug for BundleKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BundleKey({})", self.to_base64())
    }
}

impl BundleKey {
    /// The key from its 32 raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BundleError> {
        <[u8; 32]>::try_from(bytes)
            .map(Self)
            .map_err(|_| BundleError::InvalidKey {
                reason: format!("an Ed25519 public key is 32 bytes, not {}", bytes.len()),
            })
    }

    /// The key from base64 of its 32 raw bytes (what `qorgan bundle keygen` prints).
    pub fn from_base64(text: &str) -> Result<Self, BundleError> {
        use base64::Engine as _;
        let bytes = base64_std()
            .decode(text.trim())
            .map_err(|e| BundleError::InvalidKey {
                reason: format!("not base64: {e}"),
            })?;
        Self::from_bytes(&bytes)
    }

    /// Base64 of the 32 raw bytes.
    pub fn to_base64(&self) -> String {
        use base64::Engine as _;
        base64_std().encode(self.0)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The first 8 bytes of SHA-256 of the key: what a bundle names its signer by.
    pub fn key_id(&self) -> [u8; 8] {
        let d = ring::digest::digest(&ring::digest::SHA256, &self.0);
        let mut id = [0u8; 8];
        id.copy_from_slice(&d.as_ref()[..8]);
        id
    }

    /// [`BundleKey::key_id`], hex.
    pub fn key_id_hex(&self) -> String {
        hex(&self.key_id())
    }
}

/// A private signing key: for publishers (`qorgan bundle sign`), never for apps.
pub struct BundleSigner {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for BundleSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BundleSigner({})", self.public_key().to_base64())
    }
}

impl BundleSigner {
    /// A new private key, PKCS#8 (v2, as ring writes it), from the system's random source.
    pub fn generate_pkcs8() -> Result<Vec<u8>, BundleError> {
        let rng = ring::rand::SystemRandom::new();
        Ed25519KeyPair::generate_pkcs8(&rng)
            .map(|d| d.as_ref().to_vec())
            .map_err(|_| BundleError::InvalidKey {
                reason: "the system's random source failed".into(),
            })
    }

    /// The signer from a PKCS#8 private key.
    pub fn from_pkcs8(der: &[u8]) -> Result<Self, BundleError> {
        Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map(|pair| Self { pair })
            .map_err(|e| BundleError::InvalidKey {
                reason: format!("not an Ed25519 PKCS#8 private key: {e}"),
            })
    }

    /// The signer from a 32-byte seed. For tests and fuzzing: a real key comes from
    /// [`BundleSigner::generate_pkcs8`].
    pub fn from_seed(seed: &[u8; 32]) -> Result<Self, BundleError> {
        Ed25519KeyPair::from_seed_unchecked(seed)
            .map(|pair| Self { pair })
            .map_err(|e| BundleError::InvalidKey {
                reason: e.to_string(),
            })
    }

    /// The public key apps configure.
    pub fn public_key(&self) -> BundleKey {
        let mut k = [0u8; 32];
        k.copy_from_slice(self.pair.public_key().as_ref());
        BundleKey(k)
    }

    /// A signed bundle of `content`, with its version, issue and expiry times (seconds since
    /// the epoch).
    pub fn sign(
        &self,
        content: &BundleContent,
        version: u64,
        issued: i64,
        expires: i64,
    ) -> Result<Vec<u8>, BundleError> {
        let mut payload = Map::new();
        payload.insert("version".into(), Value::from(version));
        payload.insert("issued".into(), Value::from(issued));
        payload.insert("expires".into(), Value::from(expires));
        for (k, v) in &content.json {
            payload.insert(k.clone(), v.clone());
        }
        let text = serde_json::to_vec(&Value::Object(payload)).map_err(BundleError::malformed)?;
        self.seal(&text)
    }

    /// Wraps `payload` (any bytes) in the container and signs it. [`BundleSigner::sign`] is the
    /// way to make a bundle; this is for tests and fuzzing, which need payloads `sign` refuses.
    pub fn seal(&self, payload: &[u8]) -> Result<Vec<u8>, BundleError> {
        if payload.len() > MAX_BUNDLE_PAYLOAD_BYTES {
            return Err(BundleError::TooLarge {
                size: HEADER_BYTES + payload.len() + SIGNATURE_BYTES,
                limit: MAX_BUNDLE_BYTES,
            });
        }
        let mut out = Vec::with_capacity(HEADER_BYTES + payload.len() + SIGNATURE_BYTES);
        out.extend_from_slice(BUNDLE_MAGIC);
        out.extend_from_slice(&self.public_key().key_id());
        out.extend_from_slice(
            &u32::try_from(payload.len())
                .unwrap_or(u32::MAX)
                .to_be_bytes(),
        );
        out.extend_from_slice(payload);
        let sig = self.pair.sign(&out);
        out.extend_from_slice(sig.as_ref());
        Ok(out)
    }
}

/// A CA a bundle lists: a [`KnownCa`] with its key hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleCa {
    /// Its key.
    pub spki: SpkiHash,
    /// What it is, as built-in entries say it.
    pub ca: KnownCa,
}

/// A key a bundle lists as distrusted for cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleDistrusted {
    /// Its key.
    pub spki: SpkiHash,
    /// Its name, why and when.
    pub distrusted: Distrusted,
}

/// What a bundle says, checked: the content a publisher signs, the content an app applies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BundleContent {
    /// Known interception (or government, blocked, ...) CAs.
    pub known_cas: Vec<BundleCa>,
    /// Keys distrusted for cause.
    pub distrusted: Vec<BundleDistrusted>,
    /// Pins for the domains the bundle names.
    pub pins: Option<PinPolicy>,
    /// The content as JSON, as it is signed.
    json: Map<String, Value>,
}

// The content is read from the JSON value (kept whole: it is what `to_json` gives back), member by
// member, as pinning/json.rs reads a pin policy: serde's derived readers over a `Value` would add
// a second JSON reader to the phone library (about 20 KB) for a file read once a day.
const CONTENT_KEYS: &[&str] = &["known_cas", "distrusted", "pins"];
const CA_KEYS: &[&str] = &[
    "spki_sha256",
    "label",
    "name",
    "party",
    "country",
    "year",
    "category",
    "source",
];
const DISTRUSTED_KEYS: &[&str] = &["spki_sha256", "name", "reason", "removed"];

/// `v` as an object with no member outside `known` (a misspelt member must not drop an entry).
fn members<'a>(
    v: &'a Value,
    known: &[&str],
    at: &str,
) -> Result<&'a Map<String, Value>, BundleError> {
    let obj = v
        .as_object()
        .ok_or_else(|| BundleError::malformed(format!("{at}: expected a JSON object")))?;
    only(obj, known, at)
}

/// `obj`, with no member outside `known`.
fn only<'a>(
    obj: &'a Map<String, Value>,
    known: &[&str],
    at: &str,
) -> Result<&'a Map<String, Value>, BundleError> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(BundleError::malformed(format!(
            "{at}: unknown member {k:?}; known members here: {}",
            known.join(", ")
        ))),
        None => Ok(obj),
    }
}

/// A string member; absent or `null` is `None`.
fn text<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
    at: &str,
) -> Result<Option<&'a str>, BundleError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(BundleError::malformed(format!(
            "{at}: {name} must be a string"
        ))),
    }
}

/// A string member that must be there.
fn required<'a>(obj: &'a Map<String, Value>, name: &str, at: &str) -> Result<&'a str, BundleError> {
    text(obj, name, at)?.ok_or_else(|| BundleError::malformed(format!("{at}: {name} is missing")))
}

/// An array member; absent is empty.
fn list<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a [Value], BundleError> {
    match obj.get(name) {
        None => Ok(&[]),
        Some(Value::Array(items)) if items.len() <= MAX_BUNDLE_ENTRIES => Ok(items),
        Some(Value::Array(_)) => Err(BundleError::malformed(format!(
            "{name}: more than {MAX_BUNDLE_ENTRIES} entries"
        ))),
        Some(_) => Err(BundleError::malformed(format!("{name} must be an array"))),
    }
}

fn category(code: &str) -> Option<KnownCaCategory> {
    use KnownCaCategory as C;
    Some(match code {
        "government" | "government_interception" => C::GovernmentInterception,
        "government_root" => C::GovernmentRoot,
        "vendor_mitm" => C::VendorMitm,
        "enterprise_mitm" => C::EnterpriseMitm,
        "spyware" => C::Spyware,
        "blocked" => C::Blocked,
        "test" => C::Test,
        _ => return None,
    })
}

/// A key hash written as 64 hex digits (upper or lower case).
fn spki(text: &str, at: &str) -> Result<SpkiHash, BundleError> {
    if text.len() != 64 {
        return Err(BundleError::malformed(format!(
            "{at}: spki_sha256 must be 64 hex digits, not {} characters",
            text.chars().count()
        )));
    }
    SpkiHash::from_hex(text).ok_or_else(|| {
        BundleError::malformed(format!("{at}: spki_sha256 is not hexadecimal: {text:?}"))
    })
}

/// [`spki`], refused when `seen` holds it already (an entry listed twice).
fn unique_spki(
    seen: &mut std::collections::HashSet<SpkiHash>,
    text: &str,
    at: &str,
) -> Result<SpkiHash, BundleError> {
    let key = spki(text, at)?;
    if !seen.insert(key) {
        return Err(BundleError::malformed(format!(
            "{at}: key {} is listed twice",
            key.hex()
        )));
    }
    Ok(key)
}

/// A text field: not over [`MAX_FIELD_CHARS`], no control characters; `required` ones not
/// blank.
fn field(value: &str, name: &str, at: &str, required: bool) -> Result<String, BundleError> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(BundleError::malformed(format!("{at}: {name} is empty")));
    }
    if v.chars().count() > MAX_FIELD_CHARS {
        return Err(BundleError::malformed(format!(
            "{at}: {name} is longer than {MAX_FIELD_CHARS} characters"
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(BundleError::malformed(format!(
            "{at}: {name} holds a control character"
        )));
    }
    Ok(v.to_string())
}

fn optional(value: Option<&str>, name: &str, at: &str) -> Result<Option<String>, BundleError> {
    value
        .map(|v| field(v, name, at, false))
        .transpose()
        .map(|v| v.filter(|s| !s.is_empty()))
}

fn year(value: Option<&Value>, at: &str) -> Result<Option<String>, BundleError> {
    let y = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(_) => None,
    };
    match y {
        Some(y) if (1990..=2999).contains(&y) => Ok(Some(y.to_string())),
        _ => Err(BundleError::malformed(format!(
            "{at}: year must be a year such as 2026"
        ))),
    }
}

impl BundleContent {
    /// Reads and checks content JSON: `{"known_cas": [...], "distrusted": [...], "pins": {...}}`
    /// (see the module documentation).
    pub fn from_json(text: &str) -> Result<Self, BundleError> {
        if text.len() > MAX_BUNDLE_PAYLOAD_BYTES {
            return Err(BundleError::TooLarge {
                size: text.len(),
                limit: MAX_BUNDLE_PAYLOAD_BYTES,
            });
        }
        match serde_json::from_str::<Value>(text).map_err(BundleError::malformed)? {
            Value::Object(map) => Self::from_map(map),
            _ => Err(BundleError::malformed("the content is not a JSON object")),
        }
    }

    fn from_map(json: Map<String, Value>) -> Result<Self, BundleError> {
        let top = only(&json, CONTENT_KEYS, "the content")?;
        let (cas, listed_distrusted) = (list(top, "known_cas")?, list(top, "distrusted")?);
        let mut seen = std::collections::HashSet::new();
        let mut known_cas = Vec::with_capacity(cas.len());
        for (i, r) in cas.iter().enumerate() {
            let at = format!("known_cas[{i}]");
            let r = members(r, CA_KEYS, &at)?;
            let key = unique_spki(&mut seen, required(r, "spki_sha256", &at)?, &at)?;
            let label = field(required(r, "label", &at)?, "label", &at, true)?;
            let name = match optional(text(r, "name", &at)?, "name", &at)? {
                Some(n) => n,
                None => own_name(None, &label),
            };
            let country = optional(text(r, "country", &at)?, "country", &at)?;
            if let Some(c) = &country {
                if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(BundleError::malformed(format!(
                        "{at}: country must be an ISO 3166 code such as KZ, not {c:?}"
                    )));
                }
            }
            let code = required(r, "category", &at)?;
            let category = category(code.trim()).ok_or_else(|| {
                BundleError::malformed(format!(
                    "{at}: unknown category {code:?} (government, government_root, vendor_mitm, \
                     enterprise_mitm, spyware, blocked, test)"
                ))
            })?;
            known_cas.push(BundleCa {
                spki: key,
                ca: KnownCa {
                    spki_sha256: key.hex(),
                    name: if name.is_empty() { label.clone() } else { name },
                    label,
                    party: optional(text(r, "party", &at)?, "party", &at)?.unwrap_or_default(),
                    country,
                    year: year(r.get("year"), &at)?,
                    category,
                    source: field(required(r, "source", &at)?, "source", &at, true)?,
                },
            });
        }
        seen.clear();
        let mut distrusted = Vec::with_capacity(listed_distrusted.len());
        for (i, r) in listed_distrusted.iter().enumerate() {
            let at = format!("distrusted[{i}]");
            let r = members(r, DISTRUSTED_KEYS, &at)?;
            let key = unique_spki(&mut seen, required(r, "spki_sha256", &at)?, &at)?;
            distrusted.push(BundleDistrusted {
                spki: key,
                distrusted: Distrusted {
                    name: field(required(r, "name", &at)?, "name", &at, true)?,
                    reason: field(required(r, "reason", &at)?, "reason", &at, true)?,
                    removed: optional(text(r, "removed", &at)?, "removed", &at)?
                        .unwrap_or_default(),
                },
            });
        }
        let pins = match top.get("pins") {
            None | Some(Value::Null) => None,
            Some(Value::Object(p)) => {
                if let Some(k) = p.keys().find(|k| *k != "domains" && !k.starts_with('_')) {
                    return Err(BundleError::malformed(format!(
                        "pins: only \"domains\" may be given in a bundle, not {k:?}"
                    )));
                }
                let text = serde_json::to_string(p).map_err(BundleError::malformed)?;
                let policy = PinPolicy::from_json(&text)
                    .map_err(|e| BundleError::malformed(format!("pins: {e}")))?;
                // Pins only: a rule's own allowed anchors or trust in user-installed anchors would
                // let a bundle make a non-public root acceptable, which the app never agreed to.
                if let Some((i, r)) = policy
                    .rules
                    .iter()
                    .enumerate()
                    .find(|(_, r)| r.allowed_anchors.is_some() || r.trusts_user_anchors)
                {
                    return Err(BundleError::malformed(format!(
                        "pins: domains[{i}] ({}): a bundle may give pins only, not \"allowed-anchors\" or \"trust-user-anchors\"",
                        r.domain
                    )));
                }
                Some(policy)
            }
            Some(_) => return Err(BundleError::malformed("pins: expected a JSON object")),
        };
        Ok(Self {
            known_cas,
            distrusted,
            pins,
            json,
        })
    }
}

/// Which bundle the engine's knowledge comes from (in audits, reports and the CLI's output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    #[serde(skip)]
    pub issued_unix: i64,
    /// When it expires, seconds since the epoch.
    #[serde(skip)]
    pub expires_unix: i64,
}

/// A bundle whose signature verified, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// Its version, times and counts.
    pub info: BundleInfo,
    /// Its content.
    pub content: BundleContent,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads a bundle: checks its size, container and signature (with the configured key its key
/// id names), then its content and expiry at `now` (seconds since the epoch). Whether it is
/// newer than the one in use is [`crate::Engine::apply_bundle`]'s to check.
pub fn read_bundle(bytes: &[u8], keys: &[BundleKey], now: i64) -> Result<Bundle, BundleError> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge {
            size: bytes.len(),
            limit: MAX_BUNDLE_BYTES,
        });
    }
    if bytes.len() < HEADER_BYTES + SIGNATURE_BYTES || !bytes.starts_with(BUNDLE_MAGIC) {
        return Err(BundleError::NotABundle);
    }
    let key_id = &bytes[16..24];
    let mut len = [0u8; 4];
    len.copy_from_slice(&bytes[24..28]);
    let len = usize::try_from(u32::from_be_bytes(len)).unwrap_or(usize::MAX);
    if len > MAX_BUNDLE_PAYLOAD_BYTES {
        return Err(BundleError::malformed(format!(
            "the payload length {len} is over the limit of {MAX_BUNDLE_PAYLOAD_BYTES}"
        )));
    }
    let signed_len = HEADER_BYTES + len;
    if bytes.len() != signed_len + SIGNATURE_BYTES {
        return Err(BundleError::malformed(format!(
            "the header announces {} bytes in all, the file has {}",
            signed_len + SIGNATURE_BYTES,
            bytes.len()
        )));
    }
    if keys.is_empty() {
        return Err(BundleError::NoKeys);
    }
    let key =
        keys.iter()
            .find(|k| k.key_id() == key_id)
            .ok_or_else(|| BundleError::UnknownKey {
                key_id: hex(key_id),
            })?;
    let (signed, signature) = bytes.split_at(signed_len);
    UnparsedPublicKey::new(&ED25519, key.as_bytes())
        .verify(signed, signature)
        .map_err(|_| BundleError::BadSignature)?;
    let payload = &signed[HEADER_BYTES..];
    // As text, as every other JSON the library reads: one reader in the library, not two.
    let payload = std::str::from_utf8(payload).map_err(BundleError::malformed)?;
    let mut map = match serde_json::from_str::<Value>(payload).map_err(BundleError::malformed)? {
        Value::Object(map) => map,
        _ => return Err(BundleError::malformed("the payload is not a JSON object")),
    };
    let mut number = |name: &str| -> Result<Value, BundleError> {
        map.remove(name)
            .ok_or_else(|| BundleError::malformed(format!("the payload has no \"{name}\"")))
    };
    let (version, issued, expires) = (number("version")?, number("issued")?, number("expires")?);
    let version = version
        .as_u64()
        .ok_or_else(|| BundleError::malformed("version is not a whole number"))?;
    let issued = issued
        .as_i64()
        .ok_or_else(|| BundleError::malformed("issued is not a whole number of seconds"))?;
    let expires = expires
        .as_i64()
        .ok_or_else(|| BundleError::malformed("expires is not a whole number of seconds"))?;
    if expires <= issued {
        return Err(BundleError::malformed(
            "the bundle expires before it was issued",
        ));
    }
    let content = BundleContent::from_map(map)?;
    if expires <= now {
        return Err(BundleError::Expired {
            expires: rfc3339(expires),
        });
    }
    Ok(Bundle {
        info: BundleInfo {
            version,
            issued: rfc3339(issued),
            expires: rfc3339(expires),
            key_id: hex(key_id),
            known_cas: count(content.known_cas.len()),
            distrusted: count(content.distrusted.len()),
            pinned_domains: count(content.pins.as_ref().map_or(0, |p| p.rules().len())),
            pins_applied: false,
            issued_unix: issued,
            expires_unix: expires,
        },
        content,
    })
}
