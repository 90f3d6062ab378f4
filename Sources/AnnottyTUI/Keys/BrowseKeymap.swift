import AnnottyCore

/// What a key press means on the browse screen.
public enum BrowseCommand: Sendable, Hashable {
    case action(BrowseAction)
    /// Relabel the open item with this label.
    case label(String)
}

/// The browse screen's keybinding table: it drives dispatch, the footer and the help, like
/// `Keymap` does for the labeling screen. Label keys are the project's.
public struct BrowseKeymap: Sendable, Equatable {
    public struct ActionBinding: Sendable, Equatable {
        public var action: BrowseAction
        public var keys: [KeyPress]
    }

    public let actions: [ActionBinding]
    public let labels: [Keymap.LabelBinding]
    let commands: [KeyPress: BrowseCommand]

    /// Throws when a label's key is also a browse key or not a key name.
    public init(labels labelSet: LabelSet) throws {
        var commands: [KeyPress: BrowseCommand] = [:]
        var actions: [ActionBinding] = []
        for action in BrowseAction.allCases {
            actions.append(ActionBinding(action: action, keys: action.defaultKeys))
            for key in action.defaultKeys { commands[key] = .action(action) }
        }
        var labels: [Keymap.LabelBinding] = []
        for label in labelSet.labels where !label.key.isEmpty {
            guard let key = KeyPress(name: label.key) else {
                throw KeymapError("label \(label.name) has key \"\(label.key)\", which is not a key name")
            }
            if case .action(let action)? = commands[key] {
                throw KeymapError("key \(key.displayName) of label \(label.name) is also browse's \(action.rawValue) key")
            }
            commands[key] = .label(label.name)
            labels.append(Keymap.LabelBinding(key: key, label: label))
        }
        self.actions = actions
        self.labels = labels
        self.commands = commands
    }

    public func command(for key: KeyPress) -> BrowseCommand? {
        commands[key]
    }

    public func keys(for action: BrowseAction) -> [KeyPress] {
        actions.first { $0.action == action }?.keys ?? []
    }

    /// The label keys compacted for the footer, as on the labeling screen.
    public var labelKeysSummary: String {
        let keymap = try? Keymap(labels: LabelSet(labels.map(\.label)))
        return keymap?.labelKeysSummary ?? labels.map(\.key.displayName).joined(separator: " ")
    }
}
