#![no_main]
//! Fuzz target `bundle`: see `harness::bundle` in rust-core/engine/tests/fuzz/harness.rs.

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::bundle(data));
