// The checker screen over QorganChecker (iOS 15+, macOS 12+): the same content and words as the
// Android checker app (android/checker): the headline, the installed certificates, the sites
// checked grouped by certificate authority, and what to do, in Kazakh, Russian or English.
//
// Sample code, not part of the Swift package: copy this file and the *.lproj folders beside it
// into an app target that depends on the `Qorgan` library. It has not been compiled in this project's CI (Linux has no SwiftUI);
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
    @Published private(set) var failed = false

    /// The engine's default targets; pass `hosts:` to probe your own servers instead.
    func check() async {
        guard !running else { return }
        running = true
        fraction = 0
        failed = false
        do {
            let checker = try QorganChecker(config: .ios())
            let result = await checker.run { [weak self] progress in
                Task { @MainActor in self?.fraction = progress.fraction }
            }
            report = result.report
        } catch {
            // A sentence for the person on the screen; the details for the developer, in the log.
            NSLog("Qorgan checker: the check could not run: %@", (error as? QorganError)?.message ?? "\(error)")
            failed = true
        }
        running = false
    }
}

/// The app's own words (Sample/*.lproj, generated from the Android checker's strings.xml by
/// scripts/checker-strings.py); everything about what was found is the engine's, in the same
/// language (the device's).
private func L(_ key: String) -> String { NSLocalizedString(key, comment: "") }

@available(iOS 15.0, macOS 12.0, *)
@MainActor // as SwiftUI's View is in the iOS 18 SDK; explicit for older SDKs
struct QorganCheckerView: View {
    @StateObject private var model = QorganCheckerModel()

    var body: some View {
        List {
            Section {
                Button(model.running ? L("checking") : L("check_button")) {
                    Task { await model.check() }
                }
                .disabled(model.running)
                if model.running {
                    ProgressView(value: model.fraction)
                }
                Text(L("privacy")).font(.footnote).foregroundColor(.secondary)
                if model.failed {
                    Text(L("check_failed")).foregroundColor(.red)
                }
            }
            if let report = model.report {
                Section {
                    Label(report.headline, systemImage: Self.symbol(for: report.status))
                        .font(.headline)
                        .foregroundColor(Self.color(for: report.status))
                }
                // iOS lets no app read its trust store: the list is empty there unless the app
                // audited certificates of its own, and the text says where to look instead.
                Section(L("section_installed")) {
                    if report.installed.isEmpty {
                        Text(L("installed_not_listed")).font(.footnote)
                    }
                    ForEach(report.installed, id: \.spkiSha256) { cert in
                        VStack(alignment: .leading, spacing: 6) {
                            Text(cert.name).font(.subheadline.bold())
                                .foregroundColor(Self.color(for: cert.severity))
                            Text(cert.whatItIs).font(.footnote)
                            Text(cert.howToRemove).font(.footnote).foregroundColor(.secondary)
                        }
                        .padding(.vertical, 4)
                    }
                }
                Section(L("section_sites")) {
                    ForEach(Array(report.siteGroups.enumerated()), id: \.offset) { _, group in
                        VStack(alignment: .leading, spacing: 4) {
                            Text(group.title).font(.subheadline.bold())
                                .foregroundColor(Self.color(for: group.severity))
                            ForEach(Array(group.sites.enumerated()), id: \.offset) { _, site in
                                Text("\(site.host)\(site.port == 443 ? "" : ":\(site.port)") — \(site.summary)")
                                    .font(.footnote)
                                    .foregroundColor(Self.color(for: site.severity))
                            }
                        }
                        .padding(.vertical, 4)
                    }
                    Text(String.localizedStringWithFormat(
                        L("sites_checked"), Int(report.hostsChecked), Int(report.hostsUnreachable)
                    ))
                    .font(.footnote)
                }
                Section(L("section_next")) {
                    if report.advice.isEmpty {
                        Text(L("nothing_to_do")).font(.footnote)
                    }
                    ForEach(Array(report.advice.enumerated()), id: \.offset) { _, advice in
                        VStack(alignment: .leading, spacing: 6) {
                            Text(advice.title).font(.subheadline.bold())
                                .foregroundColor(Self.color(for: advice.severity))
                            Text(advice.explanation).font(.footnote)
                            Text(advice.action).font(.footnote).foregroundColor(.secondary)
                        }
                        .padding(.vertical, 4)
                    }
                }
            }
        }
        .navigationTitle(L("app_name"))
    }

    static func color(for severity: Severity) -> Color {
        switch severity {
        case .critical: return .red
        case .warning: return .orange
        case .info: return .primary
        }
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
