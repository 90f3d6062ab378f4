import Foundation

/// Writes span items as Label Studio tasks for a `<Labels>` over `<Text>` config: each task's
/// `data` holds the item's `id` and `text`, and one annotation holds a `labels` result per span
/// with `start`, `end` (UTF-16 offsets, as Label Studio counts in the browser), `text` and
/// `labels`.
public struct LabelStudioSpanWriter: Sendable {
    /// The `from_name` and `to_name` of the labeling config (`<Labels name=... toName=...>`).
    public var fromName: String
    public var toName: String

    public init(fromName: String = "label", toName: String = "text") {
        self.fromName = fromName
        self.toName = toName
    }

    public func text(of items: [SpanItem]) -> String {
        var out = "[\n"
        for (taskIndex, item) in items.enumerated() {
            let scalars = ScalarText(item.text)
            out += "{\"id\":\(taskIndex + 1),\"data\":{\"id\":"
            JSONText.quote(item.id, into: &out)
            out += ",\"text\":"
            JSONText.quote(item.text, into: &out)
            out += "},\"annotations\":[{\"result\":["
            for (spanIndex, span) in item.spans.enumerated() {
                if spanIndex > 0 { out += "," }
                out += "{\"id\":\"span\(spanIndex + 1)\",\"from_name\":"
                JSONText.quote(fromName, into: &out)
                out += ",\"to_name\":"
                JSONText.quote(toName, into: &out)
                out += ",\"type\":\"labels\",\"value\":{\"start\":\(scalars.utf16Offset(ofScalar: span.start))"
                out += ",\"end\":\(scalars.utf16Offset(ofScalar: span.end)),\"text\":"
                JSONText.quote(span.text, into: &out)
                out += ",\"labels\":["
                JSONText.quote(span.type, into: &out)
                out += "]}}"
            }
            out += "]}]}"
            out += taskIndex + 1 < items.count ? ",\n" : "\n"
        }
        out += "]\n"
        return out
    }

    public func write(_ items: [SpanItem], to path: String) throws {
        try Data(text(of: items).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
