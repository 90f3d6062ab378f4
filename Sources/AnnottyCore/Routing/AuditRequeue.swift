import Foundation

/// Applies an audit's proposal: raises auto_accept in annotty.toml and sends the auto-accepted
/// items below the new threshold back to people (by appending undos of their auto decisions).
public struct AuditRequeue {
    public let store: any AnnotationStore
    public let project: Project

    public init(store: any AnnotationStore, project: Project) {
        self.store = store
        self.project = project
    }

    /// Returns how many items went back to the queue.
    @discardableResult
    public func apply(threshold: Double, plan: AuditPlan) throws -> Int {
        let text = try String(contentsOf: project.configURL, encoding: .utf8)
        let edited = ConfigFileEditor.setting("auto_accept", to: String(format: "%.4g", threshold), inSection: "routing", of: text)
        // Parse before writing, so a bad edit never replaces a good file.
        _ = try ProjectConfig.parse(edited, fileName: project.configURL.path)
        try edited.write(to: project.configURL, atomically: true, encoding: .utf8)
        let requeued = plan.itemsBelow(threshold: threshold)
        for item in requeued {
            try store.recordDecision(Decision(itemId: item.itemId, annotator: RoutingPass.routerName, kind: .undo,
                                              undoesDecisionId: item.decisionId))
        }
        return requeued.count
    }
}
