import Foundation

/// Dawid-Skene EM aggregation with crowd-kit 1.4.2 `DawidSkene` / `OneCoinDawidSkene` semantics:
///
/// - Start: posteriors = majority-vote *vote shares* (crowd-kit `MajorityVote.fit_predict_proba`),
///   so a 5-5 tie starts at 0.5/0.5 rather than being split by a tie rule; priors = their mean over
///   items; then one M-step.
/// - Each iteration: E-step (posteriors ∝ prior · Π error terms), priors = mean posterior over
///   items, M-step, then the evidence lower bound divided by the number of labels. The loop stops
///   after the iteration whose bound improved by less than `tolerance` (the bound is recorded first),
///   or after `maxIterations`; `iterations` counts the E-steps run (crowd-kit `len(loss_history_)`).
/// - M-step (full model): per annotator, for each label they gave and each true class, the summed
///   posterior mass, clipped below at 1e-10, normalised over the labels that annotator gave.
/// - M-step (one coin): skill = the annotator's mean posterior on the labels they gave; error term
///   = skill for the given label, (1 − skill)/(K − 1) otherwise, clipped to [1e-10, 1 − 1e-10].
/// - Final labels: argmax posterior, ties to the lowest class (pandas `idxmax`).
public struct DawidSkene: Sendable {
    public enum Model: String, Sendable, Codable, CaseIterable {
        /// One K×K confusion matrix per annotator.
        case fullConfusion
        /// One accuracy per annotator, errors spread evenly over the other classes.
        case oneCoin
    }

    public var model: Model
    public var maxIterations: Int
    public var tolerance: Double

    static let clipFloor = 1e-10

    public init(model: Model = .fullConfusion, maxIterations: Int = 100, tolerance: Double = 1e-5) {
        self.model = model
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// - Parameters: counts default to `max(index) + 1` of the labels given.
    /// - Throws: `MetricsError.empty` without labels, `.labelOutOfRange` / `.invalidArgument` for indices
    ///   outside the counts.
    public func fit(_ annotations: [CrowdLabel], itemCount: Int? = nil, annotatorCount: Int? = nil,
                    classCount: Int? = nil) throws -> DawidSkeneResult {
        guard !annotations.isEmpty else { throw MetricsError.empty }
        let items = itemCount ?? annotations.impliedItemCount
        let annotators = annotatorCount ?? annotations.impliedAnnotatorCount
        let classes = classCount ?? annotations.impliedClassCount
        let votes = try annotations.voteCounts(itemCount: items, classCount: classes)
        guard annotations.allSatisfy({ $0.annotator >= 0 && $0.annotator < annotators }) else {
            throw MetricsError.invalidArgument("annotator index outside 0..<\(annotators)")
        }
        var state = EMState(annotations: annotations, items: items, annotators: annotators, classes: classes)
        var posteriors: [[Double]] = votes.map { row in
            let total = Double(row.reduce(0, +))
            return row.map { total == 0 ? 0 : Double($0) / total }
        }
        var priors = state.meanPosterior(posteriors)
        var errors = mStep(&state, posteriors: posteriors)
        var bound = -Double.infinity
        var history: [Double] = []
        var converged = false
        for _ in 0..<maxIterations {
            posteriors = state.eStep(priors: priors, logErrors: errors.map { $0.map { $0.map(log) } })
            priors = state.meanPosterior(posteriors)
            errors = mStep(&state, posteriors: posteriors)
            let newBound = state.evidenceLowerBound(posteriors: posteriors, priors: priors, errors: errors)
                / Double(annotations.count)
            history.append(newBound)
            if newBound - bound < tolerance {
                converged = true
                break
            }
            bound = newBound
        }
        let labels: [Int?] = posteriors.indices.map { item in
            guard state.labelled[item], let top = posteriors[item].max() else { return nil }
            return posteriors[item].firstIndex(of: top)
        }
        // Unlabelled items carry no evidence: report the priors as their posterior.
        for item in posteriors.indices where !state.labelled[item] { posteriors[item] = priors }
        return DawidSkeneResult(
            model: model, priors: priors,
            confusionMatrices: confusionMatrices(state: state, errors: errors),
            annotatorSkills: model == .oneCoin ? state.skills : nil,
            posteriors: posteriors, labels: labels, iterations: history.count,
            evidenceLowerBounds: history, converged: converged)
    }

    /// Error terms `[annotator][given label][true class]`, meaningful where the annotator gave that label.
    private func mStep(_ state: inout EMState, posteriors: [[Double]]) -> [[[Double]]] {
        switch model {
        case .fullConfusion: return state.fullConfusionErrors(posteriors: posteriors)
        case .oneCoin: return state.oneCoinErrors(posteriors: posteriors)
        }
    }

    /// `[annotator][true class][given label]`. Full model: the fitted errors, 0 for labels the annotator
    /// never gave (crowd-kit keeps no row for them), so each row sums to 1. One coin: the model's
    /// matrix for every label (skill on the diagonal, the rest spread evenly), clipped like the fit.
    private func confusionMatrices(state: EMState, errors: [[[Double]]]) -> [[[Double]]] {
        let classes = state.classes
        return (0..<state.annotators).map { annotator in
            (0..<classes).map { truth in
                (0..<classes).map { given in
                    switch model {
                    case .fullConfusion:
                        return state.gave[annotator][given] ? errors[annotator][given][truth] : 0
                    case .oneCoin:
                        let skill = state.skills[annotator]
                        let raw = given == truth ? skill : (1 - skill) / Double(max(classes - 1, 1))
                        return min(max(raw, Self.clipFloor), 1 - Self.clipFloor)
                    }
                }
            }
        }
    }
}

/// The data laid out for EM, plus the one-coin skills of the latest M-step.
private struct EMState {
    let annotations: [CrowdLabel]
    let items: Int
    let annotators: Int
    let classes: Int
    /// Whether each item has at least one label.
    let labelled: [Bool]
    /// Whether each annotator gave each label at least once.
    let gave: [[Bool]]
    var skills: [Double]

    init(annotations: [CrowdLabel], items: Int, annotators: Int, classes: Int) {
        self.annotations = annotations
        self.items = items
        self.annotators = annotators
        self.classes = classes
        var labelled = Array(repeating: false, count: items)
        var gave = Array(repeating: Array(repeating: false, count: classes), count: annotators)
        for annotation in annotations {
            labelled[annotation.item] = true
            gave[annotation.annotator][annotation.label] = true
        }
        self.labelled = labelled
        self.gave = gave
        self.skills = Array(repeating: 0, count: annotators)
    }

    func meanPosterior(_ posteriors: [[Double]]) -> [Double] {
        var sums = Array(repeating: 0.0, count: classes)
        var count = 0
        for item in 0..<items where labelled[item] {
            for c in 0..<classes { sums[c] += posteriors[item][c] }
            count += 1
        }
        return sums.map { $0 / Double(count) }
    }

    func fullConfusionErrors(posteriors: [[Double]]) -> [[[Double]]] {
        var errors = Array(repeating: Array(repeating: Array(repeating: 0.0, count: classes), count: classes),
                           count: annotators)
        for annotation in annotations {
            for c in 0..<classes { errors[annotation.annotator][annotation.label][c] += posteriors[annotation.item][c] }
        }
        for annotator in 0..<annotators {
            var columnTotals = Array(repeating: 0.0, count: classes)
            for given in 0..<classes where gave[annotator][given] {
                for c in 0..<classes {
                    errors[annotator][given][c] = max(errors[annotator][given][c], DawidSkene.clipFloor)
                    columnTotals[c] += errors[annotator][given][c]
                }
            }
            for given in 0..<classes where gave[annotator][given] {
                for c in 0..<classes { errors[annotator][given][c] /= columnTotals[c] }
            }
        }
        return errors
    }

    mutating func oneCoinErrors(posteriors: [[Double]]) -> [[[Double]]] {
        var sums = Array(repeating: 0.0, count: annotators)
        var counts = Array(repeating: 0, count: annotators)
        for annotation in annotations {
            sums[annotation.annotator] += posteriors[annotation.item][annotation.label]
            counts[annotation.annotator] += 1
        }
        skills = zip(sums, counts).map { $1 == 0 ? 0 : $0 / Double($1) }
        let spread = Double(max(classes - 1, 1))
        var errors = Array(repeating: Array(repeating: Array(repeating: 0.0, count: classes), count: classes),
                           count: annotators)
        for annotator in 0..<annotators {
            let skill = skills[annotator]
            for given in 0..<classes where gave[annotator][given] {
                for c in 0..<classes {
                    let raw = c == given ? skill : (1 - skill) / spread
                    errors[annotator][given][c] = min(max(raw, DawidSkene.clipFloor), 1 - DawidSkene.clipFloor)
                }
            }
        }
        return errors
    }

    func eStep(priors: [Double], logErrors: [[[Double]]]) -> [[Double]] {
        let logPriors = priors.map(log)
        var logLikelihoods = Array(repeating: logPriors, count: items)
        for annotation in annotations {
            let terms = logErrors[annotation.annotator][annotation.label]
            for c in 0..<classes { logLikelihoods[annotation.item][c] += terms[c] }
        }
        return logLikelihoods.enumerated().map { item, row in
            guard labelled[item], let top = row.max(), top.isFinite else {
                return Array(repeating: 0, count: classes)
            }
            // Shifting by the row maximum keeps exp() in range; it cancels in the normalisation.
            let scaled = row.map { exp($0 - top) }
            let total = scaled.reduce(0, +)
            return scaled.map { $0 / total }
        }
    }

    /// E_q[log p(labels, z)] + H(q). As in crowd-kit the log prior enters once per *label*, not once
    /// per item, and terms with zero posterior are skipped (pandas drops the NaN of 0·log 0).
    func evidenceLowerBound(posteriors: [[Double]], priors: [Double], errors: [[[Double]]]) -> Double {
        let logPriors = priors.map(log)
        var expectation = 0.0
        for annotation in annotations {
            let q = posteriors[annotation.item]
            let terms = errors[annotation.annotator][annotation.label]
            for c in 0..<classes where q[c] != 0 { expectation += q[c] * (log(terms[c]) + logPriors[c]) }
        }
        var entropy = 0.0
        for item in 0..<items where labelled[item] {
            for q in posteriors[item] where q > 0 { entropy -= q * log(q) }
        }
        return expectation + entropy
    }
}
