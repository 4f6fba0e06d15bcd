// In-app pinning from Swift: QorganPinPolicy.Builder (over the engine's PinPolicyBuilder) gives
// Qorgan's JSON policy, the engine loads it through QorganConfig, and QorganTrustEvaluator
// decides on validated chains as the platform would hand them over (real public chains, the
// local-root test CA).

import Foundation
import Qorgan

/// Backup pins that match nothing.
let pinA = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
let pinB = "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA="  // canonical base64 (the engine re-encodes pins)

/// google.com's real chain as the platform validates it (leaf, WR2, GTS Root R1), and the pins.
struct GoogleChain {
    let validated: [Data]
    let served: [Data]
    let rootPin: String
    let pins: [String]

    init() throws {
        let served = try Fixtures.pem("\(Fixtures.realChains)/limbo-online/google.com.chain.pem")
        let root = try Fixtures.pem("\(Fixtures.realChains)/limbo-online/google.com.root.pem")
        self.served = served
        validated = served + root
        pins = try validated.map { try spkiPin(certificate: $0) }
        rootPin = pins[pins.count - 1]
    }
}

func pinPolicyTests(_ t: TestRunner) {
    func evaluator(_ policy: QorganPinPolicy, mode: QorganMode = .enforce, sink: RecordingSink? = nil,
                   trusted: [TrustedCertificate] = [], allowed: [String] = [], debug: Bool = false) throws -> QorganTrustEvaluator {
        let q = try Qorgan(config: .ios(pinPolicy: policy, allowedAnchorPins: allowed,
                                        trustedCertificates: trusted, dangerousDebugBuild: debug))
        if let sink { q.setReportSink(sink: sink) }
        return QorganTrustEvaluator(qorgan: q, mode: mode)
    }

    t.test("pin policy: the builder gives the engine's canonical JSON text, key for key") {
        let b = QorganPinPolicy.Builder()
            .allowAnchor(pinA)
            .add("**.example.com", pinA, pinB)
            .expiration("2030-01-31")
            .reportOnly()
            .reportURI("https://reports.example.com/pins")
            .exclude("cdn.example.com")
            .add("api.example.com", pins: [pinB, pinA])
            .allowAnchor(pinB, for: "api.example.com")
            .dangerousDebugOverride("user")
        let expected = """
        {
          "allowed-anchors": ["\(pinA)"],
          "domains": [
            {
              "domain": "example.com",
              "include-subdomains": true,
              "pins": ["\(pinA)", "\(pinB)"],
              "expiration": "2030-01-31",
              "enforce": false,
              "report-uris": ["https://reports.example.com/pins"],
              "excluded-subdomains": ["cdn.example.com"]
            },
            {
              "domain": "api.example.com",
              "include-subdomains": false,
              "pins": ["\(pinB)", "\(pinA)"],
              "enforce": true,
              "allowed-anchors": ["\(pinB)"]
            }
          ],
          "debug-overrides": {"override-pins": true, "anchors": ["user"]}
        }

        """
        try expectEqual(b.json, expected, "json")
        let policy = try b.build()
        try expectEqual(policy.text, expected, "policy text")
        try expectEqual(policy.warnings, [], "warnings")
        // and the engine reads it back
        _ = try Qorgan(config: .ios(pinPolicy: policy))
        try expectEqual(QorganPinPolicy.Builder().json, "{\n  \"domains\": []\n}\n", "empty builder")
        try expectEqual(QorganPinPolicy.Builder().add("a.com", pinA).expiration(Date(timeIntervalSince1970: 86_399)).json
            .contains("\"expiration\": \"1970-01-01\""), true, "expiration(Date) as the UTC day")
    }

    t.test("pin policy: the builder gives the same text and warnings as the engine's PinPolicyBuilder") {
        let shell = try QorganPinPolicy.Builder()
            .allowAnchor(pinA)
            .add("**.example.com", pinA, pinB)
            .expiration("2099-01-31")
            .reportOnly()
            .reportURI("https://reports.example.com/pins")
            .exclude("cdn.example.com")
            .add("*.example.org", pinB)
            .allowAnchor(pinB, for: "*.example.org")
            .dangerousDebugOverride("user")
            .build()
        let rust = try PinPolicyBuilder()
            .allowAnchor(pin: pinA, pattern: nil)
            .add(pattern: "**.example.com", pins: [pinA, pinB])
            .expiration(pattern: "**.example.com", date: "2099-01-31")
            .reportOnly(pattern: "**.example.com")
            .reportUri(pattern: "**.example.com", uri: "https://reports.example.com/pins")
            .exclude(pattern: "cdn.example.com")
            .add(pattern: "*.example.org", pins: [pinB])
            .allowAnchor(pin: pinB, pattern: "*.example.org")
            .dangerousDebugOverride(anchor: "user")
            .build()
        try expectEqual(shell.text, rust.text, "text")
        try expectEqual(shell.warnings, rust.warnings, "warnings")
        try expect(shell.warnings.contains { $0.contains("single pin") }, "\(shell.warnings)")
        try expectEqual(try QorganPinPolicy(text: rust.text).text, shell.text, "the engine reads the text back")
    }

    t.test("pin policy: a bad pin gives the engine builder's InvalidConfig message, unchanged") {
        func message(_ body: () throws -> Any) throws -> String {
            let e = try expectThrows(QorganError.self) { try body() }
            guard case let .InvalidConfig(m) = e else { throw TestFailure(description: "not InvalidConfig: \(e)") }
            return m
        }
        let shell = try message { try QorganPinPolicy.Builder().add("example.com", "sha256/not-base64!", pinA).build() }
        let rust = try message { try PinPolicyBuilder().add(pattern: "example.com", pins: ["sha256/not-base64!", pinA]).build() }
        try expectEqual(shell, rust, "message")
        try expect(shell.hasPrefix("pin policy: QorganPinPolicy.Builder entry \"example.com\": "), shell)
    }

    t.test("pin policy: the builder is immutable; adding a pattern again extends its entry") {
        let base = QorganPinPolicy.Builder().add("example.com", pinA)
        let reportOnly = base.reportOnly()
        try expect(base.json.contains("\"enforce\": true"), base.json)
        try expect(reportOnly.json.contains("\"enforce\": false"), reportOnly.json)
        try expect(base != reportOnly, "builders equal")
        let twice = base.add("example.com", pinB)
        try expect(twice.json.contains("\"pins\": [\"\(pinA)\", \"\(pinB)\"]"), twice.json)
        try expect(!base.json.contains(pinB), "base changed: \(base.json)")
        // a single pin loads, with a warning
        let warned = try base.build().warnings
        try expect(!warned.isEmpty, "no warning for a single pin")
        print("     warning: \(warned[0])")
    }

    t.test("pin policy: the builder gives the same decisions as good-com.json") {
        let file = try QorganPinPolicy(contentsOf: Fixtures.repo.appendingPathComponent("rust-core/engine/tests/data/policies/good-com.json"))
        let goodRoot = "sha256/S5z3Fz5ZfZAGJOBZjK6TYBquyLLKO+BndKXBlL3nPjo="
        let built = try QorganPinPolicy.Builder()
            .allowAnchor(goodRoot)
            .add("**.good.com", goodRoot, "sha256/TwyNzy19zZi7cKfPsucs1E+h8ODOCPMrT8681sFWJvw=")
            .expiration("2099-01-01")
            .exclude("**.unsecured.good.com")
            .add("www.pinned-elsewhere.com", pinA, pinB)
            .reportURI("https://reports.example.net/pins")
            .dangerousDebugOverride("user")
            .build()
        let tk = "rust-core/engine/tests/data/trustkit/Certificates/RSA_4096"
        let leaf = try Data(contentsOf: Fixtures.repo.appendingPathComponent("\(tk)/www.good.com.der"))
        let root = try Data(contentsOf: Fixtures.repo.appendingPathComponent("\(tk)/GoodRootCA.der"))
        let trusted = [TrustedCertificate(der: root, userAdded: false)]
        let a = try Qorgan(config: .ios(pinPolicy: file, trustedCertificates: trusted))
        let b = try Qorgan(config: .ios(pinPolicy: built, trustedCertificates: trusted))
        var seen = Set<String>()
        for host in ["good.com", "www.good.com", "x.y.good.com", "unsecured.good.com", "b.unsecured.good.com",
                     "www.pinned-elsewhere.com", "pinned-elsewhere.com", "example.org"] {
            let va = try a.analyzeValidated(host: host, chain: [leaf, root])
            let vb = try b.analyzeValidated(host: host, chain: [leaf, root])
            try expectEqual(vb.verdict, va.verdict, "\(host) verdict")
            try expectEqual(vb.findings.map(\.code), va.findings.map(\.code), "\(host) findings")
            try expectEqual(vb.anchor?.allowed, va.anchor?.allowed, "\(host) anchor allowed")
            let ra = try a.report(host: host, port: 443, servedChain: [leaf], validatedChain: [leaf, root], verdict: va)
            let rb = try b.report(host: host, port: 443, servedChain: [leaf], validatedChain: [leaf, root], verdict: vb)
            try expectEqual(rb.notedHostname, ra.notedHostname, "\(host) noted-hostname")
            try expectEqual(rb.knownPins, ra.knownPins, "\(host) known-pins")
            try expectEqual(rb.reportUris, ra.reportUris, "\(host) report-uris")
            seen.insert(verdictKindName(verdict: va.verdict))
        }
        try expectEqual(seen, ["intercepted_local", "pin_violation"], "verdicts covered")
    }

    t.test("pin policy: right pin allowed; wrong pin refused as pin_violation naming the seen pins, reported once") {
        let g = try GoogleChain()
        let good = try QorganPinPolicy.Builder().add("**.google.com", g.rootPin, pinA).build()
        let d = try evaluator(good).evaluate(host: "www.google.com", servedChain: g.served, validatedChain: g.validated)
        try expect(d.isAllowed, "refused: \(d.refusal?.description ?? "")")
        try expectEqual(d.verdict?.verdict, .trusted, "verdict")
        try expect(d.report == nil, "a matching pin was reported")

        let sink = RecordingSink()
        let bad = try QorganPinPolicy.Builder().add("**.google.com", pinA, pinB)
            .reportURI("https://reports.example.com/pins").build()
        let ev = try evaluator(bad, sink: sink)
        let refused = ev.evaluate(host: "www.google.com", servedChain: g.served, validatedChain: g.validated)
        try expectEqual(refused.refusal?.reason, .verdict(.pinViolation), "reason")
        try expectEqual(refused.verdict.map { verdictKindName(verdict: $0.verdict) }, "pin_violation", "wire name")
        try expectEqual(refused.refusal?.finding.map { findingCodeName(code: $0.code) }, "pin_mismatch", "finding")
        let text = refused.refusal?.description ?? ""
        for pin in g.pins {
            try expect(text.contains(pin), "seen pin \(pin) not in: \(text)")
        }
        try expect(text.contains(pinA) && text.contains(pinB), "configured pins not in: \(text)")
        try expect(refused.refusal?.description.contains("allowedAnchorPins") == false, "allow hint on a pin failure")
        for _ in 0..<3 {
            _ = ev.evaluate(host: "www.google.com", servedChain: g.served, validatedChain: g.validated)
        }
        try expectEqual(sink.reports.count, 1, "deduplicated deliveries")
        let r = sink.reports[0]
        try expectEqual(r.validationResult, 1, "validation-result")
        try expectEqual(r.knownPins, [pinA, pinB].map { "pin-sha256=\"\($0.dropFirst(7))\"" }, "known-pins")
        try expectEqual(r.reportUris, ["https://reports.example.com/pins"], "report-uris")
        try expectEqual(r.enforcePinning, true, "enforce-pinning")
        print("     refusal: \(text.split(separator: "\n").prefix(3).joined(separator: " / ")) ...")
    }

    t.test("pin policy: report-only lets the mismatch through and reports known-pins and validation-result") {
        let g = try GoogleChain()
        let sink = RecordingSink()
        let policy = try QorganPinPolicy.Builder().add("**.google.com", pinA, pinB)
            .expiration("2099-12-31").reportOnly().reportURI("https://reports.example.com/pins").build()
        let ev = try evaluator(policy, sink: sink)
        let d = ev.evaluate(host: "google.com", port: 8443, servedChain: g.served, validatedChain: g.validated)
        try expect(d.isAllowed, "refused: \(d.refusal?.description ?? "")")
        try expectEqual(d.verdict?.verdict, .trusted, "verdict")
        let finding = d.verdict?.findings.first { $0.code == .pinMismatch }
        try expectEqual(finding?.severity, .warning, "pin_mismatch severity")
        try expect(finding?.message.contains("report-only") == true, finding?.message ?? "no finding")
        guard let r = d.report else { throw TestFailure(description: "no report") }
        try expectEqual(sink.reports.count, 1, "delivered")
        try expectEqual(r.enforcePinning, false, "enforce-pinning")
        try expectEqual(r.includeSubdomains, true, "include-subdomains")
        try expectEqual(r.notedHostname, "google.com", "noted-hostname")
        try expectEqual(r.validationResult, 1, "validation-result")
        try expect(r.effectiveExpirationDate?.hasPrefix("2099-12-31") == true, "expiration \(r.effectiveExpirationDate ?? "nil")")
        guard let json = try JSONSerialization.jsonObject(with: Data(r.json.utf8)) as? [String: Any] else {
            throw TestFailure(description: "report json is not an object")
        }
        try expectEqual(json["known-pins"] as? [String], r.knownPins, "json known-pins")
        try expectEqual(json["validation-result"] as? Int, 1, "json validation-result")
        try expectEqual(json["port"] as? Int, 8443, "json port")
        try expectEqual(json["enforce-pinning"] as? Bool, false, "json enforce-pinning")
        // the evaluator's own report-only mode also lets an enforced pin failure through
        let enforced = try QorganPinPolicy.Builder().add("**.google.com", pinA, pinB).build()
        let d2 = try evaluator(enforced, mode: .reportOnly).evaluate(host: "google.com", servedChain: g.served, validatedChain: g.validated)
        try expect(d2.isAllowed, "mode .reportOnly refused")
        try expectEqual(d2.verdict?.verdict, .pinViolation, "verdict in mode .reportOnly")
    }

    t.test("pin policy: the most specific rule applies; ** includes the domain and every subdomain") {
        let g = try GoogleChain()
        let policy = try QorganPinPolicy.Builder()
            .add("**.google.com", g.rootPin, pinA)      // any depth, and google.com itself
            .add("*.google.com", pinA, pinB)            // one label: wrong pins
            .add("api.google.com", g.rootPin, pinB)     // exact
            .exclude("legacy.google.com")               // not pinned at all
            .build()
        let sink = RecordingSink()
        let ev = try evaluator(policy, sink: sink)
        let expected: [(String, Bool, String)] = [
            ("google.com", true, "**.google.com"),
            ("www.google.com", false, "*.google.com"),   // *. beats **. on the same domain
            ("a.b.google.com", true, "**.google.com"),   // *. reaches one label only
            ("api.google.com", true, "api.google.com"),  // exact beats both wildcards
            ("legacy.google.com", true, "-"),            // an exclusion wins, and pins nothing
            ("WWW.Google.COM.", false, "*.google.com"),  // case and trailing dot ignored
            ("google.org", true, "-"),
        ]
        for (host, allowed, rule) in expected {
            let d = ev.evaluate(host: host, servedChain: g.served, validatedChain: g.validated)
            try expectEqual(d.isAllowed, allowed, "\(host) (rule \(rule)) allowed: \(d.verdict.map(describe) ?? "nil")")
            if !allowed {
                let message = d.refusal?.finding?.message ?? ""
                try expect(message.contains("Rule: \(rule)"), "\(host): \(message)")
            }
        }
        // the report names the rule's domain and scope
        let r = try ev.qorgan.report(host: "a.b.google.com", port: 443, servedChain: g.served,
                                     validatedChain: g.validated,
                                     verdict: ev.qorgan.analyzeValidated(host: "a.b.google.com", chain: g.validated))
        try expectEqual(r.notedHostname, "google.com", "noted-hostname")
        try expectEqual(r.includeSubdomains, true, "include-subdomains")
        try expectEqual(r.validationResult, 0, "validation-result")
    }

    t.test("pin policy: an expired policy gives pin_policy_expired every time and is not enforced") {
        let g = try GoogleChain()
        let policy = try QorganPinPolicy.Builder().add("google.com", pinA, pinB).expiration("2020-01-01").build()
        try expect(policy.warnings.contains { $0.contains("2020-01-01") }, "warnings: \(policy.warnings)")
        let sink = RecordingSink()
        let ev = try evaluator(policy, sink: sink)
        for _ in 0..<3 {
            let d = ev.evaluate(host: "google.com", servedChain: g.served, validatedChain: g.validated)
            // Reported as on Android and in Rust (issue 14: iOS dropped these reports).
            try expect(d.report != nil, "no report for expired pins")
            try expect(d.isAllowed, "an expired pin set was enforced: \(d.refusal?.description ?? "")")
            try expectEqual(d.verdict?.verdict, .trusted, "verdict")
            let f = d.verdict?.findings.first { $0.code == .pinPolicyExpired }
            try expectEqual(f.map { findingCodeName(code: $0.code) }, "pin_policy_expired", "finding")
            try expect(f?.message.contains("2020-01-01") == true, f?.message ?? "")
            try expect(d.verdict?.findings.contains { $0.code == .pinMismatch } == false, "mismatch on expired pins")
        }
        // Delivered once: identical reports within the dedup window are suppressed.
        try expectEqual(sink.reports.count, 1, "reports delivered")
    }

    t.test("pin policy: a locally installed anchor does not bypass pins (allowed or not), but a debug override in a debug build does") {
        let chain = try Fixtures.testCA("local-root", "chain.pem")
        let root = chain[1]
        let rootPin = try spkiPin(certificate: root)
        let installed = [TrustedCertificate(der: root, userAdded: true)]
        let isrg = "sha256/C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M="
        let pinned = QorganPinPolicy.Builder().add("localhost", isrg, pinA)
        // control: without pins, an allowed local anchor passes
        let control = try evaluator(try QorganPinPolicy.Builder().build(), trusted: installed, allowed: [rootPin])
            .evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        try expect(control.isAllowed, "control refused: \(control.refusal?.description ?? "")")
        for (label, policy, allowed) in [
            ("engine allowedAnchorPins", try pinned.build(), [rootPin]),
            ("policy allowAnchor", try pinned.allowAnchor(rootPin).build(), []),
            ("not allowed", try pinned.build(), []),
        ] {
            let sink = RecordingSink()
            let d = try evaluator(policy, sink: sink, trusted: installed, allowed: allowed)
                .evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
            try expectEqual(d.refusal?.reason, .verdict(.pinViolation), "\(label): reason")
            try expect(d.refusal?.description.contains(rootPin) == true, "\(label): the anchor's pin is not listed")
            try expectEqual(sink.reports.first?.validationResult, 1, "\(label): reported")
        }
        // dangerousDebugOverride("user"): only in an engine built with dangerousDebugBuild
        let debug = try pinned.dangerousDebugOverride("user").build()
        let release = try evaluator(debug, trusted: installed, allowed: [rootPin], debug: false)
            .evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        try expectEqual(release.refusal?.reason, .verdict(.pinViolation), "release build")
        let sink = RecordingSink()
        let overridden = try evaluator(debug, sink: sink, trusted: installed, allowed: [rootPin], debug: true)
            .evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        try expect(overridden.isAllowed, "debug build refused: \(overridden.refusal?.description ?? "")")
        try expectEqual(overridden.verdict?.verdict, .interceptedLocal, "debug verdict")
        let f = overridden.verdict?.findings.first { $0.code == .pinMismatch }
        try expect(f?.severity == .warning && f?.message.contains("debug build") == true, f?.message ?? "no pin_mismatch")
        try expectEqual(sink.reports.count, 1, "an overridden mismatch is still reported")
    }

    t.test("pin policy: errors come from the engine as QorganError.InvalidConfig with its message") {
        func message(_ body: () throws -> Any) throws -> String {
            let e = try expectThrows(QorganError.self) { try body() }
            guard case let .InvalidConfig(m) = e else { throw TestFailure(description: "not InvalidConfig: \(e)") }
            return m
        }
        let m1 = try message { try QorganPinPolicy.Builder().add("a.example.com", "sha256/not-base64!", pinA).build() }
        try expect(m1.hasPrefix("pin policy:") && m1.contains("not-base64!"), m1)
        let m2 = try message { try QorganPinPolicy.Builder().add("**.co.uk", pinA, pinB).build() }
        try expect(m2.contains("co.uk"), m2)
        let m3 = try message { try QorganPinPolicy.Builder().add("a.com", pinA, pinB).expiration("2030-02-30").build() }
        try expect(m3.contains("2030-02-30"), m3)
        let m4 = try message { try QorganPinPolicy.Builder().reportOnly().add("a.com", pinA, pinB).build() }
        try expect(m4.contains("reportOnly()") && m4.contains("before any add"), m4)
        let m5 = try message { try QorganPinPolicy.Builder().add("a.com", pinA, pinB).exclude("b.org").build() }
        try expect(m5.contains("b.org"), m5)
        let m6 = try message { try QorganPinPolicy(text: "<network-security-config>\n  <domain-config>\n</network-security-config>") }
        try expect(m6.hasPrefix("pin policy: line 3, column"), m6)
        let m7 = try message { try QorganPinPolicy(text: "{\"domains\": [{\"domian\": \"a.com\"}]}") }
        try expect(m7.contains("domian"), m7)
        print("     e.g. \(m1)")
    }

    t.test("pin policy: an Android Network Security Config file loads as is") {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <network-security-config>
          <domain-config>
            <domain includeSubdomains="true">google.com</domain>
            <pin-set expiration="2099-01-01">
              <pin digest="SHA-256">\(pinA.dropFirst(7))</pin>
              <pin digest="SHA-256">\(pinB.dropFirst(7))</pin>
            </pin-set>
          </domain-config>
        </network-security-config>
        """
        let g = try GoogleChain()
        let d = try evaluator(try QorganPinPolicy(text: xml))
            .evaluate(host: "mail.google.com", servedChain: g.served, validatedChain: g.validated)
        try expectEqual(d.refusal?.reason, .verdict(.pinViolation), "reason")
    }
}
