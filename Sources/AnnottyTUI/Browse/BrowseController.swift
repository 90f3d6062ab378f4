import Foundation
import AnnottyCore

/// Runs the browse reducer's effects against the store and draws the state. UI thread only;
/// events from effects are handled in a queue, never by recursion.
public final class BrowseController {
    public private(set) var state: BrowseState
    /// Relabels committed so far.
    public private(set) var relabels = 0
    let store: any AnnotationStore
    let screen: any Screen

    public init(store: any AnnotationStore, setup: BrowseSetup, screen: any Screen) {
        self.store = store
        self.screen = screen
        state = BrowseState(setup: setup, size: screen.size, capabilities: screen.capabilities)
    }

    public var isFinished: Bool { state.isFinished }

    public func start() {
        handle(.started)
    }

    public func handleKey(_ key: KeyPress) {
        handle(.key(key))
    }

    public func resize(to size: ScreenSize) {
        handle(.resized(size))
    }

    public func handle(_ event: BrowseEvent) {
        var pending = [event]
        while !pending.isEmpty {
            let next = pending.removeFirst()
            let (reduced, effects) = BrowseReducer.reduce(state, next)
            state = reduced
            for effect in effects {
                if let answer = perform(effect) { pending.append(answer) }
            }
        }
    }

    public func render() {
        BrowseView.render(state, on: screen)
    }

    func perform(_ effect: BrowseEffect) -> BrowseEvent? {
        do {
            switch effect {
            case .loadItems(let filter, let offset, let limit):
                let total = try store.countBrowseItems(filter)
                let rows = try store.browseItems(filter, limit: limit, offset: offset)
                return .itemsLoaded(rows, offset: offset, total: total, filter: filter)
            case .recordDecision(var decision):
                decision.createdAt = Date()
                let saved = try store.recordDecision(decision)
                relabels += 1
                return .decisionRecorded(saved)
            case .loadItem(let id):
                return try store.browsedItem(id: id).map(BrowseEvent.itemRefreshed)
            case .quit:
                return nil
            }
        } catch {
            return .storeFailed(String(describing: error))
        }
    }
}
