//! `qorgan`: is this device's HTTPS being intercepted?
//!
//! A thin binary over the `qorgan` crate: parse arguments, read files, print. `main` only maps
//! results to the documented exit status:
//! 0 nothing at warning or above; 1 something is (interception, untrusted, invalid, a pin
//! violation); 2 a usage or input error; 3 incomplete and nothing found: `check` could not
//! reach some hosts, `audit` could not read some files that may hold certificates.

#![forbid(unsafe_code)]

#[macro_use]
mod i18n;
mod bundle;
mod check;
mod help;
mod inputs;
mod output;
mod stores;

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use qorgan::{CallerAnchor, Engine, EngineConfig, FindingCode, PinPolicy, Severity};

#[derive(Parser, Debug)]
#[command(
    name = "qorgan",
    version,
    about = "Detects HTTPS interception: government and user-installed root CAs, forged chains."
)]
struct Cli {
    /// The language of the text: kk (Kazakh), ru (Russian) or en (English). Default: the
    /// locale (LC_ALL, LC_MESSAGES, LANG), else English. JSON codes and keys stay English.
    #[arg(long, global = true, value_name = "LANG", value_parser = ["kk", "ru", "en"])]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Audit a trust store: every root, and whether any lets someone intercept HTTPS.
    ///
    /// With no PATH, audits this machine's trust store (offline).
    ///
    /// Reads PEM (labels CERTIFICATE, TRUSTED CERTIFICATE, X509 CERTIFICATE, PKCS7), PKCS#7
    /// bundles (.p7b, .p7c; DER or PEM), DER (one certificate or several concatenated) and
    /// Android's cacerts files (PEM with a text dump). Exit status 3: a file that may hold
    /// certificates could not be read, and nothing else is at warning or above.
    Audit {
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        bundle: bundle::BundleOpts,
        /// Certificate files (PEM, DER or PKCS#7; bundles allowed) or directories of them.
        paths: Vec<PathBuf>,
    },
    /// Analyze a certificate chain as a server presented it (leaf first).
    Inspect {
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
        /// The host name the chain should be valid for.
        #[arg(long, value_name = "NAME")]
        host: Option<String>,
        /// Validation time, RFC 3339 (for example 2019-07-20T00:00:00Z). Default: now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// A file of anchors to trust as if installed on the device (repeatable): PEM, DER or
        /// PKCS#7, as `audit` reads them.
        #[arg(long, value_name = "FILE")]
        trust: Vec<PathBuf>,
        /// The app's pin policy: a Network Security Config file
        /// (res/xml/network_security_config.xml) or Qorgan's JSON format, told apart by
        /// content. Needs --host. With --json, a failed pin check adds a `report` object (the
        /// RFC 7469 / TrustKit report).
        #[arg(long, value_name = "POLICY")]
        pins: Option<PathBuf>,
        /// The port, for the report.
        #[arg(long, default_value_t = 443)]
        port: u16,
        /// Judge the chain as a platform validated it: leaf first, its last certificate the
        /// trust anchor the platform used (or a certificate that anchor signed). Anchors given
        /// with --trust count as installed on the device by the user. This is the code the
        /// Android trust manager and the iOS evaluator run on every handshake
        /// (analyze_validated, after the validated_clean fast path); signatures, dates and the
        /// host name are the platform's business and are not checked again. Not with --at.
        #[arg(long)]
        validated: bool,
        #[command(flatten)]
        bundle: bundle::BundleOpts,
        /// The chain: a PEM, DER or PKCS#7 file, or - for standard input (the default).
        chain: Option<PathBuf>,
    },
    /// Probe hosts live: a real TLS handshake, judged by the OS and by Qorgan.
    ///
    /// With no HOST, probes the domains Kazakhstan intercepted (2019, 2021-2024) and a few
    /// controls. Exit status 3: some hosts could not be checked and none showed a finding.
    Check {
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
        /// Seconds each host may take, DNS to handshake (default: the engine's, as on the
        /// phones).
        #[arg(long, value_name = "SECS", default_value_t = f64::from(qorgan::DEFAULT_PROBE_TIMEOUT_MS) / 1000.0)]
        timeout: f64,
        /// TCP port.
        #[arg(long, value_name = "N", default_value_t = 443)]
        port: u16,
        /// Connect to this address instead of resolving the name (tests a name against an IP).
        #[arg(long, value_name = "ADDR:PORT")]
        connect: Option<String>,
        /// A file of anchors to trust as if installed on the device (repeatable): PEM, DER or
        /// PKCS#7, as `audit` reads them.
        #[arg(long, value_name = "FILE")]
        trust: Vec<PathBuf>,
        #[command(flatten)]
        bundle: bundle::BundleOpts,
        /// Hosts to probe (default: the built-in list).
        hosts: Vec<String>,
    },
    /// Print each certificate's SPKI pin (OkHttp `sha256/...` and bare base64).
    ///
    /// For a chain (leaf first), also prints a ready-to-paste Network Security Config
    /// <pin-set> and the same pins in Qorgan's JSON format, labelling the leaf's, the
    /// intermediate's and the root's pins (the root is found when the server did not send it),
    /// with advice on which to choose.
    Pin {
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
        /// The domain the pins are for (default: the leaf's common name, or its first DNS
        /// name when the common name is not one).
        #[arg(long, alias = "host", value_name = "NAME")]
        domain: Option<String>,
        /// Certificate files (PEM or DER, bundles allowed).
        #[arg(required = true)]
        certs: Vec<PathBuf>,
    },
    /// Signed knowledge bundles: interception CAs, distrusted keys and pins published after
    /// this build (keygen, sign, verify).
    #[command(subcommand)]
    Bundle(bundle::BundleCommand),
}

/// A failure that ends the run with status 2.
#[derive(Debug)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().collect();
    let lang = i18n::lang_arg(&raw)
        .and_then(|t| qorgan::i18n::Lang::from_tag(&t))
        .unwrap_or_else(|| i18n::locale_lang(|k| std::env::var(k).ok()));
    i18n::set_lang(lang);
    let cmd = help::localize(Cli::command());
    let cli = match cmd
        .clone()
        .try_get_matches_from(&raw)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e, &cmd, &raw),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "qorgan: {e}");
            ExitCode::from(2)
        }
    }
}

/// What clap stopped on: help and version on standard output (status 0); the help when no
/// command was given, and usage errors in the run's language, on standard error (status 2).
fn clap_exit(e: &clap::Error, cmd: &clap::Command, args: &[String]) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write!(std::io::stdout(), "{}", e.render());
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(std::io::stderr(), "{}", e.render());
            ExitCode::from(2)
        }
        _ => {
            let _ = writeln!(std::io::stderr(), "{}", help::say_error(e, cmd, args));
            ExitCode::from(2)
        }
    }
}

/// Usage help on standard error, and status 2 (`inspect` with no file on a terminal).
fn usage(sub: &str) -> ExitCode {
    let mut cmd = help::localize(Cli::command());
    let _ = writeln!(
        std::io::stderr(),
        "qorgan: {}",
        msg!("cli-error-inspect-no-input")
    );
    if let Some(c) = cmd.find_subcommand_mut(sub) {
        let _ = writeln!(std::io::stderr(), "{}", c.render_usage());
    }
    ExitCode::from(2)
}

fn status(max: Option<Severity>) -> ExitCode {
    if max >= Some(Severity::Warning) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(cli: Cli) -> Result<ExitCode, InputError> {
    match cli.command {
        Command::Audit {
            json,
            bundle,
            paths,
        } => {
            let loaded = bundle.load()?;
            let engine = engine_with_policy(Vec::new(), None, loaded.as_ref())?;
            let in_use = bundle::apply(&engine, loaded.as_ref())?;
            let store = if paths.is_empty() {
                inputs::system_store()?
            } else {
                inputs::read_store_paths(&paths)?
            };
            let report = engine.audit(&store.certs);
            if json {
                let mut v = output::audit_json(&report, &store);
                if let Some(info) = &in_use {
                    v["bundle"] = serde_json::json!(info);
                }
                output::print_json(&v)?;
            } else {
                output::print_audit(&report, &store);
                if let Some(info) = &in_use {
                    println!("{}", bundle::in_use_line(info));
                }
            }
            Ok(match output::AuditOutcome::of(&report, &store) {
                output::AuditOutcome::Clean => ExitCode::SUCCESS,
                output::AuditOutcome::Warning | output::AuditOutcome::Danger => ExitCode::from(1),
                output::AuditOutcome::Incomplete => ExitCode::from(3),
            })
        }
        Command::Inspect {
            json,
            host,
            at,
            trust,
            pins,
            port,
            validated,
            bundle,
            chain,
        } => {
            if validated && at.is_some() {
                return Err(InputError(msg!("cli-error-at-validated")));
            }
            if let Some(h) = &host {
                inputs::check_host("--host", h)?;
            }
            if chain.is_none() && std::io::stdin().is_terminal() {
                return Ok(usage("inspect"));
            }
            let time = at.as_deref().map(inputs::parse_time).transpose()?;
            let mut anchors = Vec::new();
            for path in &trust {
                anchors.extend(inputs::read_certs(path)?.into_iter().map(|certificate| {
                    CallerAnchor {
                        certificate,
                        // As the Android trust manager says of a store's user: certificates.
                        user_added: validated,
                    }
                }));
            }
            let policy = match &pins {
                Some(path) => {
                    if host.is_none() {
                        return Err(InputError(msg!("cli-error-pins-needs-host")));
                    }
                    Some(inputs::read_policy(path)?)
                }
                None => None,
            };
            let loaded = bundle.load()?;
            let engine = engine_with_policy(anchors, policy.clone(), loaded.as_ref())?;
            let in_use = bundle::apply(&engine, loaded.as_ref())?;
            let policy = engine.pin_policy();
            let (chain_certs, label) = inputs::read_chain(chain.as_deref())?;
            let verdict = if validated {
                let ders: Vec<&[u8]> = chain_certs.iter().map(|c| c.der().as_ref()).collect();
                // The trust managers' order: the one-bit fast path, then the verdict. They must
                // agree (tests/fast_path.rs); a disagreement here is a bug worth a loud error.
                let clean = engine
                    .validated_clean(&ders, host.as_deref())
                    .map_err(|e| InputError(format!("{label}: {e}")))?;
                let v = engine
                    .analyze_validated(&ders, host.as_deref())
                    .map_err(|e| InputError(format!("{label}: {e}")))?;
                if clean && (v.verdict != qorgan::VerdictKind::Trusted || v.needs_report()) {
                    return Err(internal(msg!(
                        "cli-error-fast-path",
                        verdict = v.verdict.as_str()
                    )));
                }
                v
            } else {
                engine
                    .analyze_with_facts(&chain_certs, host.as_deref(), time)
                    .map_err(|e| InputError(format!("{label}: {e}")))?
            };
            if json {
                let mut v = serde_json::to_value(&verdict).map_err(internal)?;
                if let (Some(p), Some(h)) = (&policy, &host) {
                    if verdict.has(FindingCode::PinMismatch) {
                        let report = output::report_json(
                            &chain_certs,
                            &verdict,
                            h,
                            port,
                            p,
                            in_use.as_ref(),
                        );
                        v["report"] = report;
                    }
                    v["policy_warnings"] = serde_json::json!(p
                        .warnings()
                        .iter()
                        .map(|w| w.to_string())
                        .collect::<Vec<_>>());
                }
                if let Some(info) = &in_use {
                    v["bundle"] = serde_json::json!(info);
                }
                output::print_json(&v)?;
            } else {
                output::print_verdict(&verdict);
                if let Some(info) = &in_use {
                    println!("{}", bundle::in_use_line(info));
                }
            }
            Ok(status(verdict.max_severity()))
        }
        Command::Check {
            json,
            timeout,
            port,
            connect,
            trust,
            bundle,
            hosts,
        } => {
            let mut trusted = Vec::new();
            for path in &trust {
                trusted.extend(inputs::read_certs(path)?);
            }
            check::run(check::CheckArgs {
                json,
                timeout,
                port,
                connect,
                trust: trusted,
                bundle: bundle.load()?,
                hosts,
            })
        }
        Command::Pin {
            json,
            domain,
            certs,
        } => {
            if let Some(d) = &domain {
                inputs::check_host("--domain", d.strip_prefix("*.").unwrap_or(d))?;
            }
            let mut all = Vec::new();
            for path in &certs {
                for (i, c) in inputs::read_certs(path)?.into_iter().enumerate() {
                    all.push((path.display().to_string(), i + 1, c));
                }
            }
            let plan = output::pin_plan(&engine(Vec::new())?, &all, domain.as_deref());
            if json {
                output::print_json(&output::pins_json(&all, &plan))?;
            } else {
                output::print_pins(&all);
                output::print_pin_plan(&plan);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bundle(cmd) => bundle::run(cmd),
    }
}

fn engine(anchors: Vec<CallerAnchor>) -> Result<Engine, InputError> {
    engine_with_policy(anchors, None, None)
}

fn engine_with_policy(
    anchors: Vec<CallerAnchor>,
    pin_policy: Option<PinPolicy>,
    bundle: Option<&bundle::Loaded>,
) -> Result<Engine, InputError> {
    let engine = Engine::new(EngineConfig {
        anchors,
        pin_policy,
        bundle_keys: bundle.map(|b| b.keys.clone()).unwrap_or_default(),
        bundle_pins: bundle.is_some_and(|b| b.pins),
        lang: i18n::lang(),
        ..EngineConfig::default()
    })
    .map_err(|e| InputError(e.to_string()))?;
    for a in engine.skipped_anchors() {
        eprintln!(
            "{}",
            msg!(
                "cli-note-skipped-anchor",
                index = a.index,
                subject = &a.subject,
                reason = &a.reason
            )
        );
    }
    Ok(engine)
}

fn internal(e: impl std::fmt::Display) -> InputError {
    InputError(msg!("cli-error-internal", error = e.to_string()))
}
