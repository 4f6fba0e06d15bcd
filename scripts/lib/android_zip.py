#!/usr/bin/env python3
"""Writes the zips of the Android packages (scripts/package-android.sh): classes.jar, the AAR, the
unsigned APK. Same inputs, same bytes: sorted names, fixed timestamps, no extra metadata.

    android_zip.py [--apk] [--base ZIP] [--exclude PREFIX]... OUT ENTRY...
    android_zip.py --check APK      only check an APK's alignment (e.g. after apksigner)

ENTRY is NAME=FILE (one file stored as NAME) or PREFIX/=DIR (every file under DIR, named
PREFIX/<relative path>; "/=DIR" puts them at the root). --base copies every entry of ZIP first
(aapt2's output: AndroidManifest.xml, resources.arsc), keeping how each was compressed.
--exclude drops the names that start with PREFIX (after the PREFIX/ of a directory entry).

--apk: the layout Android wants of an APK (what zipalign -p and the Android Gradle plugin do):
every uncompressed entry starts on a 4-byte boundary, and native libraries (*.so) are stored
uncompressed starting on a 16 KB boundary, so that the platform maps them straight from the APK
(android:extractNativeLibs="false") on devices with 4 KB and with 16 KB pages. The padding goes
into an extra field 0xd935 (the "alignment" field of zipalign and the Android Gradle plugin) that
records the alignment, which apksigner reads and keeps when it rewrites the entries to sign them.
Without --apk everything is deflated.
"""
import os
import struct
import sys
import zipfile

DATE = (1981, 1, 1, 1, 1, 2)  # what the Android Gradle plugin writes; zip has no earlier-than-1980
ALIGN_FIELD = 0xD935
SO_ALIGN = 16384
STORED_ALIGN = 4


def usage():
    sys.exit(__doc__.strip())


def collect(entries, excludes):
    out = {}
    for e in entries:
        if "=" not in e:
            usage()
        name, path = e.split("=", 1)
        if name.endswith("/"):
            prefix = name.lstrip("/")
            for root, _dirs, files in os.walk(path):
                for f in files:
                    full = os.path.join(root, f)
                    rel = os.path.relpath(full, path).replace(os.sep, "/")
                    if any(rel.startswith(x) for x in excludes):
                        continue
                    out[prefix + rel] = full
        else:
            out[name] = path
    return out


class Writer:
    def __init__(self, out, apk):
        self.zf = zipfile.ZipFile(out, "w")
        self.apk = apk

    def add(self, name, data, compress):
        info = zipfile.ZipInfo(name, DATE)
        info.create_system = 0  # no Unix permission bits: the same zip from any umask
        info.external_attr = 0
        if compress:
            info.compress_type = zipfile.ZIP_DEFLATED
        else:
            info.compress_type = zipfile.ZIP_STORED
            if self.apk:
                align = SO_ALIGN if name.endswith(".so") else STORED_ALIGN
                # The local header is 30 bytes + the name + the extra field; the data follows.
                start = self.zf.fp.tell() + 30 + len(name.encode()) + 6
                pad = (-start) % align
                info.extra = struct.pack("<HHH", ALIGN_FIELD, 2 + pad, align) + b"\0" * pad
        self.zf.writestr(info, data, compresslevel=9 if compress else None)

    def close(self):
        self.zf.close()


def main(argv):
    apk = False
    base = None
    excludes = []
    args = list(argv)
    if len(args) == 2 and args[0] == "--check":
        exit_on_problems(args[1])
        return
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--apk":
            apk = True
        elif opt == "--base" and args:
            base = args.pop(0)
        elif opt == "--exclude" and args:
            excludes.append(args.pop(0))
        else:
            usage()
    if len(args) < 1:
        usage()
    out, entries = args[0], collect(args[1:], excludes)
    w = Writer(out, apk)
    seen = set()
    if base:
        with zipfile.ZipFile(base) as z:
            for info in z.infolist():
                if info.is_dir():
                    continue
                seen.add(info.filename)
                w.add(info.filename, z.read(info), info.compress_type != zipfile.ZIP_STORED)
    for name in sorted(entries):
        if name in seen:
            sys.exit(f"android_zip: {name} is both in {base} and given")
        with open(entries[name], "rb") as f:
            data = f.read()
        # In an APK, native libraries are stored (mapped from the APK); everything else deflated.
        w.add(name, data, not (apk and name.endswith(".so")))
    w.close()
    if apk:
        exit_on_problems(out)


def alignment_problems(path):
    """Re-read the local headers: every stored entry must start on its boundary (16 KB for native
    libraries, 4 bytes for the others), and native libraries must be stored, not deflated."""
    problems = []
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for info in z.infolist():
            so = info.filename.endswith(".so")
            if info.compress_type != zipfile.ZIP_STORED:
                if so:
                    problems.append(f"{info.filename} is compressed")
                continue
            f.seek(info.header_offset)
            head = f.read(30)
            n, m = struct.unpack("<HH", head[26:30])
            start = info.header_offset + 30 + n + m
            align = SO_ALIGN if so else STORED_ALIGN
            if start % align:
                problems.append(f"{info.filename} starts at {start}, not on a {align}-byte boundary")
    return problems


def exit_on_problems(path):
    problems = alignment_problems(path)
    if problems:
        sys.exit("android_zip: " + "; ".join(problems))


if __name__ == "__main__":
    main(sys.argv[1:])
