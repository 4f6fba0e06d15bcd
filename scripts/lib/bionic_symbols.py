#!/usr/bin/env python3
"""Bionic's symbol maps (libc.map.txt, ...) read the way the NDK reads them for its stub libraries.

Each map lists, per version node (LIBC, LIBC_N, ...), the symbols a library exports, tagged with the
architectures that have them (`# arm x86`), the API level they appeared at (`introduced=N`,
`introduced-<arch>=N`, also on the version node), `var` for data, `versioned=N` (the symbol carries
its version only from API N on) and tags for what is not part of the NDK (`platform-only`, `apex`,
`llndk`, `systemapi`, version nodes named *_PRIVATE / *_PLATFORM). This follows the rules of the
NDK's generator (build/soong/cc/symbolfile in AOSP) as far as these maps use them.

    bionic_symbols.py list MAP ARCH API           names available to an app with that minSdk, one a line
    bionic_symbols.py stub MAP ARCH API OUT.c OUT.ver
                                                  C source of a stub library and its version script

ARCH is Bionic's name: arm, arm64, x86, x86_64, riscv64.
"""
import re
import sys

ARCHES = {"arm", "arm64", "x86", "x86_64", "riscv64"}
# Tags that keep a symbol (or a whole version node) out of the NDK's stubs.
NOT_NDK = {"platform-only", "apex", "llndk", "systemapi", "future"}
CODENAMES = {"G": 9, "I": 14, "J": 16, "K": 19, "L": 21, "M": 23, "N": 24, "O": 26, "P": 28,
             "Q": 29, "R": 30, "S": 31, "T": 33}


def _level(value):
    try:
        return int(value)
    except ValueError:
        return CODENAMES.get(value, 10_000)  # an unknown codename: not yet released


def _tags(comment):
    return comment.split() if comment else []


def _introduced(tags, arch):
    """API level from tags: introduced-<arch>= wins over introduced=; None when untagged."""
    level = None
    for t in tags:
        if t.startswith("introduced=") and level is None:
            level = _level(t.split("=", 1)[1])
    for t in tags:
        if t.startswith("introduced-" + arch + "="):
            level = _level(t.split("=", 1)[1])
    return level


def _versioned(tags):
    for t in tags:
        if t.startswith("versioned="):
            return _level(t.split("=", 1)[1])
    return None


def _for_arch(tags, arch):
    arches = [t for t in tags if t in ARCHES]
    return not arches or arch in arches


def parse(path, arch, api):
    """[(version, name, is_var, versioned_here)] exported to an app with minSdk `api` on `arch`."""
    out = []
    version = None
    version_tags = []
    for raw in open(path, encoding="utf-8"):
        line, _, comment = raw.partition("#")
        line = line.strip()
        tags = _tags(comment)
        if not line:
            continue
        m = re.match(r"^([A-Za-z0-9_]+)\s*\{$", line)
        if m:
            version, version_tags = m.group(1), tags
            continue
        if line.startswith("}"):
            version = None
            continue
        if version is None or line in ("global:", "local:") or line == "*;":
            continue
        if not line.endswith(";"):
            raise SystemExit(f"{path}: cannot read line: {raw.rstrip()}")
        name = line[:-1].strip()
        if version.endswith(("_PRIVATE", "_PLATFORM")):
            continue
        if NOT_NDK & set(version_tags) or NOT_NDK & set(tags):
            continue
        if not _for_arch(version_tags, arch) or not _for_arch(tags, arch):
            continue
        level = _introduced(tags, arch)
        if level is None:
            level = _introduced(version_tags, arch)
        if level is not None and level > api:
            continue
        v = _versioned(tags)
        out.append((version, name, "var" in tags, v is None or api >= v))
    return out


def stub(path, arch, api, out_c, out_ver):
    syms = parse(path, arch, api)
    with open(out_c, "w", encoding="utf-8") as c:
        c.write(f"/* generated from {path} for {arch}, API {api}: a stub to link against */\n")
        for _, name, is_var, _ in syms:
            c.write(f"int {name} = 0;\n" if is_var else f"void {name}(void) {{}}\n")
    # Version nodes in file order, each inheriting the one before (as the maps chain them).
    nodes = []
    for version, name, _, versioned in syms:
        if not versioned:
            continue  # exported without a version at this API level
        if not nodes or nodes[-1][0] != version:
            nodes.append((version, []))
        nodes[-1][1].append(name)
    with open(out_ver, "w", encoding="utf-8") as v:
        prev = None
        for version, names in nodes:
            v.write(version + " {\n  global:\n")
            v.writelines(f"    {n};\n" for n in names)
            v.write("}" + (f" {prev}" if prev else "") + ";\n")
            prev = version


def main(argv):
    if len(argv) >= 4 and argv[0] == "list":
        for _, name, _, _ in parse(argv[1], argv[2], int(argv[3])):
            print(name)
    elif len(argv) == 6 and argv[0] == "stub":
        stub(argv[1], argv[2], int(argv[3]), argv[4], argv[5])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
