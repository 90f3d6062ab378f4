import AnnottyCore
import Testing
@testable import AnnottyLoop

/// The prefetcher's policy on its own: events in, actions out, time injected.
@Suite struct PrefetchPlanTests {
    static func ready(_ configuration: PrefetchPlan.Configuration = .init(initialAhead: 3, minAhead: 1, maxAhead: 20,
                                                                          maxConcurrency: 2)) -> PrefetchPlan {
        var plan = PrefetchPlan(configuration: configuration)
        _ = plan.start(now: 0)
        _ = plan.handle(.sessionStarted(now: 0))
        return plan
    }

    static func predicted(_ actions: [PrefetchPlan.Action]) -> [Int64] {
        actions.compactMap { if case .predict(let id) = $0 { return id } else { return nil } }
    }

    static func lookedUp(_ actions: [PrefetchPlan.Action]) -> [Int64] {
        actions.flatMap { action -> [Int64] in if case .lookUp(let ids) = action { return ids } else { return [] } }
    }

    @Test func startingStartsTheModelAndReadsTheQueueOnce() {
        var plan = PrefetchPlan(configuration: .init(initialAhead: 3, maxConcurrency: 1))
        let actions = plan.start(now: 0)
        #expect(actions.contains(.startSession))
        #expect(actions.contains(.readQueueFront(limit: 3)))
        #expect(actions.contains(.publish(LLMStatus(state: .starting, reason: "starting the model"))))
        // While the read is pending, a second event does not ask again: one source, no poll.
        let again = plan.handle(.upcoming([5], now: 1))
        #expect(!again.contains { if case .readQueueFront = $0 { return true } else { return false } })
    }

    @Test func theScreensItemsGoFirstThenTheQueueAndOnlyAfterALookUp() {
        var plan = Self.ready()
        let first = plan.handle(.upcoming([7, 3], now: 1))
        _ = plan.handle(.queueFront([1, 2, 3, 4], now: 1))
        // Nothing is asked of the model before the store has been looked at.
        #expect(Self.predicted(first).isEmpty)
        #expect(plan.target == [7, 3, 1])
        let actions = plan.handle(.lookedUp([7, 3, 1], settled: [3], usable: [3], now: 1))
        // 3 already has an answer; two slots: 7 then 1.
        #expect(Self.predicted(actions) == [7, 1])
    }

    @Test func aFailedItemWaitsAndEachFailureDoublesThePause() {
        var plan = Self.ready(.init(initialAhead: 1, minAhead: 1, maxAhead: 1, maxConcurrency: 1, failureCooldownSeconds: 10,
                                    endpointFailureLimit: 100))
        _ = plan.handle(.queueFront([9], now: 0))
        #expect(Self.predicted(plan.handle(.lookedUp([9], settled: [], usable: [], now: 0))) == [9])
        #expect(Self.predicted(plan.handle(.finished(9, .failed(reason: "HTTP 500"), now: 1))).isEmpty)
        #expect(Self.predicted(plan.handle(.tick(now: 10.5))).isEmpty)
        #expect(Self.predicted(plan.handle(.tick(now: 11))) == [9])
        _ = plan.handle(.finished(9, .failed(reason: "HTTP 500"), now: 12))
        // Second failure: 20 s.
        #expect(Self.predicted(plan.handle(.tick(now: 31))).isEmpty)
        #expect(Self.predicted(plan.handle(.tick(now: 32))) == [9])
        #expect(plan.status(now: 32).state == .failing)
        #expect(plan.status(now: 32).reason == "item 9: HTTP 500")
    }

    @Test func aDeadEndpointIsPausedAsAWholeAndProbedWithOneRequest() {
        var plan = Self.ready(.init(initialAhead: 6, minAhead: 1, maxAhead: 6, maxConcurrency: 1, failureCooldownSeconds: 5,
                                    endpointFailureLimit: 3))
        _ = plan.handle(.queueFront([1, 2, 3, 4, 5, 6], now: 0))
        #expect(Self.predicted(plan.handle(.lookedUp([1, 2, 3, 4, 5, 6], settled: [], usable: [], now: 0))) == [1])
        #expect(Self.predicted(plan.handle(.finished(1, .failed(reason: "connection refused"), now: 1))) == [2])
        #expect(Self.predicted(plan.handle(.finished(2, .failed(reason: "connection refused"), now: 1))) == [3])
        // The third failure in a row: the endpoint is down; nothing more is sent.
        #expect(Self.predicted(plan.handle(.finished(3, .failed(reason: "connection refused"), now: 1))).isEmpty)
        #expect(plan.status(now: 2).reason == "item 3: connection refused; trying again in 4 s")
        #expect(Self.predicted(plan.handle(.tick(now: 5))).isEmpty)
        // After the pause, one probe (the first item whose own pause is over).
        let probe = Self.predicted(plan.handle(.tick(now: 6)))
        #expect(probe == [1])
        // It fails too: paused again, for twice as long.
        _ = plan.handle(.finished(1, .failed(reason: "connection refused"), now: 6))
        #expect(Self.predicted(plan.handle(.tick(now: 15))).isEmpty)
        let second = Self.predicted(plan.handle(.tick(now: 16)))
        #expect(second.count == 1)
        // It answers: requests flow again and the status stops counting down.
        let recovered = plan.handle(.finished(second[0], .predicted(latencyMs: 100), now: 17))
        #expect(Self.predicted(recovered).count == 1)
        #expect(plan.status(now: 17).reason?.contains("trying again") != true)
    }

    @Test func theLookAheadGrowsForAFastAnnotatorAndShrinksForASlowOne() {
        var plan = Self.ready(.init(initialAhead: 4, minAhead: 2, maxAhead: 40, maxConcurrency: 2))
        _ = plan.handle(.queueFront(Array(1...100), now: 0))
        // Requests take 1 s.
        _ = plan.handle(.finished(1, .predicted(latencyMs: 1000), now: 0))
        var now = 0.0
        for item in Int64(1)...15 {
            now += 0.1  // a new item every 100 ms
            _ = plan.handle(.upcoming([item, item + 1], now: now))
        }
        #expect(plan.ahead >= 20)
        for item in Int64(16)...30 {
            now += 5  // a new item every 5 s
            _ = plan.handle(.upcoming([item, item + 1], now: now))
        }
        #expect(plan.ahead <= 3)
    }

    @Test func onceReadyTheStatusNeverGoesBackToStarting() {
        var plan = Self.ready()
        // Until the queue's front is known the model counts as starting; an empty queue: ready.
        #expect(plan.status(now: 0).state == .starting)
        _ = plan.handle(.queueFront([], now: 0))
        #expect(plan.status(now: 0).state == .ready)
        _ = plan.handle(.queueFront([1], now: 0))
        let actions = plan.handle(.lookedUp([1], settled: [], usable: [], now: 0))
        #expect(Self.predicted(actions) == [1])
        // The first request is in flight: still ready, not "starting".
        #expect(plan.status(now: 0.5).state != .starting)
    }

    @Test func theItemOnScreenWithoutAPrelabelSaysWhy() {
        var plan = Self.ready()
        _ = plan.handle(.upcoming([4], now: 0))
        _ = plan.handle(.lookedUp([4], settled: [], usable: [], now: 0))
        #expect(plan.status(now: 0).reason == "predicting the item on screen")
        _ = plan.handle(.finished(4, .invalidAnswer(reason: "label \"meh\" is not in the label set", latencyMs: 50), now: 1))
        // Long after other problems would have faded, the item on screen still says why.
        #expect(plan.status(now: 100).reason == "item 4: invalid answer: label \"meh\" is not in the label set")
    }

    /// Handles an event, answers every look-up with "nothing stored" and every queue read with
    /// the queue from `screen` on (items before it are decided); the items asked of the model.
    static func predictedAfterLookUps(_ plan: inout PrefetchPlan, _ event: PrefetchPlan.Event, screen: Int64,
                                      now: Double) -> [Int64] {
        var pending = plan.handle(event)
        var predicted: [Int64] = []
        while !pending.isEmpty {
            let actions = pending
            pending = []
            predicted += Self.predicted(actions)
            for action in actions {
                switch action {
                case .lookUp(let ids): pending += plan.handle(.lookedUp(ids, settled: [], usable: [], now: now))
                case .readQueueFront:
                    let queue = screen == 50 ? [50, 51] + Array(5...49) : Array(screen...100)
                    pending += plan.handle(.queueFront(queue, now: now))
                default: break
                }
            }
        }
        return predicted
    }

    /// A person at one item every 3 s; requests take `latencyMs`. Returns what was asked once the
    /// person's two items were answered, and when the person then jumped to item 50.
    static func runPersonAt3Seconds(latencyMs: Double) -> (plan: PrefetchPlan, afterNearAnswered: [Int64], afterJump: [Int64]) {
        var plan = Self.ready(.init(initialAhead: 8, minAhead: 8, maxAhead: 40, maxConcurrency: 4))
        func step(_ event: PrefetchPlan.Event, screen: Int64, now: Double) -> [Int64] {
            Self.predictedAfterLookUps(&plan, event, screen: screen, now: now)
        }
        #expect(step(.queueFront(Array(1...100), now: 0), screen: 1, now: 0) == [1, 2, 3, 4])
        _ = step(.upcoming([1, 2], now: 0), screen: 1, now: 0)
        _ = step(.upcoming([2, 3], now: 3), screen: 2, now: 3)
        _ = step(.upcoming([3, 4], now: 6), screen: 3, now: 6)
        _ = step(.finished(1, .predicted(latencyMs: latencyMs), now: 6.5), screen: 3, now: 6.5)
        _ = step(.finished(2, .predicted(latencyMs: latencyMs), now: 7), screen: 3, now: 7)
        // The items on screen (3) and next (4) are answered.
        _ = step(.finished(3, .predicted(latencyMs: latencyMs), now: 8), screen: 3, now: 8)
        let afterNear = step(.finished(4, .predicted(latencyMs: latencyMs), now: 8), screen: 3, now: 8)
        // A re-rank puts item 50 on screen, 51 next.
        let afterJump = step(.upcoming([50, 51], now: 9), screen: 50, now: 9)
        return (plan, afterNear, afterJump)
    }

    @Test func aModelSlowerThanThePersonKeepsSlotsForTheItemOnScreenAndTheNextOverDeepLookAhead() {
        // Requests of 6.5 s against 3 s a person: slower. Look-ahead (5, 6) holds at most two of
        // the four slots, so the items the person lands on are asked at once.
        let slow = Self.runPersonAt3Seconds(latencyMs: 6500)
        #expect(slow.plan.modelIsSlowerThanAnnotator)
        #expect(slow.afterNearAnswered.isEmpty)
        #expect(slow.afterJump == [50, 51])
        #expect(slow.plan.requestsInFlight == [5, 6, 50, 51])

        // Requests of 1 s: faster than the person, so every slot goes to look-ahead and the
        // items the person jumps to wait for a slot.
        let fast = Self.runPersonAt3Seconds(latencyMs: 1000)
        #expect(!fast.plan.modelIsSlowerThanAnnotator)
        #expect(fast.afterNearAnswered == [8])
        #expect(fast.afterJump.isEmpty)
        #expect(fast.plan.requestsInFlight == [5, 6, 7, 8])
    }

    @Test func theLocalServerIsSentNoMoreRequestsThanItHasSlots() {
        var settings = LLMSettings()
        settings.provider = .local
        settings.maxConcurrency = 4
        settings.localParallel = 1
        #expect(PrefetchPlan.Configuration(settings: settings).maxConcurrency == 1)
        settings.localParallel = 3
        #expect(PrefetchPlan.Configuration(settings: settings).maxConcurrency == 3)
        // A server someone else runs, or a remote endpoint: as configured.
        settings.baseURL = "http://127.0.0.1:8080/v1"
        #expect(PrefetchPlan.Configuration(settings: settings).maxConcurrency == 4)
        settings.baseURL = ""
        settings.provider = .openai
        #expect(PrefetchPlan.Configuration(settings: settings).maxConcurrency == 4)
    }
}
