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

## Help (qorgan --help, qorgan COMMAND --help) and clap's usage errors: src/help.rs.
## cli-help-COMMAND is a command's short text, cli-help-COMMAND-long its long one,
## cli-help-COMMAND-ARG an argument's help, cli-help-arg-ARG an argument every command shares.

cli-help-usage = Usage:
cli-help-heading-commands = Commands
cli-help-heading-options = Options
cli-help-heading-arguments = Arguments
cli-help-root = Detects HTTPS interception: government and user-installed root CAs, forged chains.
cli-help-arg-lang = The language of the text: kk (Kazakh), ru (Russian) or en (English). Default: the locale (LC_ALL, LC_MESSAGES, LANG), else English. JSON codes and keys stay English.
cli-help-arg-help = Print help
cli-help-arg-help-long = Print help (see a summary with -h)
cli-help-arg-version = Print version
cli-help-arg-json = Print one JSON document instead of text.
cli-help-arg-trust = A file of anchors to trust as if installed on the device (repeatable): PEM, DER or PKCS#7, as audit reads them.
cli-help-help = Print this message or the help of the given command
cli-help-help-subcommand = The command whose help to print
cli-help-audit = Audit a trust store: every root, and whether any lets someone intercept HTTPS.
cli-help-audit-long =
    { cli-help-audit }

    With no PATH, audits this machine's trust store (offline).

    Reads PEM (labels CERTIFICATE, TRUSTED CERTIFICATE, X509 CERTIFICATE, PKCS7), PKCS#7 bundles (.p7b, .p7c; DER or PEM), DER (one certificate or several concatenated) and Android's cacerts files (PEM with a text dump). Exit status 3: a file that may hold certificates could not be read, and nothing else is at warning or above.
cli-help-audit-paths = Certificate files (PEM, DER or PKCS#7; bundles allowed) or directories of them.
cli-help-inspect = Analyze a certificate chain as a server presented it (leaf first).
cli-help-inspect-host = The host name the chain should be valid for.
cli-help-inspect-at = Validation time, RFC 3339 (for example 2019-07-20T00:00:00Z). Default: now.
cli-help-inspect-pins = The app's pin policy: a Network Security Config file (res/xml/network_security_config.xml) or Qorgan's JSON format, told apart by content. Needs --host. With --json, a failed pin check adds a report object (the RFC 7469 / TrustKit report).
cli-help-inspect-port = The port, for the report (default: 443).
cli-help-inspect-validated = Judge the chain as a platform validated it: leaf first, its last certificate the trust anchor the platform used (or a certificate that anchor signed). Anchors given with --trust count as installed on the device by the user. This is the code the Android trust manager and the iOS evaluator run on every handshake (analyze_validated, after the validated_clean fast path); signatures, dates and the host name are the platform's business and are not checked again. Not with --at.
cli-help-inspect-chain = The chain: a PEM, DER or PKCS#7 file, or - for standard input (the default).
cli-help-check = Probe hosts live: a real TLS handshake, judged by the OS and by Qorgan.
cli-help-check-long =
    { cli-help-check }

    With no HOST, probes the domains Kazakhstan intercepted (2019, 2021-2024) and a few controls. Exit status 3: some hosts could not be checked and none showed a finding.
cli-help-check-timeout = Seconds each host may take, DNS to handshake (default: the engine's, as on the phones).
cli-help-check-port = TCP port (default: 443).
cli-help-check-connect = Connect to this address instead of resolving the name (tests a name against an IP).
cli-help-check-hosts = Hosts to probe (default: the built-in list).
cli-help-pin = Print each certificate's SPKI pin (OkHttp sha256/... and bare base64).
cli-help-pin-long =
    { cli-help-pin }

    For a chain (leaf first), also prints a ready-to-paste Network Security Config <pin-set> and the same pins in Qorgan's JSON format, labelling the leaf's, the intermediate's and the root's pins (the root is found when the server did not send it), with advice on which to choose.
cli-help-pin-domain = The domain the pins are for (default: the leaf's common name, or its first DNS name when the common name is not one).
cli-help-pin-certs = Certificate files (PEM or DER, bundles allowed).
cli-help-exit =
    Exit status:
      0  nothing at warning or above
      1  something at warning or above (interception, an untrusted or invalid chain, a risky
         root, a pin mismatch or expired pins)
      2  a usage or input error (the message names the file and what is wrong)
cli-help-root-exit =
    Exit status:
      0  nothing at warning or above
      1  something at warning or above (interception, an untrusted or invalid chain, a risky
         root, a pin mismatch or expired pins)
      2  a usage or input error (the message names the file and what is wrong)
      3  incomplete, and nothing at warning or above in what was seen: audit could not read
         some files that may hold certificates, check could not reach some hosts
cli-help-audit-exit =
    Exit status:
      0  nothing at warning or above, and every file that may hold certificates was read
      1  something at warning or above (a known interception CA, a root in no public program,
         a distrusted root); files that could not be read are named too
      2  a usage or input error (a named file that cannot be read, no certificate at all)
      3  incomplete: some files in the folders may hold certificates but could not be read
         (each is named), and the certificates read show nothing at warning or above
cli-help-check-exit =
    Exit status:
      0  every host answered and nothing is at warning or above
      1  a host showed interception, an untrusted or invalid chain, or another warning
      2  a usage or input error
      3  some hosts could not be checked, and none showed a finding

cli-help-arg-bundle = A signed knowledge bundle (qorgan bundle sign): its CAs and distrusted keys are added to the built-in ones. A bundle that is refused (bad signature, unknown key, expired, malformed) is exit status 2. Needs --public-key.
cli-help-arg-public-key = The public key (base64, as qorgan bundle keygen prints it) the bundle must be signed with; repeat it for two keys during a key rotation.
cli-help-arg-bundle-pins = Let the bundle's pins replace the --pins policy's for the domains the bundle names (an app's opt-in).
cli-help-bundle = Signed knowledge bundles: interception CAs, distrusted keys and pins published after this build (keygen, sign, verify).
cli-help-bundle-keygen = Make a new signing key: writes the private key (PKCS#8) to KEYFILE and prints the public key, base64, on the last line. Keep the private key offline; apps get the public key only.
cli-help-bundle-keygen-out = Where to write the private key. An existing file is never overwritten.
cli-help-bundle-sign = Sign content JSON (known_cas, distrusted, pins) into a bundle. Content that is refused (an SPKI that is not 64 hex digits, an unknown category or key) is exit status 2.
cli-help-bundle-sign-key = The private key (qorgan bundle keygen).
cli-help-bundle-sign-version = The bundle's version: each new bundle needs a higher one (apps refuse the rest).
cli-help-bundle-sign-expires = The day it expires (from 00:00 UTC), YYYY-MM-DD.
cli-help-bundle-sign-out = Where to write the bundle.
cli-help-bundle-sign-content = The content, JSON.
cli-help-bundle-verify = Check a bundle's signature, expiry and content: exit 0 printing its version, dates and counts, exit 2 naming why it is refused.
cli-help-bundle-verify-public-key = A public key (base64) it may be signed with; repeat it for two keys during a key rotation.
cli-help-bundle-verify-bundle = The bundle.
cli-help-bundle-exit =
    Exit status:
      0  done
      2  a usage or input error, or a refused bundle (the message says why)

cli-usage-unknown-argument = { $arg } is not an option of this command.
cli-usage-unknown-command = { $command } is not a command. The commands are audit, inspect, check, pin and bundle.
cli-usage-invalid-value = { $value } is not a valid value for { $arg }.{ $valid ->
    [none] {""}
   *[other] {" "}Valid values: { $valid }.
}
cli-usage-missing-argument = { $arg } is required.
cli-usage-missing-command = Say what to do: audit, inspect, check, pin or bundle.
cli-usage-conflict = { $arg } cannot be used with { $other }.
cli-usage-value-count = { $arg } got the wrong number of values.
cli-usage-other = The arguments could not be read: { $detail }
cli-usage-more = For more, run qorgan --help (or qorgan COMMAND --help).

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
