### The qorgan CLI's own sentences in English (en). The engine's (findings, the checker) are in
### rust-core/engine/i18n/. Same ids and arguments in en.ftl, ru.ftl and kk.ftl (checked by a
### test). Codes, flag names, SHA-256, SPKI, PEM and JSON keys stay as they are.

## Errors (one sentence: the argument or file, and what to do)

cli-error-inspect-no-input = inspect needs a chain: name a PEM, DER or PKCS#7 file, or pipe one in (qorgan inspect - < chain.pem).
cli-error-at-validated = --at does not apply to --validated: the platform already checked the dates. Remove --at.
cli-error-pins-needs-host = --pins needs --host: pins apply to the host the chain is for. Add --host NAME.
cli-error-fast-path = the per-handshake fast path called this chain clean but the verdict is { $verdict }
cli-error-internal = internal error: { $error }
cli-error-chain-too-long = the chain holds { $count ->
    [one] 1 certificate
   *[other] { $count } certificates
}, more than the { $limit } a chain may have. Give the server's chain only (leaf first); use audit for a trust store.
cli-stdin = standard input
cli-error-is-directory = { $file }: this is a folder. Name a certificate file; audit reads folders.
cli-error-too-large = { $file }: { $bytes } bytes is too large for a certificate file. Check that it is the right file.
cli-io-not-found = no such file. Check the path.
cli-io-permission-denied = permission denied. Run as a user who can read it.
cli-error-no-certificate-in-paths = No certificate was found in the given paths. Name PEM, DER or PKCS#7 files, or folders of them.
cli-could-not-read = could not read { $file }: { $reason }
cli-folder-not-listed = a folder that cannot be listed: { $reason }
cli-system-store = system trust store
cli-system-store-bad-pem = a PEM file in it is malformed (the system-store loader does not say which)
cli-error-system-store-empty = No certificates were found in this machine's trust store. Set SSL_CERT_FILE, or name files to audit.
cli-error-at = --at "{ $value }": not a time Qorgan reads. Give an RFC 3339 time such as 2019-07-20T00:00:00Z, or seconds since 1970 such as 1563580800.
cli-error-host = { $flag } "{ $value }": not a host name. Give a name such as example.com, or an IP address.
cli-error-check-host = "{ $value }": not a host name. Give a name such as example.com, or a URL such as https://example.com/path.
cli-error-timeout = --timeout { $value }: give a number of seconds above 0 and at most 300, for example 10.
cli-error-connect = --connect "{ $value }": give IP:PORT, for example 203.0.113.7:443 or [2001:db8::1]:443.
cli-error-policy-not-text = { $file }: the pin policy is not UTF-8 text. Give a Network Security Config XML or a JSON file.
cli-policy-warning = { $file }: warning: { $warning }

## What is wrong with a certificate file (after its name)

cli-store-empty = the file is empty. Give a file with certificates.
cli-store-not-pem = no certificate found: the text is not PEM (no "-----BEGIN CERTIFICATE-----" line).
cli-store-not-pem-or-der = no certificate found: the file is neither PEM text nor DER.
cli-store-too-many = the file holds { $count ->
    [one] 1 certificate
   *[other] { $count } certificates
}, more than the { $limit } Qorgan reads from one file.
cli-store-no-end = the section starting "-----BEGIN { $label }-----" has no "-----END { $label }-----" line: the file may be cut short. Copy it again in full.
cli-store-no-certificate = no certificate found in the file.
cli-store-no-certificate-sections = no certificate found: its PEM sections are { $labels }.
cli-pem-mismatched = a section starts with "-----BEGIN { $begin }-----" but ends with "-----END { $end }-----".
cli-pem-bad-base64 = a PEM section is not valid base64: there is a character other than A-Z, a-z, 0-9, +, / and = between the BEGIN and END lines. The file may be damaged; copy it again.
cli-pem-bad-headers = a PEM section has malformed header lines ("Name: value" before a blank line).
cli-pem-not-text = a PEM section holds bytes that are not text.
cli-pem-unpaired = the PEM BEGIN and END lines do not pair up.

## Notes on standard error

cli-note-skipped-anchor = note: trusted certificate #{ $index } ({ $subject }) cannot anchor a path ({ $reason }); chains it signed are still found by its signature.
cli-note-skipped-files = { $folder }: skipped { $count ->
    [one] 1 file
   *[other] { $count } files
} holding no certificate.
cli-note-store-path-missing = system store: { $file }: no such file

## inspect: the verdict of a chain

cli-verdict-word = { $verdict ->
    [trusted] TRUSTED
    [intercepted_known] INTERCEPTED
    [intercepted_local] INTERCEPTED (local CA)
    [untrusted] UNTRUSTED
    [invalid] INVALID
   *[pin_violation] PIN VIOLATION
}
cli-verdict-line-host = { $word } for { $host }: { $sentence }
cli-verdict-line = { $word }: { $sentence }
cli-verdict-trusted = the chain leads to a public root, { $anchor } ({ $programs }).
cli-verdict-intercepted-known = this connection goes through a known interception CA: { $ca }.
cli-verdict-intercepted-known-unnamed = this connection goes through a known interception CA (see the findings).
cli-verdict-intercepted-local = the chain ends at “{ $anchor }”, which this device trusts but no public root program does.
cli-verdict-untrusted = the chain leads to no trusted root; a phone would refuse it.
cli-verdict-invalid = the chain leads to { $anchor }, but it is not acceptable. { $problem }
cli-verdict-pin-violation = no certificate of the validated chain matches the app's pins.
cli-heading-findings = Findings
cli-heading-path = Path
cli-heading-anchor = Anchor
cli-severity = { $severity ->
    [critical] critical
    [warning] warning
   *[info] info
}
cli-role = { $role ->
    [leaf] leaf
    [intermediate] intermediate
    [root] root
   *[anchor] anchor
}
cli-path-unreadable = could not be read in full
cli-path-not-sent = not sent; from { $source ->
    [caller] the trusted anchors given
    [known] Qorgan's list of interception CAs
   *[programs] the bundled root programs
}
cli-anchor-public = public root ({ $programs })
cli-anchor-known-interception = known interception CA
cli-anchor-non-public = not in any public root program
cli-anchor-distrusted = distrusted for cause

## audit: a trust store

cli-audit-word = { $outcome ->
    [danger] DANGER
    [warning] WARNING
    [incomplete] INCOMPLETE
   *[clean] CLEAN
}
cli-audit-interception = { $count ->
    [one] 1 known interception CA is trusted here: whoever holds it can read and change HTTPS traffic.
   *[other] { $count } known interception CAs are trusted here: whoever holds them can read and change HTTPS traffic.
}
cli-audit-blocked = { $count ->
    [one] 1 CA that browsers block after a compromise or misconduct is trusted here.
   *[other] { $count } CAs that browsers block after a compromise or misconduct are trusted here.
}
cli-audit-non-public = { $count ->
    [one] 1 root is in no public root program: it can be used to intercept HTTPS traffic. Remove it if you do not recognise it.
   *[other] { $count } roots are in no public root program: each can be used to intercept HTTPS traffic. Remove any you do not recognise.
}
cli-audit-see-findings = see the findings below.
cli-audit-incomplete = { $count ->
    [one] 1 file that may hold certificates could not be read (below). The certificates read show no interception CA and no non-public root.
   *[other] { $count } files that may hold certificates could not be read (below). The certificates read show no interception CA and no non-public root.
}
cli-audit-clean = no interception CA and no non-public root.
cli-audit-sources = { $count } files
cli-audit-counts = { $total ->
    [one] 1 certificate
   *[other] { $total } certificates
} from { $from }. Known interception CAs: { $known }{ $blocked ->
    [0] {""}
   *[other] {" "}(blocked by browsers: { $blocked })
}. Outside public programs: { $non_public }. Public roots: { $public }. Not CAs: { $not_ca }.
cli-audit-file-count = { $file }: { $count ->
    [one] 1 certificate
   *[other] { $count } certificates
}
cli-heading-unreadable = Files that could not be read
cli-heading-unreadable-note = they may hold certificates this audit did not see
cli-heading-attention = Certificates that need attention
cli-audit-in-file = from the file { $file }
cli-audit-compared = Compared with: { $versions }

## check: live probes

cli-check-col-host = host
cli-check-col-verdict = verdict
cli-check-col-detail = detail
cli-check-verdict = { $verdict ->
    [trusted] trusted
    [intercepted_known] intercepted
    [intercepted_local] intercepted (local CA)
    [untrusted] untrusted
    [invalid] invalid
    [pin_violation] pin violation
   *[unreachable] not checked
}
cli-check-then = { $finding } (then: { $error })
cli-probe-error = { $code ->
    [dns_failed] The name { $host } did not resolve.
    [connect_failed] Could not connect to { $host }.
    [connection_refused] { $host } refused the connection: nothing listens on that port.
    [not_tls] { $host } answered, but not with TLS (a plain HTTP server?).
    [timeout] { $host } did not answer in time.
    [tls_alert] { $host } answered with a TLS alert.
    [reset_after_client_hello] The connection to { $host } was cut right after the ClientHello: this is how blocking by site name usually looks.
   *[tls_error] The TLS handshake with { $host } failed.
}
cli-check-counts = Trusted: { $trusted }. Intercepted (known CA): { $known }. Intercepted (local CA): { $local }. Untrusted: { $untrusted }. Invalid: { $invalid }. Not checked: { $unreachable }.

## pin

cli-pin-domain = Domain: { $domain } ({ $source ->
    [given] as given
    [common_name] the leaf's common name; choose another with --domain
    [san] the leaf's first DNS name; choose another with --domain
   *[none] a placeholder: the chain has no leaf name; give --domain
})
cli-pin-paste-nsc = paste inside the <domain-config> of { $domain } in res/xml/network_security_config.xml
cli-pin-json-heading = The same in Qorgan's JSON format
cli-pin-note-leaf = changes whenever the certificate is renewed with a new key
cli-pin-note-root-not-sent = not sent by the server; found in the root programs
cli-pin-backup-here = add a backup pin here: a key that is not in this chain
cli-pin-advice = Which pins to choose: pin at least two keys, and never only the leaf.
cli-pin-advice-ca = The intermediate's or the root's key survives your own certificate renewals for as long as you stay with that CA; the root's key also survives a change of intermediate. Either one already stops user-installed, enterprise and government CAs.
cli-pin-advice-leaf = The leaf's key changes at every renewal unless you reuse the key: pin it only together with a CA key, or when you control renewals.
cli-pin-advice-backup = Add a backup pin that is not in today's chain: a second CA you could move to, or a spare key pair kept offline for your next certificate. Without one, a forced key change locks every installed app out until users update.
cli-pin-advice-expiration = Keep the expiration (one year here), so that an app nobody updates fails open rather than bricked, and try the policy in report-only mode first ("enforce": false in JSON).

## bundle: signed knowledge bundles (keygen, sign, verify, --bundle)

cli-bundle-error-too-large = the bundle is { $size } bytes, over the limit of { $limit }. Check that it is the right file.
cli-bundle-error-not-a-bundle = not a Qorgan bundle: it does not start with QORGAN-BUNDLE-V1, or it is cut short. Check that it is the right file, downloaded in full.
cli-bundle-error-malformed = the bundle is malformed: { $reason }
cli-bundle-error-unknown-key = the bundle is signed by key { $key }, which is not one of the keys given with --public-key. Give the publisher's current public key.
cli-bundle-error-bad-signature = the bundle's signature does not verify: the file was changed after it was signed, or someone else signed it. Do not use it.
cli-bundle-error-expired = the bundle expired at { $expires }. Get the publisher's newer bundle.
cli-bundle-error-not-newer = bundle version { $version } is not newer than version { $current }, which is in use; an old bundle cannot replace a newer one.
cli-bundle-error-no-keys = no public key is given, so no bundle can be accepted. Add --public-key.
cli-bundle-error-invalid-key = the key is unusable: { $reason }
cli-bundle-error-write = could not write { $file }: { $reason }
cli-bundle-error-key-exists = { $file }: the file exists already. Qorgan never overwrites a private key: choose another name.
cli-bundle-error-expires = --expires "{ $value }": give a day as YYYY-MM-DD, for example 2027-06-30.
cli-bundle-error-expires-past = --expires { $value }: that day has begun already. A bundle must expire in the future.
cli-bundle-error-content = { $file }: this content cannot be signed: { $reason }
cli-bundle-error-content-not-text = { $file }: the content is not UTF-8 text. Give a JSON file.
cli-bundle-keygen-done = Private key written to { $file } (key id { $key }). Keep it secret and offline; never put it in an app. The public key for apps (--public-key) is on the next line.
cli-bundle-signed = Signed bundle written to { $file }.
cli-bundle-verified = { $file }: the signature verifies and the bundle has not expired.
cli-bundle-version = Version: { $version }
cli-bundle-issued = Issued: { $date }
cli-bundle-expires = Expires: { $date }
cli-bundle-key = Key id: { $key }
cli-bundle-counts = Known CAs: { $cas }; distrusted keys: { $distrusted }; pinned domains: { $domains }
cli-bundle-in-use = Knowledge: built-in, and bundle version { $version } issued { $issued } ({ $cas ->
    [one] 1 known CA
   *[other] { $cas } known CAs
}).
