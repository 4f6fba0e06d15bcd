#!/usr/bin/env python3
"""Writes the manifest that goes into a hand-built AAR or APK (scripts/package-android.sh), from a
source manifest as the Gradle build reads it (the package comes from `namespace`, the SDK levels
from build.gradle.kts), the way the Android Gradle plugin's manifest merger fills them in.

    android_manifest.py IN OUT PACKAGE [--min-sdk N] [--application NAME=VALUE]...

--min-sdk adds <uses-sdk android:minSdkVersion="N"/> (an AAR's manifest carries it; for an APK
aapt2 link adds it). --application sets an android: attribute of <application>.
"""
import sys
import xml.etree.ElementTree as ET

ANDROID = "http://schemas.android.com/apk/res/android"


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__.strip())
    src, out, package = argv[:3]
    min_sdk = None
    app_attrs = []
    rest = argv[3:]
    while rest:
        opt = rest.pop(0)
        if opt == "--min-sdk" and rest:
            min_sdk = rest.pop(0)
        elif opt == "--application" and rest and "=" in rest[0]:
            app_attrs.append(rest.pop(0).split("=", 1))
        else:
            sys.exit(__doc__.strip())
    ET.register_namespace("android", ANDROID)
    tree = ET.parse(src)
    root = tree.getroot()
    if root.get("package") not in (None, package):
        sys.exit(f"android_manifest: {src} says package {root.get('package')}, the build says {package}")
    root.set("package", package)
    if min_sdk is not None and root.find("uses-sdk") is None:
        root.insert(0, ET.Element("uses-sdk", {f"{{{ANDROID}}}minSdkVersion": min_sdk}))
    if app_attrs:
        app = root.find("application")
        if app is None:
            sys.exit(f"android_manifest: {src} has no <application>")
        for name, value in app_attrs:
            app.set(f"{{{ANDROID}}}{name}", value)
    ET.indent(tree)
    tree.write(out, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    main(sys.argv[1:])
