import AnnottyCore
import AnnottyTestSupport
import Foundation

/// The RTE crowd labels (Snow et al. 2008) from ../shared/datasets, encoded to dense indices.
struct RTEDataset {
    let labels: [CrowdLabel]
    /// Gold class per item index (0 = no entailment, 1 = entailment).
    let gold: [Int]
    let itemCount: Int
    let annotatorCount: Int

    static let relativePath = "rte/rte.standardized.tsv"

    /// Parsed once per test process; the file is 8,000 rows.
    static func load() throws -> RTEDataset {
        let text = try String(contentsOf: SharedDatasets.url(relativePath), encoding: .utf8)
        var triples: [(item: String, annotator: String, label: String)] = []
        var goldByItem: [String: Int] = [:]
        for (lineNumber, line) in text.split(whereSeparator: \.isNewline).enumerated() where lineNumber > 0 {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let gold = Int(fields[4]) else {
                throw MetricsError.invalidArgument("bad RTE row \(lineNumber): \(line)")
            }
            triples.append((item: fields[2], annotator: fields[1], label: fields[3]))
            goldByItem[fields[2]] = gold
        }
        let set = try CrowdLabelSet(triples: triples, classNames: ["0", "1"])
        let gold = try set.itemIDs.map { id -> Int in
            guard let value = goldByItem[id] else { throw MetricsError.invalidArgument("no gold for \(id)") }
            return value
        }
        return RTEDataset(labels: set.labels, gold: gold, itemCount: set.itemCount, annotatorCount: set.annotatorCount)
    }
}
