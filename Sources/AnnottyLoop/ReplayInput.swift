import AnnottyCore
import Foundation

/// The inputs of a replay read from files: items as JSON Lines (an id, the text and, optionally,
/// a gold label) and a model's recorded predictions in the fixture format
/// (`{"id", "gold", "probabilities"}` per line, as scripts/record-model-predictions.sh writes).
/// Only items with a recorded prediction are replayed; the gold label comes from the item's own
/// field when it has one, else from the recording. Other columns are kept as the item's metadata.
public struct ReplayInput: Sendable {
    public var labels: LabelSet
    public var items: [LoopReplay.Item]
    /// Cheapest first; the last is the one the oracle uses.
    public var tiers: [LoopReplay.Tier]
    /// Items in the file without a recorded prediction (left out).
    public var unrecorded: Int

    /// A tier as named on the command line: its recordings and its price per call.
    public struct TierFiles: Sendable {
        public var name: String
        public var paths: [String]
        public var pricePerCall: Double

        public init(name: String, paths: [String], pricePerCall: Double) {
            self.name = name
            self.paths = paths
            self.pricePerCall = pricePerCall
        }
    }

    /// Several tiers, cheapest first: only items every tier recorded are replayed.
    public static func load(itemsPath: String, tiers tierFiles: [TierFiles],
                            textField: String = "text", goldField: String = "gold") throws -> ReplayInput {
        guard !tierFiles.isEmpty, tierFiles.allSatisfy({ !$0.paths.isEmpty }) else {
            throw LoopReplay.ReplayError(description: "name at least one predictions file")
        }
        var labelNames: [String]?
        var recordedGold: [String: String] = [:]
        var tiers: [LoopReplay.Tier] = []
        for files in tierFiles {
            let (answers, gold) = try recordings(files.paths, labelNames: &labelNames)
            recordedGold.merge(gold) { first, _ in first }
            tiers.append(LoopReplay.Tier(name: files.name, answers: answers, pricePerCall: files.pricePerCall))
        }
        let recordedByAll = tiers.dropFirst().reduce(Set(tiers[0].answers.keys)) { $0.intersection($1.answers.keys) }
        let labels = LabelSet(names: labelNames ?? [])
        var items: [LoopReplay.Item] = []
        var seen = Set<String>()
        var unrecorded = 0
        let reader = try LineReader(path: itemsPath)
        try reader.forEachLine { bytes, line in
            let value: JSONValue
            do { value = try JSONParser.parse(bytes) } catch {
                throw InputError(file: itemsPath, line: line, message: "not valid JSON (\(error))")
            }
            guard let id = value["id"]?.plainText, let text = value[textField]?.stringValue else {
                throw InputError(file: itemsPath, line: line, message: "needs an \"id\" and a \"\(textField)\"")
            }
            guard recordedByAll.contains(id) else {
                unrecorded += 1
                return true
            }
            guard seen.insert(id).inserted else {
                throw InputError(file: itemsPath, line: line, message: "item id \"\(id)\" appears twice")
            }
            guard let gold = value[goldField]?.plainText ?? recordedGold[id] else {
                throw InputError(file: itemsPath, line: line, message: "item \"\(id)\" has no \"\(goldField)\" and no recorded gold label")
            }
            guard labels.contains(gold) else {
                throw InputError(file: itemsPath, line: line,
                                 message: "gold label \"\(gold)\" is not one of the recorded labels (\(labels.names.joined(separator: ", ")))")
            }
            // The other columns are kept as `annotty import` keeps them (its metadata), so that the
            // replayed learner reads what it would read in the project.
            items.append(LoopReplay.Item(id: id, text: text, gold: gold, metadataJSON: Item.metadataJSON(
                columns: value.objectMembers ?? [], excluding: ["id", textField, goldField])))
            return true
        }
        guard !items.isEmpty else {
            throw InputError(file: itemsPath, line: 1, message: "no item has a recorded prediction (the ids must match the predictions files')")
        }
        return ReplayInput(labels: labels, items: items, tiers: tiers, unrecorded: unrecorded)
    }

    /// One tier's recordings: probabilities and gold label by item id.
    static func recordings(_ paths: [String], labelNames: inout [String]?) throws
        -> (answers: [String: [String: Double]], gold: [String: String]) {
        var answers: [String: [String: Double]] = [:]
        var recordedGold: [String: String] = [:]
        for path in paths {
            let fixture = try PredictionFixture(path: path)
            if let known = labelNames, known != fixture.labels.names {
                throw InputError(file: path, line: 1, message: "its labels (\(fixture.labels.names.joined(separator: ", "))) "
                    + "differ from the first file's (\(known.joined(separator: ", ")))")
            }
            labelNames = fixture.labels.names
            for (id, item) in zip(fixture.ids, fixture.cases) {
                answers[id] = Dictionary(uniqueKeysWithValues: zip(fixture.labels.names, item.probabilities))
                recordedGold[id] = fixture.labels.names[item.gold]
            }
        }
        return (answers, recordedGold)
    }
}
