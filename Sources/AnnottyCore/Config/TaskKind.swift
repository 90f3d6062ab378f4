/// What an item's answer is: one label (`single`), a set of labels (`multi`), or entity spans
/// (`spans`). Set by `task` in annotty.toml (`annotty init --task`); every command either
/// supports a project's kind or says that it does not (`ProjectConfig.requireTask`).
public enum TaskKind: String, Sendable, Hashable, CaseIterable {
    case single
    case multi
    case spans

    /// Whether a decision's `label` is an answer of this kind over `labels`: one of them, a set
    /// of them (`MultiLabelAnswer`), or a span set (`SpanAnnotation.label(for:)`).
    public func accepts(label: String, labels: LabelSet) -> Bool {
        switch self {
        case .single: return labels.contains(label)
        case .multi: return MultiLabelAnswer.decode(label, labels: labels) != nil
        case .spans: return label.hasPrefix("spans:")
        }
    }

    /// How `status` and error messages name the kind.
    public var displayName: String {
        switch self {
        case .single: return "single-label (one label per item)"
        case .multi: return "multi-label (a set of labels per item)"
        case .spans: return "entity spans"
        }
    }
}

/// A command asked of a project whose task kind it does not handle.
public struct UnsupportedTaskError: Error, Sendable, Equatable, CustomStringConvertible {
    public var command: String
    public var task: TaskKind
    public var supported: [TaskKind]

    public init(command: String, task: TaskKind, supported: [TaskKind]) {
        self.command = command
        self.task = task
        self.supported = supported
    }

    public var description: String {
        let kinds = supported.map(\.rawValue).joined(separator: " or ")
        return "\(command) works on \(kinds) projects; this project's task is \(task.rawValue) "
            + "(task = \"\(task.rawValue)\" in annotty.toml). See `annotty \(command) --help` for what it does, "
            + "and docs/tasks.md for what each task kind supports."
    }
}

extension ProjectConfig {
    /// Throws `UnsupportedTaskError` unless the project's task kind is one of `supported`.
    public func requireTask(_ supported: TaskKind..., command: String) throws {
        guard supported.contains(task) else {
            throw UnsupportedTaskError(command: command, task: task, supported: supported)
        }
    }
}
