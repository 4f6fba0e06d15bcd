// swift-tools-version:5.9
//
// Qorgan for iOS (and macOS): HTTPS interception detection in apps.
//
// Before the first build, run `scripts/build-ios.sh` on a Mac with Xcode. It builds the Rust
// engine for the device, the simulators and macOS, packs them into QorganFFI.xcframework next to
// this file, and copies the generated bindings into Sources/QorganCore/. Both are build outputs
// (gitignored).
//
//   QorganFFI         the Rust engine: static libraries + C header + module map (binary target)
//   QorganCore        the UniFFI-generated Swift over it (bindings/swift/QorganCore.swift)
//   Qorgan            the hand-written Swift: QorganTrustEvaluator, QorganURLSessionDelegate,
//                     QorganReportHandler, TrustStoreAudit, PEM, QorganPinPolicy,
//                     QorganReportUploader, QorganChecker; re-exports QorganCore
//
// Sample/QorganCheckerView.swift (a SwiftUI checker screen) is not a target: copy it into an app.
//   QorganTestRunner  the tests in Tests/QorganTests (`swift run QorganTestRunner`; on Linux
//                     they run with scripts/test-swift.sh)
import PackageDescription

let package = Package(
    name: "Qorgan",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Qorgan", targets: ["Qorgan"]),
    ],
    targets: [
        .binaryTarget(name: "QorganFFI", path: "QorganFFI.xcframework"),
        .target(
            name: "QorganCore",
            dependencies: ["QorganFFI"],
            path: "Sources/QorganCore",
            exclude: ["README.md"],
            // A static Rust library does not carry its link requirements. The Apple build of the
            // engine has no live probe (the checker's handshakes are Network.framework's), but the
            // Swift around it uses Security and CoreFoundation: linked explicitly.
            linkerSettings: [.linkedFramework("Security"), .linkedFramework("CoreFoundation")]
        ),
        .target(
            name: "Qorgan",
            dependencies: ["QorganCore"],
            path: "Sources/Qorgan"
        ),
        .executableTarget(
            name: "QorganTestRunner",
            dependencies: ["Qorgan"],
            path: "Tests/QorganTests"
        ),
    ]
)
