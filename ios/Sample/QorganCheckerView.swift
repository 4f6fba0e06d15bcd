// A minimal "Check my connection" screen over QorganChecker (iOS 15+, macOS 12+).
//
// Sample code, not part of the Swift package: copy this file into an app target that depends on
// the `Qorgan` library. It has not been compiled in this project's CI (Linux has no SwiftUI);
// the checker it drives is tested there (Tests/QorganTests/CheckerTests.swift).

#if canImport(SwiftUI) && canImport(Security)
import SwiftUI
import Qorgan

/// Runs the check and holds what the screen shows.
@MainActor
final class QorganCheckerModel: ObservableObject {
    @Published private(set) var report: CheckerReport?
    @Published private(set) var fraction = 0.0
    @Published private(set) var running = false
    @Published private(set) var failure: String?

    /// The engine's default targets; pass `hosts:` to probe your own servers instead.
    func check() async {
        guard !running else { return }
        running = true
        fraction = 0
        failure = nil
        do {
            let checker = try QorganChecker(config: .ios())
            let result = await checker.run { [weak self] progress in
                Task { @MainActor in self?.fraction = progress.fraction }
            }
            report = result.report
        } catch {
            failure = (error as? QorganError)?.message ?? "\(error)"
        }
        running = false
    }
}

@available(iOS 15.0, macOS 12.0, *)
@MainActor // as SwiftUI's View is in the iOS 18 SDK; explicit for older SDKs
struct QorganCheckerView: View {
    @StateObject private var model = QorganCheckerModel()

    var body: some View {
        List {
            Section {
                Button(model.running ? "Checking…" : "Check my connection") {
                    Task { await model.check() }
                }
                .disabled(model.running)
                if model.running {
                    ProgressView(value: model.fraction)
                }
                if let failure = model.failure {
                    Text(failure).foregroundColor(.red)
                }
            }
            if let report = model.report {
                Section {
                    Label(report.headline, systemImage: Self.symbol(for: report.status))
                        .font(.headline)
                        .foregroundColor(Self.color(for: report.status))
                }
                if !report.advice.isEmpty {
                    Section("What was found") {
                        ForEach(Array(report.advice.enumerated()), id: \.offset) { _, advice in
                            VStack(alignment: .leading, spacing: 6) {
                                Text(advice.title).font(.subheadline.bold())
                                Text(advice.explanation).font(.footnote)
                                Text(advice.action).font(.footnote).foregroundColor(.secondary)
                            }
                            .padding(.vertical, 4)
                        }
                    }
                }
            }
        }
        .navigationTitle("Connection check")
    }

    static func color(for status: CheckStatus) -> Color {
        switch status {
        case .safe: return .green
        case .warning: return .orange
        case .intercepted: return .red
        case .offline: return .gray
        }
    }

    static func symbol(for status: CheckStatus) -> String {
        switch status {
        case .safe: return "checkmark.shield"
        case .warning: return "exclamationmark.triangle"
        case .intercepted: return "exclamationmark.shield"
        case .offline: return "wifi.slash"
        }
    }
}
#endif
