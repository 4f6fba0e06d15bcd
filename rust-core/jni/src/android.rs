//! The Android-only JNI entry point: the app's Context for the platform verifier.
//!
//! `Qorgan.probe` asks the platform for its own verdict through rustls-platform-verifier, which
//! must be given the app's `Context` once before it can call into the JVM. Kotlin calls
//! `QorganAndroid.nativeInit(context)` (see android/); this module implements it. It is
//! compiled for Android only.
//!
//! Not exercised by this repository's CI (no Android NDK here): written from the jni 0.22 and
//! rustls-platform-verifier 0.7 documentation.

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
