import AnnottyCore
import Foundation

/// Reads a model's answer text. Models wrap JSON in code fences, add prose around it, quote
/// numbers or answer with a bare word; all of that is accepted. A label outside the label set
/// is an invalid answer, never coerced to the nearest label.
public struct AnswerParser: Sendable {
    public struct Answer: Sendable, Equatable {
        public var label: String
        public var statedConfidence: Double?
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case noLabel(String)
        case labelNotInSet(String)

        public var description: String {
            switch self {
            case .empty: return "empty answer"
            case .noLabel(let excerpt): return "no label in the answer: \(excerpt)"
            case .labelNotInSet(let label): return "label \(JSONValue.string(label).serialized) is not in the label set"
            }
        }
    }

    public let labels: LabelSet

    public init(labels: LabelSet) {
        self.labels = labels
    }

    public func parse(_ raw: String) -> Result<Answer, Failure> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(.empty) }
        if let object = AnswerParser.firstJSONObject(in: text) {
            let value = object["label"] ?? object["Label"] ?? object["answer"] ?? object["class"]
            if let label = value?.stringValue?.trimmingCharacters(in: .whitespaces) {
                guard let known = canonical(label) else { return .failure(.labelNotInSet(label)) }
                return .success(Answer(label: known, statedConfidence: AnswerParser.confidence(object["confidence"])))
            }
        }
        // A bare answer: the whole text (without quotes or a final full stop) is a label.
        var bare = text
        if bare.hasPrefix("```") { bare = AnswerParser.stripFences(bare) }
        bare = bare.trimmingCharacters(in: CharacterSet(charactersIn: "\"'`.* \n\t"))
        if let known = canonical(bare) { return .success(Answer(label: known, statedConfidence: nil)) }
        if !bare.isEmpty, bare.count <= 40, !bare.contains("{") {
            return .failure(.labelNotInSet(bare))
        }
        return .failure(.noLabel(String(text.prefix(60))))
    }

    /// The label as spelt in the set; a case-only difference is accepted when it is unambiguous.
    func canonical(_ answer: String) -> String? {
        if labels.contains(answer) { return answer }
        let matches = labels.names.filter { $0.caseInsensitiveCompare(answer) == .orderedSame }
        return matches.count == 1 ? matches[0] : nil
    }

    static func confidence(_ value: JSONValue?) -> Double? {
        guard var number = value?.doubleValue ?? value?.stringValue.flatMap({ Double($0.replacingOccurrences(of: "%", with: "")) }),
              number.isFinite else { return nil }
        // Percentages: 85 means 0.85.
        if number > 1 && number <= 100 { number /= 100 }
        return (0...1).contains(number) ? number : nil
    }

    /// The first balanced {...} in the text that parses as a JSON object.
    static func firstJSONObject(in text: String) -> JSONValue? {
        let characters = Array(text.unicodeScalars)
        var start = 0
        while start < characters.count {
            guard let open = characters[start...].firstIndex(of: "{") else { return nil }
            var depth = 0
            var inString = false
            var escaped = false
            var index = open
            while index < characters.count {
                let scalar = characters[index]
                if inString {
                    if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                } else if scalar == "\"" {
                    inString = true
                } else if scalar == "{" {
                    depth += 1
                } else if scalar == "}" {
                    depth -= 1
                    if depth == 0 {
                        var candidate = String.UnicodeScalarView()
                        candidate.append(contentsOf: characters[open...index])
                        if let value = try? JSONParser.parse(String(candidate)), value.objectMembers != nil { return value }
                        break
                    }
                }
                index += 1
            }
            start = open + 1
        }
        return nil
    }

    static func stripFences(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.first?.hasPrefix("```") == true { lines.removeFirst() }
        if lines.last?.hasPrefix("```") == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
