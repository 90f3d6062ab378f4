import Foundation
import AnnottyCore

/// An item opened from the list: its text and fields, its final label, who said what, the
/// LLM's label, every flag with its note, and the keys that relabel it.
enum BrowseItemView {
    static let captionWidth = 13

    static func contentLines(_ opened: BrowsedItem, state: BrowseState, width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        var lines: [StyledLine] = []
        let item = opened.item
        for line in TextWrapper.wrap(inert.paragraphs(item.text), width: width) {
            lines.append(StyledLine(line, role: .normal))
        }
        for field in item.fields {
            lines.append(StyledLine(inert.line(field.name), role: .fieldName))
            for line in TextWrapper.wrap(inert.paragraphs(field.value), width: width) {
                lines.append(StyledLine(line, role: .normal))
            }
        }
        let extra = item.metadataFields
            .filter { state.setup.task != .spans || !SpanItemMetadata.keys.contains($0.name) }
        if !extra.isEmpty {
            let text = extra.map { "\($0.name): \($0.value)" }.joined(separator: chrome.separator)
            for line in TextWrapper.wrap(paragraph: inert.line(text), width: width) {
                lines.append(StyledLine(line, role: .dim))
            }
        }
        lines.append(StyledLine())
        func captioned(_ caption: String, _ text: String, role: TextRole) {
            let indent = [Glyph](repeating: .space, count: captionWidth)
            let wrapped = TextWrapper.wrap(paragraph: inert.line(text), width: max(1, width - captionWidth))
            for (index, part) in wrapped.enumerated() {
                var line = StyledLine()
                if index == 0 {
                    line.append(Glyph.ascii(caption.padding(toLength: captionWidth, withPad: " ", startingAt: 0)), role: .heading)
                } else {
                    line.append(indent, role: .normal)
                }
                line.append(part, role: role)
                lines.append(line)
            }
        }
        let display = state.setup.display
        if let label = opened.finalLabel.map(display) {
            let by = BrowseListView.decidedBy(opened)
            captioned("Final label", by.isEmpty ? label : "\(label) (\(by))", role: .labelName)
        } else {
            captioned("Final label", opened.isOpen ? "none yet: open" : "none", role: .dim)
        }
        if !opened.votes.isEmpty {
            let tally = ItemDetailsView.tally(opened.votes, labels: state.setup.labels)
                .map { "\(display($0.label)) \($0.count)" }.joined(separator: chrome.separator)
            captioned("Votes", tally, role: .normal)
            captioned("", opened.votes.map { "\($0.annotator) \(display($0.label))" }.joined(separator: chrome.separator), role: .dim)
        }
        if let prediction = opened.prediction, prediction.isValid, let label = prediction.shownLabel {
            var text = display(label)
            if let confidence = prediction.confidence { text += String(format: " %.2f", confidence) }
            captioned("Prediction", text + " (\(prediction.model))", role: .normal)
        }
        for flag in opened.flags {
            captioned("Flagged", flag.annotator + (flag.note.map { ": " + $0 } ?? " (no note)"), role: .warning)
        }
        lines.append(StyledLine())
        let keys = state.setup.keymap.labels.map { "\($0.key.displayName) \($0.label.name)" }.joined(separator: "   ")
        captioned(state.setup.task == .multi ? "Toggle" : "Relabel", keys, role: .normal)
        return lines
    }

    static func draw(_ opened: BrowsedItem, scroll: Int, state: BrowseState, layout: BrowseLayout, on screen: any Screen) {
        let width = layout.size.columns - 2
        let lines = contentLines(opened, state: state, width: width)
        let overflows = lines.count > layout.itemRows
        let rows = overflows ? layout.itemRows - 1 : layout.itemRows
        let first = min(scroll, max(0, lines.count - rows))
        for (offset, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            screen.draw(line, row: layout.itemRow + offset, column: 1, maxWidth: width)
        }
        if overflows {
            let chrome = ChromeGlyphs.for(state.capabilities)
            let last = min(lines.count, first + rows)
            let arrow = last < lines.count ? chrome.down : chrome.up
            screen.draw("\(arrow) lines \(first + 1)-\(last) of \(lines.count)", row: layout.itemRow + layout.itemRows - 1,
                        column: 1, maxWidth: width, role: .dim)
        }
    }
}
