/// Just enough Markdown to read guidelines in a terminal: headings, paragraphs whose source lines
/// are joined again (guidelines are often hard-wrapped), list items with a hanging indent, and
/// fenced code kept line by line.
enum MarkdownBlocks: Equatable {
    case blank
    case heading(String)
    /// `marker` is a list item's "- " or "2. ", which continuation lines align after.
    case paragraph(String, indent: Int, marker: String)
    case verbatim(String)

    static func parse(_ markdown: String) -> [MarkdownBlocks] {
        var blocks: [MarkdownBlocks] = []
        var inFence = false
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if inFence {
                blocks.append(.verbatim(line))
                continue
            }
            if trimmed.isEmpty {
                blocks.append(.blank)
                continue
            }
            if trimmed.hasPrefix("#") {
                blocks.append(.heading(String(trimmed.drop { $0 == "#" }.drop { $0 == " " })))
                continue
            }
            let indent = min(line.count - trimmed.count, 8)
            if let width = listMarkerWidth(trimmed) {
                blocks.append(.paragraph(String(trimmed.dropFirst(width)), indent: indent, marker: String(trimmed.prefix(width))))
                continue
            }
            if case .paragraph(let text, let blockIndent, let marker)? = blocks.last {
                blocks[blocks.count - 1] = .paragraph(text + " " + trimmed, indent: blockIndent, marker: marker)
            } else {
                blocks.append(.paragraph(String(trimmed), indent: indent, marker: ""))
            }
        }
        return blocks
    }

    /// The width of "- " or "12. " at the start of a list item.
    static func listMarkerWidth(_ text: Substring) -> Int? {
        if text.hasPrefix("- ") || text.hasPrefix("* ") || text.hasPrefix("+ ") { return 2 }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = text.dropFirst(digits.count)
        if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return digits.count + 2 }
        return nil
    }
}
