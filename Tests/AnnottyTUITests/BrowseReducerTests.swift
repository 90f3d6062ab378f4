import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// The browse screen's reducer and views, on a memory screen.
@Suite struct BrowseReducerTests {
    static func row(_ id: Int64, _ text: String, label: String? = nil, kind: DecisionKind? = nil,
                    flags: [BrowsedItem.Flag] = [], votes: [ItemVote] = []) -> BrowsedItem {
        BrowsedItem(item: Fixtures.item(id, text, externalId: "r\(id)"), isOpen: label == nil, finalLabel: label, finalKind: kind,
                    prediction: Fixtures.prediction(itemId: id, label: "positive", confidence: 0.9), votes: votes, flags: flags)
    }

    static let rows: [BrowsedItem] = (1...30).map { (id: Int) -> BrowsedItem in
        let decided = id % 3 == 0
        let label: String? = decided ? "negative" : nil
        let kind: DecisionKind? = decided ? .correct : nil
        return row(Int64(id), "Review number \(id).", label: label, kind: kind)
    }

    func setup(pageSize: Int = 10) -> BrowseSetup {
        BrowseSetup(projectName: "Phone reviews", annotator: "alice", labels: Fixtures.sentimentLabels,
                    keymap: try! BrowseKeymap(labels: Fixtures.sentimentLabels), pageSize: pageSize)
    }

    /// Answers every load from `rows` as the store would.
    func run(_ state: BrowseState, _ events: [BrowseEvent], rows: [BrowsedItem] = rows) -> (BrowseState, [BrowseEffect]) {
        var state = state
        var all: [BrowseEffect] = []
        var pending = events
        while !pending.isEmpty {
            let (next, effects) = BrowseReducer.reduce(state, pending.removeFirst())
            state = next
            all += effects
            for effect in effects {
                if case .loadItems(let filter, let offset, let limit) = effect {
                    let matching = rows.filter { row in
                        (filter.search.map { row.item.text.contains($0) } ?? true) && (!filter.flaggedOnly || !row.flags.isEmpty)
                    }
                    pending.append(.itemsLoaded(Array(matching.dropFirst(offset).prefix(limit)), offset: offset,
                                                total: matching.count, filter: filter))
                }
            }
        }
        return (state, all)
    }

    func started(pageSize: Int = 10, rows: [BrowsedItem] = rows) -> BrowseState {
        run(BrowseState(setup: setup(pageSize: pageSize), size: ScreenSize(rows: 24, columns: 80), capabilities: .full), [.started],
            rows: rows).0
    }

    func render(_ state: BrowseState) -> [String] {
        let screen = MemoryScreen(size: state.size, capabilities: state.capabilities)
        BrowseView.render(state, on: screen)
        return screen.lines
    }

    @Test func startingLoadsTheFirstPageAndCountsTheMatches() {
        let state = started()
        #expect(state.total == 30)
        // At least three screens are read at once.
        #expect(state.rows.count == 30)
        let lines = render(state)
        #expect(lines[1] == " 30 items")
        #expect(lines[2] == "  # id  label    by     conf   text")
        #expect(lines[3] == "  1 r1  open            0.90   Review number 1.")
        #expect(lines[5] == "  3 r3  negative person 0.90   Review number 3.")
        #expect(lines[23].contains("Enter open") && lines[23].contains("/ search"))
    }

    @Test func movingPastTheLoadedRowsLoadsTheNextWindow() {
        let many = (1...200).map { Self.row(Int64($0), "Review number \($0).") }
        var state = started(rows: many)
        #expect(state.rows.count == 57)
        let (moved, effects) = run(state, Array(repeating: .key(.down), count: 80), rows: many)
        state = moved
        #expect(state.selection == 80)
        #expect(effects.contains { if case .loadItems(_, let offset, _) = $0 { offset > 0 } else { false } })
        #expect(state.selectedItem?.item.id == 81)
        #expect(render(state).contains { $0.contains("Review number 81.") })
        // Never past the end, and every row on screen is loaded.
        state = run(state, Array(repeating: .key(.pageDown), count: 20), rows: many).0
        #expect(state.selection == 199)
        #expect(!render(state).contains { $0 == " …" })
        state = run(state, Array(repeating: .key(.pageUp), count: 20), rows: many).0
        #expect(state.selection == 0 && state.selectedItem?.item.id == 1)
    }

    @Test func enterOpensTheItemAndEscapeGoesBack() {
        var state = run(started(), [.key(.down), .key(.down), .key(.enter)]).0
        guard case .item(let opened, _) = state.page else {
            Issue.record("no item open")
            return
        }
        #expect(opened.item.id == 3)
        let lines = render(state)
        #expect(lines[0].contains("item 3 (r3)"))
        #expect(lines.contains { $0.hasPrefix(" Final label  negative (person)") })
        #expect(lines.contains { $0.hasPrefix(" Relabel      1 positive   2 negative   3 neutral") })
        state = run(state, [.key(.escape)]).0
        #expect(state.page == .list)
    }

    @Test func aLabelKeyOnAnOpenItemRecordsACorrectionAndTheListReloads() throws {
        let state = run(started(), [.key(.down), .key(.down), .key(.enter)]).0
        let (pending, effects) = BrowseReducer.reduce(state, .key(.character("1")))
        guard case .recordDecision(let decision)? = effects.first else {
            Issue.record("no decision: \(effects)")
            return
        }
        #expect(decision.itemId == 3 && decision.kind == .correct && decision.label == "positive")
        #expect(decision.annotator == "alice" && decision.shownLabel == "negative")
        var saved = decision
        saved.id = 77
        let (after, reload) = BrowseReducer.reduce(pending, .decisionRecorded(saved))
        #expect(after.message == .relabelled(itemId: 3, from: "negative", to: "positive", final: nil))
        #expect(reload == [.loadItem(3), .loadItems(BrowseFilter(), offset: 0, limit: 57)])
        // The item read again carries its new final label and alice's vote.
        let fresh = Self.row(3, "Review number 3.", label: "positive", kind: .correct, votes: [ItemVote(annotator: "alice", label: "positive")])
        let refreshed = BrowseReducer.reduce(after, .itemRefreshed(fresh)).0
        #expect(render(refreshed).contains(" ✓ item 3 relabelled: negative → positive"))
        #expect(refreshed.page == .item(fresh, scroll: 0))
        #expect(render(refreshed).contains { $0.hasPrefix(" Final label  positive (person)") })
    }

    @Test func aRelabelOutvotedByOthersSaysTheFinalLabelStayed() {
        var state = run(started(), [.key(.down), .key(.down), .key(.enter)]).0
        state = BrowseReducer.reduce(state, .decisionRecorded(Decision(id: 5, itemId: 3, annotator: "alice", kind: .correct,
                                                                       label: "positive", shownLabel: "negative"))).0
        let tied = Self.row(3, "Review number 3.", label: "negative", kind: .correct,
                            votes: [ItemVote(annotator: "bob", label: "negative"), ItemVote(annotator: "alice", label: "positive")])
        state = BrowseReducer.reduce(state, .itemRefreshed(tied)).0
        let message = render(state)[22]
        #expect(message.hasPrefix(" ✓ item 3: your positive is saved; the final label stays negative"))
    }

    @Test func aLabelKeyInTheListAsksToOpenAnItem() {
        let (state, effects) = BrowseReducer.reduce(started(), .key(.character("2")))
        #expect(effects.isEmpty)
        #expect(state.message == .openAnItemToRelabel)
    }

    @Test func slashTypesASearchThatEnterApplies() {
        var state = run(started(), [.key(.down), .key(.character("/"))]).0
        #expect(state.searchDraft == "")
        state = run(state, "number 2".map { .key(.character($0)) }).0
        #expect(render(state)[22].hasPrefix(" Search: number 2"))
        // Typed letters are text, not keys: "q" does not quit while searching.
        state = run(state, [.key(.character("q")), .key(.backspace), .key(.enter)]).0
        #expect(!state.isFinished)
        #expect(state.filter.search == "number 2")
        #expect(state.total == 11)
        #expect(state.selection == 0)
        #expect(render(state)[1] == " 11 items · search \"number 2\"")
        // An empty search clears it.
        state = run(state, [.key(.character("/"))] + Array(repeating: .key(.backspace), count: 8) + [.key(.enter)]).0
        #expect(state.filter.search == nil && state.total == 30)
    }

    @Test func flaggedOnlyListsFlagsAndTheOpenItemShowsTheirNotes() {
        var rows = Self.rows
        rows[4] = Self.row(5, "Odd one.", flags: [BrowsedItem.Flag(annotator: "bob", note: "not a review \u{1B}[2J")])
        var state = run(started(rows: rows), [.key(.character("F"))], rows: rows).0
        #expect(state.filter.flaggedOnly && state.total == 1)
        // The list of flags shows each note before the text.
        #expect(render(state)[3].hasSuffix("⚑ bob: not a review ␛[2J · Odd one."))
        state = run(state, [.key(.enter)], rows: rows).0
        let lines = render(state)
        #expect(lines.contains { $0.hasPrefix(" Flagged      bob: not a review ␛[2J") })
    }

    @Test func anEmptyResultSaysHowToWiden() {
        let state = run(started(), [.key(.character("/")), .key(.character("z")), .key(.enter)]).0
        #expect(state.total == 0)
        #expect(render(state)[3].contains("No item matches"))
        #expect(BrowseReducer.reduce(state, .key(.enter)).0.message == .nothingSelected)
    }

    @Test func aStaleAnswerForAnotherFilterIsIgnored() {
        let state = started()
        let (same, _) = BrowseReducer.reduce(state, .itemsLoaded([], offset: 0, total: 0, filter: BrowseFilter(search: "old")))
        #expect(same.total == 30 && same.rows.count == 30)
    }

    @Test func helpListsTheBrowseKeysFromTheTable() {
        let state = run(started(), [.key(.character("?"))]).0
        let screen = render(state).joined(separator: "\n")
        for binding in state.setup.keymap.actions {
            #expect(screen.contains(String(binding.action.helpText.prefix(30))))
        }
        #expect(screen.contains("relabel it positive"))
        #expect(!run(state, [.key(.escape)]).0.showsHelp)
    }

    @Test func quitEndsAndALabelKeyClashingWithABrowseKeyIsAnError() {
        let (state, effects) = BrowseReducer.reduce(started(), .key(.character("q")))
        #expect(state.isFinished && effects == [.quit])
        let clashing = LabelSet([Label(name: "yes", key: "/"), Label(name: "no", key: "2")])
        #expect(throws: KeymapError.self) { _ = try BrowseKeymap(labels: clashing) }
    }

    @Test func asciiAndATooSmallWindowWork() {
        var state = BrowseState(setup: setup(), size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        state = run(state, [.started]).0
        #expect(render(state).joined().allSatisfy { $0.isASCII })
        state = run(state, [.resized(ScreenSize(rows: 8, columns: 30))]).0
        let words = render(state).joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(words.contains("annotty needs at least 50x12"))
    }
}
