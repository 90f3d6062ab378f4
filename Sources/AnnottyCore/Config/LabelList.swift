import Foundation

/// A comma-separated list of label names as `init --labels` takes it.
public enum LabelList {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case tooFew(Int)
        case repeated(String)

        public var description: String {
            switch self {
            case .tooFew(let count): return "needs at least two labels (got \(count))"
            case .repeated(let name): return "has a label twice: \(name)"
            }
        }
    }

    /// The names in order, blanks around them trimmed and empty entries dropped.
    public static func parse(_ text: String) throws -> [String] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count >= 2 else { throw Problem.tooFew(names.count) }
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted { throw Problem.repeated(name) }
        return names
    }
}
