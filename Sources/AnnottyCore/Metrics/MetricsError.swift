/// Why a metric could not be computed from its inputs.
public enum MetricsError: Error, Equatable, Sendable {
    /// Two sequences that must be paired element by element differ in length.
    case lengthMismatch(Int, Int)
    /// The input holds nothing to compute on.
    case empty
    /// Fleiss' kappa needs every item rated by the same number of raters.
    case unequalRaterCounts
    /// A class index lies outside `0..<classCount`.
    case labelOutOfRange(Int)
    /// Any other invalid argument, described.
    case invalidArgument(String)
}
