/// The piles a routing pass sorts the open items into (people first, people later, not
/// predicted), the auto-accepts among them, and the queue order and counts they make: one
/// bookkeeping for the single-label, multi-label and span passes, which differ only in how they
/// route an item.
struct RoutedQueue {
    private(set) var plan: RoutingPlan
    private var first: [Int64] = []
    private var later: [Int64] = []
    private var unpredicted: [Int64] = []

    init(plan: RoutingPlan = RoutingPlan()) {
        self.plan = plan
    }

    mutating func unpredicted(_ itemId: Int64) {
        unpredicted.append(itemId)
    }

    /// Files an item under its route; an auto-accepted one as `decision()`.
    mutating func file(_ itemId: Int64, _ route: Router.Route, decision: () -> Decision) {
        switch route {
        case .autoAccept: plan.autoAccepts.append(decision())
        case .personFirst: first.append(itemId)
        case .personLater: later.append(itemId)
        }
    }

    /// The plan with its queue order, and the counts in `summary`. `interleaving`: no threshold
    /// yet for lack of evidence at high confidence, which people would only reach after every
    /// unsure item: confident items are shown in turn with the unsure ones, so that people's
    /// decisions bound the error where auto-accepting would happen.
    func finished(interleaving: Bool, summary: inout RoutingPass.Summary) -> RoutingPlan {
        var finished = plan
        finished.queueOrder = (interleaving ? RoutingPass.interleaved(later, first) : first + later) + unpredicted
        summary.autoAccepted = plan.autoAccepts.count
        summary.personFirst = first.count
        summary.personLater = later.count
        summary.unpredicted = unpredicted.count
        return finished
    }
}

extension RoutingSettings {
    /// The settings a pass routes with once a threshold search has spoken: its threshold (none
    /// found: nothing is auto-accepted) replaces `auto_accept`, the per-label thresholds and the
    /// accuracy floor, since the search bounds the error itself.
    func routing(under threshold: AutoAcceptThresholdSearch.Result?) -> RoutingSettings {
        guard let threshold else { return self }
        var settings = self
        settings.autoAccept = threshold.threshold ?? 2
        settings.autoAcceptPerLabel = [:]
        settings.accuracyFloor = 0
        settings.review = min(settings.review, settings.autoAccept)
        return settings
    }

    /// The same, auto-accepting nothing under `floor` (a cascade's cheaper tier under
    /// `escalate_below`); what goes to people first stays as it was.
    func acceptingNoLower(than floor: Double) -> RoutingSettings {
        var settings = self
        settings.autoAccept = max(settings.autoAccept, floor)
        settings.autoAcceptPerLabel = settings.autoAcceptPerLabel.mapValues { max($0, floor) }
        return settings
    }
}
