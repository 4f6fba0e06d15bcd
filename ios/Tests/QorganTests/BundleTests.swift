// Signed knowledge bundles: `Qorgan.applyBundle` with the fixtures of rust-core/ffi/tests/data/bundles
// (made by rust-core/ffi/tests/bundle.rs) and `QorganBundleUpdater` over loopback.
//
// The updater is tested over plain HTTP on 127.0.0.1 with `allowInsecureLoopbackForTests`:
// FoundationNetworking's URLSession on Linux cannot be told to trust a test CA. The TLS part of
// the fetch is the system's (an ephemeral session with no delegate); the Kotlin tests cover a
// fetch over loopback TLS.

import Foundation
import Qorgan

private enum Bundles {
    static let dir = Fixtures.repo.appendingPathComponent("rust-core/ffi/tests/data/bundles")

    static func key() throws -> String {
        try String(contentsOf: dir.appendingPathComponent("publisher.pub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: dir.appendingPathComponent("\(name).qbundle"))
    }
}

/// An engine whose device trusts unknown-root (a root no build of Qorgan knows), with the bundle key.
private func unknownRootEngine(minVersion: UInt64 = 0, keys: [String]? = nil) throws -> Qorgan {
    try Qorgan(config: QorganConfig(
        trustedCertificates: Fixtures.testCA("unknown-root", "root.pem").map { TrustedCertificate(der: $0, userAdded: true) },
        allowedAnchorPins: [],
        platform: .any,
        reportDedupSeconds: 0,
        bundleKeys: keys ?? [Bundles.key()],
        bundleMinVersion: minVersion
    ))
}

private func verdict(_ q: Qorgan) throws -> VerdictKind {
    try q.analyze(host: "127.0.0.1", chain: Fixtures.testCA("unknown-root", "chain.pem"), timeUnix: nil).verdict
}

private func expectInfo(_ info: BundleInfo?, version: UInt64) throws {
    try expectEqual(info?.version, version, "bundle version")
    try expectEqual(info?.knownCas, 1, "known CAs")
    try expectEqual(info?.expires, "2050-01-01T00:00:00Z", "expires")
    try expectEqual(info?.pinsApplied, false, "pins applied without the opt-in")
}

private func tempDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("qorgan-bundle-\(UUID().uuidString)")
}

func bundleTests(_ t: TestRunner) {
    t.test("bundle: a root known only from a bundle is intercepted_known") {
        let q = try unknownRootEngine()
        try expectEqual(try verdict(q), .interceptedLocal, "verdict before")
        try expect(q.bundleInfo() == nil, "a bundle before any was applied")
        let info = try q.applyBundle(Bundles.data("v1"))
        try expectInfo(info, version: 1)
        try expectEqual(q.bundleInfo(), info, "bundleInfo")
        try expectEqual(try verdict(q), .interceptedKnown, "verdict after")
    }

    t.test("bundle: tampered, foreign-key, expired, rollback and malformed bundles are refused, typed, and change nothing") {
        let q = try unknownRootEngine()
        let v2 = try q.applyBundle(Bundles.data("v2"))
        try expectInfo(v2, version: 2)
        func refused(_ name: String) throws -> QorganBundleError {
            let data = try Bundles.data(name)
            let e = try expectThrows(QorganBundleError.self) { try q.applyBundle(data) }
            try expectEqual(q.bundleInfo(), v2, "bundle in use after \(name)")
            try expectEqual(try verdict(q), .interceptedKnown, "verdict after \(name)")
            try expect(e.message.contains("bundle refused"), "\(name) message: \(e.message)")
            return e
        }
        guard case .BadSignature = try refused("tampered") else { throw TestFailure(description: "tampered") }
        guard case let .UnknownKey(keyId, reason) = try refused("foreign-key") else { throw TestFailure(description: "foreign-key") }
        try expect(keyId.count == 16 && reason.contains(keyId), "foreign-key: \(reason)")
        guard case let .Expired(expires, _) = try refused("expired") else { throw TestFailure(description: "expired") }
        try expectEqual(expires, "2020-02-01T00:00:00Z", "expired at")
        guard case let .NotNewer(version, current, _) = try refused("v1") else { throw TestFailure(description: "v1") }
        try expectEqual([version, current], [1, 2], "rollback versions")
        guard case .NotNewer = try refused("v2") else { throw TestFailure(description: "replay") }
        guard case .Malformed = try refused("malformed") else { throw TestFailure(description: "malformed") }
        let junk = try expectThrows(QorganBundleError.self) { try q.applyBundle(Data("<html>".utf8)) }
        guard case .NotABundle = junk else { throw TestFailure(description: "junk: \(junk)") }
        let keyless = try unknownRootEngine(keys: [])
        let none = try expectThrows(QorganBundleError.self) { try keyless.applyBundle(Bundles.data("v1")) }
        guard case .NoKeys = none else { throw TestFailure(description: "no keys: \(none)") }
        let bad = try expectThrows(QorganError.self) { try unknownRootEngine(keys: [Bundles.key(), "c2hvcnQ="]) }
        try expect(bad.message.contains("bundle key #2"), "bad key message: \(bad.message)")
    }

    t.test("bundle updater: fetch over loopback (plain HTTP, allowInsecureLoopbackForTests), 304 with If-None-Match, rollback refused, a restart applies the stored bundle") {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v1 = try Bundles.data("v1"), v2 = try Bundles.data("v2")
        let served = Box<Int>()
        let server = try LocalHTTPServer { _ in
            // One connection at a time: no race on the count.
            let n = (served.value ?? 0) + 1
            served.value = n
            let date = "Tue, 01 Dec 2026 00:00:00 GMT"
            switch n {
            case 1: return (200, ["ETag": "\"v2\"", "Last-Modified": date], v2)
            case 2: return (304, [:], Data())
            case 3: return (200, ["ETag": "\"v1\""], v1)
            case 4: return (200, [:], v2) // the bundle in use again, without ETag
            default: return (500, [:], Data())
            }
        }
        defer { server.stop() }
        let url = URL(string: server.url("/qorgan.bundle"))!
        try expectThrows(URLError.self) { try QorganBundleUpdater(url: url, directory: dir, qorgan: unknownRootEngine()) }

        let q = try unknownRootEngine(minVersion: QorganBundleUpdater.storedVersion(in: dir))
        let updater = try QorganBundleUpdater(url: url, directory: dir, qorgan: q, allowInsecureLoopbackForTests: true)
        try expect(updater.applyStored() == nil, "a stored bundle before any fetch")
        guard case let .updated(info) = updater.fetchNow() else { throw TestFailure(description: "first fetch not updated") }
        try expectInfo(info, version: 2)
        try expectEqual(try verdict(q), .interceptedKnown, "verdict after the fetch")
        try expectEqual(updater.fetchNow(), .notModified, "second fetch")
        guard case let .refused(error) = updater.fetchNow(), case .NotNewer = error else {
            throw TestFailure(description: "the rolled-back bundle was not refused as NotNewer")
        }
        try expectEqual(updater.fetchNow(), .notModified, "the bundle in use, sent again without ETag")
        try expectEqual(updater.fetchNow(), .networkError(description: "HTTP 500 from \(url)", statusCode: 500), "500")
        let requests = server.requests
        try expectEqual(requests.count, 5, "requests")
        try expectEqual(requests[0].headers["if-none-match"], nil, "first If-None-Match")
        try expectEqual(requests[1].headers["if-none-match"], "\"v2\"", "second If-None-Match")
        try expectEqual(requests[1].headers["if-modified-since"], "Tue, 01 Dec 2026 00:00:00 GMT", "second If-Modified-Since")
        try expectEqual(QorganBundleUpdater.storedVersion(in: dir), 2, "stored version")
        try expectEqual(try Data(contentsOf: dir.appendingPathComponent("bundle.qbundle")), v2, "stored bytes")

        // Restart: a new engine knows nothing until the stored bundle is applied, and refuses v1.
        let restarted = try unknownRootEngine(minVersion: QorganBundleUpdater.storedVersion(in: dir))
        try expectEqual(try verdict(restarted), .interceptedLocal, "verdict at restart")
        let rollback = try expectThrows(QorganBundleError.self) { try restarted.applyBundle(v1) }
        guard case .NotNewer(_, 2, _) = rollback else { throw TestFailure(description: "v1 after restart: \(rollback)") }
        let again = try QorganBundleUpdater(url: url, directory: dir, qorgan: restarted, allowInsecureLoopbackForTests: true)
        guard case let .updated(stored) = again.applyStored() else { throw TestFailure(description: "stored bundle not applied") }
        try expectInfo(stored, version: 2)
        try expectEqual(try verdict(restarted), .interceptedKnown, "verdict after the stored bundle")
    }

    t.test("bundle updater: scheduleDaily fetches on the app's queue") {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v1 = try Bundles.data("v1")
        let server = try LocalHTTPServer { _ in (200, ["ETag": "\"v1\""], v1) }
        defer { server.stop() }
        let q = try unknownRootEngine()
        let updater = try QorganBundleUpdater(url: URL(string: server.url("/b"))!, directory: dir, qorgan: q,
                                              allowInsecureLoopbackForTests: true)
        let outcome = Box<QorganBundleUpdater.Outcome>()
        let done = DispatchSemaphore(value: 0)
        let timer = updater.scheduleDaily(on: DispatchQueue(label: "bundle-test")) { o in
            outcome.value = o
            done.signal()
        }
        defer { timer.cancel() }
        try expect(done.wait(timeout: .now() + 10) == .success, "no scheduled fetch")
        guard case let .updated(info)? = outcome.value else { throw TestFailure(description: "scheduled: \(String(describing: outcome.value))") }
        try expectEqual(info.version, 1, "scheduled version")
        try expectEqual(q.bundleInfo()?.version, 1, "bundle in use")
    }
}
