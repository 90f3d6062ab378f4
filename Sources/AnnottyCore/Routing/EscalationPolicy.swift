/// Which items a cascade sends to its stronger tier: open items, front of the queue first, whose
/// latest pre-label is the cheap model's and is unusable, pooled below `escalateBelow`, or one
/// the LLM and the task learner disagree on where the dissenting opinion is credible (calibrated
/// at `credibleDissent` or more). Pure, so the loop and its tests share it.
///
/// Why a dissent must be credible: a weak tier disagrees with a good learner on most items
/// (SmolLM2, right 30% of the time on TREC-6, against a learner at 80%), and a dissent the
/// calibration puts under even odds has already been weighed by the pooled confidence. Counting
/// every one spent the cycle's few escalations (`max_per_cycle`) on items the pooled pre-label was
/// sure of, while unsure ones waited: on the 1,245 TREC-6 questions at 4 a cycle, 778 human
/// decisions against 749 with this rule and 748 with the strong tier alone (docs/model-in-the-loop.md).
///
/// Why a taper (`taperAfterLabels`, off unless set): the calls that save people's decisions are the
/// early ones, which give the stronger tier's calibration and the threshold their first outcomes
/// while the learner is young. On five TREC-6 paths, 10 a cycle tapered to 2 after 200 labels took
/// 49% of the calls for 24 fewer decisions than the strong tier alone; 4 a cycle throughout, 48%
/// for 44 more.
public struct EscalationPolicy: Sendable, Equatable {
    public var cheapModel: String
    public var escalateBelow: Double
    /// The most items asked about per cycle.
    public var limit: Int
    /// From this many items labelled by people on, `taperedLimit` a cycle instead (0: never).
    public var taperAfterLabels: Int
    public var taperedLimit: Int

    public init(cheapModel: String, escalateBelow: Double, limit: Int, taperAfterLabels: Int = 0, taperedLimit: Int = 0) {
        self.cheapModel = cheapModel
        self.escalateBelow = escalateBelow
        self.limit = limit
        self.taperAfterLabels = taperAfterLabels
        self.taperedLimit = taperedLimit
    }

    public var tapers: Bool { taperAfterLabels > 0 }

    /// This cycle's limit, with `labelledByPeople` items labelled by people so far.
    public func limit(labelledByPeople: Int) -> Int {
        tapers && labelledByPeople >= taperAfterLabels ? taperedLimit : limit
    }

    /// - Parameters:
    ///   - order: open item ids, first in line first.
    ///   - predictions: each item's latest prediction (as stored: calibrated and pooled).
    ///   - labelledByPeople: items labelled by people so far (for `taperAfterLabels`).
    public func candidates(order: [Int64], predictions: [Int64: Prediction], labelledByPeople: Int = 0) -> [Int64] {
        let limit = limit(labelledByPeople: labelledByPeople)
        var chosen: [Int64] = []
        for itemId in order where chosen.count < limit {
            guard let prediction = predictions[itemId], prediction.model == cheapModel else { continue }
            if Self.isUnsure(prediction, below: escalateBelow) { chosen.append(itemId) }
        }
        return chosen
    }

    /// A dissenting opinion at least this sure (calibrated) escalates an item the pooled
    /// pre-label is sure of: more likely right than not.
    public static let credibleDissent = 0.5

    static func isUnsure(_ prediction: Prediction, below level: Double) -> Bool {
        guard prediction.isValid, let confidence = prediction.confidence else { return true }
        return confidence < level || (prediction.alternative.map { $0.confidence >= credibleDissent } ?? false)
    }
}
