#!/usr/bin/env python3
"""Checks an xcframework made by scripts/build-ios.sh without Apple's tools.

    check_ios_lib.py LLVM_NM XCFRAMEWORK MINOS [LIBSYSTEM_TBD]

- Info.plist: well-formed (plistlib), the keys xcodebuild writes, and every path it names exists
  (library, headers with QorganFFI.h and module.modulemap).
- Every member of every library: a Mach-O object (not bitcode, not another format) of the
  architecture the plist lists, with platform IOS (IOSSIMULATOR for a simulator slice; rust-std's
  precompiled objects carry the older LC_VERSION_MIN_IPHONEOS) and a minos no newer than MINOS;
  the crate's own object (qorgan_ffi*.o) with LC_BUILD_VERSION at exactly MINOS.
  The Mach-O headers are parsed here (the ar archive too), so no Apple tool is needed.
- Every `uniffi_*`/`ffi_*` function that QorganFFI.h declares is defined in the library (llvm-nm).
- The library's undefined symbols (imports from the system) are listed; with LIBSYSTEM_TBD (zig's
  macOS libSystem.tbd, a proxy for iOS: same libSystem exports) each must be exported by it.

Prints "ok    ..." / "FAIL  ..." lines and a last line "N passed, N failed"; exit 1 on a failure.
"""
import os
import plistlib
import re
import struct
import subprocess
import sys

results = []


def check(ok, what, detail="", info=""):
    """detail: why it failed (printed on failure); info: printed on success."""
    results.append(bool(ok))
    line = ("ok    " if ok else "FAIL  ") + what
    if detail and not ok:
        line += ": " + detail
    elif info and ok:
        line += " (" + info + ")"
    print(line)
    return bool(ok)


# ---- ar archives (GNU and BSD member names) -----------------------------------------------------

def ar_members(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not an ar archive")
    off = 8
    gnu_names = b""
    while off + 60 <= len(data):
        hdr = data[off:off + 60]
        name = hdr[0:16].decode("ascii", "replace").rstrip()
        size = int(hdr[48:58].decode().strip())
        body = data[off + 60:off + 60 + size]
        off += 60 + size + (size & 1)
        if name.startswith("#1/"):  # BSD: the name precedes the data
            n = int(name[3:])
            name, body = body[:n].rstrip(b"\0").decode("utf-8", "replace"), body[n:]
        elif name == "//":
            gnu_names = body
            continue
        elif name.startswith("/") and name[1:].isdigit() and gnu_names:
            i = int(name[1:])
            name = gnu_names[i:gnu_names.index(b"/\n", i)].decode("utf-8", "replace")
        elif name.endswith("/") and name != "/":
            name = name[:-1]
        if name in ("/", "__.SYMDEF", "__.SYMDEF SORTED", "/SYM64/") or name.startswith("__.SYMDEF"):
            continue  # symbol tables
        yield name, body


# ---- Mach-O ---------------------------------------------------------------------------------------

CPU = {0x0100000C: "arm64", 0x01000007: "x86_64"}
PLATFORMS = {1: "MACOS", 2: "IOS", 3: "TVOS", 4: "WATCHOS", 6: "MACCATALYST", 7: "IOSSIMULATOR"}
LC_BUILD_VERSION = 0x32
LC_VERSION_MIN_IPHONEOS = 0x25


def version(v):
    return "%d.%d" % (v >> 16, (v >> 8) & 0xFF) + ("" if v & 0xFF == 0 else ".%d" % (v & 0xFF))


def macho_info(body):
    """(arch, platform, minos) of a 64-bit Mach-O object, or raises ValueError."""
    if len(body) < 32:
        raise ValueError("too short")
    magic = struct.unpack_from("<I", body, 0)[0]
    if magic != 0xFEEDFACF:
        if body[:4] in (b"BC\xc0\xde", b"\xde\xc0\x17\x0b"):
            raise ValueError("LLVM bitcode, not machine code")
        raise ValueError("not a 64-bit little-endian Mach-O (magic %#x)" % magic)
    cputype, _sub, filetype, ncmds, _sizeofcmds = struct.unpack_from("<iiIII", body, 4)
    arch = CPU.get(cputype & 0xFFFFFFFF, "cpu %#x" % (cputype & 0xFFFFFFFF))
    if filetype != 1:
        raise ValueError("not an object file (MH_OBJECT), filetype %d" % filetype)
    off, platform, minos = 32, None, None
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", body, off)
        if cmd == LC_BUILD_VERSION:
            p, mo = struct.unpack_from("<II", body, off + 8)
            platform, minos = PLATFORMS.get(p, "platform %d" % p), mo
        elif cmd == LC_VERSION_MIN_IPHONEOS and platform is None:
            platform, minos = "IOS (LC_VERSION_MIN_IPHONEOS)", struct.unpack_from("<I", body, off + 8)[0]
        off += size
    return arch, platform, minos


def parse_version(s):
    parts = [int(x) for x in s.split(".")] + [0, 0]
    return (parts[0] << 16) | (parts[1] << 8) | parts[2]


# ---- checks ---------------------------------------------------------------------------------------

def check_library(nm, lib, archs, variant, minos_s, header, tbd):
    name = os.path.relpath(lib, os.path.dirname(os.path.dirname(lib)))
    want_platform = "IOSSIMULATOR" if variant == "simulator" else "IOS"
    minos = parse_version(minos_s)
    try:
        members = list(ar_members(lib))
    except (OSError, ValueError) as e:
        check(False, name + " is an ar archive", str(e))
        return
    # rust-std's precompiled objects (compiler_builtins and the compiler-rt C in it) carry the old
    # LC_VERSION_MIN_IPHONEOS with rustc's default minimum (10.0): iOS too, and older is fine.
    old_style = "IOS (LC_VERSION_MIN_IPHONEOS)"
    bad, newer, tally, arch_seen, own = [], [], {}, set(), []
    for mname, body in members:
        try:
            arch, platform, mo = macho_info(body)
        except (ValueError, struct.error) as e:
            bad.append("%s: %s" % (mname, e))
            continue
        arch_seen.add(arch)
        key = "%s %s" % (platform, "?" if mo is None else version(mo))
        tally[key] = tally.get(key, 0) + 1
        if platform not in (want_platform, old_style):
            bad.append("%s: platform %s" % (mname, platform))
        if mo is None or mo > minos:
            newer.append("%s: minos %s" % (mname, "none" if mo is None else version(mo)))
        if mname.startswith("qorgan_ffi"):
            own.append((mname, platform, mo))
    check(members and not bad,
          "%s: %d members, all Mach-O objects for %s" % (name, len(members), want_platform),
          "; ".join(bad[:5]) + (" (+%d more)" % (len(bad) - 5) if len(bad) > 5 else ""),
          ", ".join("%d %s" % (v, k) for k, v in sorted(tally.items())))
    check(arch_seen == set(archs), "%s: architectures %s as Info.plist says" % (name, "+".join(sorted(archs))),
          "found " + "+".join(sorted(arch_seen)))
    check(members and not newer, "%s: no object needs an iOS newer than %s" % (name, minos_s), "; ".join(newer[:5]))
    own_ok = own and all(p == want_platform and mo == minos for _, p, mo in own)
    check(own_ok, "%s: the crate's own object: LC_BUILD_VERSION platform %s, minos %s" % (name, want_platform, minos_s),
          "; ".join("%s: %s %s" % (n, p, "?" if mo is None else version(mo)) for n, p, mo in own)
          if own else "no qorgan_ffi object in the archive",
          "%d object%s" % (len(own), "" if len(own) == 1 else "s"))

    # exports: every function the header declares
    try:
        # --no-llvm-bc: read the machine code's symbol table, not the bitcode rust-std's objects
        # embed (which an llvm-nm older than the rustc's LLVM cannot read)
        defined = subprocess.run([nm, "--no-llvm-bc", "--defined-only", "--extern-only", "-j", lib], check=True,
                                 capture_output=True, text=True).stdout.split()
        undefined = subprocess.run([nm, "--no-llvm-bc", "--undefined-only", "-j", lib], check=True,
                                   capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError) as e:
        check(False, name + ": llvm-nm reads the archive", str(e))
        return
    defined = set(s for s in defined if not s.endswith(":"))
    with open(header, encoding="utf-8") as f:
        text = f.read()
    # prototypes, not the function-pointer typedefs ("(*UniffiCallback...)")
    declared = sorted(set(re.findall(r"^[A-Za-z_][\w ]*?[\s*]((?:uniffi|ffi)_\w+)\(", text, re.M)))
    missing = [d for d in declared if "_" + d not in defined]
    check(declared and not missing,
          "%s: defines all %d functions QorganFFI.h declares" % (name, len(declared)),
          ("missing: " + ", ".join(missing[:8]) + (" (+%d)" % (len(missing) - 8) if len(missing) > 8 else ""))
          if declared else "no uniffi_/ffi_ prototypes found in the header")

    imports = sorted(set(s for s in undefined if not s.endswith(":")) - defined)
    print("      %d undefined imports: %s" % (len(imports), " ".join(imports)))
    if tbd:
        with open(tbd, encoding="utf-8") as f:
            exported = set(re.findall(r"[\s\[,']([_A-Za-z][\w$.]*)(?=[\s\],'])", f.read()))
        absent = [s for s in imports if s not in exported]
        check(not absent, "%s: all %d imports are exported by libSystem (zig's macOS libSystem.tbd, a proxy)"
              % (name, len(imports)), "not in it: " + ", ".join(absent[:10]))


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    nm, xcf, minos_s = sys.argv[1:4]
    tbd = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
    plist_path = os.path.join(xcf, "Info.plist")
    try:
        with open(plist_path, "rb") as f:
            plist = plistlib.load(f)
        check(True, "Info.plist is a well-formed property list")
    except Exception as e:  # noqa: BLE001 -- any parse error is the finding
        check(False, "Info.plist is a well-formed property list", "%s: %s" % (type(e).__name__, e))
        plist = None
    libs = []
    if isinstance(plist, dict):
        libs = plist.get("AvailableLibraries") or []
        check(plist.get("CFBundlePackageType") == "XFWK" and plist.get("XCFrameworkFormatVersion") == "1.0"
              and libs, "Info.plist: an XCFramework (XFWK, format 1.0) with %d libraries" % len(libs),
              "CFBundlePackageType=%r XCFrameworkFormatVersion=%r AvailableLibraries=%d"
              % (plist.get("CFBundlePackageType"), plist.get("XCFrameworkFormatVersion"), len(libs)))
    for entry in libs:
        ident = entry.get("LibraryIdentifier", "?")
        archs = entry.get("SupportedArchitectures") or []
        variant = entry.get("SupportedPlatformVariant")
        base = os.path.join(xcf, ident)
        lib = os.path.join(base, entry.get("LibraryPath", ""))
        headers = os.path.join(base, entry.get("HeadersPath", ""))
        want_ident = "ios-" + "_".join(archs) + ("-" + variant if variant else "")
        problems = []
        if entry.get("SupportedPlatform") != "ios":
            problems.append("SupportedPlatform %r" % entry.get("SupportedPlatform"))
        if ident != want_ident:
            problems.append("LibraryIdentifier %s, expected %s" % (ident, want_ident))
        if variant not in (None, "simulator"):
            problems.append("SupportedPlatformVariant %r" % variant)
        for key in ("LibraryPath", "BinaryPath"):
            if not entry.get(key) or not os.path.isfile(os.path.join(base, entry[key])):
                problems.append("%s %r is not a file" % (key, entry.get(key)))
        for h in ("QorganFFI.h", "module.modulemap"):
            if not entry.get("HeadersPath") or not os.path.isfile(os.path.join(headers, h)):
                problems.append("no %s in HeadersPath %r" % (h, entry.get("HeadersPath")))
        if not check(not problems, "Info.plist %s: keys consistent, LibraryPath/BinaryPath/HeadersPath exist" % ident,
                     "; ".join(problems)):
            continue
        with open(os.path.join(headers, "module.modulemap"), encoding="utf-8") as f:
            mm = f.read()
        check("module QorganFFI" in mm and 'header "QorganFFI.h"' in mm,
              "%s: module.modulemap declares module QorganFFI over QorganFFI.h" % ident, mm.strip()[:120])
        check_library(nm, lib, archs, variant, minos_s, os.path.join(headers, "QorganFFI.h"), tbd)
    failed = results.count(False)
    print("%d passed, %d failed" % (results.count(True), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
