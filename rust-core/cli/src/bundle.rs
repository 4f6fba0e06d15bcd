//! `qorgan bundle keygen | sign | verify`, and `--bundle` / `--public-key` on `inspect`,
//! `audit` and `check`: signed knowledge bundles (the engine's `qorgan::bundle`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use qorgan::{BundleContent, BundleError, BundleInfo, BundleKey, BundleSigner, Engine};

use crate::InputError;

/// `--bundle` and `--public-key`, shared by `inspect`, `audit` and `check`.
#[derive(Args, Debug, Default)]
pub struct BundleOpts {
    /// A signed knowledge bundle (qorgan bundle sign): its CAs and distrusted keys are added to
    /// the built-in ones. A bundle that is refused (bad signature, unknown key, expired,
    /// malformed) is exit status 2. Needs --public-key.
    #[arg(long, value_name = "BUNDLE", requires = "public_key")]
    pub bundle: Option<PathBuf>,
    /// The public key (base64, as qorgan bundle keygen prints it) the bundle must be signed
    /// with; repeat it for two keys during a key rotation.
    #[arg(long = "public-key", value_name = "BASE64", requires = "bundle")]
    pub public_key: Vec<String>,
    /// Let the bundle's pins replace the --pins policy's for the domains the bundle names (an
    /// app's opt-in).
    #[arg(long, requires = "bundle")]
    pub bundle_pins: bool,
}

/// A bundle read from its file with the keys to check it, before an engine exists.
#[derive(Debug, Default)]
pub struct Loaded {
    file: String,
    bytes: Vec<u8>,
    /// The configured keys, for the engine's configuration.
    pub keys: Vec<BundleKey>,
    /// The app's opt-in to the bundle's pins.
    pub pins: bool,
}

impl BundleOpts {
    /// Reads the bundle file and parses the keys; `None` without `--bundle`.
    pub fn load(&self) -> Result<Option<Loaded>, InputError> {
        let Some(path) = &self.bundle else {
            return Ok(None);
        };
        let keys = parse_keys(&self.public_key)?;
        Ok(Some(Loaded {
            file: path.display().to_string(),
            bytes: crate::inputs::read_file(path)?,
            keys,
            pins: self.bundle_pins,
        }))
    }
}

fn parse_keys(keys: &[String]) -> Result<Vec<BundleKey>, InputError> {
    keys.iter()
        .map(|k| {
            BundleKey::from_base64(k)
                .map_err(|e| InputError(format!("--public-key {k}: {}", error_text(&e))))
        })
        .collect()
}

/// Applies a loaded bundle to `engine`; a refused one is an input error naming the file and
/// the reason.
pub fn apply(engine: &Engine, loaded: Option<&Loaded>) -> Result<Option<BundleInfo>, InputError> {
    let Some(l) = loaded else {
        return Ok(None);
    };
    engine
        .apply_bundle(&l.bytes)
        .map(Some)
        .map_err(|e| InputError(format!("{}: {}", l.file, error_text(&e))))
}

/// Why a bundle was refused, in the run's language.
pub fn error_text(e: &BundleError) -> String {
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    match e {
        BundleError::TooLarge { size, limit } => {
            msg!(
                "cli-bundle-error-too-large",
                size = n(*size),
                limit = n(*limit)
            )
        }
        BundleError::NotABundle => msg!("cli-bundle-error-not-a-bundle"),
        BundleError::Malformed { reason } => {
            msg!("cli-bundle-error-malformed", reason = reason.as_str())
        }
        BundleError::UnknownKey { key_id } => {
            msg!("cli-bundle-error-unknown-key", key = key_id.as_str())
        }
        BundleError::BadSignature => msg!("cli-bundle-error-bad-signature"),
        BundleError::Expired { expires } => {
            msg!("cli-bundle-error-expired", expires = expires.as_str())
        }
        BundleError::NotNewer { version, current } => msg!(
            "cli-bundle-error-not-newer",
            version = version.to_string(),
            current = current.to_string()
        ),
        BundleError::NoKeys => msg!("cli-bundle-error-no-keys"),
        BundleError::InvalidKey { reason } => {
            msg!("cli-bundle-error-invalid-key", reason = reason.as_str())
        }
    }
}

/// The bundle in use, one line for text output.
pub fn in_use_line(info: &BundleInfo) -> String {
    msg!(
        "cli-bundle-in-use",
        version = info.version.to_string(),
        issued = info.issued.as_str(),
        cas = i64::from(info.known_cas)
    )
}

/// `qorgan bundle ...`
#[derive(Subcommand, Debug)]
pub enum BundleCommand {
    /// Make a new signing key: writes the private key (PKCS#8) to KEYFILE and prints the
    /// public key, base64, on the last line. Keep the private key offline; apps get the public
    /// key only.
    Keygen {
        /// Where to write the private key. An existing file is never overwritten.
        #[arg(long, value_name = "KEYFILE")]
        out: PathBuf,
    },
    /// Sign content JSON ({"known_cas": [...], "distrusted": [...], "pins": {...}}) into a
    /// bundle. Content that is refused (an SPKI that is not 64 hex digits, an unknown category
    /// or key) is exit status 2.
    Sign {
        /// The private key (qorgan bundle keygen).
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        /// The bundle's version: each new bundle needs a higher one (apps refuse the rest).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        version: u64,
        /// The day it expires (from 00:00 UTC), YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        expires: String,
        /// Where to write the bundle.
        #[arg(long, value_name = "BUNDLE")]
        out: PathBuf,
        /// The content, JSON.
        content: PathBuf,
    },
    /// Check a bundle's signature, expiry and content: exit 0 printing its version, dates and
    /// counts, exit 2 naming why it is refused.
    Verify {
        /// A public key (base64) it may be signed with; repeat it for two keys during a key
        /// rotation.
        #[arg(long = "public-key", value_name = "BASE64", required = true)]
        public_key: Vec<String>,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
        /// The bundle.
        bundle: PathBuf,
    },
}

pub fn run(cmd: BundleCommand) -> Result<ExitCode, InputError> {
    match cmd {
        BundleCommand::Keygen { out } => keygen(&out),
        BundleCommand::Sign {
            key,
            version,
            expires,
            out,
            content,
        } => sign(&key, version, &expires, &out, &content),
        BundleCommand::Verify {
            public_key,
            json,
            bundle,
        } => verify(&public_key, json, &bundle),
    }
}

fn io_error(p: &Path, e: &std::io::Error) -> InputError {
    InputError(msg!(
        "cli-could-not-read",
        file = p.display().to_string(),
        reason = e.to_string()
    ))
}

fn write_error(p: &Path, e: &std::io::Error) -> InputError {
    InputError(msg!(
        "cli-bundle-error-write",
        file = p.display().to_string(),
        reason = e.to_string()
    ))
}

fn keygen(out: &Path) -> Result<ExitCode, InputError> {
    let pkcs8 = BundleSigner::generate_pkcs8().map_err(|e| InputError(error_text(&e)))?;
    let signer = BundleSigner::from_pkcs8(&pkcs8).map_err(|e| InputError(error_text(&e)))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(out).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            InputError(msg!(
                "cli-bundle-error-key-exists",
                file = out.display().to_string()
            ))
        } else {
            write_error(out, &e)
        }
    })?;
    file.write_all(&pkcs8).map_err(|e| write_error(out, &e))?;
    let public = signer.public_key();
    println!(
        "{}",
        msg!(
            "cli-bundle-keygen-done",
            file = out.display().to_string(),
            key = public.key_id_hex()
        )
    );
    println!("{}", public.to_base64());
    Ok(ExitCode::SUCCESS)
}

/// `YYYY-MM-DD` → seconds since the epoch at 00:00 UTC.
fn parse_day(value: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(value.trim(), &format).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
}

fn sign(
    key: &Path,
    version: u64,
    expires: &str,
    out: &Path,
    content: &Path,
) -> Result<ExitCode, InputError> {
    let expires_unix = parse_day(expires)
        .ok_or_else(|| InputError(msg!("cli-bundle-error-expires", value = expires)))?;
    let now = qorgan::now_unix();
    if expires_unix <= now {
        return Err(InputError(msg!(
            "cli-bundle-error-expires-past",
            value = expires
        )));
    }
    let key_bytes = std::fs::read(key).map_err(|e| io_error(key, &e))?;
    let signer = BundleSigner::from_pkcs8(&key_bytes)
        .map_err(|e| InputError(format!("{}: {}", key.display(), error_text(&e))))?;
    let text = crate::inputs::read_file(content)?;
    let text = String::from_utf8(text).map_err(|_| {
        InputError(msg!(
            "cli-bundle-error-content-not-text",
            file = content.display().to_string()
        ))
    })?;
    let parsed = BundleContent::from_json(&text).map_err(|e| match e {
        BundleError::Malformed { reason } => InputError(msg!(
            "cli-bundle-error-content",
            file = content.display().to_string(),
            reason = reason
        )),
        e => InputError(format!("{}: {}", content.display(), error_text(&e))),
    })?;
    let bytes = signer
        .sign(&parsed, version, now, expires_unix)
        .map_err(|e| InputError(format!("{}: {}", content.display(), error_text(&e))))?;
    // Read back as an app would: what is written is what apps accept.
    let check = qorgan::read_bundle(&bytes, &[signer.public_key()], now)
        .map_err(|e| InputError(format!("{}: {}", content.display(), error_text(&e))))?;
    std::fs::write(out, &bytes).map_err(|e| write_error(out, &e))?;
    println!(
        "{}",
        msg!("cli-bundle-signed", file = out.display().to_string())
    );
    print_info(&check.info);
    Ok(ExitCode::SUCCESS)
}

fn print_info(info: &BundleInfo) {
    println!(
        "{}",
        msg!("cli-bundle-version", version = info.version.to_string())
    );
    println!("{}", msg!("cli-bundle-issued", date = info.issued.as_str()));
    println!(
        "{}",
        msg!("cli-bundle-expires", date = info.expires.as_str())
    );
    println!("{}", msg!("cli-bundle-key", key = info.key_id.as_str()));
    println!(
        "{}",
        msg!(
            "cli-bundle-counts",
            cas = i64::from(info.known_cas),
            distrusted = i64::from(info.distrusted),
            domains = i64::from(info.pinned_domains)
        )
    );
}

fn verify(keys: &[String], json: bool, path: &Path) -> Result<ExitCode, InputError> {
    let keys = parse_keys(keys)?;
    let bytes = crate::inputs::read_file(path)?;
    let bundle = qorgan::read_bundle(&bytes, &keys, qorgan::now_unix())
        .map_err(|e| InputError(format!("{}: {}", path.display(), error_text(&e))))?;
    if json {
        crate::output::print_json(&serde_json::json!({ "bundle": bundle.info }))?;
    } else {
        println!(
            "{}",
            msg!("cli-bundle-verified", file = path.display().to_string())
        );
        print_info(&bundle.info);
    }
    Ok(ExitCode::SUCCESS)
}
