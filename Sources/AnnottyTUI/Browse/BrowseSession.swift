import Foundation
import AnnottyCore
#if canImport(Glibc)
import Glibc
#endif

/// `annotty browse` on this process's terminal: lists the project's items with filters, opens
/// one, relabels it.
public struct BrowseSession: Sendable {
    public var store: any AnnotationStore
    public var setup: BrowseSetup

    public init(store: any AnnotationStore, setup: BrowseSetup) {
        self.store = store
        self.setup = setup
    }

    /// A session on a project's labels. Throws `KeymapError` when a label key clashes with a browse key.
    public init(project: Project, store: any AnnotationStore, annotator: String, filter: BrowseFilter) throws {
        let config = project.config
        let setup = BrowseSetup(projectName: config.name, annotator: annotator, labels: config.labels,
                                keymap: try BrowseKeymap(labels: config.labels), filter: filter,
                                task: config.task, allowEmptySet: config.allowEmptySet)
        self.init(store: store, setup: setup)
    }

    /// Runs until the person quits; returns how many relabels were saved.
    public func run() throws -> Int {
        let terminal = try NcursesTerminal()
        defer { terminal.end() }
        let controller = BrowseController(store: store, setup: setup, screen: terminal.screen)
        controller.start()
        controller.render()
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
        while !controller.isFinished {
            _ = poll(&descriptors, 1, 1000)
            while !controller.isFinished, let input = terminal.nextInput() {
                switch input {
                case .resize: controller.resize(to: terminal.screen.size)
                case .key(let key): controller.handleKey(key)
                }
                controller.render()
            }
        }
        return controller.relabels
    }
}
