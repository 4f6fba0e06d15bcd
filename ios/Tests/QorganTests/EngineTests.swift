// The boundary, not the engine: the engine's logic is tested in Rust. These check that the
// generated Swift reaches it, that records, enums and errors come back as the Swift types they
// should, and the headline scenarios end to end.

import Foundation
import Qorgan

func engineTests(_ t: TestRunner) {
    t.test("analyze: real public chains at their validation time are trusted (platform .ios)") {
        let q = try engine(platform: .ios)
        for c in try Fixtures.realCases() {
            let v = try q.analyze(host: c.host, chain: c.chain, timeUnix: c.time)
            try expectEqual(v.verdict, .trusted, "\(c.host): \(describe(v))")
            try expectEqual(v.anchor?.class, .publicRoot, "\(c.host) anchor class")
            try expect(v.anchor?.programs.contains(.apple) == true, "\(c.host): anchor not in Apple's program")
        }
    }

    t.test("analyze: the Superfish chain is interceptedKnown and names Superfish") {
        let v = try engine().analyze(host: "localhost", chain: Fixtures.testCA("superfish", "chain.pem"), timeUnix: nil)
        try expectEqual(v.verdict, .interceptedKnown, describe(v))
        let finding = v.findings.first { $0.code == .knownInterceptionCa }
        try expect(finding?.message.contains("Superfish") == true, "no Superfish finding: \(describe(v))")
        try expectEqual(finding?.severity, .critical, "severity")
    }

    t.test("analyze: local-root chain with its root as a trusted certificate is interceptedLocal") {
        let root = try Fixtures.testCA("local-root", "root.pem")[0]
        let q = try engine(trusted: [TrustedCertificate(der: root, userAdded: true)])
        let v = try q.analyze(host: "localhost", chain: Fixtures.testCA("local-root", "chain.pem"), timeUnix: nil)
        try expectEqual(v.verdict, .interceptedLocal, describe(v))
        try expectEqual(v.anchor?.class, .nonPublicRoot, "anchor class")
        try expectEqual(v.anchor?.userAdded, true, "userAdded")
        try expect(v.anchor?.subject.contains("Qorgan Test Local Root") == true, "anchor: \(describe(v))")
        try expect(v.findings.contains { $0.code == .nonPublicAnchor }, "no nonPublicAnchor: \(describe(v))")
        try expect(v.findings.contains { $0.code == .userAddedAnchor }, "no userAddedAnchor: \(describe(v))")
        try expect(!verdictIsAcceptable(verdict: v), "an unlisted local root must not be acceptable")
    }

    t.test("analyzeValidated: a platform chain ending at the real Qaznet root is interceptedKnown") {
        let qaznet = try Fixtures.pem(Fixtures.qaznetRoot)
        let v = try engine().analyzeValidated(host: "example.kz", chain: qaznet)
        try expectEqual(v.verdict, .interceptedKnown, describe(v))
        try expect(v.anchor?.known?.label.contains("Qaznet") == true, "label: \(v.anchor?.known?.label ?? "nil")")
        try expectEqual(v.anchor?.known?.category, .governmentInterception, "category")
    }

    t.test("audit: Qaznet root is knownInterception with its label; a user-added local root is nonPublicRoot") {
        let qaznet = try Fixtures.pem(Fixtures.qaznetRoot)[0]
        let local = try Fixtures.testCA("local-root", "root.pem")[0]
        let audit = TrustStoreAudit(qorgan: try engine())
        let r = try audit.audit([
            TrustedCertificate(der: qaznet, userAdded: false),
            TrustedCertificate(der: local, userAdded: true),
        ])
        try expectEqual(r.certificates.count, 2, "entries")
        let (k, l) = (r.certificates[0], r.certificates[1])
        try expectEqual(k.class, .knownInterception, "Qaznet class")
        try expect(k.label?.contains("Qaznet") == true, "Qaznet label: \(k.label ?? "nil")")
        try expectEqual(k.known?.country, "KZ", "Qaznet country")
        try expectEqual(l.class, .nonPublicRoot, "local root class")
        try expectEqual(l.userAdded, true, "local root userAdded")
        try expect(l.subject.contains("Qorgan Test Local Root"), "local subject \(l.subject)")
        try expectEqual(r.summary.total, 2, "summary.total")
        try expectEqual(r.summary.knownInterception, 1, "summary.knownInterception")
        try expectEqual(r.summary.nonPublicRoot, 1, "summary.nonPublicRoot")
        try expectEqual(r.summary.maxSeverity, .critical, "summary.maxSeverity")
    }

    t.test("audit(pem:): the same through PEM text") {
        let text = try String(contentsOf: Fixtures.repo.appendingPathComponent(Fixtures.qaznetRoot), encoding: .utf8)
        let r = try TrustStoreAudit(qorgan: try engine()).audit(pem: text, userAdded: true)
        try expectEqual(r.summary.knownInterception, 1, "knownInterception")
    }

    t.test("spkiPin: ISRG Root X1 has its published pin (and openssl's)") {
        let isrg = try Fixtures.pem("\(Fixtures.realChains)/limbo-online/stackoverflow.com.root.pem")[0]
        let facts = try certificateFacts(certificate: isrg)
        try expect(facts.subject.contains("ISRG Root X1"), "fixture is \(facts.subject)")
        let pin = try spkiPin(certificate: isrg)
        try expectEqual(pin, "sha256/C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=", "ISRG Root X1 pin")
        try expectEqual(facts.spkiSha256B64, "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=", "facts.spkiSha256B64")
        if let openssl = ProcessInfo.processInfo.environment["QORGAN_TEST_OPENSSL_PIN"], !openssl.isEmpty {
            try expectEqual(pin, "sha256/" + openssl, "pin computed by openssl in scripts/test-swift.sh")
        }
    }

    t.test("certificateFacts: the local-root leaf's names and key come through") {
        let f = try certificateFacts(certificate: Fixtures.testCA("local-root", "leaf.pem")[0])
        try expectEqual(f.sanDns, ["localhost"], "sanDns")
        try expect(f.sanIp.contains("127.0.0.1"), "sanIp \(f.sanIp)")
        try expect(!f.isCa, "leaf is not a CA")
        try expect(f.issuer.contains("Qorgan Test Local Root"), "issuer \(f.issuer)")
    }

    t.test("errors: garbage bytes are QorganError.InvalidInput with a clear message") {
        let garbage = Data([0xDE, 0xAD, 0xBE, 0xEF])
        let e1 = try expectThrows(QorganError.self) { try spkiPin(certificate: garbage) }
        guard case let .InvalidInput(m1) = e1 else { throw TestFailure(description: "spkiPin: \(e1)") }
        try expect(m1.count > 10 && m1.lowercased().contains("certificate"), "unclear message: \(m1)")
        let e2 = try expectThrows(QorganError.self) {
            try engine().analyze(host: "localhost", chain: [garbage], timeUnix: nil)
        }
        guard case let .InvalidInput(m2) = e2 else { throw TestFailure(description: "analyze: \(e2)") }
        try expect(m2.lowercased().contains("certificate"), "unclear message: \(m2)")
        try expectThrows(QorganError.self) { try engine().analyze(host: "localhost", chain: [], timeUnix: nil) }
        print("     (garbage -> \(m1); in a chain -> \(m2))")
    }

    t.test("errors: simulateInternalFailure() is QorganError.Internal, no crash") {
        let e = try expectThrows(QorganError.self) { try simulateInternalFailure() }
        guard case let .Internal(m) = e else { throw TestFailure(description: "\(e)") }
        try expect(m.contains("simulate_internal_failure"), "message: \(m)")
        try expectEqual(e.message, m, "QorganError.message")
    }

    t.test("errors: a malformed allowed pin is QorganError.InvalidConfig naming the pin") {
        let e = try expectThrows(QorganError.self) { try engine(allowed: ["sha256/not-a-pin"]) }
        guard case let .InvalidConfig(m) = e else { throw TestFailure(description: "\(e)") }
        try expect(m.contains("not-a-pin"), "message: \(m)")
    }

    t.test("PEM: round trip, and malformed input is InvalidInput") {
        let der = try Fixtures.testCA("local-root", "root.pem")[0]
        let text = PEM.encode(certificate: der)
        try expect(text.hasPrefix("-----BEGIN CERTIFICATE-----\n") && text.hasSuffix("-----END CERTIFICATE-----\n"), text)
        try expect(text.split(separator: "\n").allSatisfy { $0.count <= 64 }, "lines longer than 64")
        try expectEqual(try PEM.certificates(in: "junk\n" + text + text), [der, der], "decoded")
        try expectEqual(try PEM.certificates(in: "no pem here"), [], "no blocks")
        try expectThrows(QorganError.self) { try PEM.certificates(in: "-----BEGIN CERTIFICATE-----\nAAAA") }
        try expectThrows(QorganError.self) {
            try PEM.certificates(in: "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
        }
    }
}
