import Foundation
import AnnottyCore

/// The list of matching items, one a row: id, the item's own id, its final label (or "open"),
/// who decided it, the latest prediction's confidence, a flag mark, and the start of its text.
enum BrowseListView {
    struct Columns {
        var id: Int
        var external: Int
        var label: Int
    }

    static let decidedByWidth = 6
    static let confidenceWidth = 4

    static func columns(_ state: BrowseState, rows: [BrowsedItem]) -> Columns {
        let idWidth = max(2, rows.map { String($0.item.id).count }.max() ?? 2)
        let external = min(10, max(2, rows.map { ($0.item.externalId ?? "").count }.max() ?? 0))
        // A set ("anger + joy") needs more room than one label.
        let longest = max(5, state.setup.labels.names.map(\.count).max() ?? 5)
        let label = state.setup.task == .multi ? min(22, 2 * longest + 3) : min(14, longest)
        return Columns(id: idWidth, external: external, label: label)
    }

    static func decidedBy(_ row: BrowsedItem) -> String {
        switch row.finalKind {
        case .auto: return "auto"
        case .adjudicate: return "review"
        case .accept, .correct, .audit, .imported: return "person"
        default: return ""
        }
    }

    static func line(_ row: BrowsedItem, columns: Columns, state: BrowseState) -> StyledLine {
        let chrome = ChromeGlyphs.for(state.capabilities)
        let inert = InertText(unicode: state.capabilities.unicode)
        var line = StyledLine()
        func cell(_ text: String, width: Int, role: TextRole, right: Bool = false) {
            var glyphs = inert.line(text)
            if glyphs.width > width {
                var cut: [Glyph] = []
                var used = 0
                for glyph in glyphs where used + glyph.width <= width - 1 {
                    cut.append(glyph)
                    used += glyph.width
                }
                glyphs = cut + inert.line(chrome.ellipsis)
            }
            let padding = [Glyph](repeating: .space, count: max(0, width - glyphs.width))
            line.append(right ? padding + glyphs : glyphs + padding, role: role)
            line.append([.space], role: .normal)
        }
        cell(String(row.item.id), width: columns.id, role: .dim, right: true)
        cell(row.item.externalId ?? "", width: columns.external, role: .dim)
        if let label = row.finalLabel {
            cell(state.setup.display(label), width: columns.label, role: .labelName)
        } else {
            cell(row.isOpen ? "open" : "-", width: columns.label, role: .dim)
        }
        cell(decidedBy(row), width: decidedByWidth, role: .dim)
        let confidence = row.prediction.flatMap { $0.isValid ? $0.confidence : nil }
        cell(confidence.map { String(format: "%.2f", $0) } ?? "-", width: confidenceWidth, role: .normal, right: true)
        cell(row.flags.isEmpty ? "" : chrome.flag, width: 1, role: .warning)
        if state.filter.flaggedOnly, !row.flags.isEmpty {
            // Listing flags: their notes come first, so the list reads as a list of notes.
            let notes = row.flags.map { flag in flag.annotator + ": " + (flag.note ?? "(no note)") }
                .joined(separator: chrome.separator)
            line.append(inert.line(oneLine(notes) + chrome.separator), role: .warning)
        }
        line.append(inert.line(oneLine(row.item.text)), role: .normal)
        return line
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    static func draw(_ state: BrowseState, layout: BrowseLayout, on screen: any Screen) {
        let width = layout.size.columns - 2
        let visible = (state.listTop..<(state.listTop + layout.listRows)).compactMap { state.row(at: $0) }
        let columns = columns(state, rows: visible)
        let header = [("#", columns.id, true), ("id", columns.external, false), ("label", columns.label, false),
                      ("by", decidedByWidth, false), ("conf", confidenceWidth, true), ("", 1, false)]
            .map { name, width, right in
                let pad = String(repeating: " ", count: max(0, width - name.count))
                return right ? pad + name : name + pad
            }.joined(separator: " ") + " text"
        screen.draw(header, row: layout.headerRow, column: 1, maxWidth: width, role: .dim)
        guard let total = state.total else { return }
        if total == 0 {
            screen.draw("No item matches. Change the filter, or / to search for other text.", row: layout.listRow, column: 1,
                        maxWidth: width, role: .dim)
            return
        }
        for offset in 0..<layout.listRows {
            let position = state.listTop + offset
            guard position < total else { break }
            let screenRow = layout.listRow + offset
            guard let row = state.row(at: position) else {
                screen.draw(ChromeGlyphs.for(state.capabilities).ellipsis, row: screenRow, column: 1, role: .dim)
                continue
            }
            var line = line(row, columns: columns, state: state)
            if position == state.selection {
                screen.fill(row: screenRow, column: 0, width: layout.size.columns, role: .selection)
                line.runs = line.runs.map { StyledLine.Run(glyphs: $0.glyphs, role: .selection) }
            }
            screen.draw(line, row: screenRow, column: 1, maxWidth: width)
        }
    }
}
