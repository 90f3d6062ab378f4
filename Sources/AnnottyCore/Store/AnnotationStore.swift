import Foundation

/// How items are shared out among people: how many must label each, when to ask more of them,
/// and how often a golden question is mixed into a queue.
public struct OverlapPolicy: Sendable, Equatable {
    public var overlap: Int
    public var maxOverlap: Int
    /// Chance that each claimed slot is a golden question the person has not answered yet.
    public var goldenRate: Double

    public init(overlap: Int = 1, maxOverlap: Int = 1, goldenRate: Double = 0) {
        self.overlap = overlap
        self.maxOverlap = max(overlap, maxOverlap)
        self.goldenRate = goldenRate
    }

    public init(_ settings: AnnotationSettings) {
        self.init(overlap: settings.overlap, maxOverlap: settings.maxOverlap, goldenRate: settings.goldenRate)
    }
}

/// A new item as it comes out of an import reader.
public struct ImportRecord: Sendable, Equatable {
    public var externalId: String?
    public var text: String
    public var fields: [ItemField]
    public var metadataJSON: String?
    public var goldLabel: String?
    /// Predictions and annotations carried by the file (Label Studio tasks).
    public var predictions: [ImportedPrediction]
    /// `ContentHash.digest` of the text and fields, when the reader computed it already.
    public var contentDigest: [UInt8]?

    public init(externalId: String? = nil, text: String, fields: [ItemField] = [], metadataJSON: String? = nil,
                goldLabel: String? = nil, predictions: [ImportedPrediction] = []) {
        self.externalId = externalId
        self.text = text
        self.fields = fields
        self.metadataJSON = metadataJSON
        self.goldLabel = goldLabel
        self.predictions = predictions
    }
}

public struct ImportedPrediction: Sendable, Equatable {
    public var model: String
    public var label: String
    public var score: Double?
    /// An existing human annotation, recorded as an imported decision.
    public var isAnnotation: Bool
    public var annotator: String?
    /// Every label's probability, where the file keeps them (annotty's own Label Studio export).
    public var probabilities: [String: Double]?
    /// When the annotation was made and how long it took, where the file says.
    public var createdAt: Date?
    public var timeSpentMs: Int?

    public init(model: String, label: String, score: Double?, isAnnotation: Bool = false, annotator: String? = nil,
                probabilities: [String: Double]? = nil, createdAt: Date? = nil, timeSpentMs: Int? = nil) {
        self.model = model
        self.label = label
        self.score = score
        self.isAnnotation = isAnnotation
        self.annotator = annotator
        self.probabilities = probabilities
        self.createdAt = createdAt
        self.timeSpentMs = timeSpentMs
    }
}

/// Receives records inside the import transaction.
public protocol ImportSink {
    /// Adds one record; returns false when an item with the same content already exists.
    @discardableResult
    mutating func add(_ record: ImportRecord) throws -> Bool
}

public struct ImportSummary: Sendable, Equatable {
    public var inserted: Int = 0
    public var duplicates: Int = 0
    public var skipped: [InputError] = []

    public init() {}
}

/// Existing labels with an annotator, as `import-annotations` reads them.
public protocol AnnotationImportSink {
    /// Records one label for the item whose own id is `externalId`, unless that annotator's
    /// imported label for the item is already there (so importing a file twice changes nothing).
    mutating func add(externalId: String, annotator: String, label: String, goldLabel: String?) throws -> AnnotationImportOutcome
}

/// What became of one imported label.
public enum AnnotationImportOutcome: Sendable, Equatable {
    case recorded
    /// The same item, annotator and label were imported before (or earlier in the same file).
    case alreadyImported
    case unknownItem
}

/// What `import-annotations` did, in counts.
public struct AnnotationImportCounts: Sendable, Equatable {
    public var recorded = 0
    public var alreadyImported = 0

    public init(recorded: Int = 0, alreadyImported: Int = 0) {
        self.recorded = recorded
        self.alreadyImported = alreadyImported
    }
}

/// One item's aggregated label and the probability of each label.
public struct AggregatedLabel: Sendable, Equatable {
    public var itemId: Int64
    public var label: String?
    public var posteriors: [String: Double]

    public init(itemId: Int64, label: String?, posteriors: [String: Double]) {
        self.itemId = itemId
        self.label = label
        self.posteriors = posteriors
    }
}

/// What the LLM has cost so far, over every call (not only the latest per item).
public struct PredictionUsage: Sendable, Equatable {
    public var calls = 0
    public var invalid = 0
    public var tokensIn = 0
    public var tokensOut = 0
    public var costUSD = 0.0
    public var medianLatencyMs: Double?
    /// The same by model, most calls first: each tier of a cascade counted apart.
    public var byModel: [ModelUsage] = []

    public init() {}
}

/// One model's calls, tokens and cost.
public struct ModelUsage: Sendable, Equatable {
    public var model: String
    public var calls: Int
    public var invalid: Int
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double

    public init(model: String, calls: Int, invalid: Int, tokensIn: Int, tokensOut: Int, costUSD: Double) {
        self.model = model
        self.calls = calls
        self.invalid = invalid
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.costUSD = costUSD
    }
}

/// Counts of items by state, for `annotty status`.
public struct StatusCounts: Sendable, Equatable {
    public var items = 0
    public var open = 0
    public var labelledByPeople = 0
    public var autoAccepted = 0
    public var golden = 0
    public var predicted = 0
    public var invalidPredictions = 0
    public var decisions = 0
    public var decisionsByKind: [DecisionKind: Int] = [:]
    public var annotators = 0

    public init() {}
}

/// The item an annotator should see next, with what the screen needs to show it.
public struct QueuedItem: Sendable, Equatable {
    public var item: Item
    public var prediction: Prediction?
    /// What others said of the item, shown to a reviewer ("alice: positive").
    public var opinions: [String]
    /// Each person's latest label, for a reviewer's tally and list of who said what.
    public var votes: [ItemVote]
    /// The LLM's label, shown to a reviewer beside the people's (not counted in the tally).
    public var modelLabel: String?

    public init(item: Item, prediction: Prediction?, opinions: [String] = [], votes: [ItemVote] = [],
                modelLabel: String? = nil) {
        self.item = item
        self.prediction = prediction
        self.opinions = opinions
        self.votes = votes
        self.modelLabel = modelLabel
    }
}

/// One line of an export: the item and how its final label was decided.
public struct ExportRow: Sendable {
    public var item: Item
    public var finalLabel: String?
    public var finalKind: DecisionKind?
    /// The effective decisions that carry labels, oldest first.
    public var decisions: [Decision]
    public var latestPrediction: Prediction?
    /// Labels from `annotty aggregate`, by method.
    public var aggregates: [String: AggregatedLabel]
    /// Set by the exporter: the rule that gave `finalLabel` (see `FinalLabelRule`).
    public var labelFrom: String?

    public init(item: Item, finalLabel: String?, finalKind: DecisionKind?, decisions: [Decision], latestPrediction: Prediction?,
                aggregates: [String: AggregatedLabel] = [:]) {
        self.item = item
        self.finalLabel = finalLabel
        self.finalKind = finalKind
        self.decisions = decisions
        self.latestPrediction = latestPrediction
        self.aggregates = aggregates
    }
}

/// The project's storage, reached through intent-named methods so that another database can
/// implement it later. Every method that records something has committed when it returns.
public protocol AnnotationStore: Sendable {
    // Items
    func importItems(_ produce: (inout any ImportSink) throws -> Void) throws -> ImportSummary
    func item(id: Int64) throws -> Item?
    func items(ids: [Int64]) throws -> [Item]
    func itemId(externalId: String) throws -> Int64?
    func statusCounts() throws -> StatusCounts

    // Queue
    /// Claims up to `limit` open items for `annotator`, in queue order, leasing them so that
    /// other annotators do not get the same item beyond the overlap policy. With
    /// `resumingLeases`, items this annotator still holds a lease on come first (reopening
    /// after a quit or a lost connection); a claim after a re-rank passes false.
    func claimNextItems(annotator: String, limit: Int, excluding: Set<Int64>, leaseSeconds: Int,
                        resumingLeases: Bool) throws -> [QueuedItem]
    /// Open item ids in queue order (for the prefetcher and the selector).
    func openItemIds(limit: Int) throws -> [Int64]
    /// Replaces the queue order at once: `rankedItemIds[0]` goes first.
    func replaceQueueOrder(_ rankedItemIds: [Int64]) throws
    /// Gives back `annotator`'s leases, except the one on `kept` (the item left on screen), which
    /// the next claim of this annotator hands out first.
    func releaseLeases(annotator: String, keeping kept: Int64?) throws

    // Predictions
    /// Stores a prediction with its calibrated confidence, computed in the same transaction from
    /// the model's stored calibration (the only source of calibrated confidences).
    @discardableResult
    func savePrediction(_ prediction: Prediction) throws -> Prediction
    func cachedPrediction(model: String, promptHash: String) throws -> Prediction?
    func latestPredictions(itemIds: [Int64]) throws -> [Int64: Prediction]
    func allLatestPredictions(model: String?) throws -> [Prediction]
    func predictionUsage() throws -> PredictionUsage
    /// Saves the task learner's probabilities (label-set order) for open items, trained on
    /// `trainedOn` labels; an item a person has decided keeps the opinion it was decided with.
    func saveLearnerOpinions(_ opinions: [Int64: [Double]], trainedOn: Int) throws
    /// The learner's latest saved opinion per item (for decided items: the one before the decision).
    func learnerOpinions(itemIds: [Int64]) throws -> [Int64: [Double]]
    /// Applies a routing pass in one transaction: the refitted calibration, the auto-accepts (an
    /// item a person decided meanwhile is left alone), the calibrated confidences and the queue
    /// order. Returns how many items were auto-accepted.
    @discardableResult
    func applyRoutingPlan(_ plan: RoutingPlan) throws -> Int

    // Decisions
    @discardableResult
    func recordDecision(_ decision: Decision) throws -> Decision
    /// Appends an undo of `annotator`'s latest effective decision; returns the decision undone.
    func undoLastDecision(annotator: String) throws -> Decision?
    func decisions(itemId: Int64) throws -> [Decision]
    /// Effective decisions (not undone, not undo rows), oldest first.
    func effectiveDecisions() throws -> [Decision]
    /// Up to `limit` distinct labels of effective decisions, for `status` to check against the task kind.
    func distinctDecisionLabels(limit: Int) throws -> [String]
    func allDecisions() throws -> [Decision]

    // Teams
    /// Imports existing labels in one transaction; returns how many were recorded.
    func importAnnotations(_ produce: (inout any AnnotationImportSink) throws -> Void) throws -> AnnotationImportCounts
    /// Each decided item's final label and how it was decided.
    func finalLabels() throws -> [Int64: (label: String, kind: DecisionKind)]
    /// Golden questions: items imported with a known answer that are mixed into queues.
    func goldenItemIds() throws -> Set<Int64>
    /// Items with a known answer, by id.
    func goldLabels() throws -> [Int64: String]
    func replaceAggregates(method: String, _ labels: [AggregatedLabel]) throws
    func aggregates(method: String) throws -> [Int64: AggregatedLabel]

    // Browsing
    /// Items matching `filter`, newest decision state included, in item order; at most `limit`
    /// rows after skipping `offset`.
    func browseItems(_ filter: BrowseFilter, limit: Int, offset: Int) throws -> [BrowsedItem]
    /// How many items match `filter`.
    func countBrowseItems(_ filter: BrowseFilter) throws -> Int
    /// One item as `browseItems` would list it, whatever the filter.
    func browsedItem(id: Int64) throws -> BrowsedItem?

    // Export
    func forEachExportRow(_ body: (ExportRow) throws -> Void) throws

    // Other processes
    /// Calls `onChange` (on a background thread) whenever the queue changes in another process:
    /// new items, decisions, a re-rank. nil where the store cannot tell (SQLite: the screen looks
    /// again now and then instead). Stop the observation to end it.
    func observeQueueChanges(_ onChange: @escaping @Sendable () -> Void) throws -> (any QueueObservation)?

    // Calibration
    func saveCalibration(model: String, calibratorJSON: String, verifiedOutcomes: Int, measuredAccuracy: Double) throws
    func calibration(model: String) throws -> (calibratorJSON: String, verifiedOutcomes: Int, measuredAccuracy: Double)?
}

/// A running observation of a store's queue (`AnnotationStore.observeQueueChanges`).
public protocol QueueObservation: Sendable {
    func stop()
}

extension AnnotationStore {
    /// Gives back every lease of `annotator`.
    public func releaseLeases(annotator: String) throws {
        try releaseLeases(annotator: annotator, keeping: nil)
    }
}

extension AnnotationStore {
    /// A claim that resumes this annotator's leases first.
    public func claimNextItems(annotator: String, limit: Int, excluding: Set<Int64>, leaseSeconds: Int) throws -> [QueuedItem] {
        try claimNextItems(annotator: annotator, limit: limit, excluding: excluding, leaseSeconds: leaseSeconds,
                           resumingLeases: true)
    }
}

/// A store failure that passes by itself (the database server unreachable for a while): the
/// same write may be sent again, and the store makes sure it is saved once.
public protocol TransientStoreError: Error {
    var isTransient: Bool { get }
}
