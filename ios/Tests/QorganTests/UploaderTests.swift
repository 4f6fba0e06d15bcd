// QorganReportUploader: the request it builds, and real uploads through URLSession
// (FoundationNetworking on Linux) to an HTTP server running in this process.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Qorgan

final class OutcomeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [QorganReportUploader.Outcome] = []
    func append(_ o: QorganReportUploader.Outcome) {
        lock.lock()
        items.append(o)
        lock.unlock()
    }
    var all: [QorganReportUploader.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

func uploaderTests(_ t: TestRunner) {
    /// A report-only pin mismatch on google.com's real chain, reporting to `uri`.
    func pinReport(uri: String?, dedupSeconds: UInt64 = QorganConfig.defaultReportDedupSeconds) throws -> (QorganTrustEvaluator, GoogleChain) {
        var b = QorganPinPolicy.Builder().add("**.google.com", pinA, pinB).reportOnly()
        if let uri { b = b.reportURI(uri) }
        let q = try Qorgan(config: .ios(pinPolicy: try b.build(), reportDedupSeconds: dedupSeconds))
        return (QorganTrustEvaluator(qorgan: q, mode: .enforce), try GoogleChain())
    }

    func sampleReport() throws -> Report {
        let chain = try Fixtures.testCA("local-root", "chain.pem")
        let q = try engine()
        return try q.report(host: "localhost", port: 443, servedChain: chain, validatedChain: chain,
                            verdict: q.analyzeValidated(host: "localhost", chain: chain))
    }

    t.test("uploader: the request is a JSON POST of report.json; only https (or http to loopback) is used") {
        let report = try sampleReport()
        let r = try QorganReportUploader.request(for: report, to: "https://reports.example.com/pins?app=1", timeout: 7).get()
        try expectEqual(r.httpMethod, "POST", "method")
        try expectEqual(r.url?.absoluteString, "https://reports.example.com/pins?app=1", "url")
        try expectEqual(r.value(forHTTPHeaderField: "Content-Type"), "application/json; charset=utf-8", "content type")
        try expectEqual(r.httpBody, Data(report.json.utf8), "body")
        try expectEqual(r.timeoutInterval, 7, "timeout")
        try expectEqual(r.httpShouldHandleCookies, false, "cookies")
        for ok in ["http://127.0.0.1:8080/r", "http://localhost/r", "http://[::1]:9/r", "HTTPS://Example.com/r"] {
            try expect((try? QorganReportUploader.request(for: report, to: ok).get()) != nil, "refused \(ok)")
        }
        for bad in ["http://reports.example.com/pins", "ftp://example.com/x", "/relative/path", "not a url", "https://"] {
            guard case let .failure(e) = QorganReportUploader.request(for: report, to: bad) else {
                throw TestFailure(description: "accepted \(bad)")
            }
            try expect(e.message.contains(bad), e.message)
        }
    }

    t.test("uploader: URLSession posts the pin report to the policy's report URI; deduplicated reports are posted once") {
        let server = try LocalHTTPServer(status: 204)
        defer { server.stop() }
        let log = OutcomeLog()
        let uploader = QorganReportUploader(onOutcome: { log.append($0) })
        let (evaluator, g) = try pinReport(uri: server.url("/pins"))
        evaluator.qorgan.setReportSink(sink: uploader.reportHandler)
        for _ in 0..<3 {
            let d = evaluator.evaluate(host: "www.google.com", servedChain: g.served, validatedChain: g.validated)
            try expect(d.isAllowed, "report-only refused")
        }
        try expect(uploader.waitUntilIdle(timeout: 20), "uploads did not finish")
        try expectEqual(server.requests.count, 1, "requests")
        let req = server.requests[0]
        try expectEqual(req.method, "POST", "method")
        try expectEqual(req.path, "/pins", "path")
        try expect(req.headers["content-type"]?.hasPrefix("application/json") == true, "content-type \(req.headers)")
        try expect(req.headers["cookie"] == nil, "cookie sent")
        guard let json = try JSONSerialization.jsonObject(with: req.body) as? [String: Any] else {
            throw TestFailure(description: "body is not a JSON object: \(String(decoding: req.body.prefix(200), as: UTF8.self))")
        }
        try expectEqual(json["hostname"] as? String, "www.google.com", "hostname")
        try expectEqual(json["validation-result"] as? Int, 1, "validation-result")
        try expectEqual((json["known-pins"] as? [String])?.count, 2, "known-pins")
        try expectEqual(json["enforce-pinning"] as? Bool, false, "enforce-pinning")
        try expectEqual((json["served-certificate-chain"] as? [String])?.count, g.served.count, "served chain")
        try expectEqual(log.all.map(\.statusCode), [204], "outcomes")
        try expect(log.all[0].succeeded, "not a success: \(log.all[0])")
        print("     \(log.all[0]); user-agent: \(req.headers["user-agent"] ?? "-")")
    }

    t.test("uploader: HTTP errors and unreachable endpoints are outcomes, not crashes") {
        let failing = try LocalHTTPServer(status: 500)
        defer { failing.stop() }
        let closed = "http://127.0.0.1:\(try closedLoopbackPort())/pins"
        let log = OutcomeLog()
        let uploader = QorganReportUploader(fallbackURIs: [URL(string: failing.url())!, URL(string: closed)!,
                                                           URL(string: "http://reports.example.com/x")!],
                                            timeout: 5, onOutcome: { log.append($0) })
        uploader.upload(try sampleReport())
        try expect(uploader.waitUntilIdle(timeout: 20), "uploads did not finish")
        let byURI = Dictionary(uniqueKeysWithValues: log.all.map { ($0.uri, $0) })
        try expectEqual(byURI.count, 3, "outcomes: \(log.all)")
        try expectEqual(byURI[failing.url()]?.statusCode, 500, "500")
        try expect(byURI[failing.url()]?.succeeded == false, "500 counted as success")
        try expect(byURI[closed]?.statusCode == nil && byURI[closed]?.error != nil, "closed port: \(String(describing: byURI[closed]))")
        try expect(byURI["http://reports.example.com/x"]?.error?.contains("not https") == true, "plain http sent")
        try expectEqual(failing.requests.count, 1, "requests to the failing server")
        for o in log.all { print("     \(o)") }
    }

    t.test("uploader: fallback URIs only for reports that name none; no URI, no upload") {
        let server = try LocalHTTPServer()
        defer { server.stop() }
        let log = OutcomeLog()
        // an interception report of an unpinned host names no URI: the fallback gets it
        let withFallback = QorganReportUploader(fallbackURIs: [URL(string: server.url("/fallback"))!], onOutcome: { log.append($0) })
        let evaluator = try QorganTrustEvaluator(config: .ios(), reportHandler: withFallback.reportHandler)
        let chain = try Fixtures.testCA("local-root", "chain.pem")
        _ = evaluator.evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        // a pin report names its own: the fallback is not used
        let (pinned, g) = try pinReport(uri: server.url("/pins"))
        pinned.qorgan.setReportSink(sink: withFallback.reportHandler)
        _ = pinned.evaluate(host: "google.com", servedChain: g.served, validatedChain: g.validated)
        try expect(withFallback.waitUntilIdle(timeout: 20), "uploads did not finish")
        try expectEqual(server.requests.map(\.path).sorted(), ["/fallback", "/pins"], "paths")
        // no URIs anywhere: nothing is sent, nothing reported
        let silent = QorganReportUploader(onOutcome: { log.append($0) })
        let before = log.all.count
        silent.upload(try sampleReport())
        try expect(silent.waitUntilIdle(timeout: 5), "idle")
        try expectEqual(log.all.count, before, "outcomes without URIs")
        try expectEqual(server.requests.count, 2, "requests")
    }

    t.test("uploader: at most maxPending uploads in flight; the rest are dropped and said so") {
        let slow = try LocalHTTPServer(status: 204, delay: 0.5)
        defer { slow.stop() }
        let log = OutcomeLog()
        let uploader = QorganReportUploader(fallbackURIs: [URL(string: slow.url())!], maxPending: 1, onOutcome: { log.append($0) })
        let report = try sampleReport()
        for _ in 0..<3 { uploader.upload(report) }
        try expect(uploader.waitUntilIdle(timeout: 20), "uploads did not finish")
        try expectEqual(log.all.filter(\.succeeded).count, 1, "sent: \(log.all)")
        try expectEqual(log.all.filter { $0.error?.contains("dropped") == true }.count, 2, "dropped: \(log.all)")
        try expectEqual(slow.requests.count, 1, "requests")
    }

    t.test("uploader: URLSessionReportTransport keeps the ReportTransport contract (one callback, the status)") {
        let server = try LocalHTTPServer(status: 202)
        defer { server.stop() }
        let transport: ReportTransport = URLSessionReportTransport()
        let calls = Box<[Int?]>()
        calls.value = []
        let done = DispatchSemaphore(value: 0)
        let request = try QorganReportUploader.request(for: try sampleReport(), to: server.url()).get()
        transport.send(request) { result in
            calls.value = (calls.value ?? []) + [try? result.get()]
            done.signal()
        }
        try expect(done.wait(timeout: .now() + 20) == .success, "no callback")
        Thread.sleep(forTimeInterval: 0.2)
        try expectEqual(calls.value ?? [], [202], "callbacks")
    }
}
