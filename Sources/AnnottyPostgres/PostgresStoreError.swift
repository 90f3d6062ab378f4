import AnnottyCore
import Foundation
import NIOCore
import NIOPosix
import PostgresNIO

/// A PostgreSQL failure said as its cause and the next step, never with a password in it.
public struct PostgresStoreError: TransientStoreError, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The server cannot be reached, or the connection dropped: worth trying again.
        case connectionLost
        case authentication
        case missingDatabase
        /// The server refused a statement (a constraint, a bad value).
        case server(sqlState: String)
        case other
    }

    public let kind: Kind
    public let description: String

    init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }

    init(_ error: any Error, location: PostgresLocation) {
        if let already = error as? PostgresStoreError {
            self = already
            return
        }
        let place = location.description
        if let psql = error as? PSQLError {
            let state = psql.serverInfo?[.sqlState] ?? ""
            let message = psql.serverInfo?[.message] ?? ""
            switch (psql.code, state) {
            case (.server, "28P01"), (.server, "28000"), (.authMechanismRequiresPassword, _):
                self.init(kind: .authentication, description: "PostgreSQL at \(place) refused the login"
                          + (message.isEmpty ? "" : " (\(message))")
                          + ": set the password in the environment variable \(location.passwordEnv) (password_env in [store])")
            case (.server, "3D000"):
                self.init(kind: .missingDatabase, description: "PostgreSQL at \(place) has no database \(location.database)"
                          + ": create it (createdb \(location.database)) or fix url in [store] of annotty.toml")
            case (.server, let state) where state.hasPrefix("08") || state.hasPrefix("57P"):
                self.init(kind: .connectionLost, description: "the PostgreSQL server at \(place) went away (\(message))"
                          + "; annotty tries again when it is back")
            case (.server, let state):
                self.init(kind: .server(sqlState: state), description: "PostgreSQL at \(place) refused a statement: \(message)"
                          + (psql.serverInfo?[.detail].map { " (\($0))" } ?? ""))
            case (.sslUnsupported, _):
                self.init(kind: .other, description: "PostgreSQL at \(place) does not offer SSL, which sslmode asks for"
                          + ": set sslmode=prefer or disable in url of [store], or enable ssl on the server")
            case (.connectionError, _), (.serverClosedConnection, _), (.clientClosedConnection, _), (.uncleanShutdown, _):
                let underlying = psql.underlying.map { " (\($0))" } ?? ""
                self.init(kind: .connectionLost, description: "cannot reach PostgreSQL at \(place)\(underlying)"
                          + ": is the server running and url in [store] of annotty.toml right?")
            default:
                self.init(kind: .other, description: "PostgreSQL at \(place): \(psql.code)" + (message.isEmpty ? "" : ": \(message)"))
            }
            return
        }
        if Self.isNetworkError(error) {
            self.init(kind: .connectionLost, description: "cannot reach PostgreSQL at \(place) (\(error))"
                      + ": is the server running and url in [store] of annotty.toml right?")
            return
        }
        self.init(kind: .other, description: "PostgreSQL at \(place): \(error)")
    }

    /// Whether the error comes from the driver or the network (not from the store's own rules).
    static func isDriverError(_ error: any Error) -> Bool {
        error is PostgresStoreError || error is PSQLError || error is PostgresError || isNetworkError(error)
    }

    /// NIO's own failures to connect or to carry bytes: the server is not reachable.
    static func isNetworkError(_ error: any Error) -> Bool {
        error is ChannelError || error is IOError || error is NIOConnectionError
    }

    /// Whether the error means the connection is gone (so it is not reused, and a write may be retried).
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if let mapped = error as? PostgresStoreError { return mapped.kind == .connectionLost }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown: return true
            case .server:
                let state = psql.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P")
            default: return false
            }
        }
        return isNetworkError(error)
    }

    public var isTransient: Bool { kind == .connectionLost }
}
