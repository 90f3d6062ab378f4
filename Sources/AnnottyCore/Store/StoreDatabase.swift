import GRDB

/// The store's connection pool, whose reads and writes turn SQLite's failures into
/// `StoreFileError`s that name the file ("disk full", "damaged", "read-only") instead of SQLite's
/// bare codes. Same calls as GRDB's pool, so the store's methods read as before.
struct StoreDatabase: Sendable {
    let reader: any DatabaseReader
    let writer: (any DatabaseWriter)?
    let path: String

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try reader.read(body)
        } catch {
            throw StoreFileError.mapping(error, path: path)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard let writer else {
            throw StoreFileError.readOnly(path: path, detail: "opened read-only by a reading command")
        }
        do {
            return try writer.write(body)
        } catch {
            throw StoreFileError.mapping(error, path: path)
        }
    }
}
