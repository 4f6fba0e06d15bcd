//! `qorgan check`: live probes of hosts, judged by the OS and by Qorgan.

use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anstream::println;
use anstyle::{AnsiColor, Style};
use qorgan::{
    CallerAnchor, Certificate, CheckVerdict, PlatformVerifier, ProbeOptions, ProbeResult, Severity,
};
use serde_json::json;

use crate::InputError;

/// At most this many probes at once: enough to finish the default list in seconds, few enough
/// not to look like a scan.
const CONCURRENCY: usize = 16;

pub struct CheckArgs {
    pub json: bool,
    pub timeout: f64,
    pub port: u16,
    pub connect: Option<String>,
    pub trust: Vec<Certificate>,
    pub bundle: Option<crate::bundle::Loaded>,
    pub hosts: Vec<String>,
}

pub fn run(args: CheckArgs) -> Result<ExitCode, InputError> {
    // 0 is refused: a probe with no time cannot connect. Fractions are fine (0.5).
    if !(args.timeout > 0.0 && args.timeout <= 300.0) {
        return Err(InputError(msg!(
            "cli-error-timeout",
            value = args.timeout.to_string()
        )));
    }
    let connect: Option<SocketAddr> = match &args.connect {
        Some(a) => Some(
            a.parse()
                .map_err(|_| InputError(msg!("cli-error-connect", value = a)))?,
        ),
        None => None,
    };
    let targets: Vec<(String, u16)> = if args.hosts.is_empty() {
        qorgan::default_targets()
            .into_iter()
            .map(|t| (t.host, args.port))
            .collect()
    } else {
        args.hosts
            .iter()
            .map(|h| target(h, args.port))
            .collect::<Result<_, _>>()?
    };
    let hosts: Vec<String> = targets.iter().map(|(h, _)| h.clone()).collect();
    // The device's own store joins the caller anchors so that a chain to a locally installed
    // root is named (intercepted_local) rather than merely untrusted.
    let mut anchors: Vec<CallerAnchor> =
        args.trust.iter().cloned().map(CallerAnchor::new).collect();
    let native = rustls_native_certs::load_native_certs();
    for (i, der) in native.certs.into_iter().enumerate() {
        if let Ok(c) = Certificate::from_der(der.to_vec(), i + 1) {
            anchors.push(CallerAnchor::new(c));
        }
    }
    // The same configuration as inspect and audit: the bundle's keys and, with --bundle-pins,
    // its pins (a check that ignored them would pass what inspect refuses).
    let engine = crate::engine_with_policy(anchors, None, args.bundle.as_ref())?;
    let in_use = crate::bundle::apply(&engine, args.bundle.as_ref())?;
    let platform = PlatformVerifier::new(&args.trust);
    let opts = ProbeOptions {
        port: args.port,
        timeout: Duration::from_secs_f64(args.timeout),
        connect,
    };

    let bar = if std::io::stderr().is_terminal() && !args.json {
        let b = indicatif::ProgressBar::new(hosts.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b.enable_steady_tick(Duration::from_millis(120));
        Some(b)
    } else {
        None
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<ProbeResult>>> = Mutex::new(vec![None; hosts.len()]);
    std::thread::scope(|s| {
        for _ in 0..CONCURRENCY.min(hosts.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((host, port)) = targets.get(i) else {
                    break;
                };
                let opts = ProbeOptions {
                    port: *port,
                    ..opts.clone()
                };
                let r = qorgan::probe(&engine, &platform, host, &opts);
                if let Some(b) = &bar {
                    b.inc(1);
                    b.set_message(format!("{host}: {}", r.verdict.as_str()));
                }
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
            });
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let results: Vec<ProbeResult> = results
        .into_inner()
        .map_err(|_| InputError(msg!("cli-error-internal", error = "a probe thread failed")))?
        .into_iter()
        .flatten()
        .collect();

    if args.json {
        // The codes stay English; the error's message is said in the run's language (the
        // engine's probe messages are English, with the OS's error text).
        let mut results = results.clone();
        if crate::i18n::lang() != qorgan::i18n::Lang::En {
            for r in &mut results {
                let host = r.host.clone();
                if let Some(e) = &mut r.error {
                    e.message = error_text(&host, e);
                }
            }
        }
        let mut doc = json!({ "results": results });
        if let Some(info) = &in_use {
            doc["bundle"] = json!(info);
        }
        crate::output::print_json(&doc)?;
    } else {
        let from_files: Vec<String> = args.trust.iter().map(|c| c.spki_hash().base64()).collect();
        print_table(&results, &from_files);
        if let Some(info) = &in_use {
            println!("{}", crate::bundle::in_use_line(info));
        }
    }
    let finding = results.iter().any(|r| {
        !matches!(r.verdict, CheckVerdict::Trusted | CheckVerdict::Unreachable)
            || r.findings.iter().any(|f| f.severity >= Severity::Warning)
    });
    let unreachable = results
        .iter()
        .any(|r| r.verdict == CheckVerdict::Unreachable);
    Ok(if finding {
        ExitCode::from(1)
    } else if unreachable {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn style(v: CheckVerdict) -> Style {
    match v {
        CheckVerdict::Trusted => AnsiColor::Green.on_default().bold(),
        CheckVerdict::Unreachable => Style::new().dimmed(),
        CheckVerdict::Untrusted | CheckVerdict::Invalid => AnsiColor::Yellow.on_default().bold(),
        _ => AnsiColor::Red.on_default().bold(),
    }
}

/// A host argument: a name, an IP address, or a URL (`https://host[:port]/path`), whose host
/// and port are taken. Anything else is an input error naming the argument.
fn target(arg: &str, default_port: u16) -> Result<(String, u16), InputError> {
    let bad = || InputError(msg!("cli-error-check-host", value = arg));
    let (rest, scheme_port) = match arg.split_once("://") {
        Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
            "https" => (rest, Some(443)),
            // A pasted http:// address names the site; the check is a TLS handshake, which that
            // site answers on 443 (port 80 would only say "not TLS" and hide an interception).
            "http" => (rest, Some(443)),
            _ => return Err(bad()),
        },
        None => (arg, None),
    };
    if scheme_port.is_none() {
        crate::inputs::check_host("HOST", arg).map_err(|_| bad())?;
        return Ok((arg.to_string(), default_port));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or_else(bad)?;
        (h, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(bad)?,
        // An explicit --port wins over the scheme's default.
        None if default_port != 443 => default_port,
        None => scheme_port.unwrap_or(443),
    };
    crate::inputs::check_host("HOST", host).map_err(|_| bad())?;
    Ok((host.to_string(), port))
}

/// The verdict column, in words of the run's language.
fn verdict_word(v: CheckVerdict) -> String {
    msg!("cli-check-verdict", verdict = v.as_str())
}

/// Why a host could not be checked, in the run's language (the engine's probe messages are
/// English), by the probe's error code.
fn error_text(host: &str, e: &qorgan::ProbeError) -> String {
    let code = serde_json::to_value(e.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let said = msg!("cli-probe-error", code = code, host = host);
    // The probe's own sentence carries what the code cannot (the alert's name, the OS error, a
    // handshake signature that does not verify: a forgery sign). It is English: in English runs
    // it replaces the generic sentence; other languages keep theirs (JSON has the message).
    if crate::i18n::lang() == qorgan::i18n::Lang::En && !e.message.is_empty() {
        e.message.clone()
    } else {
        said
    }
}

fn print_table(results: &[ProbeResult], from_files: &[String]) {
    let width = results
        .iter()
        .map(|r| r.host.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let words: Vec<String> = results.iter().map(|r| verdict_word(r.verdict)).collect();
    let vwidth = words
        .iter()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(7)
        .max(msg!("cli-check-col-verdict").chars().count());
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    println!(
        "{bold}{}  {}  {}{bold:#}",
        pad(&msg!("cli-check-col-host"), width),
        pad(&msg!("cli-check-col-verdict"), vwidth),
        msg!("cli-check-col-detail")
    );
    for (r, word) in results.iter().zip(&words) {
        let s = style(r.verdict);
        let detail = match (&r.error, r.verdict) {
            (Some(e), CheckVerdict::Unreachable) => error_text(&r.host, e),
            // The handshake failed after the chain was seen: the chain's verdict, and why.
            (Some(e), _) => match r.main_finding() {
                Some(f) => msg!(
                    "cli-check-then",
                    finding = &f.message,
                    error = error_text(&r.host, e)
                ),
                None => error_text(&r.host, e),
            },
            (None, CheckVerdict::Trusted) => format!(
                "{}{}",
                r.anchor
                    .as_ref()
                    .map(|a| a.name().to_string())
                    .unwrap_or_default(),
                r.tls
                    .as_ref()
                    .map(|t| format!(", {}", t.version))
                    .unwrap_or_default()
            ),
            (None, _) => r
                .main_finding()
                .map(|f| f.message.clone())
                .unwrap_or_default(),
        };
        println!(
            "{}  {s}{}{s:#}  {dim}{detail}{dim:#}",
            pad(&r.host, width),
            pad(word, vwidth)
        );
    }
    println!();
    let count = |v: CheckVerdict| results.iter().filter(|r| r.verdict == v).count();
    // The same plain-language model the phone screens show.
    let lang = crate::i18n::lang();
    let mut model = qorgan::checker_report_in(None, results, qorgan::DevicePlatform::Desktop, lang);
    // An anchor that came from a --trust file is not on the device: say so, rather than how to
    // remove it from the system store.
    let file_cas: Vec<String> = results
        .iter()
        .filter(|r| r.verdict == CheckVerdict::InterceptedLocal)
        .filter_map(|r| r.anchor.as_ref())
        .filter(|a| from_files.contains(&a.spki_sha256_b64))
        .flat_map(|a| [a.name().to_string(), a.subject.clone()])
        .collect();
    for a in &mut model.advice {
        if a.certificate_authority
            .as_ref()
            .is_some_and(|ca| file_cas.contains(ca))
        {
            a.action = qorgan::i18n::render(lang, "checker-removal-from-file", &[]);
        }
    }
    let headline_style = match model.status {
        qorgan::CheckStatus::Intercepted => AnsiColor::Red.on_default().bold(),
        qorgan::CheckStatus::Warning => AnsiColor::Yellow.on_default().bold(),
        qorgan::CheckStatus::Safe => AnsiColor::Green.on_default().bold(),
        qorgan::CheckStatus::Offline => Style::new().bold(),
    };
    println!("{headline_style}{}{headline_style:#}", model.headline);
    for a in model
        .advice
        .iter()
        .filter(|a| a.severity >= Severity::Warning)
    {
        println!();
        println!("{bold}{}{bold:#}", a.title);
        println!("  {}", a.explanation);
        println!("  {}", a.action);
    }
    println!();
    println!(
        "{dim}{}{dim:#}",
        msg!(
            "cli-check-counts",
            trusted = count(CheckVerdict::Trusted),
            known = count(CheckVerdict::InterceptedKnown),
            local = count(CheckVerdict::InterceptedLocal),
            untrusted = count(CheckVerdict::Untrusted),
            invalid = count(CheckVerdict::Invalid),
            unreachable = count(CheckVerdict::Unreachable)
        )
    );
}

/// `s` padded with spaces to `width` characters (not bytes: Cyrillic is two bytes a letter).
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_url_is_its_host_and_the_https_port() {
        for (arg, want) in [
            ("https://bank.kz/login", ("bank.kz", 443)),
            ("http://bank.kz/login", ("bank.kz", 443)),
            ("http://bank.kz:8443/", ("bank.kz", 8443)),
            ("bank.kz", ("bank.kz", 443)),
        ] {
            let (h, p) = super::target(arg, 443).unwrap();
            assert_eq!((h.as_str(), p), want, "{arg}");
        }
        assert_eq!(
            super::target("http://bank.kz", 8443).unwrap().1,
            8443,
            "--port wins"
        );
    }
}
