// A minimal test runner (XCTest is not needed and not available in every Swift install):
// each test is a throwing closure; the runner prints PASS/FAIL lines and, last, "N passed, N failed".

import Foundation
import Qorgan

struct TestFailure: Error, CustomStringConvertible {
    let description: String
}

final class TestRunner {
    private(set) var passed = 0
    private(set) var failed = 0
    private let filter: String?

    init(filter: String?) {
        self.filter = filter
    }

    func test(_ name: String, _ body: () throws -> Void) {
        if let filter, !name.contains(filter) { return }
        let start = Date()
        do {
            try body()
            passed += 1
            print("PASS \(name) (\(Self.ms(since: start)) ms)")
        } catch {
            failed += 1
            print("FAIL \(name) (\(Self.ms(since: start)) ms)\n     \(error)")
        }
    }

    private static func ms(since start: Date) -> Int {
        Int((Date().timeIntervalSince(start) * 1000).rounded())
    }
}

func expect(
    _ condition: @autoclosure () throws -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) throws {
    if try !condition() {
        throw TestFailure(description: "\(file):\(line): \(message())")
    }
}

func expectEqual<T: Equatable>(
    _ actual: T,
    _ expected: T,
    _ what: String,
    file: StaticString = #fileID,
    line: UInt = #line
) throws {
    if actual != expected {
        throw TestFailure(description: "\(file):\(line): \(what): expected \(expected), got \(actual)")
    }
}

/// Runs `body`, which must throw an `E`; returns it.
@discardableResult
func expectThrows<E: Error, T>(
    _ errorType: E.Type,
    file: StaticString = #fileID,
    line: UInt = #line,
    _ body: () throws -> T
) throws -> E {
    do {
        let value = try body()
        throw TestFailure(description: "\(file):\(line): expected \(E.self), got a value: \(value)")
    } catch let error as E {
        return error
    } catch let error as TestFailure {
        throw error
    } catch {
        throw TestFailure(description: "\(file):\(line): expected \(E.self), got \(type(of: error)): \(error)")
    }
}

/// Test data from the repository (committed test CAs and real chains).
enum Fixtures {
    /// The checkout: $QORGAN_REPO, else four levels above this file (ios/Tests/QorganTests/x.swift).
    static let repo: URL = {
        if let dir = ProcessInfo.processInfo.environment["QORGAN_REPO"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static func pem(_ relative: String) throws -> [Data] {
        let certs = try PEM.certificates(contentsOf: repo.appendingPathComponent(relative))
        try expect(!certs.isEmpty, "no certificate in \(relative)")
        return certs
    }

    static func testCA(_ scenario: String, _ file: String) throws -> [Data] {
        try pem("rust-core/engine/tests/test-ca/\(scenario)/\(file)")
    }

    static let qaznetRoot = "rust-core/engine/data/interception/certs/00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2.pem"
    static let realChains = "rust-core/engine/tests/data/real-chains"

    /// A real public chain from cases.tsv: the chain as served, its root, host and validation time.
    struct RealCase {
        let host: String
        let chain: [Data]
        let root: [Data]
        let time: Int64
    }

    /// The `limbo-online` cases (real public sites, captured with their validation times).
    static func realCases() throws -> [RealCase] {
        let tsv = try String(contentsOf: repo.appendingPathComponent("\(realChains)/cases.tsv"), encoding: .utf8)
        var cases: [RealCase] = []
        for line in tsv.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count > 8, cols[0].hasPrefix("online::"), cols[8] == "VALID",
                  let time = Int64(cols[6]) else { continue }
            cases.append(RealCase(
                host: cols[5],
                chain: try pem("\(realChains)/\(cols[2])"),
                root: try pem("\(realChains)/\(cols[4])"),
                time: time
            ))
        }
        try expect(!cases.isEmpty, "no online:: cases in cases.tsv")
        return cases
    }
}

/// A report sink that records what it gets, and can be told to throw.
final class RecordingSink: ReportSink, @unchecked Sendable {
    private let lock = NSLock()
    private var received: [Report] = []
    private let failWith: String?

    init(failWith: String? = nil) {
        self.failWith = failWith
    }

    var reports: [Report] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    func onReport(report: Report) throws {
        lock.lock()
        received.append(report)
        lock.unlock()
        if let failWith {
            throw TestFailure(description: failWith)
        }
    }
}

func engine(
    platform: PlatformView = .ios,
    trusted: [TrustedCertificate] = [],
    allowed: [String] = [],
    dedupSeconds: UInt64 = QorganConfig.defaultReportDedupSeconds
) throws -> Qorgan {
    try Qorgan(config: QorganConfig(
        trustedCertificates: trusted,
        allowedAnchorPins: allowed,
        platform: platform,
        reportDedupSeconds: dedupSeconds
    ))
}

func describe(_ verdict: Verdict) -> String {
    let findings = verdict.findings.map { "\($0.code): \($0.message)" }.joined(separator: " | ")
    return "\(verdict.verdict) anchor=\(verdict.anchor?.subject ?? "-") findings=[\(findings)]"
}
