// The checker's handshake on Apple platforms, made by Network.framework: what the device's apps
// themselves see. The engine then judges it (`Qorgan.judgeHandshake`); the Apple library carries
// no TLS client of its own (scripts/build-ios.sh builds the engine without its live probe).
//
// Not compiled or run by this repository's CI (no Xcode here): written from Apple's Network and
// Security documentation (NWConnection, sec_protocol_options_set_verify_block,
// sec_protocol_metadata_access_peer_certificate_chain, SecTrustEvaluateWithError).

#if canImport(Network) && canImport(Security)
import Foundation
import Network
import Security

/// One probe's handshake with Network.framework.
///
/// - The chain is accepted only to be examined: the verify block records the certificates as the
///   server presented them and answers "accept", while the TLS stack still checks the server's
///   handshake signature (it holds the leaf's key). No application data is ever sent; the
///   connection is cancelled as soon as the handshake completes.
/// - The operating system's own verdict is SecTrust's, with an SSL policy for the host name:
///   roots installed by a configuration profile or an MDM count, which is what makes a
///   profile-installed interception root visible (`interceptedLocal`).
/// - DNS, connect and handshake share one time limit.
enum PlatformHandshake {
    /// Observes the handshake with `host` (or `connectAddress`); blocks the calling thread for up
    /// to `timeoutMs`. Network failures are observations (`.failed`), never thrown.
    static func observe(host: String, port: UInt16, connectAddress: String?, timeoutMs: UInt32) -> HandshakeObservation {
        let start = DispatchTime.now()
        let state = State()
        func elapsedMs() -> UInt64 { (DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000 }
        func failed(_ code: ProbeErrorCode, _ message: String) -> HandshakeObservation {
            HandshakeObservation(
                host: host, port: port, address: state.address, elapsedMs: elapsedMs(),
                outcome: .failed(error: ProbeError(code: code, message: message))
            )
        }

        let endpoint: NWEndpoint
        if let connectAddress {
            guard let (ip, p) = splitAddress(connectAddress), let nwPort = NWEndpoint.Port(rawValue: p) else {
                return failed(.connectFailed, "connect address \"\(connectAddress)\" is not IP:PORT")
            }
            endpoint = .hostPort(host: NWEndpoint.Host(ip), port: nwPort)
        } else {
            guard let nwPort = NWEndpoint.Port(rawValue: port) else {
                return failed(.connectFailed, "port \(port) is not a TCP port")
            }
            endpoint = .hostPort(host: NWEndpoint.Host(host), port: nwPort)
        }

        let queue = DispatchQueue(label: "kz.qorgan.checker.handshake")
        let tls = NWProtocolTLS.Options()
        let sec = tls.securityProtocolOptions
        // Look like a browser: interceptors and blockers key on the ClientHello (SNI, ALPN).
        sec_protocol_options_set_tls_server_name(sec, host)
        sec_protocol_options_add_tls_application_protocol(sec, "h2")
        sec_protocol_options_add_tls_application_protocol(sec, "http/1.1")
        sec_protocol_options_set_verify_block(sec, { metadata, trust, complete in
            var chain: [Data] = []
            _ = sec_protocol_metadata_access_peer_certificate_chain(metadata) { certificate in
                chain.append(SecCertificateCopyData(sec_certificate_copy_ref(certificate).takeRetainedValue()) as Data)
            }
            let secTrust = sec_trust_copy_ref(trust).takeRetainedValue()
            _ = SecTrustSetPolicies(secTrust, SecPolicyCreateSSL(true, host as CFString))
            var error: CFError?
            let trusted = SecTrustEvaluateWithError(secTrust, &error)
            state.sawChain(chain, platformTrusted: trusted)
            complete(true) // to examine the chain; the connection carries no data
        }, queue)
        let tcp = NWProtocolTCP.Options()
        tcp.connectionTimeout = max(1, Int((timeoutMs + 999) / 1000))
        tcp.noDelay = true
        let connection = NWConnection(to: endpoint, using: NWParameters(tls: tls, tcp: tcp))
        let done = DispatchSemaphore(value: 0)
        connection.stateUpdateHandler = { update in
            switch update {
            case .ready:
                if let path = connection.currentPath, case let .hostPort(h, p)? = path.remoteEndpoint {
                    state.address = formatAddress("\(h)", p.rawValue)
                }
                if let meta = connection.metadata(definition: NWProtocolTLS.definition) as? NWProtocolTLS.Metadata {
                    state.negotiated(meta.securityProtocolMetadata)
                }
                done.signal()
            case let .waiting(error), let .failed(error):
                // .waiting: the connection would wait for a better network; a probe reports now.
                state.fail(error)
                done.signal()
            default:
                break
            }
        }
        connection.start(queue: queue)
        let finished = done.wait(timeout: .now() + .milliseconds(Int(timeoutMs))) == .success
        connection.stateUpdateHandler = nil
        connection.cancel()

        guard finished else {
            return state.chain == nil
                ? failed(.timeout, "\(host) did not complete the TLS handshake within the timeout (packets dropped?)")
                : failed(.timeout, "the TLS handshake with \(host) took longer than the timeout")
        }
        if let error = state.error {
            let (code, message) = classify(error, host: host, sawCertificate: state.chain != nil)
            return failed(code, message)
        }
        guard let chain = state.chain, let info = state.tls else {
            return failed(.tlsError, "the TLS handshake with \(host) ended without a server certificate")
        }
        return HandshakeObservation(
            host: host, port: port, address: state.address, elapsedMs: elapsedMs(),
            outcome: .completed(presentedChain: chain, tls: info, platformTrusted: state.platformTrusted)
        )
    }

    /// What the callbacks learn, handed between Network's queue and the waiting thread.
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var _chain: [Data]?
        private var _platformTrusted: Bool?
        private var _tls: TlsInfo?
        private var _error: NWError?
        private var _address: String?

        private func locked<T>(_ body: () -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body()
        }

        var chain: [Data]? { locked { _chain } }
        var platformTrusted: Bool? { locked { _platformTrusted } }
        var tls: TlsInfo? { locked { _tls } }
        var error: NWError? { locked { _error } }
        var address: String? {
            get { locked { _address } }
            set { locked { _address = newValue } }
        }

        func sawChain(_ chain: [Data], platformTrusted: Bool) {
            locked { _chain = chain; _platformTrusted = platformTrusted }
        }

        func fail(_ error: NWError) { locked { _error = error } }

        func negotiated(_ metadata: sec_protocol_metadata_t) {
            let version: String
            switch sec_protocol_metadata_get_negotiated_tls_protocol_version(metadata) {
            case .TLSv13: version = "TLSv1.3"
            case .TLSv12: version = "TLSv1.2"
            case .TLSv11: version = "TLSv1.1"
            case .TLSv10: version = "TLSv1.0"
            default: version = "unknown"
            }
            let suite = sec_protocol_metadata_get_negotiated_tls_ciphersuite(metadata).rawValue
            let alpn = sec_protocol_metadata_get_negotiated_protocol(metadata).map { String(cString: $0) }
            let info = TlsInfo(version: version, cipherSuite: cipherSuiteName(suite), alpn: alpn)
            locked { _tls = info }
        }
    }

    /// Network's error as a probe error code: how blocking looks (a cut before any answer, an
    /// alert) told apart from an ordinary failure.
    static func classify(_ error: NWError, host: String, sawCertificate: Bool) -> (ProbeErrorCode, String) {
        let cut = (ProbeErrorCode.resetAfterClientHello,
                   "the connection to \(host) was cut right after the ClientHello, before the server's certificate: this is how SNI-based blocking usually looks")
        switch error {
        case let .dns(code):
            return (.dnsFailed, "\(host) did not resolve (DNS error \(code))")
        case let .posix(code):
            switch code {
            case .ETIMEDOUT:
                return (.timeout, "\(host) stopped answering (packets dropped?)")
            case .ECONNRESET, .ECONNABORTED, .EPIPE, .ENOTCONN:
                return sawCertificate ? (.tlsError, "the connection to \(host) was cut during the TLS handshake") : cut
            case .ECONNREFUSED:
                // The host is up and the network reaches it; nothing listens on the port.
                return (.connectionRefused, "\(host) refused the connection (nothing listens on the port)")
            case .EHOSTUNREACH, .ENETUNREACH, .ENETDOWN, .EHOSTDOWN:
                return (.connectFailed, "could not connect to \(host): \(error.localizedDescription)")
            default:
                return (.connectFailed, "could not connect to \(host): \(error.localizedDescription)")
            }
        case let .tls(status):
            let text = (SecCopyErrorMessageString(status, nil) as String?) ?? "OSStatus \(status)"
            if peerAlerts.contains(status) {
                return (.tlsAlert, "\(host) answered with a TLS alert: \(text)")
            }
            if (status == errSSLClosedAbort || status == errSSLClosedNoNotify) && !sawCertificate {
                return cut
            }
            // A server that answers the ClientHello with something that is not a TLS record (a
            // plain-HTTP server on the port) fails the record layer before any certificate:
            // Secure Transport's errSSLProtocol. From Apple's documentation of the codes; not
            // run on a device here (the engine's own probe and Kotlin's are tested on loopback).
            if status == errSSLProtocol && !sawCertificate {
                return (.notTls, "\(host) answered, but not with TLS (a plain-HTTP server on this port?)")
            }
            return (.tlsError, "the TLS handshake with \(host) failed: \(text)")
        default:
            return (.tlsError, "the TLS handshake with \(host) failed: \(error.localizedDescription)")
        }
    }

    /// Secure Transport's codes for an alert the peer sent.
    private static let peerAlerts: Set<OSStatus> = [
        errSSLPeerHandshakeFail, errSSLPeerProtocolVersion, errSSLPeerUnexpectedMsg,
        errSSLPeerBadRecordMac, errSSLPeerDecryptionFail, errSSLPeerRecordOverflow,
        errSSLPeerDecompressFail, errSSLPeerBadCert, errSSLPeerUnsupportedCert,
        errSSLPeerCertRevoked, errSSLPeerCertExpired, errSSLPeerCertUnknown, errSSLPeerIllegalParam,
        errSSLPeerUnknownCA, errSSLPeerAccessDenied, errSSLPeerDecodeError, errSSLPeerDecryptError,
        errSSLPeerExportRestriction, errSSLPeerInsufficientSecurity, errSSLPeerInternalError,
        errSSLPeerUserCancelled, errSSLPeerNoRenegotiation,
    ]

    /// IANA names of the suites a modern handshake negotiates; others by number.
    static func cipherSuiteName(_ value: UInt16) -> String {
        switch value {
        case 0x1301: return "TLS_AES_128_GCM_SHA256"
        case 0x1302: return "TLS_AES_256_GCM_SHA384"
        case 0x1303: return "TLS_CHACHA20_POLY1305_SHA256"
        case 0xC02B: return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        case 0xC02C: return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
        case 0xC02F: return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        case 0xC030: return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        case 0xCCA8: return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xCCA9: return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
        default: return String(format: "0x%04X", value)
        }
    }

    /// `IP:PORT` or `[IPv6]:PORT`.
    static func splitAddress(_ s: String) -> (String, UInt16)? {
        guard let colon = s.lastIndex(of: ":"), let port = UInt16(s[s.index(after: colon)...]) else { return nil }
        var ip = String(s[..<colon])
        if ip.hasPrefix("["), ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
        return ip.isEmpty ? nil : (ip, port)
    }

    static func formatAddress(_ ip: String, _ port: UInt16) -> String {
        ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
#endif
