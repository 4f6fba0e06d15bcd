//! The help text and clap's own usage errors, in the run's language.
//!
//! Every about text, argument help, heading and exit-status table comes from the CLI catalogs
//! (`cli-help-*` in `i18n/*.ftl`), English included: the three languages say the same things,
//! and a test checks that no command or argument is left without its message (a new one would
//! otherwise show its English doc comment to a Kazakh reader). The doc comments on the derive in
//! `main.rs` stay, for readers of the code and as clap's fallback.
//!
//! Clap's errors (an unknown option, a bad value, a missing argument) are said again from the
//! catalogs; the argument is named as the person typed it.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::Command;

use crate::i18n::try_render;

/// `cmd` with every text of its help in the run's language.
pub fn localize(mut cmd: Command) -> Command {
    // The help and version flags and the `help` subcommand exist only once the command is
    // built: build first, then say them too.
    cmd.build();
    localize_tree(cmd, "root", "root")
}

/// The keys of a subcommand's messages: its name under the program (`audit`), its parent's and
/// its own under another command (`bundle-sign`); every `help` is `help`, and the commands
/// under a `help` (`qorgan bundle help sign`) keep the keys of the commands they name. Returns
/// the child's key and the key of the command whose commands a `help` child lists.
fn child_keys(key: &str, owner: &str, name: &str) -> (String, String) {
    let under = |parent: &str| {
        if parent == "root" {
            name.to_string()
        } else {
            format!("{parent}-{name}")
        }
    };
    if name == "help" {
        ("help".to_string(), key.to_string())
    } else {
        let k = under(if key == "help" { owner } else { key });
        (k.clone(), k)
    }
}

fn localize_tree(cmd: Command, key: &str, owner: &str) -> Command {
    let cmd = localize_one(cmd, key);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        let (k, o) = child_keys(key, owner, &name);
        cmd.mut_subcommand(&name, |c| localize_tree(c, &k, &o))
    })
}

/// The message of an argument: its command's own, else the one shared by every command.
fn arg_message(command: &str, arg: &str) -> Option<String> {
    let arg = arg.replace('_', "-");
    try_render(&format!("cli-help-{command}-{arg}"))
        .or_else(|| try_render(&format!("cli-help-arg-{arg}")))
}

fn localize_one(mut cmd: Command, key: &str) -> Command {
    if let Some(about) = try_render(&format!("cli-help-{key}")) {
        cmd = cmd.about(about);
    }
    // `--help` shows the long text when there is one, `-h` the short.
    if let Some(long) = try_render(&format!("cli-help-{key}-long")) {
        cmd = cmd.long_about(long);
    }
    // The exit table of the command, else of its parent (`bundle-sign` → `bundle`), else the
    // common one.
    let exit = try_render(&format!("cli-help-{key}-exit"))
        .or_else(|| {
            key.split_once('-')
                .and_then(|(parent, _)| try_render(&format!("cli-help-{parent}-exit")))
        })
        .or_else(|| try_render("cli-help-exit"));
    if let Some(exit) = exit {
        cmd = cmd.after_help(exit);
    }
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    let options = msg!("cli-help-heading-options");
    let arguments = msg!("cli-help-heading-arguments");
    for (id, positional) in ids {
        let help = arg_message(key, &id);
        // What `--help` shows, when it says more than `-h` (clap's own help flag does).
        let long = arg_message(key, &format!("{id}-long"));
        let heading = if positional { &arguments } else { &options };
        cmd = cmd.mut_arg(&id, |a| {
            // clap's "[possible values: ...]" and "[default: ...]" are English: the texts
            // say them instead.
            let a = a
                .help_heading(heading.clone())
                .hide_possible_values(true)
                .hide_default_value(true);
            let a = match help {
                Some(h) => a.help(h),
                None => a,
            };
            match long {
                Some(l) => a.long_help(l),
                None => a,
            }
        });
    }
    cmd.subcommand_help_heading(msg!("cli-help-heading-commands"))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            msg!("cli-help-usage")
        ))
}

/// Every command and argument without its `cli-help-*` message (empty when all have one).
#[cfg(test)]
pub fn missing_messages(cmd: &Command) -> Vec<String> {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut missing = Vec::new();
    missing_in(&cmd, "root", "root", &mut missing);
    missing
}

#[cfg(test)]
fn missing_in(c: &Command, key: &str, owner: &str, missing: &mut Vec<String>) {
    if try_render(&format!("cli-help-{key}")).is_none() {
        missing.push(format!("cli-help-{key}"));
    }
    for a in c.get_arguments() {
        if arg_message(key, a.get_id().as_str()).is_none() {
            missing.push(format!("cli-help-{key}-{}", a.get_id()));
        }
    }
    for sub in c.get_subcommands() {
        let (k, o) = child_keys(key, owner, sub.get_name());
        missing_in(sub, &k, &o, missing);
    }
}

/// A clap error, said in the run's language: the message, then the usage line and where to find
/// more. Help and version requests are not errors and print as clap renders them (already
/// localized by [`localize`]).
pub fn say_error(e: &clap::Error, cmd: &Command, args: &[String]) -> String {
    let text = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::UnknownArgument => {
            msg!(
                "cli-usage-unknown-argument",
                arg = text(ContextKind::InvalidArg)
            )
        }
        ErrorKind::InvalidSubcommand => msg!(
            "cli-usage-unknown-command",
            command = text(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => msg!(
            "cli-usage-invalid-value",
            arg = text(ContextKind::InvalidArg),
            value = text(ContextKind::InvalidValue),
            valid = Some(text(ContextKind::ValidValue))
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "none".to_string())
        ),
        ErrorKind::MissingRequiredArgument => {
            msg!(
                "cli-usage-missing-argument",
                arg = text(ContextKind::InvalidArg)
            )
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            msg!("cli-usage-missing-command")
        }
        ErrorKind::ArgumentConflict => msg!(
            "cli-usage-conflict",
            arg = text(ContextKind::InvalidArg),
            other = text(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            msg!("cli-usage-value-count", arg = text(ContextKind::InvalidArg))
        }
        // Rare kinds: clap's own sentence, in English, after ours.
        _ => msg!(
            "cli-usage-other",
            detail = e
                .render()
                .to_string()
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string()
        ),
    };
    // The usage of the command typed (its first argument that names one), else the program's.
    let mut usage = cmd.clone();
    let sub = args
        .iter()
        .skip(1)
        .find_map(|a| cmd.find_subcommand(a).map(|s| s.get_name().to_string()));
    let usage = match sub.and_then(|s| usage.find_subcommand_mut(&s).map(|c| c.render_usage())) {
        Some(u) => u.to_string(),
        None => usage.render_usage().to_string(),
    };
    // clap's usage line starts with its English heading: ours instead.
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    format!(
        "qorgan: {message}\n\n{} {usage}\n\n{}",
        msg!("cli-help-usage"),
        msg!("cli-usage-more")
    )
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn every_command_and_argument_has_its_help_message() {
        let missing = super::missing_messages(&crate::Cli::command());
        assert!(missing.is_empty(), "add to i18n/*.ftl: {missing:?}");
    }
}
