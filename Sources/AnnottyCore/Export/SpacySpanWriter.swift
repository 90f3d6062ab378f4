import Foundation

/// Writes span items as spaCy/Prodigy JSONL: one object per line with `id`, `text`, `tokens`
/// (`text`, `start`, `end`, `id`) and `spans` (`start`, `end`, `label`, `token_start`,
/// `token_end`, the last inclusive as Prodigy writes it). Offsets are Unicode scalars, which is
/// what Python's `str` counts.
public struct SpacySpanWriter: Sendable {
    public init() {}

    public func text(of items: [SpanItem]) -> String {
        var out = ""
        for item in items {
            out += "{\"id\":"
            JSONText.quote(item.id, into: &out)
            out += ",\"text\":"
            JSONText.quote(item.text, into: &out)
            out += ",\"tokens\":["
            for (index, token) in item.tokens.enumerated() {
                if index > 0 { out += "," }
                out += "{\"text\":"
                JSONText.quote(token.text, into: &out)
                out += ",\"start\":\(token.start),\"end\":\(token.end),\"id\":\(index)}"
            }
            out += "],\"spans\":["
            for (index, (span, range)) in zip(item.spans, item.tokenRanges()).enumerated() {
                if index > 0 { out += "," }
                out += "{\"start\":\(span.start),\"end\":\(span.end),\"label\":"
                JSONText.quote(span.type, into: &out)
                if let range { out += ",\"token_start\":\(range.lowerBound),\"token_end\":\(range.upperBound)" }
                out += "}"
            }
            out += "]}\n"
        }
        return out
    }

    public func write(_ items: [SpanItem], to path: String) throws {
        try Data(text(of: items).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
