import Foundation
import Testing
import AnnottyCore

/// The labeling screen over a real SSH connection: tmux runs ssh, ssh reaches a throwaway
/// sshd on 127.0.0.1, and the remote command is `annotty label`.
@Suite(.serialized,
       .enabled(if: TmuxSession.available, "\(TmuxSession.missingMessage)"),
       .enabled(if: SSHServer.available, "\(SSHServer.missingMessage)"),
       .enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct SSHLabelTests {
    @Test func labelsItemsOverSSH() throws {
        let project = try LabelTestProject.sampleReviews()
        let server = try SSHServer(directory: project.folder)
        defer { server.stop() }
        let remote = "env LANG=C.UTF-8 LC_ALL=C.UTF-8 \(LabelTestProject.shellQuote(project.binary)) label "
            + "\(LabelTestProject.shellQuote(project.folder.path)) --annotator remote"
        let tmux = try TmuxSession(command: "env TERM=screen-256color " + server.sshCommand(remote), directory: project.folder)
        defer { tmux.close() }
        do {
            try tmux.waitFor(text: "item 1 (r0001)", timeout: 20)
        } catch {
            throw E2EError("\(error)\nsshd log:\n\(server.log)")
        }
        try tmux.send("1")
        try tmux.waitFor("item 2 after labelling item 1") { $0.shownItemId == 2 && $0.labelledCount == 1 }
        try tmux.send("s")
        try tmux.waitFor("item 3") { $0.shownItemId == 3 && $0.labelledCount == 1 }
        try tmux.send("u")
        try tmux.waitFor("item 2 back") { $0.shownItemId == 2 && $0.labelledCount == 1 }
        try tmux.send("4")
        try tmux.waitFor("item 3 again") { $0.shownItemId == 3 && $0.labelledCount == 2 }
        // A resize travels over SSH as a window-change request.
        try tmux.resize(columns: 130, rows: 40)
        try tmux.waitFor("the wide layout") { $0.split(separator: "\n").contains { $0.hasSuffix("│ Labels") } }
        try tmux.send("q")
        #expect(try tmux.waitForExit(timeout: 20) == 0)
        let rows = try project.store().allDecisions()
        #expect(rows.map { "\($0.annotator) \($0.itemId) \($0.kind.rawValue) \($0.label ?? "-")" }
            == ["remote 1 correct positive", "remote 2 skip -", "remote 2 undo -", "remote 2 correct mixed"])
    }
}
