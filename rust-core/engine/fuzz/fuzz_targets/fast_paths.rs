#![no_main]
//! Fuzz target `fast_paths`: see `harness::fast_paths` in rust-core/engine/tests/fuzz/harness.rs.

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::fast_paths(data));
