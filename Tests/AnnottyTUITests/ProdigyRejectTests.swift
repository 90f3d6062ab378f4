import Foundation
import Testing
import AnnottyCore
@testable import AnnottyTUI

/// The Prodigy preset's `x`: the pre-label on screen is wrong (issue 12).
@Suite struct ProdigyRejectTests {
    let first = QueuedItem(item: Fixtures.item(1, "Great phone."),
                           prediction: Fixtures.prediction(itemId: 1, label: "positive", confidence: 0.9, id: 41))
    let second = QueuedItem(item: Fixtures.item(2, "It broke."), prediction: nil)
    let binary = LabelSet([Label(name: "positive", key: "1"), Label(name: "negative", key: "2")])

    func started(labels: LabelSet = Fixtures.sentimentLabels) -> LabelingState {
        let setup = Fixtures.setup(labels: labels, keys: ["preset": ["prodigy"]])
        var state = LabelingState(setup: setup, size: ScreenSize(rows: 24, columns: 80), capabilities: .full)
        state = LabelingReducer.reduce(state, .started(now: 100)).0
        return LabelingReducer.reduce(state, .itemsClaimed([first, second], requested: 5, replacing: false, now: 100)).0
    }

    func recordedDecision(_ effects: [LabelingEffect]) -> Decision? {
        for effect in effects { if case .recordDecision(let decision) = effect { return decision } }
        return nil
    }

    func text(_ lines: [StyledLine]) -> String {
        lines.map { $0.runs.flatMap(\.glyphs).map(\.text).joined() }.joined(separator: "\n")
    }

    @Test func theProdigyPresetBindsXToReject() throws {
        let keymap = try Keymap(labels: Fixtures.sentimentLabels, overrides: ["preset": ["prodigy"]])
        #expect(keymap.command(for: .character("x")) == .action(.reject))
        // Without the preset x does nothing, and reject has no key of its own.
        let plain = try Keymap(labels: Fixtures.sentimentLabels)
        #expect(plain.command(for: .character("x")) == nil)
        #expect(plain.keys(for: .reject).isEmpty)
        // Any key can be given to reject in [keys].
        let own = try Keymap(labels: Fixtures.sentimentLabels, overrides: ["reject": ["r"]])
        #expect(own.command(for: .character("r")) == .action(.reject))
    }

    @Test func withTwoLabelsRejectSavesTheOtherLabelAsACorrection() throws {
        let (state, effects) = LabelingReducer.reduce(started(labels: binary), .key(.character("x"), now: 101))
        let decision = try #require(recordedDecision(effects))
        #expect(decision.kind == .correct)
        #expect(decision.label == "negative")
        #expect(decision.shownLabel == "positive")
        #expect(decision.predictionId == 41)
        #expect(state.current == first)
    }

    @Test func withMoreLabelsRejectStrikesThePrelabelAndKeepsTheItem() throws {
        let (rejected, effects) = LabelingReducer.reduce(started(), .key(.character("x"), now: 101))
        #expect(recordedDecision(effects) == nil)
        #expect(rejected.current == first)
        #expect(rejected.prelabelRejected)
        #expect(rejected.message == .prelabelRejected(label: "positive"))
        let screen = Fixtures.render(rejected)
        #expect(screen.text.contains("positive rejected: pick the right label (1-3), x takes it back."))
        #expect(screen.text.contains("rejected: pick the right label"))

        // Accepting the rejected pre-label is refused, with the way out.
        let (refused, none) = LabelingReducer.reduce(rejected, .key(.character("a"), now: 102))
        #expect(recordedDecision(none) == nil)
        #expect(refused.message == .acceptAfterReject(label: "positive"))

        // A label key decides it: a correction against the rejected pre-label.
        let decision = try #require(recordedDecision(LabelingReducer.reduce(refused, .key(.character("3"), now: 103)).1))
        #expect(decision.kind == .correct)
        #expect(decision.label == "neutral")
        #expect(decision.shownLabel == "positive")
        #expect(decision.timeSpentMs == 3000)
    }

    @Test func rejectAgainTakesTheRejectionBack() throws {
        let rejected = LabelingReducer.reduce(started(), .key(.character("x"), now: 101)).0
        let withdrawn = LabelingReducer.reduce(rejected, .key(.character("x"), now: 102)).0
        #expect(!withdrawn.prelabelRejected)
        #expect(withdrawn.message == .rejectionWithdrawn(label: "positive"))
        let decision = try #require(recordedDecision(LabelingReducer.reduce(withdrawn, .key(.character("a"), now: 103)).1))
        #expect(decision.kind == .accept)
        #expect(decision.label == "positive")
    }

    @Test func theRejectionEndsWithTheItem() throws {
        let rejected = LabelingReducer.reduce(started(), .key(.character("x"), now: 101)).0
        let decision = try #require(recordedDecision(LabelingReducer.reduce(rejected, .key(.character("2"), now: 102)).1))
        let next = LabelingReducer.reduce(rejected, .decisionRecorded(decision, now: 102)).0
        #expect(next.current == second)
        #expect(!next.prelabelRejected)
        #expect(next.rejectedPrelabelItemId == nil)
    }

    @Test func rejectWithNoPrelabelSaysSo() {
        var state = started()
        state.current = second
        let (next, effects) = LabelingReducer.reduce(state, .key(.character("x"), now: 101))
        #expect(recordedDecision(effects) == nil)
        #expect(next.message == .noPrelabelToReject)
        #expect(!next.prelabelRejected)
    }

    @Test func theFooterAndTheHelpShowXRejectWithThePreset() {
        let state = started()
        let footer = text([FooterView.line(state.setup.keymap, width: 78)])
        #expect(footer.contains("x reject"))
        #expect(footer.hasPrefix("a accept  1-3 label  x reject  Space skip  Backspace undo"))
        let help = text(HelpOverlayView.lines(state, width: 72))
        #expect(help.split(separator: "\n").contains { $0.hasPrefix("x ") && $0.contains("reject the pre-label") }, "\(help)")
        // Without the preset there is no reject hint and no help row.
        let plain = Fixtures.state(current: first)
        #expect(!text([FooterView.line(plain.setup.keymap, width: 78)]).contains("reject"))
        #expect(!text(HelpOverlayView.lines(plain, width: 72)).contains("reject"))
    }
}
