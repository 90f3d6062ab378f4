import AnnottyCore
import Foundation
import PostgresNIO
import Synchronization

/// Hears every change of a PostgreSQL project's queue (new items, decisions, re-ranks; the
/// `item_queue_changed` trigger announces them) on a connection of its own, and calls `onChange`
/// on NIO's thread for each, so screens learn of other people's work without polling.
public final class PostgresQueueListener: QueueObservation {
    private let connection: PostgresConnection
    private let context: PostgresListenContext

    public init(store: PostgresStore, onChange: @escaping @Sendable () -> Void) throws {
        connection = try store.connections.openDedicated()
        context = connection.addListener(channel: PostgresMigrations.queueChannel) { _, _ in onChange() }
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: "LISTEN \(PostgresMigrations.queueChannel)"),
                                     logger: Logger(label: "annotty.postgres.listen")).wait()
        } catch {
            context.stop()
            connection.closeQuietly()
            throw PostgresStoreError(error, location: store.location)
        }
    }

    public func stop() {
        context.stop()
        connection.closeQuietly()
    }

    deinit { stop() }
}
