//! Engine handles for the Android trust manager's native fast path (crate `qorgan-jni`).
//!
//! The JNI entry point receives a number, not an object: [`Qorgan::native_handle`] registers
//! the engine under a fresh number, and the check looks it up here. The registry holds weak
//! references, so a handle never keeps an engine alive: once the app closes it, the handle
//! answers [`qorgan_jni::NO_ENGINE`] and the trust manager falls back to the UniFFI path, which
//! reports the closed engine as an error (and an enforcing trust manager fails closed).
//! Handles are never reused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};

use once_cell::sync::Lazy;

use crate::ffi::Qorgan;

static ENGINES: Lazy<RwLock<HashMap<u64, Weak<Qorgan>>>> = Lazy::new(Default::default);
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

/// Registers `engine` and returns its new handle; installs the check for the JNI entry point.
pub(crate) fn register(engine: &Arc<Qorgan>) -> u64 {
    qorgan_jni::install(check_validated);
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    ENGINES
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(handle, Arc::downgrade(engine));
    handle
}

/// Forgets a handle (the engine is being dropped).
pub(crate) fn unregister(handle: u64) {
    ENGINES
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&handle);
}

/// The engine behind a handle, while it lives.
fn engine(handle: u64) -> Option<Arc<Qorgan>> {
    ENGINES
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&handle)
        .and_then(Weak::upgrade)
}

/// The check behind `QorganNative.checkValidated`: [`crate::Engine::validated_clean`] as a code.
pub(crate) fn check_validated(handle: u64, chain: &[&[u8]], host: Option<&str>) -> i32 {
    let Some(q) = engine(handle) else {
        return qorgan_jni::NO_ENGINE;
    };
    match q.engine().validated_clean(chain, host) {
        Ok(true) => qorgan_jni::CLEAN,
        Ok(false) => qorgan_jni::NOT_CLEAN,
        Err(_) => qorgan_jni::ENGINE_ERROR,
    }
}
