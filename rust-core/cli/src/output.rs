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
    let text = serde_json::to_string_pretty(v)
        .map_err(|e| InputError(msg!("cli-error-internal", error = e.to_string())))?;
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

/// The severity column, padded to the widest word of the language.
fn severity_word(s: Severity) -> String {
    let word = |s: Severity| {
        msg!(
            "cli-severity",
            severity = match s {
                Severity::Critical => "critical",
                Severity::Warning => "warning",
                Severity::Info => "info",
            }
        )
    };
    let width = [Severity::Critical, Severity::Warning, Severity::Info]
        .map(|s| word(s).chars().count())
        .into_iter()
        .max()
        .unwrap_or(8);
    crate::check::pad(&word(s), width)
}

/// Spaces as wide as the severity column, and two more.
fn severity_indent() -> String {
    " ".repeat(severity_word(Severity::Info).chars().count() + 4)
}

fn programs_text(p: &[qorgan::Program]) -> String {
    p.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")
}

/// The verdict first, then findings by severity, then the path.
pub fn print_verdict(v: &Verdict) {
    let anchor = v.anchor.as_ref();
    let anchor_name = anchor.map(|a| a.name().to_string()).unwrap_or_default();
    let style = match v.verdict {
        VerdictKind::Trusted => GREEN,
        VerdictKind::Untrusted | VerdictKind::Invalid => YELLOW,
        _ => RED,
    };
    let word = msg!("cli-verdict-word", verdict = v.verdict.as_str());
    let sentence = match v.verdict {
        VerdictKind::Trusted => msg!(
            "cli-verdict-trusted",
            anchor = &anchor_name,
            programs = anchor
                .map(|a| programs_text(&a.programs))
                .unwrap_or_default()
        ),
        VerdictKind::InterceptedKnown => {
            let ca = anchor
                .and_then(|a| a.known.as_ref())
                .map(known_name)
                .or_else(|| v.interception_ca().map(str::to_string));
            match ca {
                Some(ca) => msg!("cli-verdict-intercepted-known", ca = ca),
                None => msg!("cli-verdict-intercepted-known-unnamed"),
            }
        }
        VerdictKind::InterceptedLocal => {
            msg!("cli-verdict-intercepted-local", anchor = &anchor_name)
        }
        VerdictKind::Untrusted => msg!("cli-verdict-untrusted"),
        // The finding's own sentence, whole, after the anchor's name.
        VerdictKind::Invalid => msg!(
            "cli-verdict-invalid",
            anchor = &anchor_name,
            problem = v
                .main_finding()
                .map(|f| f.message.clone())
                .unwrap_or_default()
        ),
        VerdictKind::PinViolation => msg!("cli-verdict-pin-violation"),
    };
    let head = match v.host.as_deref() {
        Some(h) => msg!(
            "cli-verdict-line-host",
            word = format!("{style}{word}{style:#}"),
            host = h,
            sentence = sentence
        ),
        None => msg!(
            "cli-verdict-line",
            word = format!("{style}{word}{style:#}"),
            sentence = sentence
        ),
    };
    println!("{head}");
    if !v.findings.is_empty() {
        println!();
        println!("{BOLD}{}{BOLD:#}", msg!("cli-heading-findings"));
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
                println!("{}{line}", severity_indent());
            }
        }
    }
    if !v.path.is_empty() {
        println!();
        println!("{BOLD}{}{BOLD:#}", msg!("cli-heading-path"));
        let roles: Vec<String> = v
            .path
            .iter()
            .map(|p| {
                // A self-signed certificate the server sent last is a root, whatever its place
                // in the built path.
                let self_signed = p.facts.as_ref().is_some_and(|f| f.self_signed);
                msg!(
                    "cli-role",
                    role = match p.role {
                        PathRole::Leaf => "leaf",
                        PathRole::Intermediate if self_signed => "root",
                        PathRole::Intermediate => "intermediate",
                        PathRole::Anchor => "anchor",
                    }
                )
            })
            .collect();
        let width = roles.iter().map(|r| r.chars().count()).max().unwrap_or(12);
        for (p, role) in v.path.iter().zip(&roles) {
            let role = crate::check::pad(role, width);
            match &p.facts {
                // A certificate whose facts could not be read (unreadable_certificate) has no
                // dates to show.
                Some(f) if f.not_before.is_empty() => println!(
                    "  {role}  {}  {DIM}sha256/{}  ({}){DIM:#}",
                    f.subject,
                    f.spki_sha256_b64,
                    msg!("cli-path-unreadable")
                ),
                Some(f) => println!(
                    "  {role}  {}  {DIM}sha256/{}  {} .. {}{DIM:#}",
                    f.subject,
                    f.spki_sha256_b64,
                    short_date(&f.not_before),
                    short_date(&f.not_after)
                ),
                None => println!(
                    "  {role}  {}  {DIM}sha256/{} ({}){DIM:#}",
                    p.anchor_subject.as_deref().unwrap_or(""),
                    anchor.map(|a| a.spki_sha256_b64.as_str()).unwrap_or(""),
                    msg!(
                        "cli-path-not-sent",
                        source = anchor.map(anchor_source).unwrap_or("programs")
                    )
                ),
            }
        }
    }
    if let Some(a) = anchor {
        let class = match a.class {
            AnchorClass::PublicRoot => {
                msg!("cli-anchor-public", programs = programs_text(&a.programs))
            }
            AnchorClass::KnownInterception => msg!("cli-anchor-known-interception"),
            AnchorClass::NonPublicRoot => msg!("cli-anchor-non-public"),
            AnchorClass::Distrusted => msg!("cli-anchor-distrusted"),
        };
        println!();
        let name = a
            .known
            .as_ref()
            .map(known_name)
            .unwrap_or_else(|| a.name().to_string());
        println!(
            "{BOLD}{}{BOLD:#}  {name}: {class}",
            msg!("cli-heading-anchor")
        );
    }
}

/// A known CA by its own name, country and year, in the run's language (the engine's
/// `known-ca`: “Qaznet Trust Network” (Kazakhstan, 2019)), not its English label.
fn known_name(k: &qorgan::KnownCa) -> String {
    let lang = crate::i18n::lang();
    let args = [
        ("ca_name", qorgan::i18n::Arg::from(&k.name)),
        ("country", k.country.as_deref().unwrap_or("none").into()),
        ("year", k.year.as_deref().unwrap_or("none").into()),
        ("category", k.category.code().into()),
    ];
    qorgan::i18n::render(lang, "known-ca", &args)
}

/// Where a root the server did not send was found: a selector key of `cli-path-not-sent`.
fn anchor_source(a: &qorgan::AnchorInfo) -> &'static str {
    if a.from_caller {
        "caller"
    } else if a.known.is_some() {
        "known"
    } else {
        "programs"
    }
}

fn short_date(s: &str) -> &str {
    s.get(..10).unwrap_or(s)
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
    distinct.sort();
    distinct.dedup();
    let outcome = AuditOutcome::of(r, store);
    let style = match outcome {
        AuditOutcome::Danger => RED,
        AuditOutcome::Warning | AuditOutcome::Incomplete => YELLOW,
        AuditOutcome::Clean => GREEN,
    };
    let word = msg!("cli-audit-word", outcome = outcome.name());
    let interception = s.known_interception - s.blocked;
    let mut parts = Vec::new();
    if interception > 0 {
        parts.push(msg!("cli-audit-interception", count = interception));
    }
    if s.blocked > 0 {
        parts.push(msg!("cli-audit-blocked", count = s.blocked));
    }
    if s.non_public_root > 0 {
        parts.push(msg!("cli-audit-non-public", count = s.non_public_root));
    }
    let unread = store.unreadable.len();
    let sentence = if !parts.is_empty() {
        parts.join(" ")
    } else if s.max_severity >= Some(Severity::Warning) {
        msg!("cli-audit-see-findings")
    } else if unread > 0 {
        msg!("cli-audit-incomplete", count = unread)
    } else {
        msg!("cli-audit-clean")
    };
    println!("{style}{word}{style:#}: {sentence}");
    let from = if distinct.len() == 1 {
        distinct[0].clone()
    } else {
        msg!("cli-audit-sources", count = distinct.len())
    };
    println!(
        "{DIM}{}{DIM:#}",
        msg!(
            "cli-audit-counts",
            total = s.total,
            from = from,
            known = s.known_interception,
            blocked = s.blocked,
            non_public = s.non_public_root,
            public = s.public_root,
            not_ca = s.not_a_ca
        )
    );
    // Which file gave how many (a few files; a folder's many are named per certificate below).
    if distinct.len() > 1 && distinct.len() <= 8 {
        for d in &distinct {
            let n = sources.iter().filter(|x| x == d).count();
            println!(
                "{DIM}  {}{DIM:#}",
                msg!("cli-audit-file-count", file = *d, count = n)
            );
        }
    }
    if unread > 0 {
        println!();
        println!(
            "{BOLD}{}{BOLD:#} {DIM}({}){DIM:#}",
            msg!("cli-heading-unreadable"),
            msg!("cli-heading-unreadable-note")
        );
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
        println!("{BOLD}{}{BOLD:#}", msg!("cli-heading-attention"));
        let indent = severity_indent();
        for e in shown {
            let first = e.findings.first();
            let sev = first.map(|f| f.severity).unwrap_or(Severity::Info);
            let st = severity_style(sev);
            println!(
                "  {st}{}{st:#}  {}  {DIM}sha256/{}{DIM:#}",
                severity_word(sev),
                e.known
                    .as_ref()
                    .map(known_name)
                    .or_else(|| e.label.clone())
                    .unwrap_or_else(|| e.subject.clone()),
                e.spki_sha256_b64
            );
            for f in &e.findings {
                println!("{indent}{}", f.message);
            }
            // The file, when there are several (one file is named in the counts line).
            if let Some(source) = source_of(e.index, sources).filter(|_| distinct.len() > 1) {
                println!(
                    "{indent}{DIM}{}{DIM:#}",
                    msg!("cli-audit-in-file", file = source)
                );
            }
        }
    }
    println!();
    let versions: Vec<String> = r
        .store_versions
        .iter()
        .map(|v| format!("{} {}", v.program, v.store_version))
        .collect();
    println!(
        "{DIM}{}{DIM:#}",
        msg!("cli-audit-compared", versions = versions.join("; "))
    );
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
        "domain": plan.domain,
        "domain_source": plan.domain_source,
        "advice": advice_text(),
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
    bundle: Option<&qorgan::BundleInfo>,
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
    )
    .with_bundle(bundle);
    serde_json::from_str(&report.json).unwrap_or(Value::Null)
}

fn qorgan_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Which pins to choose, in the run's language.
fn advice_text() -> String {
    let mut s = msg!("cli-pin-advice");
    for id in [
        msg!("cli-pin-advice-ca"),
        msg!("cli-pin-advice-leaf"),
        msg!("cli-pin-advice-backup"),
        msg!("cli-pin-advice-expiration"),
    ] {
        s.push_str("\n  - ");
        s.push_str(&id);
    }
    s
}

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
    /// Where the domain came from: `given` (--domain), `common_name`, `san` (the leaf's first
    /// DNS name), `none` (a placeholder).
    pub domain_source: &'static str,
    pub include_subdomains: bool,
    pub expiration: String,
}

impl PinPlan {
    pub fn xml(&self) -> String {
        let mut s = format!("<pin-set expiration=\"{}\">\n", self.expiration);
        for e in &self.entries {
            let note = match e.role {
                "leaf" => format!(" ({})", msg!("cli-pin-note-leaf")),
                "root" if !e.presented => format!(" ({})", msg!("cli-pin-note-root-not-sent")),
                _ => String::new(),
            };
            let subject = e.subject.replace("--", "- -");
            let note = note.replace("--", "- -");
            s.push_str(&format!(
                "    <!-- {}: {subject}{note} -->\n    <pin digest=\"SHA-256\">{}</pin>\n",
                msg!("cli-role", role = e.role),
                e.spki_b64
            ));
        }
        s.push_str(&format!("    <!-- {} -->\n", msg!("cli-pin-backup-here")));
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
pub fn pin_plan(
    engine: &Engine,
    all: &[(String, usize, Certificate)],
    domain: Option<&str>,
) -> PinPlan {
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
        engine.analyze_with_facts(&certs, None, None).ok()
    };
    match verdict {
        Some(v) if !v.path.is_empty() => {
            for p in &v.path {
                let self_signed = p.facts.as_ref().is_some_and(|f| f.self_signed);
                let role = match p.role {
                    PathRole::Leaf => "leaf",
                    // A self-signed certificate the server sent (last) is the root.
                    PathRole::Intermediate if self_signed => "root",
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
    // A certificate given twice (a chain file with its root, and the root again) is one pin.
    let mut seen = std::collections::HashSet::new();
    entries.retain(|e| seen.insert(e.spki_b64.clone()));
    // The domain: the one given; else the leaf's common name when it is a DNS name of the
    // certificate (a SAN certificate for amazon.com lists amazon.co.uk first); else its first
    // DNS name. A wildcard covers the subdomains.
    let leaf = facts.first().and_then(|f| f.as_ref()).filter(|f| !f.is_ca);
    let (name, domain_source) = match (domain, leaf) {
        (Some(d), _) => (Some(d.to_string()), "given"),
        (None, Some(f)) => {
            let cn = f.common_name.clone().filter(|cn| {
                f.san_dns.is_empty() || f.san_dns.iter().any(|n| n.eq_ignore_ascii_case(cn))
            });
            match cn {
                Some(cn) if cn.contains('.') => (Some(cn), "common_name"),
                _ => match f.san_dns.first() {
                    Some(n) => (Some(n.clone()), "san"),
                    None => (None, "none"),
                },
            }
        }
        (None, None) => (None, "none"),
    };
    let (domain, include_subdomains) = match name {
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
        domain_source,
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
        "{BOLD}{}{BOLD:#}",
        msg!(
            "cli-pin-domain",
            domain = &plan.domain,
            source = plan.domain_source
        )
    );
    println!();
    println!(
        "{BOLD}Network Security Config{BOLD:#} {DIM}({}){DIM:#}",
        msg!("cli-pin-paste-nsc", domain = &plan.domain)
    );
    println!("{}", plan.xml());
    println!();
    println!("{BOLD}{}{BOLD:#}", msg!("cli-pin-json-heading"));
    println!(
        "{}",
        serde_json::to_string_pretty(&plan.json()).unwrap_or_default()
    );
    println!();
    println!("{}", advice_text());
}
