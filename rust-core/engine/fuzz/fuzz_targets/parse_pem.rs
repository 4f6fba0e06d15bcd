#![no_main]
//! Fuzz target `parse_pem`: see `harness::parse_pem` in rust-core/engine/tests/fuzz/harness.rs.

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::parse_pem(data));
