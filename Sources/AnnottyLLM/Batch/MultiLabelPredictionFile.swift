import AnnottyCore
import Foundation

/// Multi-label predictions made elsewhere (another model, a GPU machine, a provider's batch
/// job turned into probabilities), read into a multi-label project by
/// `annotty import-predictions`. One JSON object per line:
///
///     {"id": "r17", "probabilities": {"joy": 0.91, "anger": 0.04, "sadness": 0.12}}
///
/// `id` is the item's id as imported (a string or a number); `probabilities` gives every label
/// of the project its probability of being in the item's set, from 0 to 1 (they need not sum
/// to 1). The set is the labels at 0.5 or more. Other keys are ignored.
///
/// The whole file is checked before anything is stored: a bad line stops the import with its
/// file and line number, so a file is imported entirely or not at all. Ids the project does not
/// have are skipped and counted. Predictions are stored as the named model's (source llm), so
/// they are calibrated, routed and audited like live pre-labels and `annotty prelabel` does not
/// ask again for the items they cover.
public enum MultiLabelPredictionFile {
    public struct Summary: Sendable, Equatable {
        public var imported = 0
        public var unknownItems = 0
        /// The first unknown id and its line, to say what was skipped.
        public var firstUnknown: String?
        public init() {}
    }

    /// One checked line.
    struct Entry {
        var line: Int
        var itemId: Int64
        var probabilities: [String: Double]
        var hash: String
    }

    /// The most bytes of a name or id quoted back in an error.
    static let quoteLimit = 60

    public static func importPredictions(from url: URL, store: any AnnotationStore, labels: LabelSet, model: String) throws -> Summary {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, message: "cannot read the predictions file (check the path and its permissions)")
        }
        var summary = Summary()
        var entries: [Entry] = []
        for (offset, rawLine) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            let number = offset + 1
            func failure(_ message: String) -> InputError { InputError(file: url.path, line: number, message: message) }
            guard let json = try? JSONParser.parse(line), json.objectMembers != nil else {
                throw failure("not a JSON object; each line is {\"id\": ..., \"probabilities\": {\"LABEL\": P, ...}}")
            }
            if json["custom_id"] != nil {
                throw failure("this is a Batch API output file, which is single-label only; a multi-label project imports "
                              + "each label's probability of being in the set: {\"id\": ..., \"probabilities\": {\"LABEL\": P, ...}}")
            }
            let id: String
            if let text = json["id"]?.stringValue {
                id = text
            } else if let value = json["id"], let integer = value.intValue {
                id = String(integer)
            } else {
                throw failure("no \"id\" (the item's id as imported, a string or a number)")
            }
            guard let members = json["probabilities"]?.objectMembers else {
                throw failure("no \"probabilities\" object (each label's probability of being in the item's set)")
            }
            var probabilities: [String: Double] = [:]
            for (name, value) in members {
                guard labels.contains(name) else {
                    throw failure("label \(quoted(name)) is not one of the project's labels (\(labels.names.joined(separator: ", ")))")
                }
                guard let probability = value.doubleValue, probability.isFinite, (0...1).contains(probability) else {
                    throw failure("the probability of \(quoted(name)) is \(String(value.serialized.prefix(quoteLimit))), not a number from 0 to 1")
                }
                probabilities[name] = probability
            }
            if let missing = labels.names.first(where: { probabilities[$0] == nil }) {
                throw failure("no probability for label \(quoted(missing)); every label needs one")
            }
            guard let itemId = try store.itemId(externalId: id) else {
                summary.unknownItems += 1
                if summary.firstUnknown == nil { summary.firstUnknown = "\(quoted(id)) (line \(number))" }
                continue
            }
            var hasher = SHA256()
            hasher.update("annotty-imported-multi-label-v1\n")
            hasher.update(line)
            entries.append(Entry(line: number, itemId: itemId, probabilities: probabilities, hash: hasher.finalize().hexString))
        }
        for entry in entries {
            let set = MultiLabelAnswer.predicted(inProbabilities: labels.names.map { entry.probabilities[$0] ?? 0 }, labels: labels)
            _ = try store.savePrediction(Prediction(itemId: entry.itemId, model: model, source: .llm, label: set.encoded,
                                                    probabilities: entry.probabilities, promptHash: entry.hash))
            summary.imported += 1
        }
        return summary
    }

    /// A name from the file, quoted and cut, safe to print.
    static func quoted(_ text: String) -> String {
        JSONValue.string(text.count > quoteLimit ? String(text.prefix(quoteLimit)) + "…" : text).serialized
    }
}
