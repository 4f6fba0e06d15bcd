#!/usr/bin/env python3
"""Checks built Android libraries the way Android will load them (scripts/check-android-libs.sh).

    check_android_libs.py READELF JNILIBS LIB_FILE API BIONIC REPO [ABI...]

For each ABI (default: arm64-v8a armeabi-v7a x86_64), JNILIBS/<abi>/LIB_FILE must:
  - be an ELF shared object for the ABI's machine and class (armeabi-v7a: EABI5, soft-float);
  - have every LOAD segment aligned to 16 KB (0x4000): Android 15+ devices with 16 KB pages load
    nothing else, and Google Play requires it;
  - have DT_SONAME = LIB_FILE (Android identifies loaded libraries by it);
  - need only libc.so, libdl.so, libm.so and liblog.so (nothing an app could lack);
  - have no text relocations (refused since API 23) and a non-executable stack;
  - have its dynamic relocations packed in Android's format (DT_ANDROID_REL[A], "APS2"), as the
    NDK's clang links every library of API 23 and up, and the packed table well formed: decoded
    here as Bionic's linker decodes it, every relocation of a known type, applied inside a
    writable segment, a relative one pointing inside the image, a symbol one naming a symbol;
  - export (defined, global, dynamic) every `external fun` of the android-flavour Kotlin bindings
    (bindings/kotlin-android) and every JNI entry point (Java_...) the Android shell declares,
    and none of UniFFI's metadata statics (UNIFFI_META_*, read only by the binding generator
    from the host build; scripts/lib/phone-linker keeps them out);
  - import only symbols that Bionic's maps (BIONIC/*/*.map.txt) give an app of minSdk API on that
    architecture, under the symbol version the map names.
One line per check, then "N passed, N failed".
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bionic_symbols  # noqa: E402

ABIS = {
    # abi: (Bionic arch, readelf Machine, ELF class)
    "arm64-v8a": ("arm64", "AArch64", "ELF64"),
    "armeabi-v7a": ("arm", "ARM", "ELF32"),
    "x86_64": ("x86_64", "Advanced Micro Devices X86-64", "ELF64"),
}
ALLOWED_NEEDED = {"libc.so", "libdl.so", "libm.so", "liblog.so"}
PAGE = 0x4000
# The relocation types lld writes for a Rust cdylib, per ABI: (RELATIVE, the others allowed).
RELOC_TYPES = {
    "arm64-v8a": (1027, {257: "ABS64", 1025: "GLOB_DAT", 1026: "JUMP_SLOT", 1030: "TLS_TPREL64",
                         1028: "TLS_DTPMOD64", 1029: "TLS_DTPREL64", 1031: "TLSDESC"}),
    "armeabi-v7a": (23, {2: "ABS32", 21: "GLOB_DAT", 22: "JUMP_SLOT", 17: "TLS_DTPMOD32",
                         18: "TLS_DTPOFF32", 19: "TLS_TPOFF32"}),
    "x86_64": (8, {1: "64", 6: "GLOB_DAT", 7: "JUMP_SLOT", 16: "DTPMOD64", 17: "DTPOFF64",
                   18: "TPOFF64"}),
}
DT_ANDROID_REL, DT_ANDROID_RELSZ = 0x6000000F, 0x60000010
DT_ANDROID_RELA, DT_ANDROID_RELASZ = 0x60000011, 0x60000012

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name}" + (f": {detail}" if detail else ""))


def readelf(tool, *args):
    r = subprocess.run([tool, "-W", *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{tool} {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def kotlin_externals(repo):
    """`external fun` names of the android-flavour bindings (the UniffiLib object's natives)."""
    names = set()
    root = os.path.join(repo, "bindings", "kotlin-android")
    for dirpath, _, files in os.walk(root):
        for f in files:
            if f.endswith(".kt"):
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                names.update(re.findall(r"\bexternal\s+fun\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", text))
    return names


def jni_entry_points(repo):
    """Java_... names: defined in rust-core/jni, and derived from the Android shell's own
    `external fun` declarations (package + enclosing object/class + name)."""
    defined = set()
    for dirpath, dirs, files in os.walk(os.path.join(repo, "rust-core")):
        dirs[:] = [d for d in dirs if d not in ("target", "tests", "fuzz", "bench")]
        for f in files:
            if f.endswith(".rs"):
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                defined.update(re.findall(r"\bfn\s+(Java_[A-Za-z0-9_]+)\s*\(", text))
    declared = set()
    shell = os.path.join(repo, "android")
    for dirpath, _, files in os.walk(shell):
        if "/build" in dirpath:
            continue
        for f in files:
            if not f.endswith(".kt"):
                continue
            text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            pkg = re.search(r"^\s*package\s+([\w.]+)", text, re.M)
            owner = None
            for line in text.splitlines():
                m = re.search(r"\b(?:object|class)\s+([A-Za-z_]\w*)", line)
                if m and not line.lstrip().startswith(("//", "*", "/*")):
                    owner = m.group(1)
                m = re.search(r"\bexternal\s+fun\s+([A-Za-z_]\w*)\s*\(", line)
                if m and owner and pkg:
                    # JNI short names; Kotlin identifiers here have no '_' needing escapes
                    declared.add("Java_" + pkg.group(1).replace(".", "_") + "_" + owner + "_" + m.group(1))
    return defined, declared


def loaded_names(repo):
    """The library names the Kotlin code loads: the bindings' findLibraryName default and the
    Android shell's own loader (QorganNative) default."""
    found = {}
    for base in (os.path.join(repo, "bindings", "kotlin-android"), os.path.join(repo, "android")):
        for dirpath, _, files in os.walk(base):
            if "/build" in dirpath:
                continue
            for f in files:
                if not f.endswith(".kt"):
                    continue
                path = os.path.join(dirpath, f)
                text = open(path, encoding="utf-8").read()
                m = re.search(r"fun findLibraryName\(.*?\breturn\s+\"([^\"]+)\"\s*\n\}", text, re.S)
                if m:
                    found[os.path.relpath(path, repo)] = m.group(1)
                for m in re.finditer(r"libraryOverride\"\)\s*\?:\s*\"([^\"]+)\"", text):
                    found[os.path.relpath(path, repo)] = m.group(1)
    return found


def dyn_symbols(tool, so):
    """[(name, version or None, defined, bind, type)] from readelf --dyn-syms."""
    out = []
    for line in readelf(tool, "--dyn-syms", so).splitlines():
        parts = line.split()
        if len(parts) < 8 or not parts[0].rstrip(":").isdigit():
            continue
        typ, bind, ndx, name = parts[3], parts[4], parts[6], parts[7]
        if not name:
            continue
        version = None
        m = re.match(r"^([^@]+)@@?([^@ ]+)", name)
        if m:
            name, version = m.group(1), m.group(2)
            version = re.sub(r"\s*\(\d+\)$", "", version)
        out.append((name, version, ndx != "UND", bind, typ))
    return out


def bionic_allowed(bionic, arch, api):
    """name -> set of versions it may carry (None: unversioned at this API level)."""
    allowed = {}
    for lib in ("libc", "libdl", "libm", "liblog"):
        path = os.path.join(bionic, lib, lib + ".map.txt")
        if not os.path.exists(path):
            continue
        for version, name, _, versioned in bionic_symbols.parse(path, arch, api):
            allowed.setdefault(name, set()).add(version if versioned else None)
    return allowed


def sleb128(data, pos):
    """(value, next position) of the signed LEB128 number at data[pos]."""
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated SLEB128 number")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    if byte & 0x40:
        value -= 1 << shift
    return value, pos


def decode_aps2(data, has_addend, bits):
    """[(r_offset, r_info, r_addend)] of an Android packed relocation table, as Bionic's
    linker reads it (linker/linker_reloc_iterators.h, packed_reloc_iterator)."""
    BY_INFO, BY_OFFSET_DELTA, BY_ADDEND, HAS_ADDEND = 1, 2, 4, 8
    if data[:4] != b"APS2":
        raise ValueError(f"magic {data[:4]!r}, not APS2")
    mask = (1 << bits) - 1
    pos = 4
    count, pos = sleb128(data, pos)
    offset, pos = sleb128(data, pos)
    info = addend = 0
    out = []
    while len(out) < count:
        size, pos = sleb128(data, pos)
        flags, pos = sleb128(data, pos)
        if size <= 0 or len(out) + size > count:
            raise ValueError(f"a group of {size} relocations where {count - len(out)} remain")
        if flags & HAS_ADDEND and not has_addend:
            raise ValueError("addends in a REL table")
        if flags & BY_OFFSET_DELTA:
            delta, pos = sleb128(data, pos)
        if flags & BY_INFO:
            info, pos = sleb128(data, pos)
        if flags & HAS_ADDEND and flags & BY_ADDEND:
            a, pos = sleb128(data, pos)
            addend += a
        elif not flags & HAS_ADDEND:
            addend = 0
        for _ in range(size):
            if flags & BY_OFFSET_DELTA:
                offset += delta
            else:
                d, pos = sleb128(data, pos)
                offset += d
            if not flags & BY_INFO:
                info, pos = sleb128(data, pos)
            if flags & HAS_ADDEND and not flags & BY_ADDEND:
                a, pos = sleb128(data, pos)
                addend += a
            out.append((offset & mask, info & mask, addend))
    if any(data[pos:]):
        raise ValueError(f"{len(data) - pos} bytes after the last group")
    return out


def check_packed_relocations(tool, so, label, abi, dyn, loads):
    """The library's relocations are in Android's packed table, and that table is sound."""
    tags = {}
    for line in dyn.splitlines():
        m = re.match(r"\s*0x([0-9a-fA-F]+)\s+\(([^)]*)\)\s+(\S+)", line)
        if m:
            tags[int(m.group(1), 16)] = m.group(3)
    rela = DT_ANDROID_RELA in tags
    where, size = (DT_ANDROID_RELA, DT_ANDROID_RELASZ) if rela else (DT_ANDROID_REL, DT_ANDROID_RELSZ)
    plain = [t for t in (7, 17) if t in tags]  # DT_RELA, DT_REL
    if where not in tags:
        check(f"{label}: relocations packed in Android's format (DT_ANDROID_REL[A])", False,
              "no DT_ANDROID_REL[A]: linked without --pack-dyn-relocs=android (see scripts/lib/android_sysroot.sh)")
        return
    vaddr, length = int(tags[where], 16), int(tags[size].split()[0], 0)
    # (offset, vaddr, filesz, memsz, flags) of the LOAD segments
    segs = [(int(l[1], 16), int(l[2], 16), int(l[4], 16), int(l[5], 16), "".join(l[6:-1])) for l in loads]
    seg = next((sg for sg in segs if sg[1] <= vaddr and vaddr + length <= sg[1] + sg[2]), None)
    data = b""
    if seg:
        with open(so, "rb") as f:
            f.seek(seg[0] + vaddr - seg[1])
            data = f.read(length)
    bits = 32 if abi == "armeabi-v7a" else 64
    try:
        relocs = decode_aps2(data, rela, bits)
    except ValueError as e:
        check(f"{label}: the packed relocation table decodes as Bionic decodes it", False, str(e))
        return
    relative, others = RELOC_TYPES[abi]
    m = re.search(r"Symbol table '\.dynsym' contains (\d+) entries", readelf(tool, "--dyn-syms", so))
    nsyms = int(m.group(1)) if m else 0
    image_end = max(sg[1] + sg[3] for sg in segs)
    writable = [(sg[1], sg[1] + sg[3]) for sg in segs if "W" in sg[4]]
    # PT_GNU_RELRO lies inside a writable LOAD segment until the linker protects it.
    image = open(so, "rb").read()

    def word_at(va):
        """The 32-bit word a REL relocation adds to (its implicit addend)."""
        sg = next((sg for sg in segs if sg[1] <= va < sg[1] + sg[2]), None)
        return int.from_bytes(image[sg[0] + va - sg[1]:][:4], "little") if sg else 0

    bad = []
    counts = {}
    for off, info, addend in relocs:
        typ, sym = (info & 0xFF, info >> 8) if bits == 32 else (info & 0xFFFFFFFF, info >> 32)
        name = "RELATIVE" if typ == relative else others.get(typ)
        counts[name or typ] = counts.get(name or typ, 0) + 1
        if name is None:
            bad.append(f"type {typ} at {off:#x}")
        elif not any(lo <= off < hi for lo, hi in writable):
            bad.append(f"{name} at {off:#x}, outside the writable segments")
        # (one past the end is a pointer too: the end of a slice that ends the image)
        elif typ == relative and not 0 <= (addend if rela else word_at(off)) <= image_end:
            bad.append(f"RELATIVE at {off:#x} to {addend if rela else word_at(off):#x}, outside the image")
        elif typ != relative and not 0 < sym < nsyms:
            bad.append(f"{name} at {off:#x} names symbol {sym} of {nsyms}")
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    check(f"{label}: relocations packed in Android's format, as the NDK links at API 23+: "
          f"{len(relocs)} in {length} bytes ({summary})",
          not bad and not plain and relocs,
          "; ".join(bad[:5]) if bad else f"plain relocation tables too: {plain}" if plain else "no relocations")


def check_abi(tool, jnilibs, lib_file, api, bionic, abi, externals, jni_names):
    arch, machine, elf_class = ABIS[abi]
    so = os.path.join(jnilibs, abi, lib_file)
    label = f"{abi}/{lib_file}"
    if not os.path.isfile(so):
        check(f"{label} exists", False, f"no {so}: run scripts/build-android.sh --native")
        return
    check(f"{label} exists ({os.path.getsize(so)} bytes)", True)

    header = readelf(tool, "-h", so)
    got_machine = re.search(r"Machine:\s+(.+)", header).group(1).strip()
    got_class = re.search(r"Class:\s+(\S+)", header).group(1)
    got_type = re.search(r"Type:\s+(\S+)", header).group(1)
    check(f"{label} is an {elf_class} {machine} shared object",
          got_machine == machine and got_class == elf_class and got_type == "DYN",
          f"{got_class} {got_machine} {got_type}")
    if arch == "arm":
        # armeabi-v7a passes floats in core registers (softfp): a hard-float object would
        # exchange them in VFP registers with code that does not look there.
        flags = re.search(r"Flags:\s+(0x[0-9a-fA-F]+)", header)
        value = int(flags.group(1), 16) if flags else 0
        # e_flags: EF_ARM_EABI_VER5 0x05000000, EF_ARM_ABI_FLOAT_SOFT 0x200, _HARD 0x400
        check(f"{label}: ARM EABI5, soft-float calling convention",
              value & 0xFF000000 == 0x05000000 and value & 0x200 and not value & 0x400,
              f"e_flags {flags.group(1) if flags else 'unreadable'}")

    segs = readelf(tool, "-l", so)
    loads = [l.split() for l in segs.splitlines() if l.split()[:1] == ["LOAD"]]
    bad = [l[-1] for l in loads if int(l[-1], 16) % PAGE != 0]
    check(f"{label}: {len(loads)} LOAD segments, all aligned to 16 KB", loads and not bad,
          f"alignments {' '.join(l[-1] for l in loads)}")
    stack = [l.split() for l in segs.splitlines() if l.split()[:1] == ["GNU_STACK"]]
    check(f"{label}: stack not executable", stack and "E" not in "".join(stack[0][6:-1]),
          "no GNU_STACK header" if not stack else " ".join(stack[0]))

    dyn = readelf(tool, "-d", so)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dyn)
    check(f"{label}: NEEDED only system libraries ({', '.join(needed)})",
          set(needed) <= ALLOWED_NEEDED, f"unexpected {sorted(set(needed) - ALLOWED_NEEDED)}")
    soname = re.findall(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dyn)
    check(f"{label}: SONAME is {lib_file}", soname == [lib_file], f"SONAME {soname or 'missing'}")
    textrel = re.search(r"\(TEXTREL\)", dyn) or re.search(r"\(FLAGS\).*\bTEXTREL\b", dyn)
    check(f"{label}: no text relocations", not textrel, "DT_TEXTREL / TEXTREL flag present")
    check_packed_relocations(tool, so, label, abi, dyn, loads)

    syms = dyn_symbols(tool, so)
    exported = {n for n, _, d, b, t in syms if d and b in ("GLOBAL", "WEAK") and t == "FUNC"}
    missing = sorted(externals - exported)
    check(f"{label}: exports all {len(externals)} `external fun` of the Kotlin bindings",
          externals and not missing, f"{len(missing)} missing, e.g. {missing[:5]}")
    missing = sorted(jni_names - exported)
    check(f"{label}: exports the JNI entry points ({', '.join(sorted(jni_names))})",
          jni_names and not missing, f"missing {missing}")

    meta = sorted(n for n, _, d, b, _ in syms if d and n.startswith("UNIFFI_META_"))
    check(f"{label}: exports no UniFFI metadata (UNIFFI_META_*: only for the binding generator)",
          not meta, f"{len(meta)} exported, e.g. {meta[:3]} (not linked by scripts/lib/phone-linker?)")

    allowed = bionic_allowed(bionic, arch, api)
    later = bionic_allowed(bionic, arch, 10_000)
    undefined = [(n, v, b) for n, v, d, b, _ in syms if not d]
    wrong = []
    weak_later = []
    for name, version, bind in undefined:
        if name not in allowed:
            # A weak import resolves to null where the device lacks it, and the code tests for
            # that (Rust's std takes getrandom this way, with a syscall fallback below API 28).
            if bind == "WEAK" and name in later and version is None:
                weak_later.append(name)
            else:
                wrong.append(f"{name} ({bind.lower()}, not in Bionic at API {api} for {arch})")
        elif version is not None and version not in allowed[name]:
            wrong.append(f"{name}@{version} (Bionic: {sorted(v or '-' for v in allowed[name])})")
    note = f"; weak, from a later API: {', '.join(sorted(weak_later))}" if weak_later else ""
    check(f"{label}: all {len(undefined)} imports exist in Bionic at API {api} ({arch}){note}",
          not wrong, "; ".join(wrong[:10]) + (f" and {len(wrong) - 10} more" if len(wrong) > 10 else ""))


def main(argv):
    if len(argv) < 6:
        sys.stderr.write(__doc__)
        return 2
    tool, jnilibs, lib_file, api, bionic, repo = argv[:6]
    abis = argv[6:] or list(ABIS)
    api = int(api)
    externals = kotlin_externals(repo)
    defined, declared = jni_entry_points(repo)
    check(f"the Kotlin bindings declare `external fun`s ({len(externals)})", bool(externals))
    names = loaded_names(repo)
    wrong = {p: n for p, n in names.items() if f"lib{n}.so" != lib_file}
    check(f"the Kotlin code loads {lib_file} ({', '.join(f'{p}: {n}' for p, n in sorted(names.items()))})",
          names and not wrong, f"loads {wrong}")
    check("every JNI `external fun` of the Android shell has its Java_ function in rust-core",
          declared <= defined, f"declared {sorted(declared)}, defined {sorted(defined)}")
    for abi in abis:
        if abi not in ABIS:
            check(f"known ABI {abi}", False, f"expected one of {', '.join(ABIS)}")
            continue
        check_abi(tool, jnilibs, lib_file, api, bionic, abi, externals, defined | declared)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
