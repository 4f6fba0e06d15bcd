//! Engine handles for the Android trust manager's native fast path ([`crate::jni`]).
//!
//! The JNI entry point receives a number, not an object: [`Qorgan::native_handle`] registers
//! the engine under a fresh number, and the check looks it up here. The registry holds weak
//! references, so a handle never keeps an engine alive: once the app closes it, the handle
//! answers [`NO_ENGINE`] and the trust manager falls back to the UniFFI path, which reports the
//! closed engine as an error (and an enforcing trust manager fails closed). Handles are never
//! reused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};

use once_cell::sync::Lazy;

use crate::api::Qorgan;

/// The chain is clean: `trusted`, nothing to report. The only answer that lets the caller skip
/// the full verdict.
pub(crate) const CLEAN: i32 = 1;
/// Something to say (or to refuse): ask for the full verdict.
pub(crate) const NOT_CLEAN: i32 = 0;
/// No engine with this handle (closed, or never registered).
pub(crate) const NO_ENGINE: i32 = -1;
/// The arguments are not a chain of byte arrays and an optional UTF-8 host name within limits.
pub(crate) const BAD_ARGUMENTS: i32 = -2;
/// The engine refused the input (for example, a certificate that is not DER).
pub(crate) const ENGINE_ERROR: i32 = -3;
/// The check panicked; the panic was caught at the JNI boundary.
pub(crate) const PANIC: i32 = -4;
// -5 (NOT_INSTALLED) meant "no engine has handed out a handle yet" while the check was a
// function pointer installed at run time; the entry point now calls `check_validated`
// directly, so that answer is gone (a handle nobody registered is NO_ENGINE).

static ENGINES: Lazy<RwLock<HashMap<u64, Weak<Qorgan>>>> = Lazy::new(Default::default);
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

/// Registers `engine` and returns its new handle.
pub(crate) fn register(engine: &Arc<Qorgan>) -> u64 {
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

/// The check behind `QorganNative.checkValidated`: [`qorgan::Engine::validated_clean`] as a
/// code.
pub(crate) fn check_validated(handle: u64, chain: &[&[u8]], host: Option<&str>) -> i32 {
    let Some(q) = engine(handle) else {
        return NO_ENGINE;
    };
    match q.engine().validated_clean(chain, host) {
        Ok(true) => CLEAN,
        Ok(false) => NOT_CLEAN,
        Err(_) => ENGINE_ERROR,
    }
}
