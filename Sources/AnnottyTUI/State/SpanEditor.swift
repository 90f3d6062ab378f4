import AnnottyCore

/// Entity spans: the spans of the item on screen while the person edits them, before Enter
/// commits them as one decision. Proposals come from the pre-label; the person accepts or
/// rejects each, creates spans over words chosen with a word cursor, retypes and deletes them.
/// Every edit is kept so that undo takes them back one at a time before it undoes a decision.
///
/// What Enter commits is what the screen shows (Prodigy's `ner.correct`): the accepted spans and
/// the proposals not rejected. Accepting a proposal marks it as checked; it changes nothing saved.
public struct SpanEditor: Sendable, Equatable {
    /// One span on screen and whether the person has settled it.
    public struct Entry: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            /// From the pre-label, not yet looked at: shown as a proposal, committed unless rejected.
            case proposed
            /// Accepted, created or retyped by the person.
            case accepted
            /// Rejected or deleted: not drawn, not committed (undo brings it back).
            case rejected
        }

        public var span: EntitySpan
        public var status: Status
        /// The pre-label's confidence in a proposal; nil for the person's spans.
        public var confidence: Double?

        public var isShown: Bool { status != .rejected }
    }

    /// What the keys act on.
    public enum Focus: Sendable, Equatable {
        case none
        /// Words `anchor` to `head` (token indices, either order): a type key makes them a span.
        case words(anchor: Int, head: Int)
        /// A span on screen: a type key retypes it, reject deletes it.
        case span(SpanKey)
    }

    /// One undoable edit: the spans and focus before it, and what it did (for the status line).
    struct Edit: Sendable, Equatable {
        var entries: [Entry]
        var focus: Focus
        var description: String
    }

    public private(set) var itemId: Int64?
    /// The item's text, for the text of spans made from words.
    public private(set) var text: String = ""
    /// The item's words (`WordTokenizer`), cut at the proposals' edges so that every span covers
    /// whole words.
    public private(set) var tokens: [TextToken] = []
    /// Every span, rejected ones included, in text order.
    public private(set) var entries: [Entry] = []
    /// The pre-label's span set; nil without a pre-label (every commit is then a correction).
    public private(set) var proposal: Set<SpanKey>?
    public var focus: Focus = .none
    private(set) var edits: [Edit] = []
    /// The person changed the spans on this item (an edit, even one undone since): a pre-label
    /// that arrives later no longer replaces them.
    public private(set) var isEdited = false
    /// The item's text as glyphs, made once per item (not on every key): `SpanTextLayout` marks
    /// and wraps them. At most `SpanEditor.cellBudget` characters, as the screen lays out.
    public private(set) var cells: [TextCell] = []

    /// One glyph of the item's text and the scalar offset where its character starts.
    public struct TextCell: Sendable, Equatable {
        public var glyph: Glyph
        public var offset: Int
        /// A line break in the text: the line ends here, or, inside a span, `glyph` marks it.
        public var isLineBreak: Bool
        /// A space, where lines may break (`Glyph.isSpace`, kept so as not to ask on every key).
        public var isSpace: Bool

        init(glyph: Glyph, offset: Int, isLineBreak: Bool) {
            self.glyph = glyph
            self.offset = offset
            self.isLineBreak = isLineBreak
            isSpace = glyph.isSpace
        }
    }

    /// Characters of an item laid out (`ItemView.layoutBudgetCharacters`).
    public static let cellBudget = ItemView.layoutBudgetCharacters

    public init() {}

    /// - Parameters:
    ///   - proposed: the pre-label's spans with their confidences (nil: no pre-label).
    ///   - given: spans the person gave before (an undone decision's), shown as accepted and
    ///     not replaced by a pre-label arriving later.
    ///   - unicode: whether the terminal shows Unicode (else the text's glyphs are ASCII look-alikes).
    public init(itemId: Int64, text: String, proposed: [(span: EntitySpan, confidence: Double)]?,
                given: [EntitySpan]? = nil, unicode: Bool = true) {
        self.itemId = itemId
        self.text = text
        proposal = proposed.map { Set($0.map(\.span.key)) }
        if let given {
            entries = Self.nonOverlapping(given.map { Entry(span: $0, status: .accepted, confidence: nil) })
            isEdited = true
        } else {
            entries = Self.nonOverlapping((proposed ?? []).map { Entry(span: $0.span, status: .proposed, confidence: $0.confidence) })
        }
        let cuts = Set(entries.flatMap { [$0.span.start, $0.span.end] })
        tokens = WordTokenizer.tokenize(text, cuttingAt: cuts)
        cells = Self.cells(of: text, unicode: unicode)
    }

    static let asciiGlyphs: [Glyph] = (0..<128).map { Glyph(String(UnicodeScalar(UInt8($0))), width: 1) }

    /// The text's glyphs: printable ASCII (most text) byte by byte with shared glyphs, the rest
    /// cluster by cluster through `InertText`, which makes every control inert.
    static func cells(of text: String, unicode: Bool) -> [TextCell] {
        var cells: [TextCell] = []
        var offset = 0
        let shown = text.prefix(cellBudget)
        if shown.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            cells.reserveCapacity(shown.utf8.count)
            for byte in shown.utf8 {
                cells.append(TextCell(glyph: asciiGlyphs[Int(byte)], offset: offset, isLineBreak: false))
                offset += 1
            }
            return cells
        }
        let inert = InertText(unicode: unicode)
        var column = 0
        for character in shown {
            let isBreak = InertText.isLineBreak(character)
            let glyphs = isBreak ? inert.line(String(character)) : {
                var glyphs: [Glyph] = []
                inert.append(character, to: &glyphs, column: &column)
                return glyphs
            }()
            if isBreak { column = 0 }
            for glyph in glyphs { cells.append(TextCell(glyph: glyph, offset: offset, isLineBreak: isBreak)) }
            offset += character.unicodeScalars.count
        }
        return cells
    }

    /// Spans in text order, a span overlapping an earlier one left out: the screen marks each
    /// word with at most one span. (A pre-label's spans are untrusted and may overlap.)
    static func nonOverlapping(_ entries: [Entry]) -> [Entry] {
        var kept: [Entry] = []
        for entry in entries.sorted(by: { $0.span.key < $1.span.key }) {
            if let last = kept.last, entry.span.start < last.span.end { continue }
            kept.append(entry)
        }
        return kept
    }

    /// The spans on screen, in text order.
    public var shown: [Entry] { entries.filter(\.isShown) }

    /// What Enter commits: every span on screen, accepted or proposed.
    public var committed: [EntitySpan] { shown.map(\.span) }

    /// Whether committing now is an accept: exactly the pre-label's spans.
    public var matchesProposal: Bool {
        guard let proposal else { return false }
        return Set(committed.map(\.key)) == proposal
    }

    /// The focused span's entry, when the focus is on a span still shown.
    public var focusedEntry: Entry? {
        guard case .span(let key) = focus else { return nil }
        return entries.first { $0.isShown && $0.span.key == key }
    }

    /// Token indices the word cursor covers, in order; empty unless the focus is on words.
    public var selectedTokenRange: ClosedRange<Int>? {
        guard case .words(let anchor, let head) = focus, !tokens.isEmpty else { return nil }
        return min(anchor, head)...max(anchor, head)
    }

    // MARK: Moving

    /// The word cursor one word right (`by: 1`) or left (`by: -1`), on one word.
    public mutating func moveWord(by step: Int) {
        guard !tokens.isEmpty else { return }
        let target: Int
        switch focus {
        case .none:
            target = step > 0 ? 0 : tokens.count - 1
        case .words(let anchor, let head):
            target = step > 0 ? max(anchor, head) + 1 : min(anchor, head) - 1
        case .span(let key):
            let covered = tokenIndices(of: key)
            target = step > 0 ? (covered.last ?? -1) + 1 : (covered.first ?? tokens.count) - 1
        }
        let clamped = min(max(0, target), tokens.count - 1)
        focus = .words(anchor: clamped, head: clamped)
    }

    /// Extends (or, past the anchor, shrinks) the word selection by one word at its moving end.
    public mutating func extendWords(by step: Int) {
        guard !tokens.isEmpty else { return }
        switch focus {
        case .none:
            focus = .words(anchor: 0, head: 0)
        case .words(let anchor, let head):
            focus = .words(anchor: anchor, head: min(max(0, head + step), tokens.count - 1))
        case .span(let key):
            let covered = tokenIndices(of: key)
            guard let first = covered.first, let last = covered.last else { return }
            focus = step > 0 ? .words(anchor: first, head: min(last + 1, tokens.count - 1))
                : .words(anchor: last, head: max(first - 1, 0))
        }
    }

    /// Focuses the next span on screen after the focus (`forward`) or the one before, wrapping
    /// around. Returns false when there is no span to go to.
    @discardableResult
    public mutating func moveSpan(forward: Bool) -> Bool {
        let spans = shown.map(\.span)
        guard !spans.isEmpty else { return false }
        let position: Int?
        switch focus {
        case .none: position = nil
        case .words(let anchor, let head): position = tokens[forward ? max(anchor, head) : min(anchor, head)].start
        case .span(let key): position = key.start
        }
        let next: EntitySpan
        if forward {
            next = position.flatMap { at in spans.first { $0.start > at } } ?? spans[0]
        } else {
            next = position.flatMap { at in spans.last { $0.start < at } } ?? spans[spans.count - 1]
        }
        focus = .span(next.key)
        return true
    }

    func tokenIndices(of key: SpanKey) -> [Int] {
        tokens.indices.filter { tokens[$0].start >= key.start && tokens[$0].end <= key.end }
    }

    // MARK: Editing

    /// A type key: the selected words become a span of `type` (spans they overlap are removed),
    /// or the focused span takes that type. Returns what it did, nil when nothing is selected.
    public mutating func applyType(_ type: String) -> String? {
        switch focus {
        case .none:
            return nil
        case .words:
            guard let range = selectedTokenRange else { return nil }
            let start = tokens[range.lowerBound].start
            let end = tokens[range.upperBound].end
            let covered = ScalarText(text).slice(start, end) ?? ""
            let span = EntitySpan(start: start, end: end, type: type, text: covered)
            let removed = shown.filter { $0.span.start < end && start < $0.span.end }
            record("made \(type) \"\(covered)\"")
            entries.removeAll { $0.span.key == span.key }
            for index in entries.indices where entries[index].isShown
                && entries[index].span.start < end && start < entries[index].span.end {
                entries[index].status = .rejected
            }
            entries.append(Entry(span: span, status: .accepted, confidence: nil))
            entries.sort { $0.span.key < $1.span.key }
            focus = .span(span.key)
            let replaced = removed.isEmpty ? "" : " (replacing " + removed.map { "\($0.span.type) \"\($0.span.text)\"" }
                .joined(separator: ", ") + ")"
            return "made \(type): \"\(covered)\"\(replaced)"
        case .span(let key):
            guard let index = entries.firstIndex(where: { $0.isShown && $0.span.key == key }) else { return nil }
            let old = entries[index].span
            if old.type == type {
                if entries[index].status == .accepted { return "\"\(old.text)\" is \(type) already" }
                record("accepted \(type) \"\(old.text)\"")
                entries[index].status = .accepted
                return "accepted: \(type) \"\(old.text)\""
            }
            record("retyped \"\(old.text)\" \(old.type) to \(type)")
            var retyped = old
            retyped.type = type
            entries.removeAll { $0.span.key == retyped.key }
            let at = entries.firstIndex { $0.isShown && $0.span.key == key } ?? index
            entries[at] = Entry(span: retyped, status: .accepted, confidence: nil)
            entries.sort { $0.span.key < $1.span.key }
            focus = .span(retyped.key)
            return "retyped \"\(old.text)\": \(old.type) -> \(type)"
        }
    }

    /// Accepts the focused proposal and moves to the next proposal. Returns what it did.
    public mutating func acceptFocused() -> String? {
        guard case .span(let key) = focus,
              let index = entries.firstIndex(where: { $0.isShown && $0.span.key == key }) else { return nil }
        let span = entries[index].span
        guard entries[index].status == .proposed else { return "\(span.type) \"\(span.text)\" is accepted already" }
        record("accepted \(span.type) \"\(span.text)\"")
        entries[index].status = .accepted
        if let next = shown.first(where: { $0.status == .proposed && $0.span.start > span.start })
            ?? shown.first(where: { $0.status == .proposed }) {
            focus = .span(next.span.key)
        }
        return "accepted: \(span.type) \"\(span.text)\""
    }

    /// Accepts every proposal on screen. Returns how many, 0 when none was left.
    public mutating func acceptAll() -> Int {
        let count = entries.filter { $0.status == .proposed }.count
        guard count > 0 else { return 0 }
        record("accepted \(count) proposals")
        for index in entries.indices where entries[index].status == .proposed { entries[index].status = .accepted }
        return count
    }

    /// Rejects the focused proposal or deletes the focused span; the focus moves to the next
    /// span. Returns what it did.
    public mutating func removeFocused() -> String? {
        guard case .span(let key) = focus,
              let index = entries.firstIndex(where: { $0.isShown && $0.span.key == key }) else { return nil }
        let entry = entries[index]
        let verb = entry.status == .proposed ? "rejected" : "deleted"
        record("\(verb) \(entry.span.type) \"\(entry.span.text)\"")
        entries[index].status = .rejected
        if let next = shown.first(where: { $0.span.start > key.start }) ?? shown.first {
            focus = .span(next.span.key)
        } else {
            focus = .none
        }
        return "\(verb): \(entry.span.type) \"\(entry.span.text)\""
    }

    /// Takes back the latest edit. Returns what it had done; nil when there is none.
    public mutating func undoEdit() -> String? {
        guard let edit = edits.popLast() else { return nil }
        entries = edit.entries
        focus = edit.focus
        return edit.description
    }

    /// A pre-label arrived for the item: its spans become the proposals unless the person has
    /// edited this item.
    public mutating func offer(_ proposed: [(span: EntitySpan, confidence: Double)], itemId: Int64) {
        guard self.itemId == itemId, !isEdited else { return }
        // The text and its glyphs stay; the proposals and the words they cut are new.
        let (text, cells) = (self.text, self.cells)
        self = SpanEditor(itemId: itemId, text: "", proposed: proposed)
        self.text = text
        self.cells = cells
        tokens = WordTokenizer.tokenize(text, cuttingAt: Set(entries.flatMap { [$0.span.start, $0.span.end] }))
    }

    private mutating func record(_ description: String) {
        edits.append(Edit(entries: entries, focus: focus, description: description))
        isEdited = true
    }
}
