#!/usr/bin/env python3
"""Regenerate rust-core/engine/data/interception/ (cas.tsv, certs/, blocklist_README.md).

Maintainer tool, never run by the build or the tests.

Usage:
    scripts/refresh-interception-data.py SRC_DIR [--extra PATH ...] [--out DIR] [--check]

SRC_DIR is laid out like the curated interception folder this data was first built from:

    SRC_DIR/interception_roots.tsv    file, label, party, subject, ..., spki_sha256_hex, ...
    SRC_DIR/chromium_spki_lists.tsv   list, spki_sha256_hex, spki_sha256_b64, files
    SRC_DIR/blocklist_README.md       Chromium net/data/ssl/blocklist/README.md (first line:
                                      "<!-- Source: ... @ <commit>, verbatim. ... -->")
    SRC_DIR/pem/                      certificates (.pem) and public keys (.key) named in the
                                      TSV files

--extra PATH (repeatable) names further files or folders searched for a certificate or public key
of an entry that has none in SRC_DIR/pem: single PEM or DER certificates, PEM bundles (each
certificate is tried) and SubjectPublicKeyInfo PEMs (.key). The current OUT/certs/ is always
searched too, so a refresh from SRC_DIR alone keeps certificates found earlier.

Every referenced file is checked with the openssl commands from Chromium's blocklist README:

    openssl x509 -in F -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum
    openssl pkey -pubin -in F -outform DER | sha256sum              (for .key files)

and referenced only when the digest equals the row's SPKI SHA-256.

Rows: every SPKI of chromium_spki_lists.tsv (kSPKIBlockList and kKnownInterceptionList) and every
row of interception_roots.tsv except the public roots kept there as test vectors, merged by SPKI.
Category, label, party, country and year come from the curated tables below (keyed by Chromium
README section, by file name and by interception_roots.tsv file); entries without curation are
reported on stderr and get a generic label, so review them before committing.

--check regenerates into a temporary folder and exits 1 if the result differs from OUT.

Needs Python 3.8+ and the openssl command (1.1.1 or 3.x). No third-party Python packages.
"""

import argparse
import csv
import filecmp
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(REPO, "rust-core", "data", "interception")

COLUMNS = ["spki_sha256_hex", "label", "party", "country", "year", "category", "subject",
           "certificate", "source"]
CATEGORIES = ["government_interception", "government_root", "vendor_mitm", "enterprise_mitm",
              "spyware", "blocked", "test"]

KZ_REFS = "IMC 2020 Raman et al.; OONI 2024"

# --- Curation -----------------------------------------------------------------------------------
# By section heading of Chromium's blocklist README. "label" may be refined per file below; when
# several keys share a section-level label, " [<first 8 hex of the Chromium file>]" is appended.
SECTIONS = {
    ".bd": dict(category="blocked", label="Comodo-issued google.com.bd certificate (misissued)",
                party="Comodo CA", country="GB", year="-"),
    "Camerfirma": dict(category="blocked", label="AC Camerfirma CA certificate (distrusted 2021)",
                       party="AC Camerfirma S.A. (CA)", country="ES", year="2021"),
    "China Internet Network Information Center (CNNIC)": dict(
        category="blocked", label="CNNIC certificate (distrusted 2015 after the MCS Holdings sub-CA misissuance)",
        party="CNNIC, China Internet Network Information Center (CA)", country="CN", year="2015"),
    "Comodo": dict(category="blocked",
                   label="Fraudulent certificate from the Comodo RA compromise (2011)",
                   party="Comodo CA (partner RA compromised)", country="GB", year="2011"),
    "DCSSI": dict(category="blocked",
                  label="Intermediate under the French government DCSSI root used to misissue gstatic.com certificates (2013)",
                  party="DCSSI/ANSSI, French government PKI (IGC/A)", country="FR", year="2013"),
    "DigiNotar": dict(category="blocked", label="DigiNotar CA certificate (compromised 2011)",
                      party="DigiNotar B.V. (CA)", country="NL", year="2011"),
    "India CCA": dict(category="blocked",
                      label="India NIC sub-CA certificate (India CCA misissuance 2014)",
                      party="National Informatics Centre, sub-CA of India CCA", country="IN", year="2014"),
    "Sri Lanka": dict(category="blocked", label="Sectigo-issued google.lk certificate (misissued)",
                      party="Sectigo (CA)", country="GB", year="-"),
    "Thawte": dict(category="blocked",
                   label="Thawte (Symantec) precertificate misissued for www.google.com (2015)",
                   party="Thawte / Symantec (CA)", country="US", year="2015"),
    "Togo": dict(category="blocked", label="Let's Encrypt-issued google.tg certificate (misissued)",
                 party="Let's Encrypt (CA)", country="US", year="-"),
    "TrustCor": dict(category="blocked", label="TrustCor CA certificate (distrusted 2022)",
                     party="TrustCor Systems S. de R.L. (CA)", country="PA", year="2022"),
    "Trustwave": dict(category="enterprise_mitm",
                      label="Trustwave enterprise-MITM subordinate CA key (2012)",
                      party="Trustwave (subordinate CA issued to a customer for TLS inspection)",
                      country="US", year="2012"),
    "TurkTrust": dict(category="blocked",
                      label="TurkTrust intermediate misissued with the CA bit set (issued 2011, found 2012)",
                      party="TurkTrust (CA)", country="TR", year="2011"),
    "Cyberoam": dict(category="enterprise_mitm",
                     label="Cyberoam DPI appliance default CA key (CVE-2012-3372)",
                     party="Cyberoam (Sophos) UTM/DPI appliances", country="IN", year="2012"),
    "Dell": dict(category="vendor_mitm", label="Dell root with extractable private key (2015)",
                 party="Dell", country="US", year="2015"),
    "Mitel": dict(category="vendor_mitm",
                  label="Mitel CA with extractable private key (Mitel advisory 17-0001)",
                  party="Mitel Networks", country="CA", year="2017"),
    "Sennheiser": dict(category="vendor_mitm",
                       label="Sennheiser HeadSetup certificate with disclosed private key (2018)",
                       party="Sennheiser Communications (HeadSetup software)", country="DK", year="2018"),
    "sslip.io": dict(category="blocked",
                     label="sslip.io wildcard certificate (private key published)",
                     party="sslip.io (Comodo-issued wildcard)", country="-", year="-"),
    "xs4all.nl": dict(category="blocked",
                      label="xs4all.nl certificate obtained via a reserved e-mail address (private key published)",
                      party="xs4all.nl (Comodo-issued, obtained by a user)", country="-", year="-"),
    "Superfish": dict(category="vendor_mitm",
                      label="Superfish root (Lenovo adware, Komodia-based; leaked private key, 2015)",
                      party="Superfish Inc. / Lenovo", country="US", year="2015"),
    "DigiCert": dict(category="blocked",
                     label="DigiCert intermediate retired and blocked at DigiCert's request",
                     party="DigiCert (CA)", country="US", year="-"),
    "E-GUVEN": dict(category="blocked", label="E-GUVEN X.509v1 CA certificate",
                    party="E-Guven (CA)", country="TR", year="-"),
    "Hacking Team": dict(category="spyware", label="Hacking Team MITM key",
                         party="Hacking Team (spyware vendor)", country="IT", year="2015"),
    "JCSI": dict(category="blocked",
                 label="JCSI 'lost' intermediate (Japan Certification Services)",
                 party="Japan Certification Services (CA)", country="JP", year="-"),
    "live.fi": dict(category="blocked",
                    label="live.fi certificate obtained via a reserved e-mail address (2015)",
                    party="live.fi (Microsoft domain; certificate obtained by a user)",
                    country="-", year="2015"),
    "Microsoft Dynamics 365": dict(category="blocked",
                                   label="Microsoft Dynamics 365 certificate with leaked private key (2017)",
                                   party="Microsoft", country="US", year="2017"),
    "Qaznet Trust Network": dict(category="government_interception",
                                 label="Kazakhstan government interception root",
                                 party="Government of Kazakhstan", country="KZ", year="-"),
    "revoked.badssl.com": dict(category="blocked",
                               label="revoked.badssl.com test leaf (blocked for testing)",
                               party="badssl.com (test site)", country="-", year="-"),
    "blocked-interception.badssl.com": dict(category="test",
                                            label="blocked-interception.badssl.com test leaf",
                                            party="badssl.com (Chromium test entry)",
                                            country="-", year="2019"),
    "known-interception.badssl.com": dict(category="test",
                                          label="known-interception.badssl.com test leaf",
                                          party="badssl.com (Chromium test entry)",
                                          country="-", year="2019"),
    "revoked.grc.com": dict(category="blocked",
                            label="revoked.grc.com test leaf (blocked for testing)",
                            party="GRC (revocation test site)", country="-", year="-"),
    "SECOM": dict(category="blocked",
                  label="SECOM intermediate retired and blocked at SECOM's request",
                  party="SECOM Trust Systems (CA)", country="JP", year="-"),
    "Symantec": dict(category="blocked",
                     label="Symantec intermediate retired and blocked at Symantec's request",
                     party="Symantec (CA)", country="US", year="-"),
    "T-Systems": dict(category="blocked",
                      label="T-Systems intermediate retired and blocked at T-Systems' request",
                      party="T-Systems (CA)", country="DE", year="-"),
    "WoSign/StartCom": dict(category="blocked",
                            label="WoSign/StartCom CA certificate (distrusted 2016)",
                            party="WoSign / StartCom (CA)", country="-", year="2016"),
    "www.cloudflarechallenge.com": dict(
        category="blocked",
        label="www.cloudflarechallenge.com certificate (private key extracted via Heartbleed, 2014)",
        party="CloudFlare Heartbleed challenge", country="US", year="2014"),
}

# By Chromium file name (first 8 hex digits suffice) or interception_roots.tsv file name.
# Keys of one SPKI may have several files; the first curated one wins.
FILES = {
    # Kazakhstan (interception_roots.tsv files; campaigns per IMC 2020, Censored Planet, OONI 2024)
    "00309c73": dict(label='Kazakhstan 2019 "Qaznet Trust Network" root', year="2019",
                     refs=KZ_REFS),
    "61c0fc2e": dict(label='Kazakhstan ISCA "Information Security Certification Authority CA" root (2020-12 Nur-Sultan campaign)',
                     year="2020", refs=KZ_REFS),
    "1df696f0": dict(label="Kazakhstan ISCA root (issued 2020-02-28 06:43 UTC; listed with the 2020-12 campaign)",
                     year="2020", refs=KZ_REFS),
    "0230a604": dict(label="Kazakhstan ISCA root (Nur-Sultan, issued 2021-04-28)", year="2021",
                     refs=KZ_REFS),
    "06fd2062": dict(label="Kazakhstan ISCA root (issued 2020-02-28 06:30 UTC; campaign undocumented)",
                     year="-", refs=KZ_REFS),
    "0bd39de4": dict(label="Kazakhstan ISCA root (issued 2020-02-28 06:46 UTC; signed a 2021 MITM intermediate per OONI)",
                     year="2021", refs=KZ_REFS),
    "c95c133b": dict(label="Kazakhstan ISCA root (issued 2020-02-28 06:48 UTC; campaign undocumented)",
                     year="-", refs=KZ_REFS),
    "c530fadc": dict(label="Kazakhstan ISCA root (valid to 2050; signed 2023 MITM intermediates per OONI)",
                     year="2023", refs=KZ_REFS),
    "89107c8e": dict(label="Kazakhstan ISCA root (valid to 2050; 2024-02 MITM, Mozilla bug 1879046)",
                     year="2024", refs=KZ_REFS + "; Mozilla bug 1879046"),
    "3472e4f1": dict(label="Kazakhstan ISCA root (valid to 2050; 2024-08 MITM intermediate per OONI)",
                     year="2024", refs=KZ_REFS),
    # Russia (not in Chromium's lists)
    "russian_trusted_root_ca_2022.pem": dict(
        category="government_root",
        label='Russia "Russian Trusted Root CA" (Mintsifry, 2022): government root outside every public root program; no documented use for interception',
        party="Russian Ministry of Digital Development (Mintsifry)", country="RU", year="2022",
        source="gu-st.ru (Russian government certificate portal); SHA-256 d26d2d02...cf31 matches independently published fingerprints; not in Chromium's lists"),
    # Vendors
    "0f912fd7": dict(label="Dell DSDTestProvider root (Dell System Detect; leaked private key, 2015)",
                     party="Dell (Dell System Detect)"),
    "ec30c9c3": dict(label="Dell eDellRoot root (preinstalled on Dell PCs; leaked private key, 2015)"),
    "91e5cc32": dict(label="Sennheiser HeadSetup SenncomRootCA (disclosed private key, 2018)"),
    "ddd8ab91": dict(label="Sennheiser HeadSetup 127.0.0.1 CA certificate (disclosed private key, 2018)"),
    "2a33f5b4": dict(label="Mitel/Aastra CA (2008, RSA-1024; extractable private key, Mitel advisory 17-0001)",
                     party="Mitel Networks (Aastra)", country="FR"),
    "3ab0fcc7": dict(label="Mitel/Aastra CA (2016, RSA-1024; extractable private key, Mitel advisory 17-0001)",
                     party="Mitel Networks (Aastra)", country="FR"),
    "2d11e736": dict(label="Mitel Networks ICP CA (2015; extractable private key, Mitel advisory 17-0001)"),
    "60911c79": dict(label="Mitel Networks ICP CA (2002, RSA-1024; extractable private key, Mitel advisory 17-0001)"),
    "c4387d45": dict(label="Hacking Team key #1 (reported used to compromise users; blocked after the 2015 leak)"),
    "ea08c8d4": dict(label="Hacking Team key #2 (reported used to compromise users; blocked after the 2015 leak)"),
    # Names known from the certificates, from root-store membership of the same SPKI, or both
    "0d136e43": dict(label="DigiNotar Root CA (compromised 2011)"),
    "294f55ef": dict(label="DigiNotar Root CA G2 (compromised 2011)"),
    "e2839377": dict(label="CNNIC ROOT (distrusted 2015 after the MCS Holdings sub-CA misissuance)"),
    "1c01c6f4": dict(label="CNNIC EV Certificates Root (distrusted 2015 after the MCS Holdings sub-CA misissuance)"),
    "e54e9fc2": dict(label='French government "AC DG Trésor SSL" intermediate (DCSSI/IGC/A) used to misissue gstatic.com certificates (2013)'),
    "063e4afa": dict(label="Camerfirma Chambers of Commerce Root - 2008 (distrusted 2021)"),
    "13633543": dict(label="Camerfirma Global Chambersign Root - 2008 (distrusted 2021)"),
    "0c258a12": dict(label="Camerfirma Chambers of Commerce Root (2003) (distrusted 2021)"),
    "ef3cb417": dict(label="Camerfirma Global Chambersign Root (2003) (distrusted 2021)"),
    "5a885db1": dict(label="TrustCor ECA-1 (distrusted 2022)"),
    "d40e9c86": dict(label="TrustCor RootCert CA-1 (distrusted 2022)"),
    "0753e940": dict(label="TrustCor RootCert CA-2 (distrusted 2022)"),
    "8b45da1c": dict(label="CA WoSign ECC Root (distrusted 2016)", party="WoSign (CA)", country="CN"),
    "d6f034bd": dict(label="CA 沃通根证书 / WoSign root (distrusted 2016)", party="WoSign (CA)", country="CN"),
    "4b22d5a6": dict(label="Certification Authority of WoSign (distrusted 2016)", party="WoSign (CA)",
                     country="CN"),
    "d487a56f": dict(label="Certification Authority of WoSign G2 (distrusted 2016)", party="WoSign (CA)",
                     country="CN"),
    "c766a9be": dict(label="StartCom Certification Authority (distrusted 2016)",
                     party="StartCom (CA, owned by WoSign)", country="IL"),
    "c7ba6567": dict(label="StartCom Certification Authority G2 (distrusted 2016)",
                     party="StartCom (CA, owned by WoSign)", country="IL"),
    "82a4cedb": dict(label="Let's Encrypt-issued google.tg certificate (misissued, August 2019)",
                     year="2019"),
    # Chromium files not described in blocklist/README.md: DarkMatter intermediates issued by
    # QuoVadis in 2017 (subjects read from the Chromium files, which are not vendored here).
    "3ae699d9": dict(category="blocked",
                     label="DarkMatter High Assurance CA (UAE intermediate issued by QuoVadis; blocked 2019)",
                     party="DarkMatter LLC (UAE), via QuoVadis", country="AE", year="2019",
                     subject="CN=DarkMatter High Assurance CA,O=DarkMatter LLC,C=AE",
                     refs="subject read from the Chromium file, which is not vendored"),
    "d8888f4a": dict(category="blocked",
                     label="DarkMatter Assured CA (UAE intermediate issued by QuoVadis; blocked 2019)",
                     party="DarkMatter LLC (UAE), via QuoVadis", country="AE", year="2019",
                     subject="CN=DarkMatter Assured CA,O=DarkMatter LLC,C=AE",
                     refs="subject read from the Chromium file, which is not vendored"),
    "a25a1954": dict(category="blocked",
                     label="DarkMatter Secure CA (UAE intermediate issued by QuoVadis; blocked 2019)",
                     party="DarkMatter LLC (UAE), via QuoVadis", country="AE", year="2019",
                     subject="CN=DarkMatter Secure CA,O=DarkMatter LLC,C=AE",
                     refs="subject read from the Chromium file, which is not vendored"),
}

TEST_LABELS = {  # interception_roots.tsv labels that mark public roots kept as test vectors
    "public root (test vector)",
}

# --- openssl helpers ----------------------------------------------------------------------------


def run(args, data=None):
    p = subprocess.run(args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), p.stderr.decode(errors="replace").strip()))
    return p.stdout


def spki_sha256_of_file(path):
    """The two openssl pipelines of Chromium's blocklist README, sha256sum done in Python."""
    if path.endswith(".key"):
        der = run(["openssl", "pkey", "-pubin", "-in", path, "-outform", "DER"])
    else:
        pub = run(["openssl", "x509", "-in", path, "-noout", "-pubkey"])
        der = run(["openssl", "pkey", "-pubin", "-outform", "DER"], pub)
    return hashlib.sha256(der).hexdigest()


def subject_of(path):
    out = run(["openssl", "x509", "-in", path, "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb"])
    s = out.decode("utf-8").strip()
    return s[len("subject="):] if s.startswith("subject=") else s


def cert_sha256(pem_bytes):
    return hashlib.sha256(run(["openssl", "x509", "-outform", "DER"], pem_bytes)).hexdigest()


PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\s*", re.S)
PEM_PUB = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----\s*", re.S)


def candidates_from(path, tmp):
    """Yield (spki_hex, kind, out_name, bytes) for each certificate or public key in a file."""
    data = open(path, "rb").read()
    certs = PEM_CERT.findall(data)
    pubs = PEM_PUB.findall(data)
    items = []
    if len(certs) == 1 and not pubs:
        items.append(("pem", data))           # single certificate: keep the file as it is
    elif certs:
        items.extend(("pem", c) for c in certs)  # bundle: one block per certificate
    elif pubs:
        items.extend(("key", k) for k in pubs)
    elif not data.lstrip().startswith(b"-----"):
        try:
            items.append(("pem", run(["openssl", "x509", "-inform", "DER", "-outform", "PEM"], data)))
        except RuntimeError:
            return
    for kind, blob in items:
        probe = os.path.join(tmp, "probe." + kind)
        with open(probe, "wb") as f:
            f.write(blob)
        try:
            spki = spki_sha256_of_file(probe)
            name = (spki + ".key") if kind == "key" else (cert_sha256(blob) + ".pem")
        except RuntimeError:
            continue
        yield spki, kind, name, blob


def walk(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for f in sorted(files):
                    yield os.path.join(root, f)
        elif os.path.isfile(p):
            yield p


# --- build --------------------------------------------------------------------------------------


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def readme_sections(path):
    """Map Chromium file name -> README section heading ('### ...')."""
    section, out = None, {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"###\s+(.*?)\s*$", line)
        if m:
            section = m.group(1)
            continue
        if section:
            for name in re.findall(r"([0-9a-f]{64}\.(?:pem|key))", line):
                out.setdefault(name, section)
    return out


def readme_commit(path):
    first = open(path, encoding="utf-8").readline()
    m = re.search(r"@\s*([0-9a-f]{40})", first)
    return m.group(1) if m else None


def file_meta(name):
    if name in FILES:
        return FILES[name]
    return FILES.get(name[:8]) if re.match(r"[0-9a-f]{64}\.", name) else None


def clean(v):
    v = (v or "").replace("\t", " ").replace("\r", " ").replace("\n", " ").strip()
    return v if v else "-"


def build(src, extras, out_dir, tmp):
    roots = [r for r in read_tsv(os.path.join(src, "interception_roots.tsv"))
             if r["label"] not in TEST_LABELS]
    lists = read_tsv(os.path.join(src, "chromium_spki_lists.tsv"))
    readme = os.path.join(src, "blocklist_README.md")
    sections = readme_sections(readme)
    commit = readme_commit(readme)
    short = commit[:8] if commit else "?"
    pem_dir = os.path.join(src, "pem")

    entries = {}  # spki -> dict
    def entry(spki):
        return entries.setdefault(spki.lower(), dict(lists=[], files=[], root=None))
    for r in lists:
        e = entry(r["spki_sha256_hex"])
        if r["list"] not in e["lists"]:
            e["lists"].append(r["list"])
        for f in (r.get("files") or "").split(","):
            f = f.strip()
            if f and f != "-" and f not in e["files"]:
                e["files"].append(f)
    for r in roots:
        e = entry(r["spki_sha256_hex"])
        e["root"] = r
        if r["file"] not in e["files"]:
            e["files"].append(r["file"])

    # Certificates and keys available, by SPKI: SRC_DIR/pem first, then --extra, then OUT/certs.
    found = {}
    def offer(spki, kind, name, blob, origin):
        found.setdefault(spki, []).append(dict(kind=kind, name=name, blob=blob, origin=origin))
    for e in entries.values():
        for f in e["files"]:
            p = os.path.join(pem_dir, f)
            if os.path.isfile(p):
                kind = "key" if f.endswith(".key") else "pem"
                blob = open(p, "rb").read()
                try:
                    spki = spki_sha256_of_file(p)
                except RuntimeError as err:
                    print("warning: %s: %s" % (p, err), file=sys.stderr)
                    continue
                offer(spki, kind, f, blob, p)
    for p in walk(list(extras) + [os.path.join(out_dir, "certs")]):
        for spki, kind, name, blob in candidates_from(p, tmp):
            if spki in entries:
                offer(spki, kind, name, blob, p)

    rows, certs, uncurated = [], {}, []
    section_label_count = {}
    pre = []
    for spki, e in entries.items():
        section = next((sections[f] for f in e["files"] if f in sections), None)
        fmeta = next((file_meta(f) for f in e["files"] if file_meta(f)), None)
        smeta = SECTIONS.get(section) if section else None
        meta = {}
        meta.update(smeta or {})
        meta.update(fmeta or {})
        if not smeta and not fmeta:
            uncurated.append(spki)
            if e["root"]:
                meta.update(label=e["root"]["label"], party=e["root"]["party"])
            elif "kSPKIBlockList" in e["lists"]:
                meta.update(category="blocked", label="Chromium-blocked key (no public certificate)"
                            if not e["files"] else "Chromium-blocked key (not described in Chromium's README)")
            else:
                meta.update(category="government_interception",
                            label="Chromium known-interception key (uncurated)")
        if e["root"] and "label" not in meta:
            meta["label"] = e["root"]["label"]
        label_is_section_level = bool(smeta) and not (fmeta and "label" in fmeta)
        pre.append((spki, e, section, meta, label_is_section_level))
        if label_is_section_level:
            section_label_count[meta["label"]] = section_label_count.get(meta["label"], 0) + 1

    for spki, e, section, meta, label_is_section_level in pre:
        label = meta.get("label", "-")
        if label_is_section_level and section_label_count.get(label, 0) > 1:
            chromium_file = next((f for f in e["files"] if re.match(r"[0-9a-f]{64}\.", f)), spki)
            label = "%s [%s]" % (label, chromium_file[:8])
        # certificate: prefer a certificate whose name is one of the entry's files, then any
        # certificate, then a public key
        cands = found.get(spki, [])
        cands.sort(key=lambda c: (c["kind"] != "pem", c["name"] not in e["files"]))
        chosen = None
        for c in cands:
            probe = os.path.join(tmp, c["name"])
            with open(probe, "wb") as f:
                f.write(c["blob"])
            got = spki_sha256_of_file(probe)
            if got == spki:
                chosen = (c, probe)
                break
            print("warning: %s: SPKI %s != %s, not referenced" % (c["origin"], got, spki),
                  file=sys.stderr)
        subject = meta.get("subject", "-")
        certificate = "-"
        if chosen:
            c, probe = chosen
            certificate = c["name"]
            certs[certificate] = c["blob"]
            if c["kind"] == "pem":
                subject = subject_of(probe)
        # source
        lists_txt = "+".join(l for l in ("kSPKIBlockList", "kKnownInterceptionList") if l in e["lists"])
        if "source" in meta:
            source = meta["source"]
        elif lists_txt:
            source = "Chromium %s, net/data/ssl/blocklist @%s (BSD-3-Clause)" % (lists_txt, short)
            if section:
                source += " [%s]" % section
            elif not any(re.match(r"[0-9a-f]{64}\.", f) for f in e["files"]):
                source += " [no file]"
            else:
                source += " [file not in README]"
            if meta.get("refs"):
                source += "; " + meta["refs"]
        else:
            source = "interception_roots.tsv"
        category = meta.get("category", "blocked")
        if category not in CATEGORIES:
            raise SystemExit("unknown category %r for %s" % (category, spki))
        rows.append(dict(spki_sha256_hex=spki, label=label, party=meta.get("party", "-"),
                         country=meta.get("country", "-"), year=meta.get("year", "-"),
                         category=category, subject=subject, certificate=certificate,
                         source=source))

    for spki in uncurated:
        print("warning: uncurated entry %s: review its row" % spki, file=sys.stderr)

    def sort_key(r):
        year = r["year"] if r["year"] != "-" else "9999"
        return (CATEGORIES.index(r["category"]), year, r["label"], r["spki_sha256_hex"])
    rows.sort(key=sort_key)
    return rows, certs, readme


def write(out_dir, rows, certs, readme):
    os.makedirs(os.path.join(out_dir, "certs"), exist_ok=True)
    with open(os.path.join(out_dir, "cas.tsv"), "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(clean(r[c]) for c in COLUMNS) + "\n")
    certs_dir = os.path.join(out_dir, "certs")
    for name in os.listdir(certs_dir):
        if name not in certs and (name.endswith(".pem") or name.endswith(".key")):
            os.remove(os.path.join(certs_dir, name))
    for name, blob in certs.items():
        with open(os.path.join(certs_dir, name), "wb") as f:
            f.write(blob)
    shutil.copyfile(readme, os.path.join(out_dir, "blocklist_README.md"))


def same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src_dir", help="folder laid out like the curated interception folder")
    ap.add_argument("--extra", action="append", default=[],
                    help="further file or folder searched for certificates/keys (repeatable)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if OUT differs from what would be written")
    args = ap.parse_args()
    for need in ("interception_roots.tsv", "chromium_spki_lists.tsv", "blocklist_README.md"):
        if not os.path.isfile(os.path.join(args.src_dir, need)):
            raise SystemExit("%s: missing %s" % (args.src_dir, need))
    with tempfile.TemporaryDirectory() as tmp:
        rows, certs, readme = build(args.src_dir, args.extra, args.out, tmp)
        if args.check:
            gen = os.path.join(tmp, "out")
            write(gen, rows, certs, readme)
            keep = ("cas.tsv", "certs", "blocklist_README.md")
            cur = os.path.join(tmp, "cur")
            os.makedirs(cur)
            for k in keep:
                p = os.path.join(args.out, k)
                if os.path.isdir(p):
                    shutil.copytree(p, os.path.join(cur, k))
                elif os.path.isfile(p):
                    shutil.copyfile(p, os.path.join(cur, k))
            ok = same_tree(gen, cur)
            print("up to date" if ok else "OUT differs from a fresh build", file=sys.stderr)
            sys.exit(0 if ok else 1)
        write(args.out, rows, certs, readme)
    counts = {}
    for r in rows:
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    print("%d rows, %d certificate/key files; %s" % (
        len(rows), len(certs), ", ".join("%s %d" % (c, counts.get(c, 0)) for c in CATEGORIES)))


if __name__ == "__main__":
    main()
