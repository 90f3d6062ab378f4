import Foundation

/// Texts with gold labels, for training the learner offline and simulating the labelling loop.
public struct LabelledDataset: Sendable, Equatable {
    public var texts: [String]
    /// Indices into `labelNames`.
    public var labels: [Int]
    public var labelNames: [String]

    public init(texts: [String], labels: [Int], labelNames: [String]) {
        precondition(texts.count == labels.count, "one label per text")
        self.texts = texts
        self.labels = labels
        self.labelNames = labelNames
    }

    public var count: Int { texts.count }

    /// TREC-6 coarse labels in the order of the numeric labels in the files.
    public static let trecLabelNames = ["DESC", "ENTY", "ABBR", "HUM", "LOC", "NUM"]

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case malformedLine(file: String, line: Int, reason: String)
        case unknownLabel(file: String, line: Int, label: String)
        case empty(file: String)

        public var description: String {
            switch self {
            case let .malformedLine(file, line, reason): return "\(file):\(line): \(reason)"
            case let .unknownLabel(file, line, label): return "\(file):\(line): label \"\(label)\" is not one of the training labels"
            case let .empty(file): return "\(file): no examples"
            }
        }
    }

    /// Reads a TREC file: one `<label> <question>` per line, label 0...5 (DESC ENTY ABBR HUM LOC NUM).
    public static func loadTREC(from url: URL) throws -> LabelledDataset {
        try parseTREC(readText(url), fileName: url.lastPathComponent)
    }

    public static func parseTREC(_ contents: String, fileName: String = "TREC") throws -> LabelledDataset {
        var texts: [String] = []
        var labels: [Int] = []
        for (offset, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let label = Int(parts[0]), trecLabelNames.indices.contains(label) else {
                throw LoadError.malformedLine(file: fileName, line: offset + 1,
                                              reason: "expected \"<label 0-5> <question>\"")
            }
            texts.append(String(parts[1]))
            labels.append(label)
        }
        guard !texts.isEmpty else { throw LoadError.empty(file: fileName) }
        return LabelledDataset(texts: texts, labels: labels, labelNames: trecLabelNames)
    }

    /// Reads JSON Lines with a string "text" and a "label" (string or integer) on every line.
    /// Label names are taken from `labelNames` when given (a label outside them is an error), else
    /// they are the distinct labels: integers in numeric order, strings in sorted order.
    public static func loadJSONL(from url: URL, labelNames: [String]? = nil) throws -> LabelledDataset {
        try parseJSONL(readText(url), fileName: url.lastPathComponent, labelNames: labelNames)
    }

    public static func parseJSONL(_ contents: String, fileName: String = "JSONL", labelNames: [String]? = nil) throws -> LabelledDataset {
        var texts: [String] = []
        var rawLabels: [(label: String, line: Int)] = []
        var allIntegers = true
        for (offset, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let lineNumber = offset + 1
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw LoadError.malformedLine(file: fileName, line: lineNumber, reason: "not a JSON object")
            }
            guard let text = object["text"] as? String else {
                throw LoadError.malformedLine(file: fileName, line: lineNumber, reason: "missing string field \"text\"")
            }
            let label: String
            if let string = object["label"] as? String {
                label = string
                allIntegers = false
            } else if let number = object["label"] as? NSNumber, let integer = Int(exactly: number.doubleValue) {
                label = String(integer)
            } else {
                throw LoadError.malformedLine(file: fileName, line: lineNumber,
                                              reason: "missing field \"label\" (a string or an integer)")
            }
            texts.append(text)
            rawLabels.append((label, lineNumber))
        }
        guard !texts.isEmpty else { throw LoadError.empty(file: fileName) }
        let names: [String]
        if let given = labelNames {
            names = given
        } else {
            let distinct = Set(rawLabels.map(\.label))
            names = allIntegers ? distinct.sorted { Int($0) ?? 0 < Int($1) ?? 0 } : distinct.sorted()
        }
        var indexOfName: [String: Int] = [:]
        for (index, name) in names.enumerated() where indexOfName[name] == nil { indexOfName[name] = index }
        let labels = try rawLabels.map { entry -> Int in
            guard let index = indexOfName[entry.label] else {
                throw LoadError.unknownLabel(file: fileName, line: entry.line, label: entry.label)
            }
            return index
        }
        return LabelledDataset(texts: texts, labels: labels, labelNames: names)
    }

    /// UTF-8, or ISO Latin-1 when the bytes are not valid UTF-8 (the TREC files contain a few Latin-1 bytes).
    static func readText(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url)
        return String(data: data, encoding: .utf8) ?? String(decoding: data.map { UInt16($0) }, as: UTF16.self)
    }

    /// A seeded random split: `testFraction` of the examples (rounded) go to the test side.
    public func split(testFraction: Double, seed: UInt64) -> (train: LabelledDataset, test: LabelledDataset) {
        var order = Array(0..<count)
        var generator = SeededGenerator(seed: seed)
        order.shuffle(using: &generator)
        let testCount = min(count, max(0, Int((Double(count) * testFraction).rounded())))
        let test = order.prefix(testCount), train = order.dropFirst(testCount)
        return (subset(Array(train)), subset(Array(test)))
    }

    public func subset(_ indices: [Int]) -> LabelledDataset {
        LabelledDataset(texts: indices.map { texts[$0] }, labels: indices.map { labels[$0] }, labelNames: labelNames)
    }
}
