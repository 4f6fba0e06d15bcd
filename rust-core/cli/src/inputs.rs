//! Reading certificates from files, directories, standard input and the system store.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use qorgan::Certificate;

use crate::InputError;

/// Reads a chain from a file, or standard input for `-` or none. Returns the certificates and
/// a label naming where they came from.
pub fn read_chain(path: Option<&Path>) -> Result<(Vec<Certificate>, String), InputError> {
    match path {
        None => read_stdin_chain(),
        Some(p) if p.as_os_str() == "-" => read_stdin_chain(),
        Some(p) => {
            let bytes = read_file(p)?;
            let certs = qorgan::parse_chain(&bytes)
                .map_err(|e| InputError(format!("{}: {e}", p.display())))?;
            Ok((certs, p.display().to_string()))
        }
    }
}

fn read_stdin_chain() -> Result<(Vec<Certificate>, String), InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(64 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError(format!("standard input: {e}")))?;
    let certs =
        qorgan::parse_chain(&bytes).map_err(|e| InputError(format!("standard input: {e}")))?;
    Ok((certs, "standard input".into()))
}

fn read_file(p: &Path) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(p)
        .map_err(|e| InputError(format!("{}: {}", p.display(), io_reason(&e))))?;
    if meta.is_dir() {
        return Err(InputError(format!(
            "{}: is a directory, expected a certificate file",
            p.display()
        )));
    }
    if meta.len() > 64 * 1024 * 1024 {
        return Err(InputError(format!(
            "{}: {} bytes is too large for a certificate file",
            p.display(),
            meta.len()
        )));
    }
    std::fs::read(p).map_err(|e| InputError(format!("{}: {}", p.display(), io_reason(&e))))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads every certificate of one file (a bundle is fine).
pub fn read_certs(p: &Path) -> Result<Vec<Certificate>, InputError> {
    let bytes = read_file(p)?;
    qorgan::parse_store(&bytes).map_err(|e| InputError(format!("{}: {e}", p.display())))
}

/// Reads files and directories for an audit. A named file must hold certificates; in a
/// directory, files that hold none (READMEs, indexes) are skipped with a note on stderr.
pub fn read_store_paths(paths: &[PathBuf]) -> Result<(Vec<Certificate>, Vec<String>), InputError> {
    let mut certs = Vec::new();
    let mut sources = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| InputError(format!("{}: {}", p.display(), io_reason(&e))))?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = walk(p)?;
            files.sort();
            let mut skipped = 0usize;
            for f in files {
                let Ok(bytes) = std::fs::read(&f) else {
                    skipped += 1;
                    continue;
                };
                match qorgan::parse_store(&bytes) {
                    Ok(cs) => {
                        for _ in &cs {
                            sources.push(f.display().to_string());
                        }
                        certs.extend(cs);
                    }
                    Err(_) => skipped += 1,
                }
            }
            if skipped > 0 {
                eprintln!(
                    "qorgan: {}: skipped {skipped} file(s) holding no certificate",
                    p.display()
                );
            }
        } else {
            let cs = read_certs(p)?;
            for _ in &cs {
                sources.push(p.display().to_string());
            }
            certs.extend(cs);
        }
    }
    if certs.is_empty() {
        return Err(InputError("no certificate found in the given paths".into()));
    }
    Ok((certs, sources))
}

fn walk(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        let rd = std::fs::read_dir(&d)
            .map_err(|e| InputError(format!("{}: {}", d.display(), io_reason(&e))))?;
        for entry in rd.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() && depth < 8 => stack.push((path, depth + 1)),
                Ok(t) if t.is_file() || t.is_symlink() => out.push(path),
                _ => {}
            }
        }
    }
    Ok(out)
}

/// This machine's trust store, as rustls-native-certs finds it (Linux, macOS, Windows).
pub fn system_store() -> Result<(Vec<Certificate>, Vec<String>), InputError> {
    let result = rustls_native_certs::load_native_certs();
    for e in &result.errors {
        eprintln!("qorgan: system store: {e}");
    }
    if result.certs.is_empty() {
        return Err(InputError(
            "no certificates found in this machine's trust store (set SSL_CERT_FILE, or name files to audit)".into(),
        ));
    }
    let label = std::env::var("SSL_CERT_FILE")
        .ok()
        .unwrap_or_else(|| "system trust store".into());
    let mut certs = Vec::new();
    for (i, der) in result.certs.into_iter().enumerate() {
        match Certificate::from_der(der.to_vec(), i + 1) {
            Ok(c) => certs.push(c),
            Err(e) => eprintln!("qorgan: system store: skipped: {e}"),
        }
    }
    let sources = vec![label; certs.len()];
    Ok((certs, sources))
}

/// Parses an RFC 3339 time into seconds since the epoch.
pub fn parse_time(s: &str) -> Result<i64, InputError> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|e| {
            InputError(format!(
                "--at {s:?}: not an RFC 3339 time such as 2019-07-20T00:00:00Z ({e})"
            ))
        })
}

/// Reads a pin policy file, Network Security Config XML or JSON (told apart by content).
/// `src="@raw/name"` trust anchors of an XML file are read from `../raw/name.*` beside it, as
/// in an app's `res/xml/` and `res/raw/` folders. Warnings go to standard error.
pub fn read_policy(p: &Path) -> Result<qorgan::PinPolicy, InputError> {
    let bytes = read_file(p)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| InputError(format!("{}: the pin policy is not UTF-8 text", p.display())))?;
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
        eprintln!("qorgan: {}: warning: {w}", p.display());
    }
    Ok(policy)
}
