import Foundation
import AnnottyCore

/// The pure heart of `annotty browse`: `reduce(state, event) -> (state, effects)`. Reading rows
/// and committing relabels leave as effects; their answers come back as events.
public enum BrowseReducer {
    public static func reduce(_ state: BrowseState, _ event: BrowseEvent) -> (BrowseState, [BrowseEffect]) {
        var reduction = BrowseReduction(state: state)
        reduction.apply(event)
        return (reduction.state, reduction.effects)
    }
}

struct BrowseReduction {
    var state: BrowseState
    var effects: [BrowseEffect] = []

    mutating func apply(_ event: BrowseEvent) {
        switch event {
        case .started:
            load(offset: 0)
        case .resized(let size):
            state.size = size
            keepSelectionVisible()
        case .itemsLoaded(let rows, let offset, let total, let filter):
            // An answer to an older filter is stale.
            guard filter == state.filter else { return }
            state.loading = false
            state.rows = rows
            state.loadedOffset = offset
            state.total = total
            state.selection = min(state.selection, max(0, total - 1))
            if case .item(let opened, let scroll) = state.page, let fresh = rows.first(where: { $0.item.id == opened.item.id }) {
                state.page = .item(fresh, scroll: scroll)
            }
            keepSelectionVisible()
        case .decisionRecorded(let decision):
            guard let label = decision.label else { return }
            state.message = .relabelled(itemId: decision.itemId, from: decision.shownLabel, to: label, final: nil)
            // The item as it now stands, and the list (the item may leave it when the filter no longer holds).
            effects.append(.loadItem(decision.itemId))
            load(offset: state.loadedOffset)
        case .itemRefreshed(let fresh):
            if case .item(let opened, let scroll) = state.page, opened.item.id == fresh.item.id {
                state.page = .item(fresh, scroll: scroll)
            }
            if case .relabelled(let itemId, let from, let to, nil)? = state.message, itemId == fresh.item.id {
                state.message = .relabelled(itemId: itemId, from: from, to: to, final: fresh.finalLabel)
            }
        case .storeFailed(let reason):
            state.loading = false
            state.message = .storeFailed(reason)
        case .key(let key):
            handle(key)
        }
    }

    // MARK: Keys

    mutating func handle(_ key: KeyPress) {
        let command = state.setup.keymap.command(for: key)
        if key == .control("c") {
            quit()
            return
        }
        if state.showsHelp {
            if command == .action(.help) || command == .action(.quit) || key == .escape { state.showsHelp = false }
            return
        }
        if let draft = state.searchDraft {
            typeSearch(key, draft: draft)
            return
        }
        state.message = nil
        switch command {
        case .action(.quit):
            quit()
        case .action(.help):
            state.showsHelp = true
        case .action(.search):
            state.searchDraft = state.filter.search ?? ""
        case .action(.flaggedOnly):
            state.filter.flaggedOnly.toggle()
            restartList()
        case .action(let action):
            switch state.page {
            case .list: handleListAction(action)
            case .item(let opened, let scroll): handleItemAction(action, opened: opened, scroll: scroll)
            }
        case .label(let name):
            guard case .item(let opened, _) = state.page else {
                state.message = .openAnItemToRelabel
                return
            }
            relabel(opened, to: name)
        case nil:
            state.message = .unboundKey(key)
        }
    }

    mutating func typeSearch(_ key: KeyPress, draft: String) {
        switch key {
        case .escape:
            state.searchDraft = nil
        case .enter:
            state.searchDraft = nil
            state.filter = state.filter.searching(draft.trimmingCharacters(in: .whitespaces))
            restartList()
        case .backspace, .delete, .control("h"):
            state.searchDraft = String(draft.dropLast())
        default:
            if let character = key.typedText, draft.count < 200 { state.searchDraft = draft + String(character) }
        }
    }

    mutating func handleListAction(_ action: BrowseAction) {
        let page = max(1, BrowseLayout(size: state.size).listRows - 1)
        switch action {
        case .down: moveSelection(by: 1)
        case .up: moveSelection(by: -1)
        case .pageDown: moveSelection(by: page)
        case .pageUp: moveSelection(by: -page)
        case .open:
            guard let selected = state.selectedItem else {
                state.message = .nothingSelected
                return
            }
            state.page = .item(selected, scroll: 0)
        default:
            break
        }
    }

    mutating func handleItemAction(_ action: BrowseAction, opened: BrowsedItem, scroll: Int) {
        let layout = BrowseLayout(size: state.size)
        let lines = BrowseItemView.contentLines(opened, state: state, width: layout.size.columns - 2).count
        let maximum = max(0, lines - (layout.itemRows - 1))
        let page = max(1, layout.itemRows - 2)
        func scrolled(_ delta: Int) -> BrowseState.Page {
            .item(opened, scroll: min(max(0, scroll + delta), maximum))
        }
        switch action {
        case .back: state.page = .list
        case .down: state.page = scrolled(1)
        case .up: state.page = scrolled(-1)
        case .pageDown: state.page = scrolled(page)
        case .pageUp: state.page = scrolled(-page)
        default: break
        }
    }

    mutating func relabel(_ opened: BrowsedItem, to label: String) {
        // A span set is edited word by word on the labeling screen; a bare type name stored
        // here would not be an answer of a spans project.
        if state.setup.task == .spans {
            state.message = .spansEditedInLabel
            return
        }
        if state.setup.task == .multi {
            toggleInFinalSet(opened, label: label)
            return
        }
        let kind: DecisionKind = opened.finalLabel == label ? .accept : .correct
        effects.append(.recordDecision(Decision(
            itemId: opened.item.id, annotator: state.setup.annotator, kind: kind, label: label,
            shownLabel: opened.finalLabel, createdAt: Date(timeIntervalSince1970: 0))))
    }

    /// Multi-label: the label key toggles its label in the item's final set (empty when it has
    /// none) and saves the new set at once as a correction; a set left empty is refused where
    /// the project needs a label.
    mutating func toggleInFinalSet(_ opened: BrowsedItem, label: String) {
        let labels = state.setup.labels
        var names = Set(opened.finalLabel.flatMap { MultiLabelAnswer.decode($0, labels: labels) }?.names ?? [])
        if names.remove(label) == nil { names.insert(label) }
        guard !names.isEmpty || state.setup.allowEmptySet else {
            state.message = .emptySetRefused
            return
        }
        effects.append(.recordDecision(Decision(
            itemId: opened.item.id, annotator: state.setup.annotator, kind: .correct,
            label: MultiLabelAnswer(names, labels: labels).encoded, shownLabel: opened.finalLabel,
            createdAt: Date(timeIntervalSince1970: 0))))
    }

    mutating func quit() {
        state.isFinished = true
        effects.append(.quit)
    }

    // MARK: The list window

    mutating func restartList() {
        state.selection = 0
        state.listTop = 0
        state.page = .list
        state.total = nil
        state.rows = []
        load(offset: 0)
    }

    mutating func moveSelection(by delta: Int) {
        guard let total = state.total, total > 0 else { return }
        state.selection = min(max(0, state.selection + delta), total - 1)
        keepSelectionVisible()
    }

    /// Scrolls the list so the selection shows, and asks for rows the window lacks.
    mutating func keepSelectionVisible() {
        let visible = max(1, BrowseLayout(size: state.size).listRows)
        if state.selection < state.listTop { state.listTop = state.selection }
        if state.selection >= state.listTop + visible { state.listTop = state.selection - visible + 1 }
        state.listTop = max(0, state.listTop)
        guard let total = state.total, !state.loading else { return }
        let wantedEnd = min(total, state.listTop + visible)
        let loadedEnd = state.loadedOffset + state.rows.count
        guard state.listTop < state.loadedOffset || wantedEnd > loadedEnd else { return }
        // A window with a screenful either side; never the same window again (the store may
        // hold fewer rows than it counted a moment before).
        let offset = max(0, state.listTop - visible)
        if offset != state.loadedOffset { load(offset: offset) }
    }

    /// Rows per read: a page, and at least three screens so a window always covers the screen.
    var loadLimit: Int {
        max(state.setup.pageSize, 3 * max(1, BrowseLayout(size: state.size).listRows))
    }

    mutating func load(offset: Int) {
        state.loading = true
        effects.append(.loadItems(state.filter, offset: offset, limit: loadLimit))
    }
}
