import ArgumentParser
import AnnottyCore
import AnnottyLLM
import AnnottyTUI
import Foundation

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Open the labeling screen and work through the queue.",
        discussion: """
        Shows one item at a time with its pre-label (when a model has predicted \
        one), its confidence and where it came from. Enter or Space accepts the \
        pre-label, a label's key (1-9, then letters) gives that label, s skips, \
        u undoes (repeat to go further back), f flags with an optional note, \
        g shows the guidelines, ? lists every key, q quits. Every decision is \
        saved before the next item appears, so quitting or losing the \
        connection loses nothing. Keys can be changed under [keys] in \
        annotty.toml.

        Examples:
          annotty label reviews
          annotty label -p reviews --annotator alice
        """)

    @Argument(help: "The project folder (holding annotty.toml); the same as --project.")
    var projectFolder: String?

    @OptionGroup var project: ProjectOptions
    @OptionGroup var annotator: AnnotatorOptions

    func run() throws {
        let folder = projectFolder.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? project.folder
        let project = try Project.open(folder)
        let store = try project.openStore()
        let guidelines: Guidelines
        do {
            guidelines = try project.loadGuidelines()
        } catch {
            printError("warning: \(error); the guidelines overlay will be empty")
            guidelines = Guidelines(markdown: "", labels: project.config.labels)
        }
        let inbox = Inbox()
        let backdrop = LabelingBackdrop(project: project, store: store, inbox: inbox)
        backdrop.prepare()
        var prefetcher: Prefetcher?
        var llmSession: LLMSession?
        if project.config.llm.provider != .none {
            let llm = LLMSession(settings: project.config.llm, labels: project.config.labels, guidelines: guidelines,
                                 store: store, taskName: project.config.name, projectFolder: project.folder)
            let started = Prefetcher(session: llm, store: store)
            started.onPrediction = { prediction in inbox.post(.prediction(backdrop.present(prediction))) }
            started.onStatus = { status in inbox.post(.llmStatus(status)) }
            started.start()
            prefetcher = started
            llmSession = llm
        }
        defer {
            prefetcher?.stop()
            llmSession?.stop()
        }
        let session: LabelingSession
        do {
            session = try LabelingSession(
                project: project, store: store, annotator: annotator.name, guidelines: guidelines, inbox: inbox,
                onUpcomingItems: { [prefetcher] ids in prefetcher?.setUpcoming(ids) },
                onDecision: { decision in backdrop.decisionCommitted(decision) })
        } catch let error as KeymapError {
            throw ValidationError("\(project.configURL.path): \(error)")
        }
        let summary = try session.run()
        print("\(summary.decisions) decision(s) saved in \(project.databaseURL.path) by \(annotator.name).")
    }
}
