import AnnottyCore

/// Rows under the item's text: its other imported fields in one compact line
/// ("product: ceiling light · stars: 3"), and in a review the tally per label and who said what.
/// Every value is drawn through the inert-text policy and cut at the width.
enum ItemDetailsView {
    /// Rows of the who-said-what list at most; the rest is summed up as "+N more".
    static let maximumVoteRows = 2

    static func lines(_ state: LabelingState, width: Int) -> [StyledLine] {
        guard let queued = state.current, width > 0 else { return [] }
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        var lines: [StyledLine] = []
        // A span item's tokens and document are the import's bookkeeping, not fields to read.
        let fields = queued.item.metadataFields
            .filter { !state.setup.isSpans || !SpanItemMetadata.keys.contains($0.name) }
        if !fields.isEmpty {
            var line = StyledLine()
            for (index, field) in fields.enumerated() {
                if index > 0 { line.append(inert.line(chrome.separator), role: .dim) }
                line.append(inert.line(field.name + ": "), role: .fieldName)
                line.append(inert.line(field.value), role: .normal)
            }
            lines.append(line)
        }
        if state.setup.mode == .review {
            lines.append(tallyLine(queued, state: state))
            lines += voteLines(queued, state: state, width: width)
        }
        return lines
    }

    /// "Votes  positive 7 · negative 3 · LLM: positive", in the label set's order.
    static func tallyLine(_ queued: QueuedItem, state: LabelingState) -> StyledLine {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        var line = StyledLine(Glyph.ascii(PrelabelView.pad("Votes", to: LabelingLayout.captionWidth - 1)), role: .heading)
        let counts = tally(queued.votes, labels: state.setup.labels)
        let text = counts.isEmpty ? "no labels yet" : counts.map { "\($0.label) \($0.count)" }.joined(separator: chrome.separator)
        line.append(inert.line(text), role: .prelabel)
        if let model = queued.modelLabel {
            line.append(inert.line(chrome.separator + "LLM: " + model), role: .dim)
        }
        return line
    }

    /// Votes per label, most first; ties in the label set's order, unknown labels last.
    static func tally(_ votes: [ItemVote], labels: LabelSet) -> [(label: String, count: Int)] {
        var order = labels.names
        for vote in votes where !order.contains(vote.label) { order.append(vote.label) }
        let counts = Dictionary(votes.map { ($0.label, 1) }, uniquingKeysWith: +)
        return order.compactMap { name in counts[name].map { (name, $0) } }
            .enumerated().sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset }
            .map(\.element)
    }

    /// "alice positive   bob negative ..." packed into rows of the width; what does not fit in
    /// `maximumVoteRows` is counted on the last row.
    static func voteLines(_ queued: QueuedItem, state: LabelingState, width: Int) -> [StyledLine] {
        let inert = InertText(unicode: state.capabilities.unicode)
        let indent = LabelingLayout.captionWidth - 1
        let room = max(1, width - indent)
        let entries = queued.votes.map { (name: inert.line($0.annotator), label: inert.line($0.label)) }
        var rows: [[Int]] = [[]]
        var used = 0
        for (index, entry) in entries.enumerated() {
            let entryWidth = entry.name.width + 1 + entry.label.width
            let needed = rows[rows.count - 1].isEmpty ? entryWidth : used + 3 + entryWidth
            if !rows[rows.count - 1].isEmpty, needed > room {
                rows.append([index])
                used = entryWidth
            } else {
                rows[rows.count - 1].append(index)
                used = needed
            }
        }
        guard rows.count > maximumVoteRows else {
            return rows.filter { !$0.isEmpty }.map { line(for: $0, entries: entries, more: 0, indent: indent) }
        }
        // Keep what fits, with "+N more" at the end of the last row.
        rows = Array(rows.prefix(maximumVoteRows))
        var last = rows.removeLast()
        func rowWidth(_ row: [Int]) -> Int {
            row.map { entries[$0].name.width + 1 + entries[$0].label.width }.reduce(0, +) + max(0, row.count - 1) * 3
        }
        var more: Int { entries.count - rows.flatMap { $0 }.count - last.count }
        while !last.isEmpty, rowWidth(last) + 3 + "+\(more) more".count > room { last.removeLast() }
        let hidden = more
        rows.append(last + [-1])
        return rows.map { line(for: $0, entries: entries, more: hidden, indent: indent) }
    }

    static func line(for indices: [Int], entries: [(name: [Glyph], label: [Glyph])], more: Int, indent: Int) -> StyledLine {
        var line = StyledLine([Glyph](repeating: .space, count: indent), role: .normal)
        for (position, index) in indices.enumerated() {
            if position > 0 { line.append(Glyph.ascii("   "), role: .normal) }
            if index < 0 {
                line.append(Glyph.ascii("+\(more) more"), role: .dim)
            } else {
                line.append(entries[index].name, role: .dim)
                line.append(Glyph.ascii(" "), role: .normal)
                line.append(entries[index].label, role: .normal)
            }
        }
        return line
    }

    static func draw(_ state: LabelingState, layout: LabelingLayout, on screen: any Screen) {
        let area = layout.details
        for (offset, line) in lines(state, width: area.columns).prefix(area.rows).enumerated() {
            screen.draw(line, row: area.row + offset, column: area.column, maxWidth: area.columns)
        }
    }
}
