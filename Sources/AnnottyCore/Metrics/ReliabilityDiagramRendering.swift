import Foundation

extension ReliabilityDiagram {
    /// A terminal rendering, one line per bin, every line exactly `width` characters (wider of `width`
    /// and 40). Each bin row shows its range, accuracy, count and a bar of `#` for accuracy on a 0-1
    /// scale; `|` marks the bin's mean confidence (the centre for an empty bin), i.e. where the bar
    /// would end if the bin were perfectly calibrated. Bars short of `|` are overconfident.
    ///
    ///     Reliability: ECE 0.0683, 10 bins (lo,hi], n=800
    ///     range         acc     n [0                  1]
    ///     (0.90,1.00] 0.953   420 [#################|# ]
    public func textLines(width: Int = 72) -> [String] {
        let width = max(width, 40)
        // Row layout: "(0.90,1.00] 0.953   420 [" (25 characters), the bar, "]".
        let barWidth = width - 26
        var lines: [String] = []
        let ece = DecimalFormat.fixed(expectedCalibrationError, places: 4)
        lines.append(Self.fit("Reliability: ECE \(ece), \(bins.count) bins \(convention.notation), n=\(total)", width))
        let scale = "0" + String(repeating: " ", count: barWidth - 2) + "1"
        lines.append(Self.fit("range         acc     n [" + scale + "]", width))
        for bin in bins {
            let range = rangeLabel(bin)
            let accuracyText = bin.count == 0 ? "    -" : String(format: "%5.3f", bin.accuracy)
            let countText = String(format: "%5d", bin.count)
            var bar = Array(repeating: Character(" "), count: barWidth)
            if bin.count > 0 {
                let filled = min(Int((bin.accuracy * Double(barWidth)).rounded()), barWidth)
                for i in 0..<filled { bar[i] = "#" }
            }
            let expected = bin.count > 0 ? bin.meanConfidence : (bin.lower + bin.upper) / 2
            let marker = min(max(Int((expected * Double(barWidth)).rounded()) - 1, 0), barWidth - 1)
            bar[marker] = "|"
            lines.append(Self.fit("\(range) \(accuracyText) \(countText) [" + String(bar) + "]", width))
        }
        return lines
    }

    /// A standalone SVG document: accuracy bars per bin over a 0-1 confidence axis, the dashed
    /// diagonal of perfect calibration, bin counts above the bars, axes with ticks at 0, 0.5 and 1,
    /// and the ECE in the title.
    public func svg(width: Int = 480, height: Int = 480, title: String = "Reliability diagram") -> String {
        let left = 56.0, right = 16.0, top = 40.0, bottom = 48.0
        let plotWidth = max(Double(width) - left - right, 1)
        let plotHeight = max(Double(height) - top - bottom, 1)
        func x(_ value: Double) -> String { Self.number(left + value * plotWidth) }
        func y(_ value: Double) -> String { Self.number(top + (1 - value) * plotHeight) }
        var svg: [String] = []
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\">")
        svg.append("<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>")
        let ece = DecimalFormat.fixed(expectedCalibrationError, places: 4)
        let heading = "\(Self.escape(title)) (ECE \(ece), \(bins.count) bins \(convention.notation), n=\(total))"
        svg.append("<text x=\"\(Self.number(Double(width) / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">\(heading)</text>")
        for bin in bins where bin.count > 0 {
            let barTop = y(bin.accuracy)
            let barHeight = Self.number(bin.accuracy * plotHeight)
            let barWidth = Self.number((bin.upper - bin.lower) * plotWidth)
            svg.append("<rect class=\"bin\" x=\"\(x(bin.lower))\" y=\"\(barTop)\" width=\"\(barWidth)\" height=\"\(barHeight)\" fill=\"#4c78a8\" stroke=\"white\"><title>\(String(format: "confidence %.3f, accuracy %.3f, n=%d", bin.meanConfidence, bin.accuracy, bin.count))</title></rect>")
            svg.append("<text class=\"count\" x=\"\(x((bin.lower + bin.upper) / 2))\" y=\"\(Self.number(top + (1 - bin.accuracy) * plotHeight - 4))\" text-anchor=\"middle\" font-size=\"10\">\(bin.count)</text>")
        }
        svg.append("<line class=\"diagonal\" x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#888\" stroke-dasharray=\"4 4\"/>")
        svg.append("<line class=\"axis\" x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(0))\" stroke=\"black\"/>")
        svg.append("<line class=\"axis\" x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(0))\" y2=\"\(y(1))\" stroke=\"black\"/>")
        for tick in [0.0, 0.5, 1.0] {
            let label = String(format: "%.1f", tick)
            svg.append("<text x=\"\(x(tick))\" y=\"\(Self.number(top + plotHeight + 16))\" text-anchor=\"middle\" font-size=\"11\">\(label)</text>")
            svg.append("<text x=\"\(Self.number(left - 6))\" y=\"\(Self.number(top + (1 - tick) * plotHeight + 4))\" text-anchor=\"end\" font-size=\"11\">\(label)</text>")
        }
        svg.append("<text x=\"\(x(0.5))\" y=\"\(Self.number(Double(height) - 10))\" text-anchor=\"middle\" font-size=\"12\">Confidence</text>")
        svg.append("<text x=\"16\" y=\"\(y(0.5))\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 16 \(y(0.5)))\">Accuracy</text>")
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    private func rangeLabel(_ bin: ReliabilityBin) -> String {
        let open = convention == .upperInclusive ? "(" : "["
        let close = convention == .upperInclusive ? "]" : ")"
        return open + String(format: "%.2f,%.2f", bin.lower, bin.upper) + close
    }

    /// Pads or cuts a line to exactly `width` characters.
    private static func fit(_ line: String, _ width: Int) -> String {
        line.count >= width ? String(line.prefix(width)) : line + String(repeating: " ", count: width - line.count)
    }

    /// Coordinates with at most two decimals and no trailing zeros, so the SVG text is stable.
    private static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
