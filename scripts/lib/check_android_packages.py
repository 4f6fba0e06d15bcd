#!/usr/bin/env python3
"""Checks the hand-built Android packages (scripts/check-android-packages.sh).

    check_android_packages.py OUT LIB_FILE JNA_AAR JNA_VERSION REPO

OUT is <target>/android (qorgan.aar, qorgan.pom, qorgan-checker.apk, jniLibs/). Needs apksigner,
aapt, zipalign and dexdump on PATH. One line per check, then "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import android_zip  # noqa: E402
# check(name, ok, detail) and its counters: the same "ok"/"FAIL" lines as the libraries' check.
import check_android_libs as tally  # noqa: E402
from check_android_libs import check  # noqa: E402

ABIS = ["arm64-v8a", "armeabi-v7a", "x86_64"]
APP = "kz.qorgan.checker"
ACTIVITY = "kz.qorgan.checker.CheckActivity"
POM = "{http://maven.apache.org/POM/4.0.0}"
ANDROID = "{http://schemas.android.com/apk/res/android}"

def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check_apk(out, lib_file, jna):
    apk = os.path.join(out, "qorgan-checker.apk")
    rc, text = run("apksigner", "verify", "--verbose", apk)
    schemes = {v: f"Verified using {v} scheme" in text and re.search(rf"{v} scheme[^\n]*: true", text) for v in ("v2", "v3")}
    check("apksigner verify --verbose: signed with schemes v2 and v3", rc == 0 and all(schemes.values()),
          text.strip().splitlines()[0] if rc else f"{schemes}")

    rc, text = run("aapt", "dump", "badging", apk)
    want = {
        "package": f"package: name='{APP}'",
        "launchable activity": f"launchable-activity: name='{ACTIVITY}'",
        "native code": "native-code: " + " ".join(f"'{a}'" for a in ABIS),
        "minSdk 24": "sdkVersion:'24'",
        "label Qorgan": "application-label:'Qorgan'",
    }
    lines = [line.strip() for line in text.splitlines()]
    missing = [k for k, w in want.items() if k != "native code" and not any(line.startswith(w) for line in lines)]
    native = [line for line in lines if line.startswith("native-code:")]
    if native != [want["native code"]]:
        missing.append(f"native code is {native}")
    check(f"aapt dump badging: {', '.join(want)}", rc == 0 and not missing, f"missing {missing}" if rc == 0 else text[:300])
    # The app speaks Kazakh and Russian besides English (res/values-kk, res/values-ru).
    locales = next((line for line in lines if line.startswith("locales:")), "")
    check("aapt dump badging: locales include kk and ru", "'kk'" in locales and "'ru'" in locales, locales or text[:300])

    rc, text = run("zipalign", "-c", "-p", "4", apk)
    check("zipalign -c -p 4: stored entries 4-byte aligned, native libraries page-aligned", rc == 0, text.strip()[-300:])
    problems = android_zip.alignment_problems(apk)
    check("native libraries stored uncompressed at 16 KB boundaries (16 KB-page devices)", not problems, "; ".join(problems))

    with zipfile.ZipFile(apk) as z:
        names = set(z.namelist())
        libs = sorted(n for n in names if n.startswith("lib/"))
        want_libs = sorted(f"lib/{a}/{f}" for a in ABIS for f in (lib_file, "libjnidispatch.so"))
        check(f"APK lib/: {lib_file} and libjnidispatch.so for {', '.join(ABIS)}, nothing else", libs == want_libs,
              f"has {libs}")
        differ = [a for a in ABIS if f"lib/{a}/{lib_file}" in names
                  and z.read(f"lib/{a}/{lib_file}") != read(os.path.join(out, "jniLibs", a, lib_file))]
        check(f"APK {lib_file} byte-identical to jniLibs/", not differ and libs == want_libs, f"differ: {differ}")
        with zipfile.ZipFile(jna) as j:
            differ = [a for a in ABIS if f"lib/{a}/libjnidispatch.so" in names
                      and z.read(f"lib/{a}/libjnidispatch.so") != j.read(f"jni/{a}/libjnidispatch.so")]
        check(f"APK libjnidispatch.so byte-identical to {os.path.basename(jna)}'s", not differ and libs == want_libs,
              f"differ: {differ}")
        dexes = sorted(n for n in names if re.fullmatch(r"classes\d*\.dex", n))
        with tempfile.TemporaryDirectory() as tmp:
            classes = set()
            for d in dexes:
                path = os.path.join(tmp, d)
                with open(path, "wb") as f:
                    f.write(z.read(d))
                rc, text = run("dexdump", path)
                if rc != 0:
                    check(f"dexdump {d}", False, text[:300])
                classes.update(re.findall(r"Class descriptor\s*:\s*'(L[^']+;)'", text))
    want_classes = [
        "Lkz/qorgan/checker/CheckActivity;",  # the app
        "Lkz/qorgan/QorganChecker;", "Lkz/qorgan/android/QorganAndroid;",  # the library
        "Lkz/qorgan/ffi/UniffiLib;",  # the bindings
        "Lcom/sun/jna/Native;", "Lkotlin/Unit;",  # the dependencies
    ]
    missing = [c for c in want_classes if c not in classes]
    check(f"{' '.join(dexes) or 'classes.dex'}: the checker activity, the library, the bindings, JNA and kotlin-stdlib",
          dexes and not missing, f"missing {missing}")
    stand_in = sorted(c for c in classes if c.startswith("Landroidx/"))
    check("no androidx classes in the APK (the RequiresApi stand-in is compile-only)", not stand_in, f"{stand_in}")


def check_aar(out, lib_file, repo):
    aar = os.path.join(out, "qorgan.aar")
    with zipfile.ZipFile(aar) as z:
        names = set(z.namelist())
        want = {"AndroidManifest.xml", "classes.jar", "proguard.txt", "R.txt"}
        check("AAR has AndroidManifest.xml, classes.jar, proguard.txt, R.txt", want <= names, f"missing {want - names}")
        jni = sorted(n for n in names if n.startswith("jni/"))
        want_jni = sorted(f"jni/{a}/{lib_file}" for a in ABIS)
        check(f"AAR jni/: {lib_file} for {', '.join(ABIS)}, nothing else", jni == want_jni, f"has {jni}")
        differ = [a for a in ABIS if f"jni/{a}/{lib_file}" in names
                  and z.read(f"jni/{a}/{lib_file}") != read(os.path.join(out, "jniLibs", a, lib_file))]
        check(f"AAR {lib_file} byte-identical to jniLibs/", jni == want_jni and not differ, f"differ: {differ}")
        rules = read(os.path.join(repo, "android", "qorgan", "consumer-rules.pro"))
        check("AAR proguard.txt is android/qorgan/consumer-rules.pro",
              "proguard.txt" in names and z.read("proguard.txt") == rules)
        manifest = ET.fromstring(z.read("AndroidManifest.xml")) if "AndroidManifest.xml" in names else None
        sdk = manifest.find("uses-sdk") if manifest is not None else None
        check("AAR manifest: package kz.qorgan, minSdkVersion 24",
              manifest is not None and manifest.get("package") == "kz.qorgan"
              and sdk is not None and sdk.get(f"{ANDROID}minSdkVersion") == "24")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "classes.jar")
            with open(path, "wb") as f:
                f.write(z.read("classes.jar") if "classes.jar" in names else b"")
            try:
                with zipfile.ZipFile(path) as cj:
                    classes = [n for n in cj.namelist() if n.endswith(".class")]
            except zipfile.BadZipFile:
                classes = []
    src = os.path.join(repo, "android", "qorgan", "src", "main", "kotlin", "kz", "qorgan")
    want_classes = ["kz/qorgan/QorganTrustManager.class", "kz/qorgan/QorganChecker.class",
                    "kz/qorgan/android/QorganAndroid.class", "kz/qorgan/ffi/UniffiLib.class"]
    # Every Kotlin file of the library gives at least one class (a file of only top-level
    # declarations gives <Name>Kt).
    for root, _dirs, files in os.walk(src):
        for f in files:
            if f.endswith(".kt"):
                rel = os.path.relpath(os.path.join(root, f[:-3]), os.path.dirname(os.path.dirname(src)))
                want_classes.append(rel.replace(os.sep, "/"))
    missing = [c for c in want_classes if not any(n == c or n.startswith(c + "$") or n.startswith(c + "Kt")
                                                    or n == c + ".class" for n in classes)]
    check("classes.jar: every file of android/qorgan/src/main/kotlin (kz/qorgan, kz/qorgan/android) and the "
          "kz/qorgan/ffi bindings", classes and not missing, f"missing {missing}")
    foreign = sorted({n.split("/")[0] + "/" + n.split("/")[1] for n in classes if not n.startswith("kz/qorgan/")})
    check("classes.jar embeds nothing else (no androidx stand-in, no kotlin-stdlib, no JNA)", classes and not foreign,
          f"has {foreign}")


def check_pom(out, jna_version):
    try:
        root = ET.parse(os.path.join(out, "qorgan.pom")).getroot()
    except (OSError, ET.ParseError) as e:
        check("qorgan.pom parses", False, str(e))
        return
    deps = {(d.findtext(f"{POM}groupId"), d.findtext(f"{POM}artifactId")): d for d in root.iter(f"{POM}dependency")}
    jna = deps.get(("net.java.dev.jna", "jna"))
    check(f"qorgan.pom: kz.qorgan:qorgan, packaging aar, depends on net.java.dev.jna:jna:{jna_version}@aar",
          root.findtext(f"{POM}groupId") == "kz.qorgan" and root.findtext(f"{POM}artifactId") == "qorgan"
          and root.findtext(f"{POM}packaging") == "aar"
          and jna is not None and jna.findtext(f"{POM}version") == jna_version and jna.findtext(f"{POM}type") == "aar")
    check("qorgan.pom: depends on org.jetbrains.kotlin:kotlin-stdlib", ("org.jetbrains.kotlin", "kotlin-stdlib") in deps)


def check_the_check(tmp_dir):
    """The alignment check itself fails a zip made wrong on purpose (a .so stored at offset 4 KB+,
    one deflated)."""
    bad = os.path.join(tmp_dir, "bad.apk")
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("lib/arm64-v8a/a.so", b"\x7fELF" + b"\0" * 5000, compress_type=zipfile.ZIP_STORED)
        z.writestr("lib/arm64-v8a/b.so", b"\x7fELF" + b"\0" * 5000, compress_type=zipfile.ZIP_DEFLATED)
    problems = android_zip.alignment_problems(bad)
    check("the alignment check fails a zip with a misaligned and a compressed .so",
          any("a.so starts at" in p for p in problems) and any("b.so is compressed" in p for p in problems), f"{problems}")


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__.strip())
    out, lib_file, jna, jna_version, repo = argv
    for f in ("qorgan.aar", "qorgan.pom", "qorgan-checker.apk"):
        check(f"{f} exists", os.path.isfile(os.path.join(out, f)))
    if not tally.failed:
        check_apk(out, lib_file, jna)
        check_aar(out, lib_file, repo)
        check_pom(out, jna_version)
    with tempfile.TemporaryDirectory() as tmp:
        check_the_check(tmp)
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
