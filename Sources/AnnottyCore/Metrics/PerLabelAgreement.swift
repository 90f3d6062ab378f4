/// Agreement on multi-label answers, each label taken as its own yes/no question.
public enum PerLabelAgreement {
    /// Cohen's kappa per label between two coders who answered the same items in the same order.
    /// - Returns: one κ per label index `0..<labelCount`; `.nan` for a label both coders always
    ///   gave (or always left out), where κ is undefined.
    /// - Throws: `MetricsError.lengthMismatch`, `.empty`, `.labelOutOfRange`.
    public static func cohenKappa(_ first: [Set<Int>], _ second: [Set<Int>], labelCount: Int) throws -> [Double] {
        guard first.count == second.count else { throw MetricsError.lengthMismatch(first.count, second.count) }
        guard !first.isEmpty else { throw MetricsError.empty }
        for set in first + second {
            if let bad = set.first(where: { $0 < 0 || $0 >= labelCount }) { throw MetricsError.labelOutOfRange(bad) }
        }
        return try (0..<labelCount).map { label in
            try CohenKappa.score(first.map { $0.contains(label) ? 1 : 0 }, second.map { $0.contains(label) ? 1 : 0 },
                                 labels: [0, 1])
        }
    }

    /// Fleiss' kappa per label over crowd answers; every answered item needs the same number of
    /// answers. Items nobody answered are left out.
    /// - Throws: `MetricsError.empty`, `.unequalRaterCounts`, `.labelOutOfRange`.
    public static func fleissKappa(_ answers: [CrowdMultiLabel], labelCount: Int) throws -> [Double] {
        guard !answers.isEmpty else { throw MetricsError.empty }
        return try (0..<labelCount).map { label in
            try FleissKappa.score(try answers.binaryLabels(for: label, labelCount: labelCount), classCount: 2)
        }
    }
}
