#![no_main]
//! Fuzz target `parse_der`: see `harness::parse_der` in rust-core/engine/tests/fuzz/harness.rs.

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::parse_der(data));
