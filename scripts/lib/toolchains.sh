# shellcheck shell=bash
#
# scripts/lib/toolchains.sh -- find or install the toolchains that the Kotlin and Swift binding
# tests need, caching everything OUTSIDE the checkout (default ~/.cache/qorgan).
#
# Source it from bash (it is safe under `set -euo pipefail` and does not change shell options):
#
#     . scripts/lib/toolchains.sh
#     kotlinc=$(ensure_kotlinc)
#
# Every ensure_* function prints its result (a path, or a classpath) on stdout and nothing else;
# progress and errors go to stderr. A second call is fast: it only checks a completion marker.
# A toolchain already on PATH (Xcode's swiftc, an SDKMAN/Homebrew kotlinc) is used when present.
#
# Functions:
#   qorgan_cache_dir      cache root: ${QORGAN_CACHE:-$HOME/.cache/qorgan} (created, absolute)
#   ensure_java           path of `java` (installs Debian's default-jdk-headless if missing)
#   ensure_kotlinc        path of a `kotlinc` (PATH, else npm kotlin-compiler@$QORGAN_KOTLIN_VERSION in the cache)
#   kotlin_lib_dir        the `lib/` dir of that Kotlin distribution (kotlin-stdlib.jar, kotlin-test.jar, ...)
#   ensure_jna            path of a JNA jar >= 5.12 (Debian libjna-java, else Maven Central into the cache)
#   ensure_jna_aar [V]    path of JNA's Android AAR (classes.jar + libjnidispatch.so per ABI), Maven Central
#   ensure_r8_jar         path of R8's jar (D8, the dexer), Maven Central
#   ensure_android_all_jar  path of Robolectric's android-all jar (the Android API to compile against)
#   ensure_maven_jars     ':'-joined classpath: OkHttp 5 + mockwebserver3 + their runtime deps (Maven Central)
#   ensure_swift_root     "" when swiftc is on PATH (host Swift), else the path of a Debian trixie root with swiftlang
#   swift_run ROOT WORKDIR CMD...   run CMD in WORKDIR with the Swift toolchain (inside ROOT unless ROOT is "")
#   ensure_zig            path of a `zig` binary (PyPI wheel ziglang==$QORGAN_ZIG_VERSION unpacked into the cache)
#   ensure_rust_targets T...  `rustup target add` for the targets not installed yet
#   ensure_readelf        path of a `readelf` that reads any ELF machine (llvm-readelf, else binutils)
#   ensure_llvm_nm        path of `llvm-nm` (Debian's llvm), which reads the iOS Mach-O archives
#
# Knobs (environment, all optional):
#   QORGAN_CACHE                cache root (default ~/.cache/qorgan)
#   QORGAN_KOTLINC              use this kotlinc, skip PATH lookup and download
#   QORGAN_JNA_JAR              use this JNA jar
#   QORGAN_NO_HOST_TOOLCHAINS=1 ignore kotlinc/swiftc found on PATH (always use the cached ones)
#   QORGAN_KOTLIN_VERSION       npm kotlin-compiler version (default 2.4.20)
#   QORGAN_JNA_FROM=maven       take JNA from Maven Central even where Debian's libjna-java exists
#   QORGAN_JNA_VERSION          Maven JNA version for the fallback (default 5.17.0)
#   QORGAN_R8_VERSION           com.android.tools:r8 version (default 8.5.35)
#   QORGAN_OKHTTP_VERSION       OkHttp/mockwebserver3 version (default 5.5.1)
#   QORGAN_DEBIAN_MIRROR        mirror for debootstrap (default http://deb.debian.org/debian)
#   QORGAN_SWIFT_ROOT_PACKAGES  packages for the trixie root (default: swiftlang libc6-dev libstdc++-14-dev ca-certificates)
#   QORGAN_SWIFT_RUNNER         auto (default) | proot | chroot  -- how swift_run enters the root
#   QORGAN_SWIFT_BINDS          extra ':'-separated host dirs to bind into the root (same path inside)
#   QORGAN_SWIFT_LD_LIBRARY_PATH  extra LD_LIBRARY_PATH entries for swift_run (the caller's LD_LIBRARY_PATH is kept too)
#   QORGAN_ZIG                  use this zig, skip the download
#   QORGAN_ZIG_VERSION          PyPI ziglang version (default 0.17.1)

if [ -n "${_QORGAN_TOOLCHAINS_SH:-}" ]; then
    return 0
fi
_QORGAN_TOOLCHAINS_SH=1

: "${QORGAN_KOTLIN_VERSION:=2.4.20}"
: "${QORGAN_JNA_VERSION:=5.17.0}"
: "${QORGAN_OKHTTP_VERSION:=5.5.1}"
: "${QORGAN_R8_VERSION:=8.5.35}"
: "${QORGAN_DEBIAN_MIRROR:=http://deb.debian.org/debian}"
: "${QORGAN_ZIG_VERSION:=0.17.1}"
: "${QORGAN_SWIFT_ROOT_PACKAGES:=swiftlang libc6-dev libstdc++-14-dev ca-certificates}"
_QORGAN_MVN_DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
_QORGAN_SWIFT_LIBDIR=/usr/libexec/swift/lib/swift/linux
_QORGAN_SWIFT_PATH=/usr/libexec/swift/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

_qorgan_log() { printf '[toolchains] %s\n' "$*" >&2; }
_qorgan_err() { printf '[toolchains] ERROR: %s\n' "$*" >&2; return 1; }

_qorgan_use_host() { [ "${QORGAN_NO_HOST_TOOLCHAINS:-0}" != 1 ]; }

qorgan_cache_dir() {
    local d="${QORGAN_CACHE:-${HOME:-/root}/.cache/qorgan}"
    mkdir -p "$d" || { _qorgan_err "cannot create cache dir $d"; return 1; }
    (cd "$d" && pwd -P)
}

# _qorgan_locked LOCKNAME CMD...  -- run CMD (may be a function) holding an exclusive lock in the cache,
# so that two concurrent first runs do not install into the same directory at once.
_qorgan_locked() {
    local name="$1" cache
    shift
    cache=$(qorgan_cache_dir) || return 1
    mkdir -p "$cache/locks" || return 1
    (
        if command -v flock >/dev/null 2>&1; then
            flock -w 3600 9 || { _qorgan_err "timed out waiting for lock $cache/locks/$name"; exit 1; }
        fi
        "$@"
    ) 9>"$cache/locks/$name.lock"
}

# _qorgan_apt_install PKG...  -- install Debian packages (root only); `apt-get update` at most once a day.
_qorgan_apt_install() {
    local missing=() p cache stamp
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || { _qorgan_err "need Debian packages ${missing[*]} but there is no apt-get"; return 1; }
    if [ "$(id -u)" != 0 ]; then
        _qorgan_err "need Debian packages ${missing[*]}: run as root or 'sudo apt-get install ${missing[*]}'"
        return 1
    fi
    cache=$(qorgan_cache_dir) || return 1
    stamp="$cache/apt-updated.stamp"
    _qorgan_locked apt _qorgan_apt_install_locked "$stamp" "${missing[@]}"
}

_qorgan_apt_install_locked() {
    local stamp="$1"
    shift
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
        _qorgan_log "apt-get update"
        # A third-party source that cannot be reached must not stop us: apt still updates the others.
        apt-get update >&2 || _qorgan_log "apt-get update reported errors (continuing)"
        touch "$stamp"
    fi
    _qorgan_log "apt-get install $*"
    if ! apt-get install -y --no-install-recommends "$@" >&2; then
        _qorgan_log "install failed; refreshing package lists and retrying"
        apt-get update >&2 || true
        touch "$stamp"
        apt-get install -y --no-install-recommends "$@" >&2 || { _qorgan_err "apt-get install $* failed"; return 1; }
    fi
}

# _qorgan_need CMD DEBIAN-PKG  -- make sure CMD is on PATH, installing the Debian package if not.
_qorgan_need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    _qorgan_log "'$1' not found; installing Debian package $2"
    _qorgan_apt_install "$2" || return 1
    command -v "$1" >/dev/null 2>&1 || { _qorgan_err "'$1' still not on PATH after installing $2"; return 1; }
}

# ---------------------------------------------------------------------------------------------
# Java / Kotlin
# ---------------------------------------------------------------------------------------------

# Debian's aapt2 and the platform's framework resources (API 29) it links apps against.
# Echoes the path of framework-res.apk.
ensure_android_framework_res() {
    local apk=/usr/share/android-framework-res/framework-res.apk
    _qorgan_need aapt2 aapt || return 1
    [ -f "$apk" ] || _qorgan_apt_install android-framework-res || return 1
    [ -f "$apk" ] || { _qorgan_err "$apk not found (package android-framework-res)"; return 1; }
    printf '%s\n' "$apk"
}

# compile_r_classes GEN_DIR OUT_DIR: the R.java files `aapt2 link --java GEN_DIR` wrote,
# compiled into OUT_DIR (what the Gradle plugin does for an app's resources).
compile_r_classes() {
    local gen="$1" out="$2" srcs javac
    mkdir -p "$out"
    mapfile -t srcs < <(find "$gen" -name '*.java' 2>/dev/null | LC_ALL=C sort)
    [ "${#srcs[@]}" -gt 0 ] || return 0
    javac=$(ensure_javac) || return 1
    "$javac" --release 17 -d "$out" "${srcs[@]}" >&2
}

# javac, beside the java ensure_java gives (the Android scripts compile the R class aapt2 writes).
ensure_javac() {
    local java dir
    java=$(ensure_java) || return 1
    dir=$(dirname "$(readlink -f "$java")")
    if [ -x "$dir/javac" ]; then
        printf '%s\n' "$dir/javac"
        return 0
    fi
    _qorgan_need javac default-jdk-headless || return 1
    command -v javac
}

ensure_java() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        printf '%s\n' "$JAVA_HOME/bin/java"
        return 0
    fi
    _qorgan_need java default-jdk-headless || return 1
    command -v java
}

# Installs (once) the npm package kotlin-compiler into $CACHE/kotlin-compiler-<ver>; echoes that dir.
_qorgan_kotlin_dist() {
    local cache dist
    cache=$(qorgan_cache_dir) || return 1
    dist="$cache/kotlin-compiler-$QORGAN_KOTLIN_VERSION"
    if [ ! -f "$dist/.qorgan-complete" ]; then
        _qorgan_locked kotlin _qorgan_kotlin_install "$cache" "$dist" || return 1
    fi
    printf '%s\n' "$dist"
}

_qorgan_kotlin_install() {
    local cache="$1" dist="$2" tmp tgz
    [ -f "$dist/.qorgan-complete" ] && return 0 # another process finished it while we waited
    _qorgan_need npm npm || return 1
    tmp=$(mktemp -d "$cache/kotlin-tmp.XXXXXX") || return 1
    _qorgan_log "downloading kotlin-compiler@$QORGAN_KOTLIN_VERSION from npm (~90 MB) into $dist"
    # `npm pack` only downloads the tarball: no install scripts run, no node_modules tree.
    if ! (cd "$tmp" && npm pack --silent "kotlin-compiler@$QORGAN_KOTLIN_VERSION" >&2); then
        rm -rf "$tmp"
        _qorgan_err "npm pack kotlin-compiler@$QORGAN_KOTLIN_VERSION failed"
        return 1
    fi
    tgz=$(find "$tmp" -maxdepth 1 -name 'kotlin-compiler-*.tgz' | head -n 1)
    if [ -z "$tgz" ] || ! tar -xzf "$tgz" -C "$tmp" >&2 || [ ! -f "$tmp/package/bin/kotlinc" ]; then
        rm -rf "$tmp"
        _qorgan_err "unexpected kotlin-compiler package layout (no package/bin/kotlinc)"
        return 1
    fi
    # npm tarballs may drop exec bits: restore them on the launcher scripts.
    find "$tmp/package/bin" -type f ! -name '*.bat' -exec chmod 0755 {} +
    rm -rf "$dist"
    mv "$tmp/package" "$dist" || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
    printf '%s\n' "$QORGAN_KOTLIN_VERSION" >"$dist/.qorgan-complete"
    _qorgan_log "installed Kotlin $QORGAN_KOTLIN_VERSION at $dist"
}

_qorgan_host_kotlinc() {
    local k
    if [ -n "${QORGAN_KOTLINC:-}" ]; then
        [ -x "$QORGAN_KOTLINC" ] || { _qorgan_err "QORGAN_KOTLINC=$QORGAN_KOTLINC is not executable"; return 1; }
        printf '%s\n' "$QORGAN_KOTLINC"
        return 0
    fi
    _qorgan_use_host || return 1
    k=$(command -v kotlinc 2>/dev/null) || return 1
    printf '%s\n' "$k"
}

ensure_kotlinc() {
    local k dist
    ensure_java >/dev/null || return 1
    if k=$(_qorgan_host_kotlinc 2>/dev/null); then
        printf '%s\n' "$k"
        return 0
    fi
    [ -z "${QORGAN_KOTLINC:-}" ] || { _qorgan_host_kotlinc; return 1; } # report the bad override
    dist=$(_qorgan_kotlin_dist) || return 1
    [ -x "$dist/bin/kotlinc" ] || chmod 0755 "$dist/bin/kotlinc"
    printf '%s\n' "$dist/bin/kotlinc"
}

kotlin_lib_dir() {
    local k real dir dist
    if k=$(_qorgan_host_kotlinc 2>/dev/null); then
        # SDKMAN, Homebrew, the zip distribution: <dist>/bin/kotlinc next to <dist>/lib
        real=$(readlink -f "$k" 2>/dev/null || printf '%s' "$k")
        dir=$(cd "$(dirname "$real")/.." && pwd -P)
        if [ -f "$dir/lib/kotlin-stdlib.jar" ]; then
            printf '%s\n' "$dir/lib"
            return 0
        fi
        _qorgan_log "kotlinc at $k has no lib/kotlin-stdlib.jar next to it; using the cached Kotlin $QORGAN_KOTLIN_VERSION lib/"
    fi
    dist=$(_qorgan_kotlin_dist) || return 1
    printf '%s\n' "$dist/lib"
}

# ---------------------------------------------------------------------------------------------
# Maven Central artifacts
# ---------------------------------------------------------------------------------------------

# _qorgan_maven_fetch NAME GROUP:ARTIFACT:VERSION[:TYPE]...
# Resolves the artifacts plus their runtime dependencies into $CACHE/maven/NAME/jars (once) using a
# generated pom and maven-dependency-plugin, with a Maven local repo inside the cache. Echoes the dir.
# TYPE is the packaging when it is not a jar (aar: an Android library, e.g. JNA's with its natives).
_qorgan_maven_fetch() {
    local name="$1" cache dir
    shift
    cache=$(qorgan_cache_dir) || return 1
    dir="$cache/maven/$name"
    if [ ! -f "$dir/.qorgan-complete" ] || [ "$(cat "$dir/.qorgan-complete")" != "$*" ]; then
        _qorgan_locked "maven-$name" _qorgan_maven_fetch_locked "$cache" "$dir" "$@" || return 1
    fi
    printf '%s\n' "$dir/jars"
}

_qorgan_maven_fetch_locked() {
    local cache="$1" dir="$2" coord g a v t deps=""
    shift 2
    if [ -f "$dir/.qorgan-complete" ] && [ "$(cat "$dir/.qorgan-complete")" = "$*" ]; then
        return 0
    fi
    ensure_java >/dev/null || return 1
    _qorgan_need mvn maven || return 1
    for coord in "$@"; do
        IFS=: read -r g a v t <<<"$coord"
        if [ -z "$g" ] || [ -z "$a" ] || [ -z "$v" ]; then
            _qorgan_err "bad Maven coordinate '$coord'"
            return 1
        fi
        deps="$deps    <dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version>${t:+<type>$t</type>}</dependency>
"
    done
    rm -rf "$dir"
    mkdir -p "$dir" "$cache/m2" || return 1
    cat >"$dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by qorgan scripts/lib/toolchains.sh: only used to download jars -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.qorgan.toolchains</groupId>
  <artifactId>jars</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
$deps  </dependencies>
</project>
EOF
    _qorgan_log "resolving from Maven Central: $*"
    if ! mvn -B -q -Dstyle.color=never -f "$dir/pom.xml" -Dmaven.repo.local="$cache/m2" \
        "$_QORGAN_MVN_DEP_PLUGIN:copy-dependencies" \
        -DincludeScope=runtime -DoutputDirectory="$dir/jars" >&2; then
        _qorgan_err "mvn could not resolve $* (is Maven Central reachable?)"
        return 1
    fi
    [ -n "$(find "$dir/jars" -name '*.[ja]ar' 2>/dev/null | head -n 1)" ] || { _qorgan_err "mvn copied no jars for $*"; return 1; }
    printf '%s\n' "$*" >"$dir/.qorgan-complete"
}

_qorgan_join_jars() {
    find "$1" -maxdepth 1 -name '*.jar' | LC_ALL=C sort | paste -sd: -
}

ensure_jna() {
    local jar ver dir
    if [ -n "${QORGAN_JNA_JAR:-}" ]; then
        [ -f "$QORGAN_JNA_JAR" ] || { _qorgan_err "QORGAN_JNA_JAR=$QORGAN_JNA_JAR does not exist"; return 1; }
        printf '%s\n' "$QORGAN_JNA_JAR"
        return 0
    fi
    jar=/usr/share/java/jna.jar
    if [ "${QORGAN_JNA_FROM:-debian}" = maven ]; then
        jar=/nonexistent/jna.jar # skip Debian's jar
    elif [ ! -f "$jar" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        _qorgan_apt_install libjna-java || _qorgan_log "libjna-java not installable; falling back to Maven Central"
    fi
    if [ -f "$jar" ]; then
        ver=$(dpkg-query -W -f='${Version}' libjna-java 2>/dev/null || true)
        if [ -z "$ver" ] || dpkg --compare-versions "$ver" ge 5.12; then
            printf '%s\n' "$jar"
            return 0
        fi
        _qorgan_log "Debian JNA $ver is older than 5.12; using JNA $QORGAN_JNA_VERSION from Maven Central"
    fi
    dir=$(_qorgan_maven_fetch "jna-$QORGAN_JNA_VERSION" "net.java.dev.jna:jna:$QORGAN_JNA_VERSION") || return 1
    printf '%s\n' "$dir/jna-$QORGAN_JNA_VERSION.jar"
}

# OkHttp 5 (real HTTPS client for pinning tests) + mockwebserver3 (real TLS peer) + runtime deps.
ensure_maven_jars() {
    local dir v="$QORGAN_OKHTTP_VERSION"
    dir=$(_qorgan_maven_fetch "okhttp-$v" \
        "com.squareup.okhttp3:okhttp:$v" \
        "com.squareup.okhttp3:mockwebserver3:$v") || return 1
    _qorgan_join_jars "$dir"
}

# Robolectric's android-all for API 34 (Android 14): the real framework classes, used as the
# Android API to compile against (kotlinc, D8 --lib) and, with Robolectric, to run on. ~140 MB,
# cached. Echoes the jar's path.
QORGAN_ANDROID_ALL_VERSION="${QORGAN_ANDROID_ALL_VERSION:-14-robolectric-10818077}"
ensure_android_all_jar() {
    local dir jar
    dir=$(_qorgan_maven_fetch "android-all-$QORGAN_ANDROID_ALL_VERSION" \
        "org.robolectric:android-all:$QORGAN_ANDROID_ALL_VERSION") || return 1
    jar=$(find "$dir" -name 'android-all-*.jar' | head -n 1)
    [ -n "$jar" ] || { _qorgan_err "no android-all jar in $dir"; return 1; }
    printf '%s\n' "$jar"
}

# JNA as an Android library (AAR: classes.jar plus jni/<abi>/libjnidispatch.so), the form apps
# depend on; version $1 (default $QORGAN_JNA_VERSION). Echoes the .aar's path.
ensure_jna_aar() {
    local v="${1:-$QORGAN_JNA_VERSION}" dir
    dir=$(_qorgan_maven_fetch "jna-aar-$v" "net.java.dev.jna:jna:$v:aar") || return 1
    [ -f "$dir/jna-$v.aar" ] || { _qorgan_err "no jna-$v.aar in $dir"; return 1; }
    printf '%s\n' "$dir/jna-$v.aar"
}

# R8 (its D8 dexer turns class files into classes.dex), from Maven Central. Echoes the jar's path.
ensure_r8_jar() {
    local dir
    dir=$(_qorgan_maven_fetch "r8-$QORGAN_R8_VERSION" "com.android.tools:r8:$QORGAN_R8_VERSION") || return 1
    [ -f "$dir/r8-$QORGAN_R8_VERSION.jar" ] || { _qorgan_err "no r8-$QORGAN_R8_VERSION.jar in $dir"; return 1; }
    printf '%s\n' "$dir/r8-$QORGAN_R8_VERSION.jar"
}

# ---------------------------------------------------------------------------------------------
# Swift (Debian trixie root on Debian 12 hosts; the host's own swiftc elsewhere)
# ---------------------------------------------------------------------------------------------

_qorgan_host_swift() {
    _qorgan_use_host && command -v swiftc >/dev/null 2>&1
}

# Echoes "" when the host has swiftc (then swift_run runs commands directly), else the root's path.
ensure_swift_root() {
    local cache root
    if _qorgan_host_swift; then
        _qorgan_log "using host Swift: $(command -v swiftc)"
        return 0
    fi
    cache=$(qorgan_cache_dir) || return 1
    root="$cache/trixie-root"
    if [ ! -f "$root/.qorgan-complete" ] || [ "$(cat "$root/.qorgan-complete")" != "$QORGAN_SWIFT_ROOT_PACKAGES" ]; then
        _qorgan_locked swift-root _qorgan_swift_root_build "$root" || return 1
    fi
    printf '%s\n' "$root"
}

_qorgan_swift_root_build() {
    local root="$1" marker="$1/.qorgan-complete"
    [ -f "$marker" ] && [ "$(cat "$marker")" = "$QORGAN_SWIFT_ROOT_PACKAGES" ] && return 0
    [ "$(id -u)" = 0 ] || { _qorgan_err "building the Swift root needs root (debootstrap/chroot); or put swiftc on PATH"; return 1; }
    if [ ! -f "$root/.qorgan-debootstrapped" ]; then
        _qorgan_need debootstrap debootstrap || return 1
        if [ -e "$root" ]; then
            _qorgan_log "removing half-built root $root"
            _qorgan_umount_under "$root"
            rm -rf --one-file-system "$root" || { _qorgan_err "cannot remove $root"; return 1; }
        fi
        _qorgan_log "debootstrap --variant=minbase trixie $root ($QORGAN_DEBIAN_MIRROR); takes a minute or two"
        if ! debootstrap --variant=minbase trixie "$root" "$QORGAN_DEBIAN_MIRROR" >&2; then
            _qorgan_umount_under "$root"
            _qorgan_err "debootstrap failed (log: $root/debootstrap/debootstrap.log)"
            return 1
        fi
        touch "$root/.qorgan-debootstrapped"
    else
        _qorgan_log "root $root exists but lacks packages; (re)installing them"
    fi
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    _qorgan_chroot_do "$root" / env DEBIAN_FRONTEND=noninteractive sh -ec '
        dpkg --configure -a || true  # finish an install that was interrupted last time
        apt-get update
        apt-get install -y -f --no-install-recommends "$@"
        apt-get clean
        rm -rf /var/lib/apt/lists/*_Packages* 2>/dev/null || true' sh $QORGAN_SWIFT_ROOT_PACKAGES >&2 ||
        { _qorgan_err "installing '$QORGAN_SWIFT_ROOT_PACKAGES' in $root failed"; return 1; }
    # smoke: the compiler starts (it needs the runtime libs on LD_LIBRARY_PATH)
    _qorgan_chroot_do "$root" / env LD_LIBRARY_PATH="$_QORGAN_SWIFT_LIBDIR" PATH="$_QORGAN_SWIFT_PATH" \
        swiftc --version >&2 || { _qorgan_err "swiftc does not start inside $root"; return 1; }
    printf '%s\n' "$QORGAN_SWIFT_ROOT_PACKAGES" >"$marker"
    _qorgan_log "Swift root ready: $root ($(du -sh --one-file-system "$root" 2>/dev/null | cut -f1))"
}

# Unmount everything mounted under DIR (deepest first). Used after chroot runs and on rebuilds.
_qorgan_umount_under() {
    local dir="$1" m
    [ -r /proc/self/mountinfo ] || return 0
    # field 5 of mountinfo is the mount point (octal-escaped; our paths have no spaces)
    awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
        LC_ALL=C sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || _qorgan_log "could not unmount $m"
    done
}

# _qorgan_chroot_do ROOT WORKDIR CMD...  -- chroot with /proc, /dev (and the bind dirs in
# _QORGAN_BINDS, newline-separated) mounted; unmounts on return. Serialized with a lock,
# because the mounts are shared by all users of ROOT.
_qorgan_chroot_do() {
    _qorgan_locked swift-chroot _qorgan_chroot_do_locked "$@"
}

_qorgan_chroot_do_locked() {
    local root="$1" workdir="$2" b rc=0
    shift 2
    [ "$(id -u)" = 0 ] || { _qorgan_err "chroot needs root; install proot or run as root"; return 1; }
    (
        trap '_qorgan_umount_under "$root"' EXIT
        trap 'exit 130' INT TERM
        mkdir -p "$root/proc" "$root/dev"
        mount -t proc proc "$root/proc" || exit 1
        # non-recursive bind: no submounts whose unmounting could propagate back to the host's /dev
        mount --bind /dev "$root/dev" || exit 1
        [ -f /etc/resolv.conf ] && cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
        while IFS= read -r b; do
            [ -n "$b" ] || continue
            mkdir -p "$root$b" && mount --bind "$b" "$root$b" || exit 1
        done <<<"${_QORGAN_BINDS:-}"
        # shellcheck disable=SC2016 # $1/$@ expand in the inner shell
        chroot "$root" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$workdir" "$@"
    ) || rc=$?
    return "$rc"
}

# Directories to make visible inside the root (same absolute path): the git top-level of WORKDIR
# (or WORKDIR itself), CARGO_TARGET_DIR if it lies elsewhere, and QORGAN_SWIFT_BINDS.
_qorgan_swift_binds() {
    local workdir="$1" top list=() d e seen
    top=$(git -C "$workdir" rev-parse --show-toplevel 2>/dev/null) || top="$workdir"
    list+=("$top")
    case "$workdir/" in "$top"/*) ;; *) list+=("$workdir") ;; esac
    if [ -n "${CARGO_TARGET_DIR:-}" ]; then
        mkdir -p "$CARGO_TARGET_DIR" 2>/dev/null || true
        list+=("$(cd "$CARGO_TARGET_DIR" 2>/dev/null && pwd -P || printf '%s' "$CARGO_TARGET_DIR")")
    fi
    if [ -n "${QORGAN_SWIFT_BINDS:-}" ]; then
        IFS=: read -r -a e <<<"$QORGAN_SWIFT_BINDS"
        list+=("${e[@]}")
    fi
    # drop duplicates and dirs already covered by an earlier one
    seen=()
    for d in "${list[@]}"; do
        if [ -z "$d" ] || [ ! -d "$d" ]; then continue; fi
        for e in "${seen[@]+"${seen[@]}"}"; do
            case "$d/" in "$e"/*) continue 2 ;; esac
        done
        seen+=("$d")
        printf '%s\n' "$d"
    done
}

_qorgan_proot_ok() {
    local root="$1"
    _qorgan_need proot proot >/dev/null || return 1
    proot -R "$root" /bin/true >/dev/null 2>&1
}

swift_run() {
    [ "$#" -ge 3 ] || { _qorgan_err "usage: swift_run ROOT WORKDIR CMD..."; return 1; }
    local root="$1" workdir="$2" ldp runner binds b args=()
    shift 2
    workdir=$(cd "$workdir" && pwd -P) || { _qorgan_err "swift_run: no such dir $2"; return 1; }
    ldp="$_QORGAN_SWIFT_LIBDIR"
    [ -z "${QORGAN_SWIFT_LD_LIBRARY_PATH:-}" ] || ldp="$QORGAN_SWIFT_LD_LIBRARY_PATH:$ldp"
    [ -z "${LD_LIBRARY_PATH:-}" ] || ldp="$ldp:$LD_LIBRARY_PATH"
    if [ -z "$root" ]; then
        # host Swift (macOS with Xcode, a Linux box with swift.org's toolchain): run directly
        if [ -n "${QORGAN_SWIFT_LD_LIBRARY_PATH:-}" ]; then
            (cd "$workdir" && env LD_LIBRARY_PATH="$QORGAN_SWIFT_LD_LIBRARY_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@")
        else
            (cd "$workdir" && "$@")
        fi
        return
    fi
    [ -f "$root/.qorgan-complete" ] || { _qorgan_err "$root is not a complete Swift root (run ensure_swift_root)"; return 1; }
    binds=$(_qorgan_swift_binds "$workdir")
    runner="${QORGAN_SWIFT_RUNNER:-auto}"
    if [ "$runner" = auto ]; then
        if _qorgan_proot_ok "$root"; then runner=proot; else runner=chroot; fi
    fi
    case "$runner" in
    proot)
        while IFS= read -r b; do [ -z "$b" ] || args+=(-b "$b"); done <<<"$binds"
        proot -R "$root" "${args[@]}" -w "$workdir" \
            /usr/bin/env LD_LIBRARY_PATH="$ldp" PATH="$_QORGAN_SWIFT_PATH" "$@"
        ;;
    chroot)
        _QORGAN_BINDS="$binds" _qorgan_chroot_do "$root" "$workdir" \
            /usr/bin/env LD_LIBRARY_PATH="$ldp" PATH="$_QORGAN_SWIFT_PATH" "$@"
        ;;
    *)
        _qorgan_err "QORGAN_SWIFT_RUNNER must be auto, proot or chroot (got '$runner')"
        return 1
        ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# Android native libraries: zig (C compiler and linker), the Rust targets, readelf
# ---------------------------------------------------------------------------------------------

# Zig is the cross C compiler and linker of scripts/build-android.sh when there is no NDK. It comes
# as a PyPI wheel (ziglang), which is only downloaded (`pip download`, no install into any Python
# environment) and unpacked into $CACHE/zig-<ver>: the zig binary and its lib/ are inside.
ensure_zig() {
    local cache dir
    if [ -n "${QORGAN_ZIG:-}" ]; then
        [ -x "$QORGAN_ZIG" ] || { _qorgan_err "QORGAN_ZIG=$QORGAN_ZIG is not executable"; return 1; }
        printf '%s\n' "$QORGAN_ZIG"
        return 0
    fi
    cache=$(qorgan_cache_dir) || return 1
    dir="$cache/zig-$QORGAN_ZIG_VERSION"
    if [ ! -f "$dir/.qorgan-complete" ]; then
        _qorgan_locked zig _qorgan_zig_install "$cache" "$dir" || return 1
    fi
    printf '%s\n' "$dir/ziglang/zig"
}

_qorgan_zig_install() {
    local cache="$1" dir="$2" tmp whl py
    [ -f "$dir/.qorgan-complete" ] && return 0
    py=$(command -v python3 || true)
    if [ -z "$py" ] || ! "$py" -m pip --version >/dev/null 2>&1; then
        _qorgan_apt_install python3 python3-pip || return 1
        py=$(command -v python3)
    fi
    tmp=$(mktemp -d "$cache/zig-tmp.XXXXXX") || return 1
    _qorgan_log "downloading ziglang==$QORGAN_ZIG_VERSION from PyPI (~50 MB) into $dir"
    if ! "$py" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        -d "$tmp" "ziglang==$QORGAN_ZIG_VERSION" >&2; then
        rm -rf "$tmp"
        _qorgan_err "pip download ziglang==$QORGAN_ZIG_VERSION failed"
        return 1
    fi
    whl=$(find "$tmp" -maxdepth 1 -name 'ziglang-*.whl' | head -n 1)
    if [ -z "$whl" ] || ! "$py" -m zipfile -e "$whl" "$tmp/x" >&2 || [ ! -f "$tmp/x/ziglang/zig" ]; then
        rm -rf "$tmp"
        _qorgan_err "unexpected ziglang wheel layout (no ziglang/zig)"
        return 1
    fi
    chmod 0755 "$tmp/x/ziglang/zig" # zip extraction drops the exec bit
    rm -rf "$dir"
    mv "$tmp/x" "$dir" || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
    "$dir/ziglang/zig" version >&2 || { _qorgan_err "zig does not run"; return 1; }
    printf '%s\n' "$QORGAN_ZIG_VERSION" >"$dir/.qorgan-complete"
    _qorgan_log "installed zig $QORGAN_ZIG_VERSION at $dir"
}

ensure_rust_targets() {
    local installed missing=() t
    command -v rustup >/dev/null 2>&1 || {
        # A toolchain without rustup (a distribution's rustc) must already have the targets.
        _qorgan_log "no rustup: assuming the Rust targets $* are installed"
        return 0
    }
    installed=$(rustup target list --installed) || return 1
    for t in "$@"; do
        grep -qx "$t" <<<"$installed" || missing+=("$t")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    _qorgan_log "rustup target add ${missing[*]}"
    _qorgan_locked rustup rustup target add "${missing[@]}" >&2 || { _qorgan_err "rustup target add ${missing[*]} failed"; return 1; }
}

ensure_readelf() {
    local r
    for r in llvm-readelf readelf; do
        if command -v "$r" >/dev/null 2>&1; then
            command -v "$r"
            return 0
        fi
    done
    _qorgan_need readelf binutils || return 1
    command -v readelf
}

# ---------------------------------------------------------------------------------------------
# iOS static library: zig (above) as ring's C compiler, the Rust target, llvm-nm for the checks
# ---------------------------------------------------------------------------------------------

# llvm-nm reads Mach-O archives (binutils' nm does not know arm64 Mach-O): Debian's llvm.
ensure_llvm_nm() {
    if ! command -v llvm-nm >/dev/null 2>&1; then
        _qorgan_need llvm-nm llvm || return 1
    fi
    command -v llvm-nm
}
