import Foundation

/// Texts with gold labels, for training the learner offline and simulating the labelling loop.
public struct LabelledDataset: Sendable, Equatable {
    public var texts: [String]
    /// Indices into `labelNames`.
    public var labels: [Int]
    public var labelNames: [String]
    /// What the reader had to guess, worth telling the user: lines that were not valid UTF-8.
    public var warnings: [String] = []

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
        let (text, warnings) = try readText(url)
        var dataset = try parseTREC(text, fileName: url.lastPathComponent)
        dataset.warnings = warnings
        return dataset
    }

    /// Reads any `<label> <text>` file: the labels are the first tokens found in it (integers in
    /// numeric order, other tokens sorted), or `labelNames` when given (a label outside them is an
    /// error naming its line). TREC-6's files come out with labels "0" to "5"; see `namingTREC`.
    public static func loadLabelledLines(from url: URL, labelNames: [String]? = nil) throws -> LabelledDataset {
        let (text, warnings) = try readText(url)
        var dataset = try parseLabelledLines(text, fileName: url.lastPathComponent, labelNames: labelNames)
        dataset.warnings = warnings
        return dataset
    }

    public static func parseLabelledLines(_ contents: String, fileName: String = "labels",
                                          labelNames: [String]? = nil) throws -> LabelledDataset {
        var texts: [String] = []
        var rawLabels: [(label: String, line: Int)] = []
        for (offset, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2 else {
                throw LoadError.malformedLine(file: fileName, line: offset + 1, reason: "expected \"<label> <text>\"")
            }
            texts.append(String(parts[1]))
            rawLabels.append((String(parts[0]), offset + 1))
        }
        guard !texts.isEmpty else { throw LoadError.empty(file: fileName) }
        return try indexed(texts: texts, rawLabels: rawLabels, fileName: fileName, labelNames: labelNames)
    }

    /// TREC-6's label names in place of "0" to "5", for a file named TREC.* whose labels are all
    /// among them; any other dataset unchanged.
    public func namingTREC(fileName: String) -> LabelledDataset {
        let digits = Self.trecLabelNames.indices.map(String.init)
        guard fileName.hasPrefix("TREC"), Set(labelNames).isSubset(of: digits) else { return self }
        var renamed = self
        renamed.labelNames = labelNames.map { Self.trecLabelNames[Int($0)!] }
        return renamed
    }

    static func indexed(texts: [String], rawLabels: [(label: String, line: Int)], fileName: String,
                        labelNames: [String]?) throws -> LabelledDataset {
        let names: [String]
        if let given = labelNames {
            names = given
        } else {
            let distinct = Set(rawLabels.map(\.label))
            let allIntegers = distinct.allSatisfy { Int($0) != nil }
            names = allIntegers ? distinct.sorted { Int($0)! < Int($1)! } : distinct.sorted()
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
        let (text, warnings) = try readText(url)
        var dataset = try parseJSONL(text, fileName: url.lastPathComponent, labelNames: labelNames)
        dataset.warnings = warnings
        return dataset
    }

    public static func parseJSONL(_ contents: String, fileName: String = "JSONL", labelNames: [String]? = nil) throws -> LabelledDataset {
        var texts: [String] = []
        var rawLabels: [(label: String, line: Int)] = []
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
        return try indexed(texts: texts, rawLabels: rawLabels, fileName: fileName, labelNames: labelNames)
    }

    /// The file as UTF-8, line by line; a line that is not valid UTF-8 is read as ISO Latin-1 (the
    /// TREC files have a few) and named in a warning with its file and line, never silently.
    static func readText(_ url: URL) throws -> (text: String, warnings: [String]) {
        let data = try Data(contentsOf: url)
        if let text = String(data: data, encoding: .utf8) { return (text, []) }
        var lines: [String] = []
        var latin1Lines: [Int] = []
        for (offset, bytes) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            if let line = String(data: Data(bytes), encoding: .utf8) {
                lines.append(line)
            } else {
                lines.append(String(decoding: bytes.map { UInt16($0) }, as: UTF16.self))
                latin1Lines.append(offset + 1)
            }
        }
        let name = url.lastPathComponent
        let shown = latin1Lines.prefix(5).map { "\(name):\($0)" }.joined(separator: ", ")
        let more = latin1Lines.count > 5 ? " and \(latin1Lines.count - 5) more lines" : ""
        let warning = "\(shown)\(more): not valid UTF-8; read as ISO Latin-1 (convert the file with iconv -f latin1 -t utf-8 to silence this)"
        return (lines.joined(separator: "\n"), [warning])
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
