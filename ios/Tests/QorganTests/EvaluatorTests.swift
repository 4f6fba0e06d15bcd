// QorganTrustEvaluator: the decision per mode, the refusal message, fail-closed behaviour, and
// report delivery, on chains as the platform would hand them over.

import Foundation
import Qorgan

/// An engine whose evaluation fails inside Rust, as a bug would (a real caught panic, delivered
/// as `QorganError.Internal`): for the fail-closed tests. It answers as the engine does on an
/// error: no verdict, and acceptable only in report-only mode.
final class FailingQorgan: Qorgan, @unchecked Sendable {
    override func evaluateValidated(
        host: String?, port: UInt16, servedChain: [Data], validatedChain: [Data],
        enforce: Bool, deliverReport: Bool
    ) -> Evaluation {
        var failure = QorganError.Internal(reason: "simulateInternalFailure() returned")
        do { try simulateInternalFailure() } catch let e as QorganError { failure = e } catch {}
        return Evaluation(
            verdict: nil, failure: failure, acceptable: !enforce, needsReport: false,
            mainFinding: nil, interceptionCa: nil, remedy: .none, report: nil, reportFailure: nil
        )
    }
}

func evaluatorTests(_ t: TestRunner) {
    /// The local-root chain as a platform that trusts the local root validates it: leaf, root.
    func localChain() throws -> [Data] { try Fixtures.testCA("local-root", "chain.pem") }

    t.test("evaluator(enforce): refuses the local-root chain, naming the CA and the finding") {
        let sink = RecordingSink()
        let q = try engine()
        q.setReportSink(sink: sink)
        let evaluator = QorganTrustEvaluator(qorgan: q, mode: .enforce)
        let chain = try localChain()
        let d = evaluator.evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        try expect(!d.isAllowed, "allowed")
        try expectEqual(d.verdict?.verdict, .interceptedLocal, "verdict")
        guard let refusal = d.refusal else { throw TestFailure(description: "no refusal") }
        try expectEqual(refusal.reason, .verdict(.interceptedLocal), "reason")
        try expectEqual(refusal.certificateAuthority, "Qorgan Test Local Root", "certificateAuthority")
        try expectEqual(refusal.finding?.code, .nonPublicAnchor, "finding")
        let text = refusal.description
        try expect(text.contains("Qorgan Test Local Root"), "CA not named: \(text)")
        try expect(text.contains("non_public_anchor"), "finding not named: \(text)")
        try expect(text.contains("localhost:443"), "host not named: \(text)")
        try expect(text.contains("sha256/"), "no allow hint: \(text)")
        try expectEqual(refusal.localizedDescription, text, "localizedDescription")
        let thrown = try expectThrows(QorganTrustError.self) { try d.get() }
        try expectEqual(thrown, refusal, "get() throws the refusal")
        try expectEqual(sink.reports.count, 1, "reports delivered")
        try expectEqual(d.report?.hostname, "localhost", "report hostname")
        try expect(d.reportFailure == nil, "report failure \(String(describing: d.reportFailure))")
        print("     refusal: \(text)")
    }

    t.test("evaluator(enforce): a user CA whose issuer field copies ISRG Root X1's name is judged by its own key; odd store certificates do not stop the engine") {
        // rust-core/engine/tests/test-ca/adversary/isrg-named (scripts/make-adversarial-certs.sh): issue 13, hole 1.
        let chain = try Fixtures.pem("rust-core/engine/tests/test-ca/adversary/isrg-named/chain.pem")
        let odd = try Data(contentsOf: Fixtures.repo.appendingPathComponent(
            "rust-core/engine/tests/data/adversarial/local-root-duplicate-basic-constraints.der"))
        let q = try engine(trusted: [
            TrustedCertificate(der: chain[1], userAdded: true),
            TrustedCertificate(der: odd, userAdded: true),
            TrustedCertificate(der: Data([0x30, 0x01, 0x00]), userAdded: true),
        ])
        try expectEqual(q.skippedAnchors().count, 2, "store certificates set aside")
        let sink = RecordingSink()
        q.setReportSink(sink: sink)
        let d = QorganTrustEvaluator(qorgan: q, mode: .enforce)
            .evaluate(host: "app.example", servedChain: chain, validatedChain: chain)
        try expect(!d.isAllowed, "allowed")
        try expectEqual(d.verdict?.verdict, .interceptedLocal, "verdict")
        try expectEqual(d.verdict?.anchor?.subject, "Corp TLS Inspection CA", "anchor")
        try expectEqual(sink.reports.count, 1, "reports delivered")
    }

    t.test("evaluator(enforce): allows the local root when its SPKI pin is allowed; still reported") {
        let chain = try localChain()
        let pin = try spkiPin(certificate: chain[1])
        let sink = RecordingSink()
        let evaluator = try QorganTrustEvaluator(
            config: .ios(allowedAnchorPins: [pin]),
            mode: .enforce,
            reportHandler: QorganReportHandler { report in try sink.onReport(report: report) }
        )
        let d = evaluator.evaluate(host: "localhost", port: 8443, servedChain: chain, validatedChain: chain)
        try expect(d.isAllowed, "refused: \(d.refusal?.description ?? "")")
        try expectEqual(try d.get()?.verdict, .interceptedLocal, "verdict stays interceptedLocal")
        try expectEqual(d.verdict?.anchor?.allowed, true, "anchor.allowed")
        try expect(d.verdict?.findings.contains { $0.code == .allowedAnchor } == true, "no allowedAnchor finding")
        try expect(d.verdict?.findings.contains { $0.code == .nonPublicAnchor } == true, "nonPublicAnchor finding dropped")
        try expectEqual(sink.reports.count, 1, "reported")
        try expectEqual(sink.reports.first?.port, 8443, "report port")
    }

    t.test("evaluator(reportOnly): lets the local-root chain through and reports it") {
        let sink = RecordingSink()
        let q = try engine()
        q.setReportSink(sink: sink)
        let chain = try localChain()
        let d = QorganTrustEvaluator(qorgan: q, mode: .reportOnly)
            .evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        try expect(d.isAllowed, "refused in report-only mode")
        try expectEqual(d.verdict?.verdict, .interceptedLocal, "verdict")
        try expectEqual(sink.reports.count, 1, "reported")
        try expect(sink.reports[0].json.contains("intercepted_local"), "json: \(sink.reports[0].json.prefix(300))")
    }

    t.test("evaluator(enforce): the real Qaznet root as the validated anchor is refused, naming it") {
        let qaznet = try Fixtures.pem(Fixtures.qaznetRoot)
        let d = QorganTrustEvaluator(qorgan: try engine(), mode: .enforce)
            .evaluate(host: "example.kz", servedChain: qaznet, validatedChain: qaznet, anchorTrustedByUser: true)
        try expectEqual(d.refusal?.reason, .verdict(.interceptedKnown), "reason")
        try expect(d.refusal?.certificateAuthority?.contains("Qaznet") == true,
                   "CA: \(d.refusal?.certificateAuthority ?? "nil")")
        try expectEqual(d.refusal?.finding?.code, .knownInterceptionCa, "finding")
        try expect(d.refusal?.description.contains("sha256/") == false, "a known interceptor must not get an allow hint")
        try expect(d.refusal?.description.contains("cannot be allowed") == true, "no warning that it cannot be allowed")
        try expect(d.anchorTrustedByUser, "anchorTrustedByUser")
        print("     refusal: \(d.refusal?.description ?? "")")
    }

    t.test("evaluator: platform rejected the Superfish chain -> refused in every mode, reported with the CA") {
        let served = try Fixtures.testCA("superfish", "chain.pem")
        for mode in QorganTrustEvaluator.Mode.allCases {
            let sink = RecordingSink()
            let q = try engine()
            q.setReportSink(sink: sink)
            let d = QorganTrustEvaluator(qorgan: q, mode: mode).evaluate(
                host: "localhost", servedChain: served, validatedChain: nil,
                platformFailure: "“localhost” certificate is not trusted"
            )
            try expect(!d.isAllowed, "\(mode): allowed a chain the platform rejected")
            try expect(!d.platformAccepted, "platformAccepted")
            try expectEqual(d.verdict?.verdict, .interceptedKnown, "\(mode) verdict")
            guard case .platformRejected? = d.refusal?.reason else {
                throw TestFailure(description: "\(mode): reason \(String(describing: d.refusal?.reason))")
            }
            let text = d.refusal?.description ?? ""
            try expect(text.contains("Superfish") && text.contains("not trusted"), "\(mode): \(text)")
            try expectEqual(sink.reports.count, 1, "\(mode): reported")
            try expect(sink.reports[0].interceptionCa?.contains("Superfish") == true,
                       "interceptionCa \(sink.reports[0].interceptionCa ?? "nil")")
            try expectEqual(sink.reports[0].validatedCertificateChain, [], "validated chain of a rejected connection")
            try expectEqual(sink.reports[0].servedCertificateChain.count, served.count, "served chain")
        }
    }

    t.test("evaluator(enforce): a clean public chain is allowed and not reported") {
        let c = try Fixtures.realCases()[0]
        let sink = RecordingSink()
        let q = try engine()
        q.setReportSink(sink: sink)
        let validated = c.chain + c.root
        let d = QorganTrustEvaluator(qorgan: q).evaluate(host: c.host, servedChain: c.chain, validatedChain: validated)
        try expect(d.isAllowed, "refused: \(d.refusal?.description ?? "")")
        try expectEqual(d.verdict?.verdict, .trusted, "verdict")
        try expect(d.report == nil, "a trusted chain was reported")
        try expectEqual(sink.reports.count, 0, "sink calls")
    }

    t.test("evaluator: Qorgan cannot decide -> enforce fails closed, report-only lets it through") {
        let garbage = [Data([0x30, 0x03, 0x02, 0x01, 0x00])]
        let q = try engine()
        let enforce = QorganTrustEvaluator(qorgan: q, mode: .enforce)
            .evaluate(host: "localhost", servedChain: garbage, validatedChain: garbage)
        try expect(!enforce.isAllowed, "enforce allowed an unparseable chain")
        guard case .qorganFailed(.InvalidInput)? = enforce.refusal?.reason else {
            throw TestFailure(description: "reason \(String(describing: enforce.refusal?.reason))")
        }
        try expect(enforce.refusal?.description.contains("fails closed") == true, enforce.refusal?.description ?? "")
        let reportOnly = QorganTrustEvaluator(qorgan: q, mode: .reportOnly)
            .evaluate(host: "localhost", servedChain: garbage, validatedChain: garbage)
        try expect(reportOnly.isAllowed, "report-only refused")
        guard case .InvalidInput? = reportOnly.failure else {
            throw TestFailure(description: "failure \(String(describing: reportOnly.failure))")
        }
    }

    t.test("evaluator(enforce): an internal failure inside the engine fails closed") {
        let q = try FailingQorgan(config: .ios())
        let chain = try localChain()
        let d = QorganTrustEvaluator(qorgan: q, mode: .enforce)
            .evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        guard case .qorganFailed(.Internal)? = d.refusal?.reason else {
            throw TestFailure(description: "reason \(String(describing: d.refusal?.reason))")
        }
        try expect(d.verdict == nil, "verdict despite failure")
        let e = try expectThrows(QorganTrustError.self) { try d.get() }
        print("     refusal: \(e)")
    }

    t.test("evaluator: a throwing report handler never changes the decision") {
        let chain = try localChain()
        let evaluator = try QorganTrustEvaluator(
            config: .ios(),
            mode: .reportOnly,
            reportHandler: QorganReportHandler { _ in throw TestFailure(description: "upload queue full") }
        )
        let d = evaluator.evaluate(host: "localhost", servedChain: chain, validatedChain: chain)
        try expect(d.isAllowed, "decision changed by the sink")
        guard case let .Callback(message)? = d.reportFailure else {
            throw TestFailure(description: "reportFailure \(String(describing: d.reportFailure))")
        }
        try expect(message.contains("upload queue full"), "callback message: \(message)")
    }
}
