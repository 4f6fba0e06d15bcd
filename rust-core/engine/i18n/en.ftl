### Qorgan's messages in English (en). One message per sentence Qorgan says to a person.
### Each id has the same arguments in en.ftl, ru.ftl and kk.ftl (checked by a test).
### Codes (finding codes, verdict names) stay English everywhere: they are the wire contract.

## What a known CA is (the `category` of a known interception CA)

ca-kind = { $category ->
    [government_interception] a government root used to intercept HTTPS
    [government_root] a government root outside every public root program
    [vendor_mitm] a vendor root whose private key is public
    [enterprise_mitm] an interception appliance's CA
    [spyware] a key used by interception spyware
    [blocked] a CA that browsers block after a compromise or misissuance
   *[test] a test certificate for interception warnings
}


## Names of CAs, countries and parties (Qaznet stays Qaznet: a CA's own name is never translated)

country-name = { $country ->
    [KZ] Kazakhstan
    [RU] Russia
    [US] the USA
    [AE] the UAE
    [CA] Canada
    [CN] China
    [DE] Germany
    [DK] Denmark
    [ES] Spain
    [FR] France
    [GB] the UK
    [IL] Israel
    [IN] India
    [IT] Italy
    [JP] Japan
    [NL] the Netherlands
    [PA] Panama
    [TR] Turkey
   *[other] { $country }
}
# The country as Russian needs it after a noun ("правительство Казахстана"); here the same.
country-name-genitive = { $country ->
    [KZ] Kazakhstan
    [RU] Russia
    [US] the USA
    [AE] the UAE
    [CA] Canada
    [CN] China
    [DE] Germany
    [DK] Denmark
    [ES] Spain
    [FR] France
    [GB] the UK
    [IL] Israel
    [IN] India
    [IT] Italy
    [JP] Japan
    [NL] the Netherlands
    [PA] Panama
    [TR] Turkey
   *[other] { $country }
}
# A known CA: its own name, then where and when ("Qaznet Trust Network" (Kazakhstan, 2019)).
known-ca = “{ $ca_name }”{ $country ->
    [none] { $year ->
        [none] {""}
       *[other] {" "}({ $year })
    }
   *[other] {" "}({ country-name }{ $year ->
        [none] {""}
       *[other] , { $year }
    })
}
party = { $party_kind ->
    [government] the government of { country-name }
   *[other] { $party }
}

## Findings: the presented chain

finding-unusable-presented-certificate = The server sent a certificate that cannot be read ({ $error }).
finding-unreadable-certificate = { $name } could not be read in full ({ $error }); its key was still checked.
finding-unusable-chain = The server sent an unusable certificate chain ({ $error }).

## Findings: path building

finding-unusable-leaf = The server's certificate cannot be used ({ $error }).
finding-no-path = No trusted root vouches for { $leaf }: the chain leads to no root that this device or any public root program trusts.
finding-no-path-acceptable-algorithm = No trusted root vouches for { $leaf } with an acceptable signature algorithm.
finding-bad-signature = A signature in the chain does not verify: a certificate was altered or forged.
finding-wrong-key-usage = A certificate in the chain is not allowed for this use ({ $error }).
finding-constraint-violation = The chain breaks a limit that its CAs set ({ $error }).
finding-path-too-complex = The chain is too long or too tangled to check safely ({ $error }).
finding-distrusted-by-verifier = The chain goes through a CA that the verifier distrusts.
finding-malformed-certificate = A certificate in the chain is malformed or unsupported ({ $error }).

## Findings: known and distrusted keys

finding-government-root = This connection relies on { known-ca }, { ca-kind }. No interception with it is documented, but whoever holds it can issue a certificate for any site.
finding-known-interception-ca = This connection goes through { known-ca }, { ca-kind }. Whoever holds it can read and change this traffic.
finding-signed-by-known-ca = { $name } was issued by { known-ca }, { ca-kind }; its signature proves it. Whoever holds that key can read and change this traffic.
finding-blocked-certificate = Browsers block this certificate: { known-ca }.
# Why a root was removed from the root programs for cause (reason_id in
# data/root-programs/distrusted.tsv); English is the data's own sentence.
distrust-reason = { $reason_id ->
   *[other] { $reason }
}
finding-distrusted-key = { $name } was removed from the root programs for cause in { $removed }: { distrust-reason }. It must not be trusted.
finding-distrusted-anchor = { $subject } was removed from the root programs for cause. It must not be trusted.
finding-impersonates-known-ca = “{ $cn }” carries the name of a known interception CA but not its key: it may be a new key of the same interceptor, or an imitation.
finding-claims-known-issuer = { $name } claims to be issued by “{ $issuer }”, a known interception CA, but no known key of that CA signed it.

## Findings: the anchor

finding-non-public-anchor = { $user_added ->
    [yes] This connection is vouched for by “{ $subject }”, which a user or an app installed on this device. Whoever holds its key can read and change this traffic.
   *[no] This connection is vouched for by “{ $subject }”, which this device trusts but no public root program holds. Whoever holds its key can read and change this traffic.
}
finding-os-trusts-non-public = This device's operating system trusts this chain through a root that no public root program holds. Whoever holds it can read and change this traffic.
finding-user-added-anchor = The platform reports “{ $subject }” as installed by the user.
finding-allowed-anchor = The app's configuration allows “{ $subject }” (an accepted company proxy).
unnamed-anchor = an unnamed CA with key { $pin }

## Findings: the server's certificate and the dates

finding-hostname-mismatch = { $names_kind ->
    [list] The certificate is not for { $host }. It names { $names }{ $more ->
        [0] {""}
       *[other] {" "}and { $more } more
    }.
    [cn] The certificate is not for { $host }. It names only “{ $names }”, in its subject.
   *[none] The certificate is not for { $host }. It names no host at all.
}
finding-cert-sign-on-leaf = { $name } may sign certificates (keyCertSign) but is not a CA.
finding-expired = { $name } expired on { $date }.
finding-not-yet-valid = { $name } is not valid before { $date }.

## Findings: hints from the certificates themselves

finding-weak-key = { $name } uses a { $bits }-bit { $algorithm } key, too short to resist forgery.
finding-rsa-exponent-3 = { $name } has an RSA key with public exponent 3. Public CAs do not issue such keys; the 2019 Kazakh interceptor used them for its forged certificates.
finding-weak-signature = { $name } is signed with { $algorithm }, which can be forged; browsers refuse it.
finding-stripped-leaf = { $name } lacks the extensions public CAs always include (authority key ID, key usage for servers, CT timestamps), as forged interception certificates do.
finding-no-sct = { $name } carries no Certificate Transparency timestamps. Public certificates need them (they may also arrive in the TLS handshake).

## Findings: the trust store

finding-installed-interception-ca = { known-ca }, { ca-kind }, is installed. Whoever holds it can read and change your HTTPS traffic. Remove it.
finding-installed-government-root = { known-ca }, { ca-kind }, is installed. No interception with it is documented, but whoever holds it can issue a certificate for any site.

## Findings: pins

finding-pin-policy-expired = The pins for { $pattern } expired on { $date } and were not checked for { $host }. Ship a policy with current pins and a later expiration.

# The developer's view of a pin mismatch, as OkHttp prints it: $chain and $pins are lines
# of pins ("sha256/…: subject"), already indented.
finding-pin-mismatch = Certificate pinning failure!
    {"  "}Peer certificate chain:{ $chain }
    {"  "}Pinned certificates for { $host }:{ $pins }
    {"  "}Rule: { $pattern }{ $enforcement ->
        [debug_override] {"\u000A  "}Not enforced: <debug-overrides> lets “{ $subject }” bypass pins in this debug build.
        [report_only] {"\u000A  "}Not enforced: the rule is report-only.
       *[enforced] {""}
    }

## Findings: one certificate of a trust store

finding-store-not-a-ca = { $name } is not a CA certificate; it cannot vouch for other sites.
finding-store-distrusted = { $name } was removed from the root programs for cause in { $removed }: { distrust-reason }. It should not be trusted.
finding-store-also-distrusted = { $name } was also removed from the root programs for cause in { $removed }: { distrust-reason }.
finding-store-non-public = { $user_added ->
    [yes] “{ $name }” was installed by a user or an app. Whoever holds its key can read and change HTTPS traffic on this device. Remove it unless you know why it is there.
   *[no] “{ $name }” is in no public root program. Whoever holds its key can read and change HTTPS traffic on this device. Remove it unless you know why it is there.
}
finding-store-weak-key = { $name } has a { $bits }-bit { $algorithm } key.

## The checker: one screen for a worried person

checker-removal = { $platform ->
    [android] Remove it: open Settings › Security (or Security & privacy) › More security settings › Encryption & credentials › Trusted credentials › User, tap the certificate and choose Remove. If a work profile or an app installed it, remove that profile or app.
    [ios] Remove it: open Settings › General › VPN & Device Management, tap the profile that installed it and choose Remove Profile. Then check Settings › General › About › Certificate Trust Settings. If an organisation manages your device, ask it.
   *[desktop] Remove it from the system's trusted certificates (Linux: /usr/local/share/ca-certificates, then update-ca-certificates; macOS: Keychain Access › System; Windows: certmgr.msc › Trusted Root Certification Authorities).
}
checker-removal-from-file = This certificate came from the file you gave, not from the device: if it should not be trusted, stop using that file.
checker-if-unknown = If you do not know why it is there:
checker-if-unexpected = If you did not expect this:

checker-installed-interception-title = An interception certificate is installed
checker-installed-interception-text = { known-ca } is { ca-kind }. While this device trusts it, { party } can read and change everything you send over HTTPS (passwords, messages, payments), with no warning.
checker-installed-blocked-title = A certificate authority that browsers block is trusted
checker-installed-blocked-text = Browsers stopped trusting “{ $name }” after a compromise or misconduct. Do not believe certificates it issues.
checker-installed-non-public-title = { $kind ->
    [government] A government root certificate is installed
    [user] Someone installed a certificate authority on this device
   *[other] This device trusts a certificate authority outside every public program
}
checker-installed-non-public-text = “{ $name }” is in no public root program. Whoever holds its key can make a certificate for any website, and this device will believe it: they could read and change your HTTPS traffic. Employers, schools and some apps install such certificates on purpose.

checker-untrusted-title = { $host } answered with a certificate that no one trusts
checker-untrusted-text = Something between you and { $host } presented a certificate that no trusted authority vouches for. Your device refuses such connections, so nothing was read, but it can mean that someone is trying to intercept.
checker-untrusted-action = Never accept a certificate warning for { $host }. Try again on another network.
checker-invalid-title = { $host } answered with a certificate that does not fit
checker-invalid-text = { $problem } A captive portal (hotel or airport Wi-Fi), a wrong clock on this device, or an interception attempt can cause this. Your device refuses the connection.
checker-invalid-action = Check that this device's date and time are right, sign in to the Wi-Fi if it asks, and try again.
checker-pinned-title = { $host } did not show the certificate it should have
checker-blocked-title = { $host } seems to be blocked on this network
checker-blocked-text = The connection was cut as soon as the site's name was sent. This is how networks usually block a site by name. It is not interception, and nothing was read.
checker-blocked-action = A VPN you trust, or another network, may reach it.

checker-intercepted-known-title = { $count ->
    [one] Your connection to { $sites } is being intercepted
   *[other] Your connections to { $count } sites are being intercepted
}
checker-intercepted-known-text = Someone between you and { $sites } (your network operator, or whoever controls the network) replaced { $count ->
    [one] the site's certificate with one
   *[other] the sites' certificates with ones
} from { checker-ca }, a known interception authority. They can read and change what you send there, including passwords.
checker-intercepted-known-action = Do not sign in or send anything private to { $sites } on this network. Switch to another network (mobile data, another Wi-Fi) or a VPN you trust. If a certificate with this name is installed on your device:
checker-intercepted-local-title = { $count ->
    [one] Your connection to { $sites } goes through a certificate installed on this device
   *[other] Your connections to { $count } sites go through a certificate installed on this device
}
checker-intercepted-local-text = { checker-ca } vouched for { $sites }. This device trusts it, but no public root program does. Whoever holds it can read and change what you send there. This is how company networks inspect traffic, and how government interception worked in Kazakhstan.
checker-unknown-ca = an unknown certificate authority
# The CA a checker's advice names: its name in quotes, or the words above when none is known
# (an attacker's CA may be called anything, so a flag says which, not the name).
checker-ca = { $ca_known ->
    [yes] “{ $ca }”
   *[no] { checker-unknown-ca }
}

checker-sites = { $count ->
    [1] { $first }
    [2] { $first } and { $second }
   *[other] { $first }, { $second } and { $rest } more
}

checker-headline-intercepted = { $checked ->
    [one] Your HTTPS traffic is being intercepted: { $intercepted } of { $checked } site checked.
   *[other] Your HTTPS traffic is being intercepted: { $intercepted } of { $checked } sites checked.
}
checker-headline-installed = A certificate that allows interception is installed on this device.
checker-headline-warning = No interception seen, but something needs your attention.
checker-headline-safe-sites = { $reached ->
    [one] No interception seen on the { $reached } site that answered.
   *[other] No interception seen on the { $reached } sites that answered.
}
checker-headline-safe-store = No interception certificate is installed.
checker-headline-offline = Nothing could be checked: this device seems to be offline.
checker-headline-unreachable = No site could be checked: none answered over HTTPS.
checker-headline-blocked = Nothing could be checked: the connections were cut or refused by the network. This network seems to block these sites; it is not interception, and nothing was read.
checker-headline-refused = Nothing could be checked: the host refused the connection or could not be reached. Check the name and the port.
checker-headline-not-tls = Nothing could be checked: the server answered, but not over HTTPS. Check the port (HTTPS is usually 443).

## The checker's lists: every site probed, every certificate installed

checker-installed-public-text = “{ $name }” is also trusted by the public root programs, so it does not by itself let anyone intercept. If you do not know why it was installed, you do not need it.
checker-installed-not-ca-text = “{ $name }” is not a certificate authority: it cannot vouch for websites.
checker-group = { $kind ->
    [known] Through the interception certificate { checker-ca }
    [local] Through { checker-ca }, trusted only by this device
    [pinned] Not the certificate these sites should have ({ checker-ca })
    [refused] Refused by this device
    [public] Through public certificate authorities
   *[unreachable] Not reached
}
checker-site = { $verdict ->
    [trusted] Fine
    [intercepted_known] Intercepted
    [intercepted_local] Intercepted
    [pin_violation] Not the certificate this site should have
    [untrusted] Refused: no one trusts its certificate
    [invalid] Refused: its certificate does not fit
   *[unreachable] { $reason ->
        [blocked] Blocked on this network
        [not_tls] Does not answer over HTTPS
        [refused] Refused the connection
        [no_address] Its address was not found
        [timeout] No answer in time
       *[other] Not reached
    }
}
