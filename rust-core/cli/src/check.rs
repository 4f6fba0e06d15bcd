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
    CallerAnchor, Certificate, CheckVerdict, Engine, EngineConfig, PlatformVerifier, ProbeOptions,
    ProbeResult, Severity,
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
    pub hosts: Vec<String>,
}

pub fn run(args: CheckArgs) -> Result<ExitCode, InputError> {
    if !(args.timeout > 0.0 && args.timeout <= 300.0) {
        return Err(InputError(format!(
            "--timeout {}: give a number of seconds between 0 and 300",
            args.timeout
        )));
    }
    let connect: Option<SocketAddr> = match &args.connect {
        Some(a) => Some(a.parse().map_err(|_| {
            InputError(format!("--connect {a:?}: expected IP:PORT, for example 203.0.113.7:443 or [2001:db8::1]:443"))
        })?),
        None => None,
    };
    let hosts: Vec<String> = if args.hosts.is_empty() {
        qorgan::default_targets()
            .into_iter()
            .map(|t| t.host)
            .collect()
    } else {
        args.hosts.clone()
    };
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
    let engine = Engine::new(EngineConfig {
        anchors,
        ..EngineConfig::default()
    })
    .map_err(|e| InputError(e.to_string()))?;
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
                let Some(host) = hosts.get(i) else { break };
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
        .map_err(|_| InputError("internal error: a probe thread failed".into()))?
        .into_iter()
        .flatten()
        .collect();

    if args.json {
        let doc = json!({ "results": results });
        crate::output::print_json(&doc)?;
    } else {
        print_table(&results);
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

fn print_table(results: &[ProbeResult]) {
    let width = results
        .iter()
        .map(|r| r.host.len())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    println!("{bold}{:width$}  {:17}  detail{bold:#}", "host", "verdict");
    for r in results {
        let s = style(r.verdict);
        let detail = match (&r.error, r.verdict) {
            (Some(e), CheckVerdict::Unreachable) => e.message.clone(),
            // The handshake failed after the chain was seen: the chain's verdict, and why.
            (Some(e), _) => match r.main_finding() {
                Some(f) => format!("{} (then: {})", f.message, e.message),
                None => e.message.clone(),
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
            "{:width$}  {s}{:17}{s:#}  {dim}{detail}{dim:#}",
            r.host,
            r.verdict.as_str()
        );
    }
    println!();
    let count = |v: CheckVerdict| results.iter().filter(|r| r.verdict == v).count();
    // The same plain-language model the phone screens show.
    let model = qorgan::checker_report(None, results, qorgan::DevicePlatform::Desktop);
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
        "{dim}{} trusted, {} intercepted (known CA), {} intercepted (local CA), {} untrusted, {} invalid, {} unreachable{dim:#}",
        count(CheckVerdict::Trusted),
        count(CheckVerdict::InterceptedKnown),
        count(CheckVerdict::InterceptedLocal),
        count(CheckVerdict::Untrusted),
        count(CheckVerdict::Invalid),
        count(CheckVerdict::Unreachable)
    );
}
