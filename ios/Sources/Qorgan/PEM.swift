import Foundation

/// PEM (RFC 7468) helpers for certificates: the engine takes DER, apps and test data use PEM.
public enum PEM {
    private static let begin = "-----BEGIN CERTIFICATE-----"
    private static let end = "-----END CERTIFICATE-----"

    /// The DER bytes of every `CERTIFICATE` block in `text`, in order. Other blocks (keys,
    /// parameters) and text between blocks are ignored; an empty array means there was none.
    ///
    /// - Throws: `QorganError.InvalidInput` for a block without its END line or whose body is
    ///   not base64, naming the block by its position.
    public static func certificates(in text: String) throws -> [Data] {
        var result: [Data] = []
        var rest = text[...]
        while let start = rest.range(of: begin) {
            let index = result.count + 1
            guard let stop = rest[start.upperBound...].range(of: end) else {
                throw QorganError.InvalidInput(reason: "PEM certificate \(index) has no \(end) line")
            }
            let body = rest[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
            guard !body.isEmpty, let der = Data(base64Encoded: String(body)) else {
                throw QorganError.InvalidInput(reason: "PEM certificate \(index) is not valid base64")
            }
            result.append(der)
            rest = rest[stop.upperBound...]
        }
        return result
    }

    /// The certificates in the PEM file at `url`.
    public static func certificates(contentsOf url: URL) throws -> [Data] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw QorganError.InvalidInput(reason: "cannot read PEM file \(url.path): \(error.localizedDescription)")
        }
        return try certificates(in: text)
    }

    /// One certificate as PEM, 64 base64 characters a line, ending with a newline.
    public static func encode(certificate der: Data) -> String {
        let b64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "\(begin)\n\(b64)\n\(end)\n"
    }
}
