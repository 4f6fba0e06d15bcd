//! Human and JSON output. Colour only on a terminal (anstream strips it otherwise).

use anstream::println;
use anstyle::{AnsiColor, Style};
use qorgan::{
    AnchorClass, AuditReport, Certificate, CertificateClass, CertificateFacts, Engine, PathRole,
    PinPolicy, Report, Severity, Verdict, VerdictKind,
};
use serde_json::{json, Value};

use crate::inputs::Store;
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
                v.main_finding()
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
            // Multi-line messages (a pinning failure lists the chain's pins, ready to paste):
            // the first line carries the code, the rest follow indented as they are.
            let mut lines = f.message.lines();
            println!(
                "  {s}{}{s:#}  {}  {DIM}[{}]{DIM:#}",
                severity_word(f.severity),
                lines.next().unwrap_or_default(),
                code(f.code)
            );
            for line in lines {
                println!("            {line}");
            }
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
                // A certificate whose facts could not be read (unreadable_certificate) has no
                // dates to show.
                Some(f) if f.not_before.is_empty() => println!(
                    "  {role}  {}  {DIM}sha256/{}  (could not be read in full){DIM:#}",
                    f.subject, f.spki_sha256_b64
                ),
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

/// The answer of an audit, with the files it could not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    /// Nothing at warning or above, and every file that may hold certificates was read.
    Clean,
    /// Something at warning (no critical finding).
    Warning,
    /// A critical finding.
    Danger,
    /// Nothing at warning or above among the certificates read, but some files that may hold
    /// certificates could not be read: never called clean.
    Incomplete,
}

impl AuditOutcome {
    pub fn of(r: &AuditReport, store: &Store) -> Self {
        match r.summary.max_severity {
            Some(Severity::Critical) => Self::Danger,
            Some(Severity::Warning) => Self::Warning,
            _ if !store.unreadable.is_empty() => Self::Incomplete,
            _ => Self::Clean,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Warning => "warning",
            Self::Danger => "danger",
            Self::Incomplete => "incomplete",
        }
    }
}

pub fn print_audit(r: &AuditReport, store: &Store) {
    let s = &r.summary;
    let sources = &store.sources;
    let mut distinct: Vec<&String> = sources.iter().collect();
    distinct.dedup();
    let from = if distinct.len() == 1 {
        distinct[0].clone()
    } else {
        format!("{} sources", distinct.len())
    };
    let outcome = AuditOutcome::of(r, store);
    let (style, word) = match outcome {
        AuditOutcome::Danger => (RED, "DANGER"),
        AuditOutcome::Warning => (YELLOW, "WARNING"),
        AuditOutcome::Incomplete => (YELLOW, "INCOMPLETE"),
        AuditOutcome::Clean => (GREEN, "CLEAN"),
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
    let unread = store.unreadable.len();
    let sentence = if !parts.is_empty() {
        parts.join("; ") + "."
    } else if s.max_severity >= Some(Severity::Warning) {
        "see the findings below.".to_string()
    } else if unread > 0 {
        format!(
            "{unread} file(s) that may hold certificates could not be read (below); the certificates read show no interception CA and no non-public root."
        )
    } else {
        "no interception CA and no non-public root.".to_string()
    };
    println!("{style}{word}{style:#}: {sentence}");
    println!(
        "{DIM}{} certificates from {from}: {} known interception ({} of them blocked), {} non-public root, {} public root, {} not a CA{DIM:#}",
        s.total, s.known_interception, s.blocked, s.non_public_root, s.public_root, s.not_a_ca
    );
    if unread > 0 {
        println!();
        println!("{BOLD}Files that could not be read{BOLD:#} {DIM}(they may hold certificates this audit did not see){DIM:#}");
        for (file, reason) in &store.unreadable {
            println!("  {file}: {reason}");
        }
    }
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
            if let Some(source) = source_of(e.index, sources) {
                println!("            {DIM}in {source}{DIM:#}");
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

/// The file an audit entry came from (its index is its input position, from 1).
fn source_of(index: u32, sources: &[String]) -> Option<&String> {
    sources.get(usize::try_from(index).ok()?.checked_sub(1)?)
}

pub fn audit_json(r: &AuditReport, store: &Store) -> Value {
    let sources = &store.sources;
    let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
    // Each entry keeps its input position: name the file it came from.
    if let Some(list) = v.get_mut("certificates").and_then(Value::as_array_mut) {
        for entry in list.iter_mut() {
            let source = entry
                .get("index")
                .and_then(Value::as_u64)
                .and_then(|i| source_of(u32::try_from(i).ok()?, sources));
            entry["source"] = json!(source);
        }
    }
    let mut distinct: Vec<&String> = sources.iter().collect();
    distinct.sort();
    distinct.dedup();
    v["sources"] = json!(distinct);
    v["unreadable"] = json!(store
        .unreadable
        .iter()
        .map(|(file, reason)| json!({"file": file, "reason": reason}))
        .collect::<Vec<_>>());
    v["outcome"] = json!(AuditOutcome::of(r, store).name());
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

pub fn pins_json(all: &[(String, usize, Certificate)], plan: &PinPlan) -> Value {
    let pins: Vec<Value> = all
        .iter()
        .map(|(file, idx, c)| {
            let facts = CertificateFacts::of(c, *idx).ok();
            let role = plan
                .entries
                .iter()
                .find(|e| e.spki_b64 == c.spki_hash().base64())
                .map(|e| e.role);
            json!({
                "role": role,
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
    json!({
        "pins": pins,
        "chain": plan.entries.iter().map(|e| json!({
            "role": e.role,
            "subject": e.subject,
            "pin": format!("sha256/{}", e.spki_b64),
            "sent_by_server": e.presented,
        })).collect::<Vec<_>>(),
        "pin_set_xml": plan.xml(),
        "policy_json": plan.json(),
        "advice": ADVICE,
    })
}

/// Builds the report JSON for `qorgan inspect --pins --json`: the served chain is the input,
/// the validated chain the certificates of the built path that were sent.
pub fn report_json(
    chain: &[Certificate],
    verdict: &Verdict,
    host: &str,
    port: u16,
    policy: &PinPolicy,
) -> Value {
    let served: Vec<Vec<u8>> = chain.iter().map(|c| c.der().to_vec()).collect();
    let validated: Vec<Vec<u8>> = if matches!(
        verdict.verdict,
        VerdictKind::Untrusted | VerdictKind::Invalid
    ) {
        Vec::new()
    } else {
        verdict
            .path
            .iter()
            .filter_map(|p| p.facts.as_ref())
            .filter_map(|f| {
                chain
                    .iter()
                    .find(|c| qorgan_hex(&c.fingerprint()) == f.sha256)
                    .map(|c| c.der().to_vec())
            })
            .collect()
    };
    let report = Report::new(
        host.to_string(),
        port,
        &served,
        &validated,
        verdict.clone(),
        qorgan::now_unix(),
        Some(policy),
    );
    serde_json::from_str(&report.json).unwrap_or(Value::Null)
}

fn qorgan_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const ADVICE: &str = "\
Which pins to choose: pin at least two keys, and never only the leaf.
  - The intermediate's or the root's key survives your own certificate renewals for as long as
    you stay with that CA; the root's key also survives a change of intermediate. Either one
    already stops user-installed, enterprise and government CAs.
  - The leaf's key changes at every renewal unless you reuse the key: pin it only together with
    a CA key, or when you control renewals.
  - Add a backup pin that is not in today's chain: a second CA you could move to, or a spare
    key pair kept offline for your next certificate. Without one, a forced key change locks
    every installed app out until users update.
  - Keep the expiration (one year here), so that an app nobody updates fails open rather than
    bricked, and try the policy in report-only mode first (\"enforce\": false in JSON).";

/// One certificate of the chain, as the pin plan shows it.
pub struct PlanEntry {
    /// `leaf`, `intermediate` or `root`.
    pub role: &'static str,
    pub subject: String,
    pub spki_b64: String,
    /// Sent by the server (false for a root found in the bundled programs).
    pub presented: bool,
}

/// The pins of a chain, labelled, with the domain and expiration to suggest.
pub struct PinPlan {
    pub entries: Vec<PlanEntry>,
    pub domain: String,
    pub include_subdomains: bool,
    pub expiration: String,
}

impl PinPlan {
    pub fn xml(&self) -> String {
        let mut s = format!("<pin-set expiration=\"{}\">\n", self.expiration);
        for e in &self.entries {
            let note = match e.role {
                "leaf" => " (changes whenever the certificate is renewed with a new key)",
                "root" if !e.presented => " (not sent by the server; found in the root programs)",
                _ => "",
            };
            let subject = e.subject.replace("--", "- -");
            s.push_str(&format!(
                "    <!-- {}: {subject}{note} -->\n    <pin digest=\"SHA-256\">{}</pin>\n",
                e.role, e.spki_b64
            ));
        }
        s.push_str("    <!-- add a backup pin here: a key that is not in this chain -->\n");
        s.push_str("</pin-set>");
        s
    }

    pub fn json(&self) -> Value {
        json!({
            "domains": [{
                "domain": self.domain,
                "include-subdomains": self.include_subdomains,
                "pins": self.entries.iter().map(|e| format!("sha256/{}", e.spki_b64)).collect::<Vec<_>>(),
                "expiration": self.expiration,
                "enforce": true,
            }]
        })
    }
}

/// Labels the pins of `all` (taken as a chain, leaf first): the engine builds the path, which
/// also finds a root the server did not send; a lone CA certificate is labelled by itself.
pub fn pin_plan(engine: &Engine, all: &[(String, usize, Certificate)]) -> PinPlan {
    let certs: Vec<Certificate> = all.iter().map(|(_, _, c)| c.clone()).collect();
    let facts: Vec<Option<CertificateFacts>> = all
        .iter()
        .map(|(_, i, c)| CertificateFacts::of(c, *i).ok())
        .collect();
    let first_is_ca = facts
        .first()
        .and_then(|f| f.as_ref())
        .is_some_and(|f| f.is_ca);
    let mut entries = Vec::new();
    let verdict = if first_is_ca {
        None
    } else {
        engine.analyze(&certs, None, None).ok()
    };
    match verdict {
        Some(v) if !v.path.is_empty() => {
            for p in &v.path {
                let role = match p.role {
                    PathRole::Leaf => "leaf",
                    PathRole::Intermediate => "intermediate",
                    PathRole::Anchor => "root",
                };
                match &p.facts {
                    Some(f) => entries.push(PlanEntry {
                        role,
                        subject: f.subject.clone(),
                        spki_b64: f.spki_sha256_b64.clone(),
                        presented: p.presented,
                    }),
                    None => {
                        if let Some(a) = &v.anchor {
                            entries.push(PlanEntry {
                                role,
                                subject: a.subject.clone(),
                                spki_b64: a.spki_sha256_b64.clone(),
                                presented: false,
                            })
                        }
                    }
                }
            }
        }
        _ => {
            for (i, f) in facts.iter().enumerate() {
                let Some(f) = f else { continue };
                let role = if !f.is_ca && i == 0 {
                    "leaf"
                } else if f.self_signed {
                    "root"
                } else {
                    "intermediate"
                };
                entries.push(PlanEntry {
                    role,
                    subject: f.subject.clone(),
                    spki_b64: f.spki_sha256_b64.clone(),
                    presented: true,
                });
            }
        }
    }
    // The domain: the leaf's first DNS name; a wildcard certificate covers the subdomains.
    let leaf_name = facts
        .first()
        .and_then(|f| f.as_ref())
        .filter(|f| !f.is_ca)
        .and_then(|f| f.san_dns.first().cloned());
    let (domain, include_subdomains) = match leaf_name {
        Some(n) => match n.strip_prefix("*.") {
            Some(rest) => (rest.to_string(), true),
            None => (n, false),
        },
        None => ("example.com".to_string(), false),
    };
    let expiration = time::OffsetDateTime::from_unix_timestamp(qorgan::now_unix() + 365 * 86_400)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_else(|| "2030-01-01".into());
    PinPlan {
        entries,
        domain,
        include_subdomains,
        expiration,
    }
}

pub fn print_pin_plan(plan: &PinPlan) {
    if plan.entries.is_empty() {
        return;
    }
    println!();
    println!(
        "{BOLD}Network Security Config{BOLD:#} {DIM}(paste inside the <domain-config> of {} in res/xml/network_security_config.xml){DIM:#}",
        plan.domain
    );
    println!("{}", plan.xml());
    println!();
    println!("{BOLD}The same in Qorgan's JSON format{BOLD:#}");
    println!(
        "{}",
        serde_json::to_string_pretty(&plan.json()).unwrap_or_default()
    );
    println!();
    println!("{ADVICE}");
}
