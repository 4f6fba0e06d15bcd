//! What the CLI's tests share: the test CAs, and the `qorgan` binary run as a user would run
//! it, with no locale from the test's environment (English unless a test sets one) and no
//! colours.
#![allow(dead_code)] // each test crate uses some of these

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file of the engine's test CAs (rust-core/engine/tests/test-ca).
pub fn test_ca(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/test-ca")
        .join(rel)
}

/// `qorgan` without LC_ALL, LC_MESSAGES and LANG, with NO_COLOR: add the arguments (and any
/// environment the test needs).
pub fn qorgan_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qorgan"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1");
    c
}

/// `qorgan args...`, run to the end.
pub fn qorgan(args: &[&str]) -> Output {
    qorgan_command().args(args).output().expect("run qorgan")
}
