import AnnottyCore

/// What a key press means on the labeling screen.
public enum KeyCommand: Sendable, Hashable {
    case action(KeyAction)
    /// Give the item this label (accept when it is the pre-label, correct otherwise).
    case label(String)
}

/// The one keybinding table: it drives dispatch, the footer and the help overlay, so what the
/// screen says a key does is what the key does.
public struct Keymap: Sendable, Equatable {
    public struct ActionBinding: Sendable, Equatable {
        public var action: KeyAction
        public var keys: [KeyPress]
    }

    public struct LabelBinding: Sendable, Equatable {
        public var key: KeyPress
        public var label: Label
    }

    public let actions: [ActionBinding]
    public let labels: [LabelBinding]
    let commands: [KeyPress: KeyCommand]

    /// Named sets of overrides, chosen with `preset = "NAME"` under `[keys]`; keys named for an
    /// action beside the preset win over it.
    public static let presets: [String: [String: [String]]] = [
        // Prodigy's keys: a accepts, x rejects (the pre-label is wrong), Space ignores (skips),
        // Backspace undoes.
        "prodigy": ["accept": ["a"], "reject": ["x"], "skip": ["Space"], "undo": ["Backspace"]],
    ]

    /// Builds the table from the defaults, the config's `[keys]` overrides and the label keys.
    /// Throws when an override names an unknown action or key, or when one key would do two things.
    public init(labels labelSet: LabelSet, overrides configured: [String: [String]] = [:]) throws {
        var overrides = configured
        if let names = overrides.removeValue(forKey: "preset") {
            guard names.count == 1, let preset = Self.presets[names[0]] else {
                throw KeymapError("[keys] preset must be one of " + Self.presets.keys.sorted().joined(separator: ", "))
            }
            overrides.merge(preset) { own, _ in own }
        }
        for action in overrides.keys where KeyAction(rawValue: action) == nil {
            throw KeymapError("[keys] has an unknown action \"\(action)\"; actions are "
                + KeyAction.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var actions: [ActionBinding] = []
        var commands: [KeyPress: KeyCommand] = [:]
        var owners: [KeyPress: String] = [:]

        func claim(_ key: KeyPress, for command: KeyCommand, owner: String) throws {
            if let previous = owners[key] {
                throw KeymapError("key \(key.displayName) is bound to both \(previous) and \(owner); "
                    + "change one of them in annotty.toml")
            }
            owners[key] = owner
            commands[key] = command
        }

        for action in KeyAction.allCases {
            var keys = action.defaultKeys
            if let names = overrides[action.rawValue] {
                keys = try names.map { name in
                    guard let key = KeyPress(name: name) else {
                        throw KeymapError("[keys] \(action.rawValue): \"\(name)\" is not a key name "
                            + "(use a character, Enter, Space, Esc, Tab, Backspace, Up, Down, PageUp, PageDown, F1-F12, Ctrl+x)")
                    }
                    return key
                }
            }
            actions.append(ActionBinding(action: action, keys: keys))
        }
        // Keys named explicitly (in [keys] or as a label's key) win over another action's default
        // keys, as long as that action keeps at least one key.
        let explicit = Set(overrides.values.flatMap { $0 }.compactMap(KeyPress.init(name:)))
        let labelKeys = Set(labelSet.labels.compactMap { KeyPress(name: $0.key) })
        for index in actions.indices where overrides[actions[index].action.rawValue] == nil
            && !actions[index].keys.isEmpty {
            let action = actions[index].action
            let remaining = actions[index].keys.filter { !explicit.contains($0) && !labelKeys.contains($0) }
            if remaining.isEmpty {
                let taken = actions[index].keys.map(\.displayName).joined(separator: ", ")
                throw KeymapError("key \(taken) of \(action.rawValue) is taken by a label or another action; "
                    + "give \(action.rawValue) a key of its own in [keys] of annotty.toml")
            }
            actions[index].keys = remaining
        }
        for binding in actions {
            for key in binding.keys { try claim(key, for: .action(binding.action), owner: binding.action.rawValue) }
        }
        var labelBindings: [LabelBinding] = []
        for label in labelSet.labels where !label.key.isEmpty {
            guard let key = KeyPress(name: label.key) else {
                throw KeymapError("label \(label.name) has key \"\(label.key)\", which is not a key name")
            }
            try claim(key, for: .label(label.name), owner: "label \(label.name)")
            labelBindings.append(LabelBinding(key: key, label: label))
        }
        self.actions = actions
        self.labels = labelBindings
        self.commands = commands
    }

    public func command(for key: KeyPress) -> KeyCommand? {
        commands[key]
    }

    public func keys(for action: KeyAction) -> [KeyPress] {
        actions.first { $0.action == action }?.keys ?? []
    }

    public func key(for label: String) -> KeyPress? {
        labels.first { $0.label.name == label }?.key
    }

    /// The label keys compacted for the footer: `1-9 a-c`, or `p n` when they do not run.
    public var labelKeysSummary: String {
        var parts: [String] = []
        var runStart: Character?
        var previous: Character?
        func closeRun() {
            guard let start = runStart, let end = previous else { return }
            parts.append(start == end ? String(start) : "\(start)-\(end)")
        }
        for binding in labels {
            guard case .character(let character) = binding.key, character.isASCII, character != " " else {
                closeRun()
                runStart = nil
                previous = nil
                parts.append(binding.key.displayName)
                continue
            }
            if let last = previous, let lastValue = last.unicodeScalars.first?.value,
               let value = character.unicodeScalars.first?.value, value == lastValue + 1 {
                previous = character
            } else {
                closeRun()
                runStart = character
                previous = character
            }
        }
        closeRun()
        return parts.joined(separator: " ")
    }
}

public struct KeymapError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
