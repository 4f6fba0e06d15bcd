//! The one JNI entry point Qorgan needs on Android.
//!
//! `Qorgan.probe` asks the platform for its own verdict through rustls-platform-verifier, which
//! must be given the app's `Context` once before it can call into the JVM. Kotlin calls
//! `QorganAndroid.nativeInit(context)` (see android/); this crate implements it. It lives apart
//! from the engine because an exported, unmangled symbol is `unsafe` in Rust terms, and the
//! engine forbids unsafe code. On every other platform this crate is empty.
//!
//! Not exercised by this repository's CI (no Android NDK here): written from the jni 0.22 and
//! rustls-platform-verifier 0.7 documentation.

#![cfg(target_os = "android")]

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::JObject;

/// `external fun nativeInit(context: Context)` on `kz.qorgan.android.QorganAndroid`.
///
/// Errors become a Java `RuntimeException`; a panic never unwinds into the JVM (`with_env`
/// catches it).
#[unsafe(no_mangle)]
pub extern "system" fn Java_kz_qorgan_android_QorganAndroid_nativeInit<'caller>(
    mut env: jni::EnvUnowned<'caller>,
    _this: JObject<'caller>,
    context: JObject<'caller>,
) {
    env.with_env(|env| -> jni::errors::Result<()> {
        rustls_platform_verifier::android::init_with_env(env, context)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}
