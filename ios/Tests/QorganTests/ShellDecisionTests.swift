// The decision table shared with the Kotlin suite and the Rust test of `evaluateValidated`
// (rust-core/engine/tests/shell-decisions.tsv): the same chains and policies must give the same
// decision, refusal finding, CA and report through this evaluator as through Kotlin's trust
// manager and the engine itself.

import Foundation
import Qorgan

func shellDecisionTests(_ t: TestRunner) {
    let url = Fixtures.repo.appendingPathComponent("rust-core/engine/tests/shell-decisions.tsv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        t.test("shared decision table") { throw TestFailure(description: "cannot read \(url.path)") }
        return
    }
    let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    let rows: [[String: String]] = lines.dropFirst().map { line in
        let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return Dictionary(uniqueKeysWithValues: zip(header, cols))
    }

    func chain(_ name: String) throws -> [Data] {
        if name == "google.com" {
            let dir = "rust-core/engine/tests/data/real-chains/limbo-online/google.com"
            return try Fixtures.pem("\(dir).chain.pem") + Fixtures.pem("\(dir).root.pem")
        }
        return try Fixtures.testCA(name, "chain.pem")
    }

    for row in rows {
        let name = row["case"] ?? "?"
        t.test("shared decision table: \(name)") {
            func col(_ key: String) throws -> String {
                guard let v = row[key] else { throw TestFailure(description: "\(name): no column \(key)") }
                return v
            }
            let certs = try chain(col("chain"))
            var allowedPins: [String] = []
            if try col("allowed_anchor") != "-" {
                allowedPins = [try spkiPin(certificate: try Fixtures.testCA(col("allowed_anchor"), "root.pem")[0])]
            }
            let policy = try col("policy")
            let q = try Qorgan(config: QorganConfig(
                trustedCertificates: [],
                allowedAnchorPins: allowedPins,
                platform: .any,
                reportDedupSeconds: 0,
                pinPolicy: policy == "-" ? nil : policy,
                dangerousDebugBuild: false
            ))
            let sink = RecordingSink()
            q.setReportSink(sink: sink)
            let mode: QorganTrustEvaluator.Mode = try col("mode") == "enforce" ? .enforce : .reportOnly
            let validated = try col("platform") == "validated"
            let d = QorganTrustEvaluator(qorgan: q, mode: mode).evaluate(
                host: try col("host"),
                servedChain: certs,
                validatedChain: validated ? certs : nil,
                platformFailure: validated ? nil : "not trusted"
            )
            try expectEqual(String(d.isAllowed), try col("allowed"), "\(name): allowed")
            try expectEqual(d.verdict.map { verdictKindName(verdict: $0.verdict) }, try col("verdict"), "\(name): verdict")
            if validated, let refusal = d.refusal {
                try expectEqual(refusal.finding.map { findingCodeName(code: $0.code) }, try col("finding"), "\(name): refusal finding")
                try expectEqual(refusal.certificateAuthority ?? "-", try col("ca"), "\(name): refusal CA")
                let headline = refusal.finding?.message.split(separator: "\n").first.map(String.init) ?? "?"
                try expect(refusal.description.contains(headline.trimmingCharacters(in: CharacterSet(charactersIn: "."))),
                           "\(name): the refusal does not name the main finding: \(refusal.description)")
            }
            if try col("report") == "-" {
                try expectEqual(sink.reports.count, 0, "\(name): reports")
                try expect(d.report == nil, "\(name): a report in the decision")
            } else {
                try expectEqual(sink.reports.count, 1, "\(name): reports")
                try expectEqual(String(sink.reports[0].validationResult), try col("report"), "\(name): validation-result")
                let ca = sink.reports[0].interceptionCa ?? "-"
                try expect(ca.contains(try col("report_ca")), "\(name): report CA \(ca)")
                try expectEqual(d.report?.validationResult, sink.reports[0].validationResult, "\(name): the decision's report")
            }
        }
    }
}
