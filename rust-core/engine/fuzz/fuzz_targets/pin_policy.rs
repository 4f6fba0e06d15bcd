#![no_main]
//! Fuzz target `pin_policy`: see `harness::pin_policy` in rust-core/engine/tests/fuzz/harness.rs.

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::pin_policy(data));
