// QorganChecker against real TLS servers on loopback (`openssl s_server` with the committed test
// CAs, started here), a port where nothing listens, and the engine's summary.

import Foundation
import Qorgan

/// The real engine, with each probe slowed down and counted, to watch the concurrency bound.
final class CountingQorgan: Qorgan, @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var maxRunning = 0
    private(set) var calls = 0
    var delay: TimeInterval = 0.1

    override func probe(host: String, port: UInt16, timeoutMs: UInt32, connectAddress: String?) throws -> ProbeResult {
        try counted { try super.probe(host: host, port: port, timeoutMs: timeoutMs, connectAddress: connectAddress) }
    }

    // On Apple platforms the checker makes the handshake itself and calls this instead.
    override func judgeHandshake(observation: HandshakeObservation) throws -> ProbeResult {
        try counted { try super.judgeHandshake(observation: observation) }
    }

    private func counted(_ call: () throws -> ProbeResult) throws -> ProbeResult {
        lock.lock()
        running += 1
        calls += 1
        maxRunning = max(maxRunning, running)
        lock.unlock()
        defer {
            lock.lock()
            running -= 1
            lock.unlock()
        }
        Thread.sleep(forTimeInterval: delay)
        return try call()
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [CheckerProgress] = []
    var onEach: (@Sendable (CheckerProgress) -> Void)?
    func append(_ p: CheckerProgress) {
        lock.lock()
        items.append(p)
        lock.unlock()
        onEach?(p)
    }
    var all: [CheckerProgress] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

func checkerTests(_ t: TestRunner) {
    var servers: [String: OpenSSLServer] = [:]
    func server(_ scenario: String) throws -> OpenSSLServer {
        if let s = servers[scenario] { return s }
        let s = try OpenSSLServer(scenario: scenario)
        servers[scenario] = s
        return s
    }
    func target(_ scenario: String) throws -> CheckerTarget {
        CheckerTarget(host: "localhost", connectAddress: try server(scenario).address)
    }
    func closedTarget() throws -> CheckerTarget {
        CheckerTarget(host: "localhost", connectAddress: "127.0.0.1:\(try closedLoopbackPort())")
    }
    let localRoot = { try Fixtures.testCA("local-root", "root.pem")[0] }

    t.test("checker: a Superfish-signed server -> status intercepted, Superfish named") {
        let checker = QorganChecker(qorgan: try engine(), targets: [try target("superfish")], timeoutMs: 5_000)
        let result = try runAsync { await checker.run() }
        let report = result.report
        try expectEqual(result.probes.count, 1, "probes")
        let p = result.probes[0]
        try expectEqual(p.verdict, .interceptedKnown, "probe verdict: \(p.findings.map(\.message))")
        try expect(p.tls?.version.hasPrefix("TLSv1.") == true, "tls \(String(describing: p.tls))")
        try expectEqual(report.status, .intercepted, "status")
        try expectEqual(report.hostsIntercepted, 1, "hostsIntercepted")
        try expect(report.advice.first?.certificateAuthority?.contains("Superfish") == true,
                   "advice CA: \(report.advice.map { $0.certificateAuthority ?? "-" })")
        try expect(report.advice.first?.explanation.contains("Superfish") == true, report.advice.first?.explanation ?? "")
        try expectEqual(report.advice.first?.severity, .critical, "severity")
        try expect(report.advice.first?.action.contains("VPN & Device Management") == true, "iOS removal steps: \(report.advice.first?.action ?? "")")
        print("     headline: \(report.headline) (\(result.elapsedMs) ms)")
    }

    t.test("checker in Kazakh and Russian: the language chosen; CA names and codes unchanged") {
        for (tag, word) in [("kk", "ұсталып"), ("ru-RU", "перехватывают")] {
            let q = try Qorgan(config: .ios(language: tag))
            let checker = QorganChecker(qorgan: q, targets: [try target("superfish")], timeoutMs: 5_000, language: tag)
            let result = try runAsync { await checker.run() }
            let report = result.report
            try expectEqual(report.status, .intercepted, "\(tag) status")
            let text = report.headline + " " + report.advice.map { $0.title + " " + $0.explanation }.joined(separator: " ")
            try expect(text.contains(word), "\(tag): \(text)")
            try expect(text.contains("Superfish"), "\(tag) CA name: \(text)")
            let f = result.probes.first?.findings.first { $0.code == .knownInterceptionCa }
            try expect(f?.message.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } == true,
                       "\(tag) finding: \(f?.message ?? "-")")
            try expect(f?.messageId.hasPrefix("finding-") == true, "\(tag) message id: \(f?.messageId ?? "-")")
            try expectEqual(f.map { findingCodeName(code: $0.code) }, "known_interception_ca", "\(tag) code")
        }
    }

    t.test("checker: local-root server with its root trusted -> interceptedLocal, status intercepted; audit names the root") {
        let root = try localRoot()
        let q = try Qorgan(config: .ios(trustedCertificates: [TrustedCertificate(der: root, userAdded: true)]))
        let checker = QorganChecker(qorgan: q, targets: [try target("local-root")],
                                    auditCertificates: [TrustedCertificate(der: root, userAdded: true)], timeoutMs: 5_000)
        let result = try runAsync { await checker.run() }
        try expectEqual(result.probes.first?.verdict, .interceptedLocal, "probe: \(result.probes.first?.findings.map(\.message) ?? [])")
        try expectEqual(result.probes.first?.anchor?.subject, "Qorgan Test Local Root", "anchor")
        try expectEqual(result.report.status, .intercepted, "status")
        try expectEqual(result.audit?.summary.nonPublicRoot, 1, "audit")
        try expect(result.auditFailure == nil, "audit failure \(String(describing: result.auditFailure))")
        let cas = result.report.advice.compactMap(\.certificateAuthority)
        try expectEqual(cas.filter { $0.contains("Qorgan Test Local Root") }.count, 2, "advice CAs \(cas)")
        try expect(result.report.advice.contains { $0.host == "localhost" && $0.severity == .critical }, "no critical advice for the host")
        // the screen's lists: the site under its root, the root among the installed certificates
        let group = result.report.siteGroups.first
        try expectEqual(group?.certificateAuthority, "Qorgan Test Local Root", "site group \(result.report.siteGroups)")
        try expectEqual(group?.sites.map(\.host), ["localhost"], "group sites")
        try expectEqual(group?.sites.first?.summary, "Intercepted", "site summary")
        try expectEqual(result.report.installed.map(\.name), ["Qorgan Test Local Root"], "installed")
        try expectEqual(result.report.installed.first?.userAdded, true, "user added")
        try expect(result.report.installed.first?.howToRemove.contains("VPN & Device Management") == true,
                   "iOS removal: \(result.report.installed.first?.howToRemove ?? "-")")
        print("     headline: \(result.report.headline)")
    }

    t.test("checker sample strings (ios/Sample/*.lproj): every language has every key, same placeholders, plural forms") {
        let sample = Fixtures.repo.appendingPathComponent("ios/Sample")
        func table(_ lang: String) throws -> [String: String] {
            let data = try Data(contentsOf: sample.appendingPathComponent("\(lang).lproj/Localizable.strings"))
            guard let t = try PropertyListSerialization.propertyList(from: data, format: nil) as? [String: String] else {
                throw TestFailure(description: "\(lang): Localizable.strings is not a table of strings")
            }
            return t
        }
        func placeholders(_ s: String) -> [String] {
            let re = try! NSRegularExpression(pattern: "%[0-9]+\\$[@d]")
            return re.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) }.sorted()
        }
        let en = try table("en")
        try expect(en["check_button"] == "Check my connection", "en: \(en["check_button"] ?? "-")")
        for lang in ["kk", "ru"] {
            let t = try table(lang)
            try expectEqual(Set(t.keys), Set(en.keys), "\(lang) keys")
            for (key, value) in t {
                try expectEqual(placeholders(value), placeholders(en[key]!), "\(lang) \(key)")
                if key != "app_name" { try expect(value != en[key], "\(lang) \(key) untranslated") }
            }
            let dict = try PropertyListSerialization.propertyList(
                from: try Data(contentsOf: sample.appendingPathComponent("\(lang).lproj/Localizable.stringsdict")), format: nil)
            let forms = ((dict as? [String: Any])?["sites_checked"] as? [String: Any])?["count"] as? [String: String]
            try expect(forms?["other"]?.contains("%2$d") == true, "\(lang) plural forms: \(String(describing: forms))")
        }
    }

    t.test("checker: a port where nothing listens -> unreachable (connection refused), nothing checked") {
        let checker = QorganChecker(qorgan: try engine(), targets: [try closedTarget(), try closedTarget()], timeoutMs: 3_000)
        let result = try runAsync { await checker.run() }
        try expectEqual(result.probes.map(\.verdict), [.unreachable, .unreachable], "verdicts")
        // On Linux the probe is the engine's own (rustls): a refused connection is told apart
        // from an unreachable host, and the headline says the host refused, not "offline".
        try expectEqual(result.probes.first?.error?.code, .connectionRefused, "error code")
        try expectEqual(result.report.status, .offline, "status")
        try expect(result.report.headline.contains("refused"), "headline: \(result.report.headline)")
        try expectEqual(result.report.hostsUnreachable, 2, "hostsUnreachable")
        try expectEqual(result.report.advice, [], "advice")
        print("     headline: \(result.report.headline)")
    }

    t.test("checker: mixed targets, results in target order, progress once per probe") {
        let targets = [try target("superfish"), try closedTarget(), try target("local-root"), try target("unknown-root")]
        let log = ProgressLog()
        let checker = QorganChecker(qorgan: try engine(), targets: targets, timeoutMs: 5_000, maxConcurrentProbes: 2)
        let result = try runAsync { await checker.run { log.append($0) } }
        try expectEqual(result.probes.map { Int($0.port) }, targets.map { Int($0.connectAddress!.split(separator: ":").last!)! }, "order")
        try expectEqual(result.probes.map(\.verdict), [.interceptedKnown, .unreachable, .untrusted, .untrusted], "verdicts")
        try expectEqual(result.report.status, .intercepted, "status")
        try expectEqual(result.report.hostsChecked, 4, "hostsChecked")
        try expectEqual(result.report.hostsUnreachable, 1, "hostsUnreachable")
        try expectEqual(result.report.hostsIntercepted, 1, "hostsIntercepted")
        let rank: [Severity: Int] = [.info: 0, .warning: 1, .critical: 2]
        let ranks = result.report.advice.map { rank[$0.severity] ?? -1 }
        try expectEqual(ranks, ranks.sorted(by: >), "most severe first")
        let progress = log.all
        try expectEqual(progress.map(\.completed), [1, 2, 3, 4], "completed")
        try expect(progress.allSatisfy { $0.total == 4 && $0.result != nil }, "totals/results")
        try expectEqual(Set(progress.map(\.target)), Set(targets), "targets reported")
        try expectEqual(progress.last?.fraction, 1.0, "fraction")
        try expect(!result.cancelled, "cancelled")
    }

    t.test("checker: at most 8 probes at once (and the requested lower bound)") {
        let q = try CountingQorgan(config: .ios())
        let targets = try (0..<20).map { _ in try closedTarget() }
        let result = try runAsync { await QorganChecker(qorgan: q, targets: targets, timeoutMs: 2_000, maxConcurrentProbes: 50).run() }
        try expectEqual(result.probes.count, 20, "probes")
        try expectEqual(q.calls, 20, "calls")
        // the bound is the point; reaching it shows the probes really overlap (a thread each)
        try expect(q.maxRunning <= 8 && q.maxRunning >= 6, "max concurrent \(q.maxRunning)")
        let q3 = try CountingQorgan(config: .ios())
        _ = try runAsync { await QorganChecker(qorgan: q3, targets: Array(targets.prefix(9)), timeoutMs: 2_000, maxConcurrentProbes: 3).run() }
        try expect(q3.maxRunning <= 3 && q3.maxRunning >= 2, "max concurrent with limit 3: \(q3.maxRunning)")
        print("     max concurrent: \(q.maxRunning) (limit 8), \(q3.maxRunning) (limit 3)")
    }

    t.test("checker: cancelling stops starting probes; the summary covers those that finished") {
        let q = try CountingQorgan(config: .ios())
        q.delay = 0.1
        let targets = try (0..<12).map { _ in try closedTarget() }
        let checker = QorganChecker(qorgan: q, targets: targets, timeoutMs: 2_000, maxConcurrentProbes: 2)
        let log = ProgressLog()
        let handle = Box<Task<CheckerResult, Never>>()
        log.onEach = { p in if p.completed == 1 { handle.value?.cancel() } }
        let result = try runAsync {
            let task = Task { await checker.run { log.append($0) } }
            handle.value = task
            return await task.value
        }
        try expect(result.cancelled, "not marked cancelled")
        try expect(result.probes.count < targets.count, "all \(result.probes.count) probes ran")
        try expectEqual(Int(result.report.hostsChecked), result.probes.count, "summary covers the finished probes")
        try expectEqual(q.calls, result.probes.count, "probes started")
        print("     \(result.probes.count) of \(targets.count) probed before the cancel took effect")
    }

    t.test("checker: engine failures and a bad audit entry are reported, not thrown") {
        let bad = CheckerTarget(host: "localhost", connectAddress: "not-an-address")
        let checker = QorganChecker(qorgan: try engine(), targets: [bad, try target("superfish")],
                                    auditCertificates: [TrustedCertificate(der: Data([1, 2, 3]), userAdded: true)], timeoutMs: 5_000)
        let result = try runAsync { await checker.run() }
        try expectEqual(result.failures.count, 1, "failures")
        guard case let .InvalidInput(message)? = result.failures.first?.error else {
            throw TestFailure(description: "failure \(String(describing: result.failures.first))")
        }
        try expect(message.contains("not-an-address"), message)
        try expectEqual(result.probes.count, 1, "probes")
        try expect(result.audit == nil, "audit despite a bad entry")
        guard case .InvalidInput? = result.auditFailure else {
            throw TestFailure(description: "auditFailure \(String(describing: result.auditFailure))")
        }
        try expectEqual(result.report.status, .intercepted, "status from the probe that ran")
    }

    t.test("checker: default targets come from the engine (not probed here: no network in CI)") {
        let defaults = CheckerTarget.defaults
        let engineTargets = defaultProbeTargets()
        try expect(!defaults.isEmpty, "no default targets")
        try expectEqual(defaults.map(\.host), engineTargets.map(\.host), "hosts")
        try expect(defaults.allSatisfy { $0.port == 443 && $0.connectAddress == nil && $0.group != nil }, "shape")
        try expect(Set(defaults.compactMap(\.group)).isSuperset(of: ["kz2019", "control"]), "groups \(Set(defaults.compactMap(\.group)))")
        let checker = try QorganChecker()
        try expectEqual(checker.targets, defaults, "QorganChecker() targets")
        try expectEqual(checker.maxConcurrentProbes, 8, "default concurrency")
        try expectEqual(checker.platform, .ios, "platform")
        try expectEqual(try QorganChecker(hosts: ["example.com"]).targets, [CheckerTarget(host: "example.com")], "hosts:")
        print("     \(defaults.count) default targets")
    }

    for s in servers.values { s.stop() }
}
