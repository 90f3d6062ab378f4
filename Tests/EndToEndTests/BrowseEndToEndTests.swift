import AnnottyCore
import Foundation
import Testing

/// `annotty browse` driven through tmux with the real binary and database.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct BrowseEndToEndTests {
    static func command(_ project: LabelTestProject, _ arguments: String, term: String = "screen-256color") -> String {
        "env TERM=\(term) LANG=C.UTF-8 LC_ALL=C.UTF-8 \(LabelTestProject.shellQuote(project.binary)) \(arguments)"
            + " -p \(LabelTestProject.shellQuote(project.folder.path))"
    }

    @Test func filterSearchOpenAndRelabelAnItem() throws {
        let project = try LabelTestProject.sampleReviews()
        let store = try project.store()
        // ann labelled r0032 positive earlier; r0178 stays open.
        let sarcastic = try #require(try store.itemId(externalId: "r0032"))
        try store.recordDecision(Decision(itemId: sarcastic, annotator: "ann", kind: .correct, label: "positive"))
        let tmux = try TmuxSession(command: Self.command(project, "browse --annotator ann --search blender"), directory: project.folder)
        defer { tmux.close() }
        let list = try tmux.waitFor(text: "search \"blender\"")
        #expect(list.contains("r0032") && list.contains("r0178"))
        #expect(list.split(separator: "\n").contains { $0.contains("r0032") && $0.contains("positive") && $0.contains("person") })
        // Narrow the search on screen to one item and open it.
        try tmux.send("/")
        try tmux.waitFor(text: "Search: blender")
        for _ in 0..<"blender".count { try tmux.send("BSpace") }
        try tmux.type("box it came")
        try tmux.send("Enter")
        try tmux.waitFor(text: "1 item · search \"box it came\"")
        try tmux.send("Enter")
        let opened = try tmux.waitFor(text: "Final label  positive (person)")
        #expect(opened.contains("The best thing about this blender is the box it came in."))
        #expect(opened.contains("product: personal blender · stars: 1"))
        #expect(opened.contains("item \(sarcastic) (r0032)"))
        try tmux.send("2")
        try tmux.waitFor(text: "item \(sarcastic) relabelled: positive → negative")
        try tmux.send("Escape")
        try tmux.waitFor("the list with the new label") { screen in
            screen.split(separator: "\n").contains { $0.contains("r0032") && $0.contains("negative") }
        }
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        #expect(try tmux.captureJoinedWithHistory().contains("1 relabel(s) saved"))
        // Appended as an ordinary decision; the item's final label follows it.
        let rows = try store.decisions(itemId: sarcastic)
        #expect(rows.count == 2)
        #expect(rows.last?.annotator == "ann" && rows.last?.kind == .correct && rows.last?.label == "negative")
        #expect(rows.last?.shownLabel == "positive")
        #expect(try store.finalLabels()[sarcastic]?.label == "negative")
    }

    @Test func flaggedItemsListWithTheirNotesInMonochromeASCII() throws {
        let project = try LabelTestProject.sampleReviews()
        let store = try project.store()
        try store.recordDecision(Decision(itemId: 7, annotator: "bob", kind: .flag, note: "not about the product"))
        let tmux = try TmuxSession(command: "env TERM=vt100 LANG=C LC_ALL=C \(LabelTestProject.shellQuote(project.binary)) browse --flagged -p "
                                   + LabelTestProject.shellQuote(project.folder.path), directory: project.folder)
        defer { tmux.close() }
        let list = try tmux.waitFor(text: "1 item | flagged")
        #expect(list.allSatisfy { $0.isASCII })
        #expect(list.contains("bob: not about the product | "))
        try tmux.send("Enter")
        let opened = try tmux.waitFor(text: "Flagged      bob: not about the product")
        #expect(opened.allSatisfy { $0.isASCII })
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
    }
}
