import Foundation

/// Text renderings of learning-curve summaries for the terminal: a table and a chart.
public enum LearningCurveReport {
    /// One row per label count, one column per strategy ("mean±std"), then the last point and the
    /// mean over the curve.
    public static func table(_ summaries: [LearningCurveSummary]) -> String {
        guard let first = summaries.first else { return "" }
        let labelWidth = 12
        let columnWidth = max(13, (summaries.map(\.name.count).max() ?? 0) + 2)
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, columnWidth - text.count)) + text }
        func format(_ mean: Double, _ deviation: Double) -> String {
            String(format: "%.3f±%.3f", mean, deviation)
        }
        func pad(_ text: String) -> String { text + String(repeating: " ", count: max(0, labelWidth - text.count)) }
        var lines = [pad("labels") + summaries.map { cell($0.name) }.joined()]
        for (k, point) in first.points.enumerated() {
            lines.append(pad(String(point.labelCount)) + summaries.map { summary in
                k < summary.points.count ? cell(format(summary.points[k].mean, summary.points[k].standardDeviation)) : cell("-")
            }.joined())
        }
        let lastCount = first.points.last?.labelCount ?? 0
        lines.append(pad("at \(lastCount)") + summaries.map { cell(format($0.final.mean, $0.final.standardDeviation)) }.joined())
        lines.append(pad("curve mean") + summaries.map { cell(format($0.curveMean.mean, $0.curveMean.standardDeviation)) }.joined())
        return lines.joined(separator: "\n")
    }

    /// A character chart of mean accuracy against label count, one symbol per strategy; `*` where
    /// two strategies share a cell.
    public static func chart(_ summaries: [LearningCurveSummary], height: Int = 16) -> String {
        guard let first = summaries.first, !first.points.isEmpty, height >= 2 else { return "" }
        let symbols = Self.symbols(for: summaries.map(\.name))
        let means = summaries.flatMap { $0.points.map(\.mean) }
        let low = ((means.min() ?? 0) * 20).rounded(.down) / 20
        let high = max(low + 0.05, ((means.max() ?? 1) * 20).rounded(.up) / 20)
        let columnsPerPoint = 3
        let width = first.points.count * columnsPerPoint
        var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: height)
        for (s, summary) in summaries.enumerated() {
            for (k, point) in summary.points.enumerated() where k < first.points.count {
                let fraction = (point.mean - low) / (high - low)
                let row = height - 1 - min(height - 1, max(0, Int((fraction * Double(height - 1)).rounded())))
                let column = k * columnsPerPoint + 1
                grid[row][column] = grid[row][column] == " " || grid[row][column] == symbols[s] ? symbols[s] : "*"
            }
        }
        var lines: [String] = []
        for (row, characters) in grid.enumerated() {
            let value = high - (high - low) * Double(row) / Double(height - 1)
            let axis = row % 3 == 0 || row == height - 1 ? String(format: "%5.3f |", value) : "      |"
            lines.append((axis + String(characters)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        lines.append("      +" + String(repeating: "-", count: width))
        var ticks = [Character](repeating: " ", count: width + 8)
        for (k, point) in first.points.enumerated() where k % 4 == 0 {
            let label = Array(String(point.labelCount))
            let start = 7 + k * columnsPerPoint + 1
            for (offset, character) in label.enumerated() where start + offset < ticks.count {
                ticks[start + offset] = character
            }
        }
        lines.append(String(ticks).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "  labels")
        lines.append("      " + zip(symbols, summaries).map { "\($0) \($1.name)" }.joined(separator: "  "))
        return lines.joined(separator: "\n")
    }

    /// Distinct single-character symbols: the upper-cased first unused letter of each name.
    static func symbols(for names: [String]) -> [Character] {
        var used = Set<Character>(["*"])
        return names.map { name in
            let candidates = name.uppercased().filter(\.isLetter) + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            let symbol = candidates.first { !used.contains($0) } ?? "?"
            used.insert(symbol)
            return symbol
        }
    }
}
