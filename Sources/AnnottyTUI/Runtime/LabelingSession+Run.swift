import Foundation
import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

extension LabelingSession {
    /// Runs the labeling screen on this process's terminal until the person quits. Only this
    /// thread touches ncurses; background work reaches it through `inbox`. `afterFirstDraw` runs
    /// once the first item is on screen: background work starts there, never before it.
    public func run(afterFirstDraw: () -> Void = {}) throws -> LabelingSummary {
        let terminal = try NcursesTerminal()
        defer { terminal.end() }
        let controller = LabelingController(session: self, screen: terminal.screen)
        controller.start()
        controller.renderIfNeeded()
        afterFirstDraw()
        settle(controller)

        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
        if inbox.wakeReadDescriptor >= 0 {
            descriptors.append(pollfd(fd: inbox.wakeReadDescriptor, events: Int16(POLLIN), revents: 0))
        }
        var lastTick = ProcessInfo.processInfo.systemUptime
        while !controller.isFinished {
            // A signal (SIGWINCH on resize) ends the wait early; ncurses then reports the resize.
            _ = poll(&descriptors, nfds_t(descriptors.count), 1000)
            // One key at a time, each drawn before the next is read: a decision always applies
            // to the item that was on screen.
            while !controller.isFinished, let input = terminal.nextInput() {
                switch input {
                case .resize: controller.resize(to: terminal.screen.size)
                case .key(let key): controller.handleKey(key)
                }
                controller.renderIfNeeded()
                settle(controller)
            }
            controller.drainInbox()
            let now = ProcessInfo.processInfo.systemUptime
            if now - lastTick >= 1 {
                lastTick = now
                controller.handle(.tick(now: now))
            }
            controller.renderIfNeeded()
            settle(controller)
        }
        return LabelingSummary(decisions: controller.state.counters.done)
    }

    /// Runs postponed work and draws again if it changed anything.
    private func settle(_ controller: LabelingController) {
        if controller.runDeferred() { controller.renderIfNeeded() }
    }
}
