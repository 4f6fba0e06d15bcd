// Test runner for the Swift layer: `scripts/test-swift.sh` (Linux, any host with Swift) or, on a
// Mac with the xcframework built, `swift run QorganTestRunner` in ios/. Optional argument: run only the
// tests whose name contains it. The last line is always "N passed, N failed".

import Foundation

// Line-buffered, so that PASS/FAIL lines and anything the engine writes to stderr (a caught
// Rust panic's message) stay in order when both go to one file.
setvbuf(stdout, nil, _IOLBF, 0)

let runner = TestRunner(filter: CommandLine.arguments.dropFirst().first)
print("Qorgan Swift tests (fixtures: \(Fixtures.repo.path))")
engineTests(runner)
evaluatorTests(runner)
shellDecisionTests(runner)
reportTests(runner)
pinPolicyTests(runner)
uploaderTests(runner)
checkerTests(runner)
bundleTests(runner)
print("\(runner.passed) passed, \(runner.failed) failed")
exit(runner.failed == 0 && runner.passed > 0 ? 0 : 1)
