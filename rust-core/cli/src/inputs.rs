//! Reading certificates from files, directories, standard input and the system store.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use qorgan::Certificate;

use crate::{stores, InputError};

/// Reads a chain from a file, or standard input for `-` or none. Returns the certificates and
/// a label naming where they came from.
pub fn read_chain(path: Option<&Path>) -> Result<(Vec<Certificate>, String), InputError> {
    match path {
        None => read_stdin_chain(),
        Some(p) if p.as_os_str() == "-" => read_stdin_chain(),
        Some(p) => {
            let bytes = read_file(p)?;
            let certs =
                parse_chain(&bytes).map_err(|e| InputError(format!("{}: {e}", p.display())))?;
            Ok((certs, p.display().to_string()))
        }
    }
}

/// A chain in any format of [`crate::stores`] (a .p7b of a server's chain too: its order is
/// lost, and the engine finds the leaf), within the engine's chain limit.
fn parse_chain(bytes: &[u8]) -> Result<Vec<Certificate>, String> {
    let certs = stores::parse(bytes).map_err(|e| e.reason().to_string())?;
    if certs.len() > qorgan::MAX_CHAIN_CERTIFICATES {
        return Err(msg!(
            "cli-error-chain-too-long",
            count = certs.len(),
            limit = qorgan::MAX_CHAIN_CERTIFICATES
        ));
    }
    Ok(certs)
}

fn read_stdin_chain() -> Result<(Vec<Certificate>, String), InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError(format!("{}: {e}", msg!("cli-stdin"))))?;
    let certs =
        parse_chain(&bytes).map_err(|e| InputError(format!("{}: {e}", msg!("cli-stdin"))))?;
    Ok((certs, msg!("cli-stdin")))
}

/// Larger than any certificate file (Mozilla's whole store is 200 KB).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

pub(crate) fn read_file(p: &Path) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(p)
        .map_err(|e| InputError(format!("{}: {}", p.display(), io_reason(&e))))?;
    if meta.is_dir() {
        return Err(InputError(msg!(
            "cli-error-is-directory",
            file = p.display().to_string()
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(InputError(msg!(
            "cli-error-too-large",
            file = p.display().to_string(),
            bytes = i64::try_from(meta.len()).unwrap_or(i64::MAX)
        )));
    }
    std::fs::read(p).map_err(|e| InputError(format!("{}: {}", p.display(), io_reason(&e))))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => msg!("cli-io-not-found"),
        std::io::ErrorKind::PermissionDenied => msg!("cli-io-permission-denied"),
        _ => e.to_string(),
    }
}

/// Reads every certificate of one file: any format of [`crate::stores`] (a bundle is fine).
/// A file that cannot be read or holds no certificate is an input error naming it.
pub fn read_certs(p: &Path) -> Result<Vec<Certificate>, InputError> {
    let bytes = read_file(p)?;
    stores::parse(&bytes).map_err(|e| InputError(format!("{}: {}", p.display(), e.reason())))
}

/// What the files of an audit gave.
pub struct Store {
    pub certs: Vec<Certificate>,
    /// The file each certificate came from, in the order of `certs`.
    pub sources: Vec<String>,
    /// Files in the directories that may hold certificates but could not be read: the file and
    /// why, in words.
    pub unreadable: Vec<(String, String)>,
}

/// File name extensions of certificate files: PEM, DER, PKCS#7 bundles, and the `<hash>.0`,
/// `<hash>.1`, ... of OpenSSL's `c_rehash` folders and Android's cacerts.
fn has_store_extension(p: &Path) -> bool {
    let Some(ext) = p.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    let ext = ext.to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "pem" | "crt" | "cer" | "cert" | "der" | "p7b" | "p7c" | "p7" | "spc" | "ca-bundle"
    ) || (!ext.is_empty() && ext.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads files and directories for an audit. A named file must hold certificates (else an
/// input error). In a directory, every file is tried:
/// - a file read to the end that holds no certificate (empty, or PEM keys or CRLs only) or that
///   is unrelated (a README, an index, a script: no certificate extension and not looking like
///   certificates) is skipped, with a count on stderr;
/// - a file that may hold certificates but cannot be read is listed in `unreadable`: one that
///   cannot be opened (its content is unknown), or one that is malformed and either has a
///   certificate extension (`has_store_extension`) or looks like certificates by content
///   (`stores::looks_like_certificates`); a subdirectory that cannot be listed too.
pub fn read_store_paths(paths: &[PathBuf]) -> Result<Store, InputError> {
    let mut store = Store {
        certs: Vec::new(),
        sources: Vec::new(),
        unreadable: Vec::new(),
    };
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| InputError(format!("{}: {}", p.display(), io_reason(&e))))?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = walk(p, &mut store.unreadable)?;
            files.sort();
            let mut skipped = 0usize;
            for f in files {
                let name = f.display().to_string();
                // A file over the size limit without a certificate extension (a log, an
                // archive) is not a store file.
                let too_large = std::fs::metadata(&f).is_ok_and(|m| m.len() > MAX_FILE_BYTES);
                if too_large && !has_store_extension(&f) {
                    skipped += 1;
                    continue;
                }
                let bytes = match read_file(&f) {
                    Ok(b) => b,
                    Err(e) => {
                        let reason = e.0.strip_prefix(&format!("{name}: ")).unwrap_or(&e.0);
                        store.unreadable.push((name, reason.to_string()));
                        continue;
                    }
                };
                match stores::parse(&bytes) {
                    Ok(cs) => {
                        store.sources.extend(std::iter::repeat_n(name, cs.len()));
                        store.certs.extend(cs);
                    }
                    Err(stores::Failure::Malformed(reason))
                        if has_store_extension(&f) || stores::looks_like_certificates(&bytes) =>
                    {
                        store.unreadable.push((name, reason));
                    }
                    Err(_) => skipped += 1,
                }
            }
            if skipped > 0 {
                eprintln!(
                    "qorgan: {}",
                    msg!(
                        "cli-note-skipped-files",
                        folder = p.display().to_string(),
                        count = skipped
                    )
                );
            }
        } else {
            let cs = read_certs(p)?;
            store
                .sources
                .extend(std::iter::repeat_n(p.display().to_string(), cs.len()));
            store.certs.extend(cs);
        }
    }
    if store.certs.is_empty() {
        let mut msg = msg!("cli-error-no-certificate-in-paths");
        for (file, reason) in &store.unreadable {
            msg.push_str(&format!(
                "\n  {}",
                msg!("cli-could-not-read", file = file, reason = reason)
            ));
        }
        return Err(InputError(msg));
    }
    Ok(store)
}

fn walk(dir: &Path, unreadable: &mut Vec<(String, String)>) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        let rd = match std::fs::read_dir(&d) {
            Ok(rd) => rd,
            // The folder named: an input error. A subfolder (/etc/ssl/private): it may hold
            // certificates, so the audit is incomplete.
            Err(e) if depth == 0 => {
                return Err(InputError(format!("{}: {}", d.display(), io_reason(&e))))
            }
            Err(e) => {
                unreadable.push((
                    d.display().to_string(),
                    msg!("cli-folder-not-listed", reason = io_reason(&e)),
                ));
                continue;
            }
        };
        for entry in rd.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() && depth < 8 => stack.push((path, depth + 1)),
                Ok(t) if t.is_file() => out.push(path),
                // A symlink (Debian's /etc/ssl/certs is links): followed to a file. A link to a
                // folder is not followed (loops), and a broken link is no certificate: nothing
                // trusts what it pointed to.
                Ok(t) if t.is_symlink() => match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    _ => out.push(path),
                },
                _ => {}
            }
        }
    }
    Ok(out)
}

/// This machine's trust store, as rustls-native-certs finds it (Linux, macOS, Windows).
pub fn system_store() -> Result<Store, InputError> {
    let result = rustls_native_certs::load_native_certs();
    // What could not be read makes the audit incomplete, as for a folder.
    let mut unreadable = Vec::new();
    for e in &result.errors {
        unreadable.push(match &e.kind {
            // A store path that does not exist (SSL_CERT_DIR=/nowhere) hides nothing.
            rustls_native_certs::ErrorKind::Io { inner, path }
                if inner.kind() == std::io::ErrorKind::NotFound =>
            {
                eprintln!(
                    "qorgan: {}",
                    msg!(
                        "cli-note-store-path-missing",
                        file = path.display().to_string()
                    )
                );
                continue;
            }
            rustls_native_certs::ErrorKind::Io { inner, path } => {
                (path.display().to_string(), io_reason(inner))
            }
            // pki-types' message is a byte list, and rustls-native-certs does not say which file.
            rustls_native_certs::ErrorKind::Pem(_) => {
                (msg!("cli-system-store"), msg!("cli-system-store-bad-pem"))
            }
            _ => (msg!("cli-system-store"), e.to_string()),
        });
    }
    if result.certs.is_empty() {
        let mut msg = msg!("cli-error-system-store-empty");
        for (file, reason) in &unreadable {
            msg.push_str(&format!(
                "\n  {}",
                msg!("cli-could-not-read", file = file, reason = reason)
            ));
        }
        return Err(InputError(msg));
    }
    let label = std::env::var("SSL_CERT_FILE")
        .ok()
        .unwrap_or_else(|| msg!("cli-system-store"));
    let mut certs = Vec::new();
    for (i, der) in result.certs.into_iter().enumerate() {
        match Certificate::from_der(der.to_vec(), i + 1) {
            Ok(c) => certs.push(c),
            Err(e) => unreadable.push((label.clone(), e.to_string())),
        }
    }
    let sources = vec![label; certs.len()];
    Ok(Store {
        certs,
        sources,
        unreadable,
    })
}

/// Parses a time for `--at`: RFC 3339 (`2019-07-20T00:00:00Z`), or seconds since 1970
/// (`1563580800`, as `date +%s` prints).
pub fn parse_time(s: &str) -> Result<i64, InputError> {
    let t = s.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse::<i64>() {
            if time::OffsetDateTime::from_unix_timestamp(n).is_ok() {
                return Ok(n);
            }
        }
    }
    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| InputError(msg!("cli-error-at", value = s)))
}

/// A host name (or IP address) for `flag`: an input error naming the flag when it is not one.
/// Letters, digits, hyphens and underscores in dot-separated labels of at most 63 characters,
/// 253 in all; a trailing dot is allowed.
pub fn check_host(flag: &str, h: &str) -> Result<(), InputError> {
    if h.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let name = h.strip_suffix('.').unwrap_or(h);
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if ok {
        Ok(())
    } else {
        Err(InputError(msg!("cli-error-host", flag = flag, value = h)))
    }
}

/// Reads a pin policy file, Network Security Config XML or JSON (told apart by content).
/// `src="@raw/name"` trust anchors of an XML file are read from `../raw/name.*` beside it, as
/// in an app's `res/xml/` and `res/raw/` folders. Warnings go to standard error.
pub fn read_policy(p: &Path) -> Result<qorgan::PinPolicy, InputError> {
    let bytes = read_file(p)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        InputError(msg!(
            "cli-error-policy-not-text",
            file = p.display().to_string()
        ))
    })?;
    let raw_dir = p.parent().and_then(Path::parent).map(|res| res.join("raw"));
    let resolver = move |src: &str| -> Option<Vec<u8>> {
        let name = src.strip_prefix("@raw/")?;
        let dir = raw_dir.as_ref()?;
        let entries = std::fs::read_dir(dir).ok()?;
        for e in entries.flatten() {
            let path = e.path();
            if path.file_stem().and_then(|s| s.to_str()) == Some(name) {
                return std::fs::read(path).ok();
            }
        }
        None
    };
    let policy = qorgan::PinPolicy::from_text_with(&text, Some(&resolver))
        .map_err(|e| InputError(format!("{}: {e}", p.display())))?;
    for w in policy.warnings() {
        eprintln!(
            "qorgan: {}",
            msg!(
                "cli-policy-warning",
                file = p.display().to_string(),
                warning = w.to_string()
            )
        );
    }
    Ok(policy)
}
