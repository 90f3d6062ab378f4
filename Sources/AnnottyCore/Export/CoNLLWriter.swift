import Foundation

/// Writes span items as CoNLL: `token TAG` per line, a blank line after each sentence, and a
/// `-DOCSTART- -X- -X- O` line (as in CoNLL-2003) before each document where items carry one.
public struct CoNLLWriter: Sendable {
    public var scheme: BIOScheme

    public init(scheme: BIOScheme = .iob2) { self.scheme = scheme }

    /// - Throws: `SpanError` for a span that is not on token edges or overlaps another.
    public func text(of items: [SpanItem]) throws -> String {
        var out = ""
        var currentDocument: Int?
        for item in items {
            if let document = item.document, document != currentDocument {
                out += "-DOCSTART- -X- -X- O\n\n"
                currentDocument = document
            }
            for (token, tag) in zip(item.tokens, try item.bioTags(scheme: scheme)) {
                out += token.text
                out += " "
                out += tag
                out += "\n"
            }
            out += "\n"
        }
        return out
    }

    public func write(_ items: [SpanItem], to path: String) throws {
        try Data(try text(of: items).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
