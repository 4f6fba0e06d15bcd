//! Human and JSON output. Colour only on a terminal (anstream strips it otherwise).

use anstream::println;
use anstyle::{AnsiColor, Style};
use qorgan::{
    AnchorClass, AuditReport, Certificate, CertificateClass, CertificateFacts, PathRole, Severity,
    Verdict, VerdictKind,
};
use serde_json::{json, Value};

use crate::InputError;

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const DIM: Style = Style::new().dimmed();

pub fn print_json(v: &Value) -> Result<(), InputError> {
    let text =
        serde_json::to_string_pretty(v).map_err(|e| InputError(format!("internal error: {e}")))?;
    println!("{text}");
    Ok(())
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => RED,
        Severity::Warning => YELLOW,
        Severity::Info => DIM,
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::Warning => "warning ",
        Severity::Info => "info    ",
    }
}

fn programs_text(p: &[qorgan::Program]) -> String {
    p.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")
}

/// The verdict first, then findings by severity, then the path.
pub fn print_verdict(v: &Verdict) {
    let anchor = v.anchor.as_ref();
    let anchor_name = anchor.map(|a| a.name().to_string()).unwrap_or_default();
    let (style, word, sentence) = match v.verdict {
        VerdictKind::Trusted => (
            GREEN,
            "TRUSTED",
            format!(
                "the chain leads to a public root, {anchor_name} ({}).",
                anchor.map(|a| programs_text(&a.programs)).unwrap_or_default()
            ),
        ),
        VerdictKind::InterceptedKnown => (
            RED,
            "INTERCEPTED",
            format!(
                "this connection goes through a known interception CA: {}.",
                v.interception_ca().unwrap_or("see findings")
            ),
        ),
        VerdictKind::InterceptedLocal => (
            RED,
            "INTERCEPTED (local CA)",
            format!(
                "the chain ends at \"{anchor_name}\", which this device trusts but no public root program does."
            ),
        ),
        VerdictKind::Untrusted => (
            YELLOW,
            "UNTRUSTED",
            "the chain leads to no trusted root; a phone would refuse it.".to_string(),
        ),
        VerdictKind::Invalid => (
            YELLOW,
            "INVALID",
            format!(
                "the chain leads to {anchor_name}, but {}",
                v.findings
                    .iter()
                    .find(|f| f.severity >= Severity::Warning)
                    .map(|f| lowercase_first(&f.message))
                    .unwrap_or_else(|| "a certificate is not acceptable.".into())
            ),
        ),
        VerdictKind::PinViolation => (
            RED,
            "PIN VIOLATION",
            "no certificate of the validated chain matches the app's pins.".to_string(),
        ),
    };
    let host = v
        .host
        .as_deref()
        .map(|h| format!(" for {h}"))
        .unwrap_or_default();
    println!("{style}{word}{style:#}{host}: {sentence}");
    if !v.findings.is_empty() {
        println!();
        println!("{BOLD}Findings{BOLD:#}");
        for f in &v.findings {
            let s = severity_style(f.severity);
            println!(
                "  {s}{}{s:#}  {}  {DIM}[{}]{DIM:#}",
                severity_word(f.severity),
                f.message,
                code(f.code)
            );
        }
    }
    if !v.path.is_empty() {
        println!();
        println!("{BOLD}Path{BOLD:#}");
        for p in &v.path {
            let role = match p.role {
                PathRole::Leaf => "leaf        ",
                PathRole::Intermediate => "intermediate",
                PathRole::Anchor => "anchor      ",
            };
            match &p.facts {
                Some(f) => println!(
                    "  {role}  {}  {DIM}sha256/{}  {} .. {}{DIM:#}",
                    f.subject,
                    f.spki_sha256_b64,
                    short_date(&f.not_before),
                    short_date(&f.not_after)
                ),
                None => println!(
                    "  {role}  {}  {DIM}sha256/{} (not sent; from {}){DIM:#}",
                    p.anchor_subject.as_deref().unwrap_or(""),
                    anchor.map(|a| a.spki_sha256_b64.as_str()).unwrap_or(""),
                    anchor.map(anchor_source).unwrap_or("")
                ),
            }
        }
    }
    if let Some(a) = anchor {
        let class = match a.class {
            AnchorClass::PublicRoot => format!("public root ({})", programs_text(&a.programs)),
            AnchorClass::KnownInterception => "known interception CA".into(),
            AnchorClass::NonPublicRoot => "not in any public root program".into(),
            AnchorClass::Distrusted => "distrusted for cause".into(),
        };
        println!();
        println!("{BOLD}Anchor{BOLD:#}  {}: {class}", a.name());
    }
}

fn anchor_source(a: &qorgan::AnchorInfo) -> &'static str {
    if a.from_caller {
        "the trusted anchors given"
    } else if a.known.is_some() {
        "Qorgan's list of interception CAs"
    } else {
        "the bundled root programs"
    }
}

fn short_date(s: &str) -> &str {
    s.get(..10).unwrap_or(s)
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("TLS") => f.to_lowercase().collect::<String>() + c.as_str(),
        Some(f) => f.to_string() + c.as_str(),
        None => String::new(),
    }
}

fn code(c: qorgan::FindingCode) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn print_audit(r: &AuditReport, sources: &[String]) {
    let s = &r.summary;
    let mut distinct: Vec<&String> = sources.iter().collect();
    distinct.dedup();
    let from = if distinct.len() == 1 {
        distinct[0].clone()
    } else {
        format!("{} sources", distinct.len())
    };
    let (style, word) = match s.max_severity {
        Some(Severity::Critical) => (RED, "DANGER"),
        Some(Severity::Warning) => (YELLOW, "WARNING"),
        _ => (GREEN, "CLEAN"),
    };
    let interception = s.known_interception - s.blocked;
    let mut parts = Vec::new();
    if interception > 0 {
        parts.push(format!(
            "{interception} known interception CA(s) are trusted here: whoever holds them can read and change HTTPS traffic"
        ));
    }
    if s.blocked > 0 {
        parts.push(format!(
            "{} CA(s) that browsers block after a compromise or misconduct are trusted here",
            s.blocked
        ));
    }
    if s.non_public_root > 0 {
        parts.push(format!(
            "{} root(s) are in no public root program: each can be used to intercept HTTPS traffic; remove any you do not recognise",
            s.non_public_root
        ));
    }
    let sentence = if !parts.is_empty() {
        parts.join("; ") + "."
    } else if s.max_severity >= Some(Severity::Warning) {
        "see the findings below.".to_string()
    } else {
        "no interception CA and no non-public root.".to_string()
    };
    println!("{style}{word}{style:#}: {sentence}");
    println!(
        "{DIM}{} certificates from {from}: {} known interception ({} of them blocked), {} non-public root, {} public root, {} not a CA{DIM:#}",
        s.total, s.known_interception, s.blocked, s.non_public_root, s.public_root, s.not_a_ca
    );
    let shown: Vec<_> = r
        .certificates
        .iter()
        .filter(|e| {
            e.class != CertificateClass::PublicRoot
                || e.findings.iter().any(|f| f.severity >= Severity::Warning)
        })
        .collect();
    if !shown.is_empty() {
        println!();
        println!("{BOLD}Certificates that need attention{BOLD:#}");
        for e in shown {
            let first = e.findings.first();
            let sev = first.map(|f| f.severity).unwrap_or(Severity::Info);
            let st = severity_style(sev);
            println!(
                "  {st}{}{st:#}  {}  {DIM}sha256/{}{DIM:#}",
                severity_word(sev),
                e.label.as_deref().unwrap_or(&e.subject),
                e.spki_sha256_b64
            );
            for f in &e.findings {
                println!("            {}", f.message);
            }
        }
    }
    println!();
    let versions: Vec<String> = r
        .store_versions
        .iter()
        .map(|v| format!("{} {}", v.program, v.store_version))
        .collect();
    println!("{DIM}Compared with: {}{DIM:#}", versions.join("; "));
}

pub fn audit_json(r: &AuditReport, sources: &[String]) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    // Each entry keeps its input position: name the file it came from.
    if let Some(list) = v.get_mut("certificates").and_then(Value::as_array_mut) {
        for entry in list.iter_mut() {
            let source = entry
                .get("index")
                .and_then(Value::as_u64)
                .and_then(|i| sources.get(usize::try_from(i).ok()?.checked_sub(1)?));
            entry["source"] = json!(source);
        }
    }
    let mut distinct: Vec<&String> = sources.iter().collect();
    distinct.sort();
    distinct.dedup();
    v["sources"] = json!(distinct);
    v
}

pub fn print_pins(all: &[(String, usize, Certificate)]) {
    for (file, idx, c) in all {
        let subject = CertificateFacts::of(c, *idx)
            .map(|f| f.subject)
            .unwrap_or_default();
        println!("{BOLD}{subject}{BOLD:#}  {DIM}{file}#{idx}{DIM:#}");
        println!("  sha256/{}", c.spki_hash().base64());
        println!("  {}", c.spki_hash().base64());
    }
}

pub fn pins_json(all: &[(String, usize, Certificate)]) -> Value {
    let pins: Vec<Value> = all
        .iter()
        .map(|(file, idx, c)| {
            let facts = CertificateFacts::of(c, *idx).ok();
            json!({
                "file": file,
                "index": idx,
                "subject": facts.as_ref().map(|f| f.subject.clone()),
                "is_ca": facts.as_ref().map(|f| f.is_ca),
                "pin": c.spki_hash().pin(),
                "spki_sha256_b64": c.spki_hash().base64(),
                "spki_sha256_hex": c.spki_hash().hex(),
            })
        })
        .collect();
    json!({ "pins": pins })
}
