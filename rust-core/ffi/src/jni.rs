//! The JNI entry points of Qorgan's Android library, and the only unsafe code in Qorgan.
//!
//! - `kz.qorgan.QorganNative.checkValidated`: the trust manager's per-handshake check of a chain
//!   the platform validated. Through UniFFI and JNA that check costs tens of microseconds on a
//!   JVM (the arguments and the whole verdict are serialized, and JNA's calls are slow), about
//!   70 times what OkHttp's pin check costs; a direct JNI call with the DER bytes and a number
//!   back costs about what the hashing costs. The check itself is safe code
//!   ([`crate::native::check_validated`]: the handle registry, then
//!   [`qorgan::Engine::validated_clean`]); this module only moves bytes across the boundary.
//!
//! The exported symbols are unmangled `extern "system"` functions taking the JVM's raw
//! pointers, which cannot be written without `unsafe`: this module is the one place the crate
//! allows it (`#![deny(unsafe_code)]` everywhere else; the engine forbids it). The cdylib
//! exports them on every platform; a plain JVM loads the same library for the tests.
//!
//! No panic unwinds into the JVM: each entry point catches it and answers an error code.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

use jni_sys::{jbyte, jbyteArray, jclass, jint, jlong, jobjectArray, jsize, JNIEnv};

use crate::native::{check_validated as check, BAD_ARGUMENTS, PANIC};

/// Chains longer than this are not copied (the engine's own limit is lower).
const MAX_CERTIFICATES: usize = 64;
/// A certificate larger than this is not copied (the engine's own limit is lower).
const MAX_CERTIFICATE_BYTES: usize = 1 << 20;
/// Longer host names are not copied (DNS names have at most 253 characters).
const MAX_HOST_BYTES: usize = 1024;

/// `@JvmStatic external fun checkValidated(handle: Long, chain: Array<ByteArray>, host: ByteArray?): Int`
/// on `kz.qorgan.QorganNative`: `CLEAN`, `NOT_CLEAN` or a negative error code (see
/// [`crate::native`]).
///
/// # Safety
/// Called by the JVM only, with the JNIEnv of the calling thread and with local references (or
/// null) of the types QorganNative declares: an Object[] whose elements are byte[] (or null),
/// and a byte[] (or null).
#[unsafe(no_mangle)]
pub unsafe extern "system" fn Java_kz_qorgan_QorganNative_checkValidated(
    env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
    chain: jobjectArray,
    host: jbyteArray,
) -> jint {
    std::panic::catch_unwind(|| {
        // SAFETY: this function's own contract (the JVM's call) is what check_validated needs.
        unsafe { check_validated(env, handle, chain, host) }
    })
    .unwrap_or(PANIC)
}

/// Copies the arguments out of the JVM and runs the check.
///
/// # Safety
/// `env` is the current thread's JNIEnv; `chain` is null or a local reference to an array whose
/// elements are null or `byte[]`; `host` is null or a local reference to a `byte[]`.
unsafe fn check_validated(
    env: *mut JNIEnv,
    handle: jlong,
    chain: jobjectArray,
    host: jbyteArray,
) -> jint {
    if env.is_null() || chain.is_null() {
        return BAD_ARGUMENTS;
    }
    // SAFETY: env is the JVM's valid JNIEnv (caller's contract); every JNI 1.1 function exists.
    let jni = unsafe { &(**env).v1_1 };
    // SAFETY: chain is a valid local reference to an array (caller's contract).
    let count = unsafe { (jni.GetArrayLength)(env, chain) };
    let Ok(count) = usize::try_from(count) else {
        return BAD_ARGUMENTS;
    };
    if count == 0 || count > MAX_CERTIFICATES {
        return BAD_ARGUMENTS;
    }
    let mut bytes: Vec<u8> = Vec::with_capacity(count * 1536);
    let mut ends = [0usize; MAX_CERTIFICATES];
    for (i, end) in ends.iter_mut().enumerate().take(count) {
        // In range: 0 <= i < count <= MAX_CERTIFICATES, so the cast is exact and no
        // ArrayIndexOutOfBoundsException can be raised.
        // SAFETY: chain is a valid array reference and i is within its length.
        let element = unsafe { (jni.GetObjectArrayElement)(env, chain, i as jsize) };
        if element.is_null() {
            return BAD_ARGUMENTS;
        }
        // SAFETY: element is a valid local reference to a byte[] (caller's contract); the
        // region read lies within its length, into a buffer of exactly that many bytes.
        let copied = unsafe { copy_byte_array(env, element, MAX_CERTIFICATE_BYTES, &mut bytes) };
        // SAFETY: element is a local reference this function created and no longer uses.
        unsafe { (jni.DeleteLocalRef)(env, element) };
        if !copied {
            return BAD_ARGUMENTS;
        }
        *end = bytes.len();
    }
    let mut host_bytes = Vec::new();
    let host = if host.is_null() {
        None
    } else {
        // SAFETY: host is a valid local reference to a byte[] (caller's contract).
        if !unsafe { copy_byte_array(env, host, MAX_HOST_BYTES, &mut host_bytes) } {
            return BAD_ARGUMENTS;
        }
        match std::str::from_utf8(&host_bytes) {
            Ok(h) => Some(h),
            Err(_) => return BAD_ARGUMENTS,
        }
    };
    let mut certificates: [&[u8]; MAX_CERTIFICATES] = [&[]; MAX_CERTIFICATES];
    let mut start = 0;
    for (slot, &end) in certificates.iter_mut().zip(&ends[..count]) {
        *slot = &bytes[start..end];
        start = end;
    }
    check(handle as u64, &certificates[..count], host)
}

/// Appends the contents of a `byte[]` of at most `limit` bytes to `out`; false when it is longer.
///
/// # Safety
/// `env` is the current thread's JNIEnv and `array` a valid local reference to a `byte[]`.
unsafe fn copy_byte_array(
    env: *mut JNIEnv,
    array: jbyteArray,
    limit: usize,
    out: &mut Vec<u8>,
) -> bool {
    // SAFETY: env is valid (caller's contract).
    let jni = unsafe { &(**env).v1_1 };
    // SAFETY: array is a valid array reference (caller's contract).
    let len = unsafe { (jni.GetArrayLength)(env, array) };
    let Ok(n) = usize::try_from(len) else {
        return false;
    };
    if n > limit {
        return false;
    }
    let start = out.len();
    out.resize(start + n, 0);
    // SAFETY: [0, len) is the whole array, so no exception is raised; the destination has
    // exactly n = len writable bytes at out[start..], and jbyte (i8) has u8's layout.
    unsafe {
        (jni.GetByteArrayRegion)(
            env,
            array,
            0,
            len,
            out[start..].as_mut_ptr().cast::<jbyte>(),
        )
    };
    true
}
