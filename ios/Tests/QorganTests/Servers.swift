// Real peers for the tests: TLS servers (`openssl s_server` with the committed test CAs) for the
// Checker's probes, and a minimal HTTP/1.1 server for the report uploader. Plus a bridge from
// the synchronous runner to async code.

import Foundation
import Qorgan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?
    var value: T? {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

/// Runs `body` in a Task and waits for it on this (non-cooperative) thread.
func runAsync<T>(timeout: TimeInterval = 60, _ body: @escaping @Sendable () async -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let box = Box<T>()
    Task {
        box.value = await body()
        done.signal()
    }
    guard done.wait(timeout: .now() + timeout) == .success, let value = box.value else {
        throw TestFailure(description: "async test body did not finish within \(Int(timeout)) s")
    }
    return value
}

// MARK: - sockets

#if os(Linux)
private let streamType = Int32(SOCK_STREAM.rawValue)
#else
private let streamType = SOCK_STREAM
#endif

/// A TCP socket bound to 127.0.0.1 on a port the kernel picked; returns (fd, port).
private func bindLoopback() throws -> (Int32, UInt16) {
    let fd = socket(AF_INET, streamType, 0)
    guard fd >= 0 else { throw TestFailure(description: "socket() failed: errno \(errno)") }
    var yes: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        close(fd)
        throw TestFailure(description: "bind(127.0.0.1:0) failed: errno \(errno)")
    }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return (fd, UInt16(bigEndian: addr.sin_port))
}

/// A loopback port where nothing listens (bound, then closed again).
func closedLoopbackPort() throws -> UInt16 {
    let (fd, port) = try bindLoopback()
    close(fd)
    return port
}

// MARK: - TLS servers

/// `openssl s_server` serving a test CA's leaf on 127.0.0.1 (a port it picks), until `stop()`.
final class OpenSSLServer {
    let scenario: String
    let port: UInt16
    private let process: Process

    var address: String { "127.0.0.1:\(port)" }

    /// The `openssl` to run: $QORGAN_TEST_OPENSSL, else the first on PATH.
    static func executable() throws -> String {
        if let path = ProcessInfo.processInfo.environment["QORGAN_TEST_OPENSSL"], !path.isEmpty { return path }
        if let path = onPath("openssl") { return path }
        throw TestFailure(description: "no openssl on PATH (the Swift root gets it with ca-certificates; or set QORGAN_TEST_OPENSSL)")
    }

    static func onPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Starts the server for `rust-core/engine/tests/test-ca/<scenario>/` and waits for its `ACCEPT` line.
    init(scenario: String) throws {
        self.scenario = scenario
        let dir = Fixtures.repo.appendingPathComponent("rust-core/engine/tests/test-ca/\(scenario)")
        let p = Process()
        var arguments = [
            try Self.executable(), "s_server", "-accept", "127.0.0.1:0",
            "-cert", dir.appendingPathComponent("leaf.pem").path,
            "-key", dir.appendingPathComponent("leaf.key").path,
            "-www", "-naccept", "1000",
        ]
        // A safety net: should the runner die before stop(), the server does not outlive it by
        // much (under proot, a leftover child would keep the whole run from finishing).
        if let timeout = Self.onPath("timeout") {
            arguments = [timeout, "300"] + arguments
        }
        p.executableURL = URL(fileURLWithPath: arguments.removeFirst())
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        process = p

        // Read stdout on a thread: the port line first, then drain until the server exits.
        let found = Box<UInt16>()
        let ready = DispatchSemaphore(value: 0)
        let handle = out.fileHandleForReading
        Thread.detachNewThread {
            var text = ""
            var signalled = false
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                guard !signalled else { continue }
                text += String(decoding: chunk, as: UTF8.self)
                // "ACCEPT 127.0.0.1:44813"
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
                   let port = line.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespaces)) }) {
                    found.value = port
                    signalled = true
                    ready.signal()
                }
            }
            if !signalled { ready.signal() }
        }
        guard ready.wait(timeout: .now() + 20) == .success, let port = found.value else {
            p.terminate()
            throw TestFailure(description: "openssl s_server for \(scenario) did not report its port")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

// MARK: - HTTP server

/// A minimal HTTP/1.1 server on 127.0.0.1: records each request and answers with `status`
/// (after `delay`), or with what `respond` returns for it, one connection at a time,
/// `Connection: close`.
final class LocalHTTPServer: @unchecked Sendable {
    struct Request {
        let method: String
        let path: String
        /// Header names in lower case.
        let headers: [String: String]
        let body: Data
    }

    let port: UInt16
    private let fd: Int32
    private let status: Int
    private let delay: TimeInterval
    private let respond: (@Sendable (Request) -> (status: Int, headers: [String: String], body: Data))?
    private let lock = NSLock()
    private var received: [Request] = []
    private let finished = DispatchSemaphore(value: 0)

    init(
        status: Int = 204,
        delay: TimeInterval = 0,
        respond: (@Sendable (Request) -> (status: Int, headers: [String: String], body: Data))? = nil
    ) throws {
        (fd, port) = try bindLoopback()
        self.status = status
        self.delay = delay
        self.respond = respond
        guard listen(fd, 16) == 0 else {
            close(fd)
            throw TestFailure(description: "listen failed: errno \(errno)")
        }
        Thread.detachNewThread { [self] in
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { break }
                serve(c)
            }
            finished.signal()
        }
    }

    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    func url(_ path: String = "/reports") -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        _ = finished.wait(timeout: .now() + 5)
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func readMore() -> Bool {
            let n = recv(c, &chunk, chunk.count, 0)
            if n <= 0 { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            if let r = find(separator, in: buffer) { headerEnd = r; break }
            if !readMore() { return }
        }
        guard let end = headerEnd else { return }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            write(c, "HTTP/1.1 100 Continue\r\n\r\n")
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(buffer[(end + separator.count)...])
        while body.count < length {
            let before = buffer.count
            guard readMore() else { break }
            body.append(contentsOf: buffer[before...])
        }
        let request = Request(
            method: requestLine.first.map(String.init) ?? "",
            path: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers,
            body: Data(body.prefix(length))
        )
        lock.lock()
        received.append(request)
        lock.unlock()
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        let (code, extra, payload) = respond?(request) ?? (status, [:], Data())
        let fields = extra.map { "\($0.key): \($0.value)\r\n" }.joined()
        write(c, "HTTP/1.1 \(code) Test\r\n\(fields)Content-Length: \(payload.count)\r\nConnection: close\r\n\r\n")
        _ = payload.withUnsafeBytes { send(c, $0.baseAddress, $0.count, 0) }
    }

    private func write(_ c: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(c, $0.baseAddress, $0.count, 0) }
    }

    private func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
