import Foundation

/// A multi-label task's answer: a set of the project's labels, possibly empty. A decision of a
/// `multi` project stores it in its `label` column as a JSON array of the names in the project's
/// label order (`["joy","sadness"]`, `[]` for none), so two annotators' answers are equal exactly
/// when their sets are: the queue's overlap and agreement logic, which compares labels, works
/// unchanged, and SQL reads the set with `json_each`.
public struct MultiLabelAnswer: Sendable, Hashable {
    /// The names, in the project's label order, each once.
    public let names: [String]

    /// The set of `names` that are labels of `labels`, put in the labels' order.
    public init(_ names: some Sequence<String>, labels: LabelSet) {
        let chosen = Set(names)
        self.names = labels.names.filter { chosen.contains($0) }
    }

    /// The set of label indices of `labels`.
    public init(indices: Set<Int>, labels: LabelSet) {
        self.names = labels.names.enumerated().filter { indices.contains($0.offset) }.map(\.element)
    }

    public static func empty() -> MultiLabelAnswer { MultiLabelAnswer(names: []) }

    private init(names: [String]) { self.names = names }

    public var isEmpty: Bool { names.isEmpty }

    /// The label indices in `labels`.
    public func indices(in labels: LabelSet) -> Set<Int> {
        Set(names.compactMap { labels.index(of: $0) })
    }

    /// The decision's `label` text.
    public var encoded: String {
        let data = (try? JSONSerialization.data(withJSONObject: names, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a stored `label`; nil when it is not a JSON array of the project's labels, each once.
    public static func decode(_ text: String, labels: LabelSet) -> MultiLabelAnswer? {
        guard text.hasPrefix("["), let data = text.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [String],
              Set(array).count == array.count, array.allSatisfy(labels.contains) else { return nil }
        return MultiLabelAnswer(array, labels: labels)
    }

    /// The labels whose probability of being in the set is at least `cutoff`.
    public static func predicted(inProbabilities: [Double], labels: LabelSet, cutoff: Double = 0.5) -> MultiLabelAnswer {
        MultiLabelAnswer(indices: Set(inProbabilities.indices.filter { inProbabilities[$0] >= cutoff }), labels: labels)
    }

    /// How settled a whole set is: the least settled label's max(p, 1 − p). A set is auto-accepted
    /// only when every label is confidently in or out, i.e. when this is at the threshold.
    public static func settledness(_ inProbabilities: [Double]) -> Double {
        inProbabilities.map { max($0, 1 - $0) }.min() ?? 0
    }

    /// For people: `joy + sadness`, or `no label` for the empty set.
    public var display: String {
        names.isEmpty ? "no label" : names.joined(separator: " + ")
    }
}
