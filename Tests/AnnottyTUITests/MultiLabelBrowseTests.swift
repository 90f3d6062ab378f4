import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// `annotty browse` on a multi-label project: sets read as names, and a label key toggles that
/// label in an opened item's final set, saved at once. Without this a key would store one bare
/// label name, which is not an answer of a multi-label project.
@Suite struct MultiLabelBrowseTests {
    typealias F = MultiLabelFixtures

    func setup(allowEmptySet: Bool = true) -> BrowseSetup {
        BrowseSetup(projectName: "Emotions", annotator: "alice", labels: F.labels,
                    keymap: try! BrowseKeymap(labels: F.labels), pageSize: 10, task: .multi, allowEmptySet: allowEmptySet)
    }

    func row(_ id: Int64, set: String?) -> BrowsedItem {
        BrowsedItem(item: Fixtures.item(id, "Text \(id).", externalId: "e\(id)"), isOpen: set == nil, finalLabel: set,
                    finalKind: set == nil ? nil : .correct, prediction: nil,
                    votes: set.map { [ItemVote(annotator: "bob", label: $0)] } ?? [], flags: [])
    }

    /// The browse screen with `rows` loaded and the first one opened.
    func opened(_ rows: [BrowsedItem], allowEmptySet: Bool = true) -> BrowseState {
        var state = BrowseState(setup: setup(allowEmptySet: allowEmptySet), size: ScreenSize(rows: 24, columns: 80),
                                capabilities: .ascii)
        state = BrowseReducer.reduce(state, .started).0
        state = BrowseReducer.reduce(state, .itemsLoaded(rows, offset: 0, total: rows.count, filter: BrowseFilter())).0
        return BrowseReducer.reduce(state, .key(.enter)).0
    }

    func render(_ state: BrowseState) -> String {
        let screen = MemoryScreen(size: state.size, capabilities: state.capabilities)
        BrowseView.render(state, on: screen)
        return screen.text
    }

    @Test func aLabelKeyTogglesThatLabelInTheFinalSetAndSavesTheNewSet() throws {
        let state = opened([row(1, set: F.encoded("fear", "joy"))])
        let screen = render(state)
        #expect(screen.contains("Final label  fear + joy"))
        #expect(screen.contains("bob fear + joy"))
        #expect(screen.contains("Toggle"))
        let (added, addEffects) = BrowseReducer.reduce(state, .key(.character("1")))
        guard case .recordDecision(let decision)? = addEffects.first else {
            Issue.record("no decision: \(addEffects)")
            return
        }
        #expect(decision.kind == .correct)
        #expect(decision.label == F.encoded("anger", "fear", "joy"))
        #expect(decision.shownLabel == F.encoded("fear", "joy"))
        var saved = decision
        saved.id = 5
        let after = BrowseReducer.reduce(added, .decisionRecorded(saved)).0
        #expect(render(after).contains("item 1 relabelled: fear + joy -> anger + fear + joy"))

        let (_, removeEffects) = BrowseReducer.reduce(state, .key(.character("3")))
        guard case .recordDecision(let removal)? = removeEffects.first else {
            Issue.record("no decision: \(removeEffects)")
            return
        }
        #expect(removal.label == F.encoded("fear"))
    }

    @Test func anOpenItemStartsFromTheEmptySet() throws {
        let (_, effects) = BrowseReducer.reduce(opened([row(2, set: nil)]), .key(.character("4")))
        guard case .recordDecision(let decision)? = effects.first else {
            Issue.record("no decision: \(effects)")
            return
        }
        #expect(decision.label == F.encoded("sadness"))
        #expect(decision.shownLabel == nil)
    }

    @Test func unTickingTheLastLabelIsRefusedWhereTheProjectNeedsOne() {
        let (refused, effects) = BrowseReducer.reduce(opened([row(3, set: F.encoded("joy"))], allowEmptySet: false),
                                                      .key(.character("3")))
        #expect(effects.isEmpty)
        #expect(refused.message == .emptySetRefused)
        #expect(render(refused).contains("needs at least one label"))
        let (_, allowed) = BrowseReducer.reduce(opened([row(3, set: F.encoded("joy"))]), .key(.character("3")))
        guard case .recordDecision(let decision)? = allowed.first else {
            Issue.record("no decision: \(allowed)")
            return
        }
        #expect(decision.label == "[]")
    }

    @Test func theListShowsSetsByName() {
        var state = BrowseState(setup: setup(), size: ScreenSize(rows: 24, columns: 80), capabilities: .ascii)
        state = BrowseReducer.reduce(state, .started).0
        let rows = [row(1, set: F.encoded("anger", "sadness")), row(2, set: "[]"), row(3, set: nil)]
        state = BrowseReducer.reduce(state, .itemsLoaded(rows, offset: 0, total: 3, filter: BrowseFilter())).0
        let screen = render(state)
        #expect(screen.contains("anger + sadness"))
        #expect(screen.contains("no label"))
        #expect(!screen.contains("[\""))
    }
}
