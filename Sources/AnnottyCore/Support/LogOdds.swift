import Foundation

/// Confidences in log-odds and back, kept `margin` from 0 and 1 so that a confidence of 1 (or a
/// pre-label at 0) has finite log-odds: one definition for the forecast's growth and jitter.
enum LogOdds {
    static let margin = 1e-4

    static func of(_ probability: Double) -> Double {
        let bounded = min(1 - margin, max(margin, probability))
        return log(bounded / (1 - bounded))
    }

    static func probability(_ logOdds: Double) -> Double {
        1 / (1 + exp(-logOdds))
    }
}
