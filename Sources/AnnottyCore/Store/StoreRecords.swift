import Foundation

/// A result row of either store, read by column name: how both stores turn rows into the same
/// domain values (`StoreRecords`), so the mapping lives in one place.
public protocol StoreRow {
    func int64(_ name: String) -> Int64
    func optionalInt64(_ name: String) -> Int64?
    func optionalInt(_ name: String) -> Int?
    func double(_ name: String) -> Double
    func optionalDouble(_ name: String) -> Double?
    func string(_ name: String) -> String
    func optionalString(_ name: String) -> String?
    func bool(_ name: String) -> Bool
    func data(_ name: String) -> Data
}

extension StoreRow {
    public func int(_ name: String) -> Int { Int(int64(name)) }
}

/// Rows of annotty's tables as domain values, and the JSON columns' encodings: shared by the
/// SQLite and PostgreSQL stores, whose schemas have the same columns.
public enum StoreRecords {
    public static func item(from row: some StoreRow) -> Item {
        Item(id: row.int64("id"), externalId: row.optionalString("external_id"), text: row.string("text"),
             fields: JSONText.decodeFields(row.string("fields_json")), metadataJSON: row.optionalString("metadata_json"),
             contentHash: row.data("content_hash").hexString, goldLabel: row.optionalString("gold_label"),
             isGolden: row.bool("is_golden"), createdAt: Date(timeIntervalSince1970: row.double("created_at")))
    }

    public static func prediction(from row: some StoreRow) -> Prediction {
        var prediction = Prediction(
            id: row.int64("id"), itemId: row.int64("item_id"), model: row.string("model"),
            source: PredictionSource(rawValue: row.string("source")) ?? .llm, label: row.optionalString("label"),
            probabilities: JSONText.decodeProbabilities(row.string("probabilities_json")),
            calibratedConfidence: row.optionalDouble("calibrated_confidence"), calibratedLabel: row.optionalString("calibrated_label"),
            shownSource: row.optionalString("shown_source").flatMap(CombinedPrelabel.Source.init(rawValue:)),
            alternative: row.optionalString("alternative_json").flatMap(decodeOpinion),
            isValid: row.bool("is_valid"), error: row.optionalString("error"), rawAnswer: row.optionalString("raw_answer"),
            promptHash: row.string("prompt_hash"), latencyMs: row.double("latency_ms"), tokensIn: row.int("tokens_in"),
            tokensOut: row.int("tokens_out"), costUSD: row.double("cost_usd"),
            createdAt: Date(timeIntervalSince1970: row.double("created_at")))
        prediction.calibratedProbabilities = row.optionalString("calibrated_probabilities_json").map(JSONText.decodeProbabilities)
        return prediction
    }

    public static func decision(from row: some StoreRow) -> Decision {
        Decision(id: row.int64("id"), itemId: row.int64("item_id"), annotator: row.string("annotator"),
                 kind: DecisionKind(rawValue: row.string("kind")) ?? .skip, label: row.optionalString("label"),
                 shownLabel: row.optionalString("shown_label"), shownConfidence: row.optionalDouble("shown_confidence"),
                 shownSource: row.optionalString("shown_source").flatMap(PredictionSource.init(rawValue:)),
                 predictionId: row.optionalInt64("prediction_id"), timeSpentMs: row.int("time_spent_ms"),
                 note: row.optionalString("note"), undoesDecisionId: row.optionalInt64("undoes_decision_id"),
                 createdAt: Date(timeIntervalSince1970: row.double("created_at")))
    }

    public static func aggregate(from row: some StoreRow) -> AggregatedLabel {
        AggregatedLabel(itemId: row.int64("item_id"), label: row.optionalString("label"),
                        posteriors: JSONText.decodeProbabilities(row.string("posteriors_json")))
    }

    public static func encode(_ opinion: PrelabelOpinion) -> String {
        "{\"label\":\(JSONText.quote(opinion.label)),\"confidence\":\(JSONText.number(opinion.confidence)),"
            + "\"source\":\(JSONText.quote(opinion.source.rawValue))}"
    }

    public static func decodeOpinion(_ json: String) -> PrelabelOpinion? {
        guard let value = try? JSONParser.parse(json), let label = value["label"]?.stringValue,
              let confidence = value["confidence"]?.doubleValue,
              let source = value["source"]?.stringValue.flatMap(CombinedPrelabel.Source.init(rawValue:)) else { return nil }
        return PrelabelOpinion(label: label, confidence: confidence, source: source)
    }

    /// A new prediction as it is stored: calibrated by the model's stored calibration (a set by
    /// a multi-label one, or its raw settledness before any; a single label with the task
    /// learner's opinion pooled in where the calibration has a combiner).
    public static func calibratedForSaving(_ prediction: Prediction, stored: StoredCalibration?, learner: [Double]?) -> Prediction {
        if let multi = stored.flatMap(MultiLabelCalibration.init(stored:)) {
            return multi.calibrated(prediction)
        }
        if MultiLabelCalibration.isMultiLabel(prediction) {
            // Never a single-label calibrator applied to a set.
            return MultiLabelCalibration(labelNames: [], perLabel: [], verifiedOutcomes: 0, measuredAccuracy: 0).calibrated(prediction)
        }
        return (stored.map(ModelCalibration.init(stored:)) ?? .uncalibrated).calibrated(prediction, learner: learner)
    }

    /// The decision kinds that count as a person's label on an item.
    public static let voteKinds: Set<DecisionKind> = [.accept, .correct, .imported, .audit]

    /// One browsed row from the item, its queue state and its effective decisions (oldest first).
    public static func browsedItem(_ item: Item, isOpen: Bool, finalLabel: String?, finalKind: String?, prediction: Prediction?,
                                   effective: [Decision]) -> BrowsedItem {
        var latest: [String: Decision] = [:]
        for decision in effective where voteKinds.contains(decision.kind) && decision.label != nil {
            latest[decision.annotator] = decision
        }
        let votes = latest.values.sorted { $0.id < $1.id }.map { ItemVote(annotator: $0.annotator, label: $0.label!) }
        let flags = effective.filter { $0.kind == .flag }.map { BrowsedItem.Flag(annotator: $0.annotator, note: $0.note) }
        return BrowsedItem(item: item, isOpen: isOpen, finalLabel: finalLabel, finalKind: finalKind.flatMap(DecisionKind.init(rawValue:)),
                           prediction: prediction, votes: votes, flags: flags)
    }
}
