//! Qorgan's library for Kotlin and Swift: the UniFFI surface over the engine (crate `qorgan`,
//! rust-core/engine) and the Android trust manager's JNI fast path. Built as
//! `libqorgan_ffi.so` (Android, the JVM tests) and `libqorgan_ffi.a` (iOS).
//!
//! - [`types`]: the engine's records and enums, declared to UniFFI as remote types.
//! - [`api`]: the `Qorgan` object, its configuration, `QorganError`, the report sink and
//!   the free functions.
//! - [`bundle`]: `Qorgan.apply_bundle` / `bundle_info` and `QorganBundleError`.
//! - [`evaluation`]: `Qorgan.evaluate_validated` / `evaluate_rejected`, one crossing per
//!   handshake.
//! - [`pins`]: the pin-policy builder.
//! - [`native`] and `jni`: engine handles and the JNI entry point of the fast path.
//!
//! The UniFFI namespace stays `qorgan`, so the generated files are `qorgan.kt` and
//! `qorgan.swift` and the shells' imports did not change when the FFI left the engine crate.

// Unsafe code is denied everywhere but in `jni`, which the JVM calls with raw pointers (an
// `extern "system"` function per entry point): there is no safe way to write one. The engine
// itself forbids unsafe code outright.
#![deny(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod bundle;
mod evaluation;
#[allow(unsafe_code)]
mod jni;
mod native;
mod pins;
mod types;

pub use api::{
    certificate_facts, default_probe_targets, default_probe_timeout_ms, finding_code_name,
    simulate_internal_failure, spki_pin, summarize_check, verdict_is_acceptable, verdict_kind_name,
    verdict_needs_report, Qorgan, QorganConfig, QorganError, ReportSink, TrustedCertificate,
};
pub use bundle::QorganBundleError;
pub use evaluation::Evaluation;
pub use pins::{BuiltPinPolicy, PinPolicyBuilder};

uniffi::setup_scaffolding!("qorgan");
