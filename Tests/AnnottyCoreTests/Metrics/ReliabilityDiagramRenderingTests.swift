import AnnottyCore
import Testing

@Suite("Reliability diagram rendering")
struct ReliabilityDiagramRenderingTests {
    let diagram: ReliabilityDiagram

    init() throws {
        diagram = try ReliabilityDiagram(confidences: [0.2, 0.4, 0.9, 0.9], correct: [true, false, true, true], binCount: 2)
    }

    @Test("Text diagram: exact lines at width 46, accuracy bars with the confidence marker")
    func text() {
        let lines = diagram.textLines(width: 46)
        #expect(lines == [
            "Reliability: ECE 0.1500, 2 bins (lo,hi], n=4  ",
            "range         acc     n [0                  1]",
            "(0.00,0.50] 0.500     2 [#####|####          ]",
            "(0.50,1.00] 1.000     2 [#################|##]",
        ])
        #expect(diagram.textLines(width: 80).allSatisfy { $0.count == 80 })
    }

    @Test("Text diagram marks empty bins with a dash and the bin centre")
    func emptyBin() throws {
        let sparse = try ReliabilityDiagram(confidences: [0.95], correct: [false], binCount: 2)
        let lines = sparse.textLines(width: 46)
        #expect(lines[2] == "(0.00,0.50]     -     0 [    |               ]")
        #expect(lines[3] == "(0.50,1.00] 0.000     1 [                  | ]")
    }

    @Test("SVG has axes, one bar per non-empty bin, the diagonal and the ECE in the title")
    func svg() {
        let svg = diagram.svg(width: 400, height: 300, title: "DS <RTE>")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"300\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("DS &lt;RTE&gt; (ECE 0.1500, 2 bins (lo,hi], n=4)"))
        #expect(svg.components(separatedBy: "<rect class=\"bin\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "class=\"axis\"").count - 1 == 2)
        #expect(svg.contains("<line class=\"diagonal\" x1=\"56\" y1=\"252\" x2=\"384\" y2=\"40\""))
        // Bin (0, 0.5] at accuracy 0.5: x 56, width 164, top at 40 + 0.5·212 = 146.
        #expect(svg.contains("<rect class=\"bin\" x=\"56\" y=\"146\" width=\"164\" height=\"106\""))
    }
}
