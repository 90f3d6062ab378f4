import AnnottyTestSupport
import Foundation
import GRDB
import Synchronization
import Testing
@testable import AnnottyCore

/// A project's database gone, empty, damaged, read-only or on a full disk: annotty refuses
/// cleanly, names the file, says what to do, and never writes into a file it cannot trust.
@Suite(.serialized) struct StoreFaultTests {
    func project(_ dir: TemporaryDirectory, items: Int = 0) throws -> Project {
        let config = ProjectConfig(name: "p", labels: LabelSet(names: ["a", "b"]))
        try ConfigTemplate.render(config).write(to: dir.url.appendingPathComponent(ProjectConfig.fileName), atomically: true, encoding: .utf8)
        let project = try Project.open(dir.url)
        if items > 0 {
            let store = try project.createStore()
            _ = try store.importItems { sink in
                for index in 0..<items {
                    try sink.add(ImportRecord(text: "item \(index) " + String(repeating: "lorem ipsum ", count: 20)))
                }
            }
        }
        return project
    }

    @Test func everyCommitIsFlushedToDiskBeforeItReturns() throws {
        // GRDB's pool turns synchronous down to NORMAL when it sets WAL up; the store sets it
        // back to FULL on its writer, which a power cut after "saved" depends on.
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path("annotty.sqlite"))
        #expect(try store.flushesEveryCommit())
        #expect(try SQLiteStore(path: dir.path("annotty.sqlite")).flushesEveryCommit())
    }

    @Test func aDeletedDatabaseIsRefusedAndNotRecreated() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir)
        #expect(throws: StoreFileError.missingDatabase(path: project.databaseURL.path)) { try project.openStore() }
        #expect(!FileManager.default.fileExists(atPath: project.databaseURL.path))
        let message = StoreFileError.missingDatabase(path: project.databaseURL.path).description
        #expect(message.contains(project.databaseURL.path) && message.contains("annotty backup") && message.contains("annotty init"))
    }

    @Test func aZeroByteDatabaseIsRefusedAndLeftAsItIs() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir)
        try dir.write(Project.databaseFileName, bytes: [])
        #expect(throws: StoreFileError.emptyDatabase(path: project.databaseURL.path)) { try project.openStore() }
        #expect(throws: StoreFileError.emptyDatabase(path: project.databaseURL.path)) { try project.openStore(access: .readOnly) }
        let size = try FileManager.default.attributesOfItem(atPath: project.databaseURL.path)[.size] as? Int
        #expect(size == 0)
    }

    @Test func initStillCreatesANewDatabase() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir)
        let store = try project.createStore()
        #expect(try store.statusCounts().items == 0)
        #expect(try project.openStore().statusCounts().items == 0)
    }

    /// Overwrites bytes in the middle of several pages (not the header), as a failing disk would.
    func damage(_ path: String) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        for offset in stride(from: UInt64(4096 * 3 + 1000), to: size - 4096, by: 4096 * 2) {
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 700))
        }
    }

    @Test func aDamagedDatabaseIsRefusedBeforeAnythingIsWritten() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 400)
        let path = project.databaseURL.path
        try damage(path)
        let before = try Data(contentsOf: project.databaseURL)
        var caught: (any Error)?
        do { _ = try project.openStore() } catch { caught = error }
        guard case .damaged(let errorPath, _)? = caught as? StoreFileError else {
            Issue.record("expected .damaged, got \(String(describing: caught))")
            return
        }
        #expect(errorPath == path)
        let message = String(describing: caught!)
        #expect(message.contains("\".recover\"") && message.contains("annotty backup"))
        let after = try Data(contentsOf: project.databaseURL)
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(after == before, "\(before.count) -> \(after.count) bytes; changed at \(changed.prefix(20))")
        let walBytes = (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")))?.count ?? 0
        #expect(walBytes == 0)
    }

    @Test func aTruncatedDatabaseIsCaughtByItsHeader() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 400)
        let path = project.databaseURL.path
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.truncate(atOffset: 4096 * 5)
        try handle.close()
        #expect(throws: StoreFileError.self) { try StoreIntegrity.checkHeader(path: path) }
        #expect(throws: StoreFileError.self) { try project.openStore() }
    }

    /// Others labeling: a checkpoint held back by a reader copies page 1, which declares the grown
    /// page count, but not the pages at the end rewritten since, so the file stays shorter than its
    /// header while the log holds the rest. That is not damage.
    @Test func aFileShortOfItsHeaderWhileTheLogHoldsTheRestIsNotDamage() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 50)
        let path = project.databaseURL.path
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let writer = try DatabasePool(path: path, configuration: configuration)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE filler(text TEXT)")
            _ = try db.checkpoint(.truncate)
        }
        try writer.write { db in  // grows the database: page 1 and the new pages in the log
            for _ in 0..<400 { try db.execute(sql: "INSERT INTO filler VALUES (?)", arguments: [String(repeating: "a", count: 500)]) }
        }
        var readerConfiguration = Configuration()
        readerConfiguration.allowsUnsafeTransactions = true  // the read transaction spans the steps below
        let reader = try DatabaseQueue(path: path, configuration: readerConfiguration)
        try reader.inDatabase { db in  // another person's screen, reading that state
            try db.beginTransaction(.deferred)
            _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM filler")
        }
        try writer.write { db in  // rewrites the last pages; page 1 is unchanged
            try db.execute(sql: "UPDATE filler SET text = ? WHERE rowid > 390", arguments: [String(repeating: "b", count: 500)])
        }
        let pagesDeclared = try writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") } ?? 0
        try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        let fileSize = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(fileSize < pagesDeclared * 4096, "the checkpoint should leave the file short: \(fileSize) bytes, \(pagesDeclared) pages")
        #expect(StoreIntegrity.hasWriteAheadLog(path))

        try StoreIntegrity.checkHeader(path: path)
        #expect(try project.openStore(access: .readOnly).statusCounts().items == 50)
        try reader.inDatabase { db in try db.commit() }
        try reader.close()
        try writer.close()
    }

    @Test func aFileThatIsNotADatabaseIsDamaged() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir)
        try dir.write(Project.databaseFileName, "id,text\n1,hello\n")
        #expect(throws: StoreFileError.damaged(path: project.databaseURL.path, detail: "the file does not start with a SQLite header")) {
            try project.openStore()
        }
    }

    @Test func aFullDiskIsReportedAsSuchWithTheFile() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 10)
        let store = try project.openStore()
        let pages = try DatabaseQueue(path: project.databaseURL.path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") } ?? 0
        try store.limitSize(pages: pages + 2)
        var caught: (any Error)?
        do {
            _ = try store.importItems { sink in
                for index in 0..<2_000 { try sink.add(ImportRecord(text: "new item \(index) " + String(repeating: "x", count: 500))) }
            }
        } catch { caught = error }
        #expect(caught as? StoreFileError == .diskFull(path: project.databaseURL.path))
        #expect(String(describing: caught!).contains("the disk is full"))
        // The failed import left nothing behind; what was there is intact.
        #expect(try store.statusCounts().items == 10)
    }

    @Test func aReadOnlyStoreReadsAndRefusesToWriteNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 3)
        let store = try project.openStore(access: .readOnly)
        #expect(try store.statusCounts().items == 3)
        var caught: (any Error)?
        do { _ = try store.recordDecision(Decision(itemId: 1, annotator: "ann", kind: .correct, label: "a")) } catch { caught = error }
        guard case .readOnly(let path, _)? = caught as? StoreFileError else {
            Issue.record("expected .readOnly, got \(String(describing: caught))")
            return
        }
        #expect(path == project.databaseURL.path)
    }

    /// Tests run as root, where file modes are not enforced: `chattr +i` makes the folder and
    /// the file immutable even to root, as a read-only mount would. Skipped where chattr fails.
    @Test func anImmutableProjectStillAnswersReadingCommands() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 3)
        let folder = dir.url.path
        let file = project.databaseURL.path
        guard chattr("+i", file), chattr("+i", folder) else {
            _ = chattr("-i", file)
            return
        }
        defer {
            _ = chattr("-i", folder)
            _ = chattr("-i", file)
        }
        let reader = try project.openStore(access: .readOnly)
        #expect(try reader.statusCounts().items == 3)
        var caught: (any Error)?
        do { _ = try project.openStore() } catch { caught = error }
        guard case .readOnly(let path, _)? = caught as? StoreFileError else {
            Issue.record("expected .readOnly, got \(String(describing: caught))")
            return
        }
        #expect(path == file)
        #expect(String(describing: caught!).contains("permissions"))
    }

    func chattr(_ flag: String, _ path: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func aBackupIsConsistentWhileAnotherConnectionWrites() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 2_000)
        let store = try project.openStore()
        let writer = try project.openStore()
        let done = Mutex(false)
        let writing = Thread {
            var itemId: Int64 = 1
            while !done.withLock({ $0 }) {
                _ = try? writer.recordDecision(Decision(itemId: itemId, annotator: "w", kind: .correct, label: "a"))
                itemId = itemId % 2_000 + 1
            }
        }
        writing.start()
        defer { done.withLock { $0 = true } }
        let copies = (0..<3).map { dir.path("backup-\($0).sqlite") }
        for copy in copies { try store.backup(to: copy) }
        done.withLock { $0 = true }
        for copy in copies {
            let restored = try SQLiteStore(path: copy, access: .readOnly)
            let report = try restored.integrityReport()
            #expect(report.isWhole)
            #expect(report.counts.items == 2_000)
            // Each decision and its derived queue state were copied together.
            #expect(report.counts.labelledByPeople + report.counts.open == 2_000)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty)
    }

    @Test func theIntegrityReportFindsDamageTheOpenCheckSkips() throws {
        let dir = try TemporaryDirectory()
        let project = try project(dir, items: 400)
        let good = try project.openStore().integrityReport()
        #expect(good.isWhole && good.counts.items == 400)
    }
}
