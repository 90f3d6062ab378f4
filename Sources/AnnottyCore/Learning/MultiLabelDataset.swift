import Foundation

/// Texts with gold label sets, for simulating a multi-label task offline.
public struct MultiLabelDataset: Sendable, Equatable {
    public var texts: [String]
    /// Per text, the indices into `labelNames` of its gold labels.
    public var labelSets: [Set<Int>]
    public var labelNames: [String]

    public init(texts: [String], labelSets: [Set<Int>], labelNames: [String]) {
        precondition(texts.count == labelSets.count, "one label set per text")
        self.texts = texts
        self.labelSets = labelSets
        self.labelNames = labelNames
    }

    public var count: Int { texts.count }

    /// Reads the GoEmotions TSV layout: `text<TAB>label indices, comma-separated<TAB>id` per line
    /// (the id column may be absent), indices into `labelNames`.
    /// - Throws: `LabelledDataset.LoadError` naming file and line.
    public static func parseTSV(_ contents: String, fileName: String, labelNames: [String]) throws -> MultiLabelDataset {
        var texts: [String] = []
        var sets: [Set<Int>] = []
        for (offset, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 || fields.count == 3 else {
                throw LabelledDataset.LoadError.malformedLine(
                    file: fileName, line: offset + 1,
                    reason: "expected \"text<TAB>label indices<TAB>id\", found \(fields.count) tab-separated fields")
            }
            var set: Set<Int> = []
            for part in fields[1].split(separator: ",", omittingEmptySubsequences: false) {
                let token = part.trimmingCharacters(in: .whitespaces)
                guard let index = Int(token), labelNames.indices.contains(index) else {
                    throw LabelledDataset.LoadError.unknownLabel(file: fileName, line: offset + 1, label: token)
                }
                set.insert(index)
            }
            texts.append(String(fields[0]))
            sets.append(set)
        }
        guard !texts.isEmpty else { throw LabelledDataset.LoadError.empty(file: fileName) }
        return MultiLabelDataset(texts: texts, labelSets: sets, labelNames: labelNames)
    }

    /// A GoEmotions-style folder: `labels.txt` (one name a line) and `<split>.tsv`.
    public static func loadGoEmotionsFolder(_ folder: URL, split: String) throws -> MultiLabelDataset {
        let namesURL = folder.appendingPathComponent("labels.txt")
        let names = try String(contentsOf: namesURL, encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw LabelledDataset.LoadError.empty(file: namesURL.path) }
        let tsvURL = folder.appendingPathComponent("\(split).tsv")
        return try parseTSV(String(contentsOf: tsvURL, encoding: .utf8), fileName: tsvURL.path, labelNames: names)
    }

    public func subset(_ indices: [Int]) -> MultiLabelDataset {
        MultiLabelDataset(texts: indices.map { texts[$0] }, labelSets: indices.map { labelSets[$0] }, labelNames: labelNames)
    }
}
