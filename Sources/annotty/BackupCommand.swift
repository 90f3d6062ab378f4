import ArgumentParser
import AnnottyCore
import AnnottyPostgres
import Foundation

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the project's database, consistently, even while others are labeling.",
        discussion: """
        Uses SQLite's online backup: the copy is one moment of the database, every decision \
        with the queue state it produced, while other annotty processes keep labeling. The copy \
        is written beside FILE and renamed into place, so a failed backup never leaves a \
        half-written file under that name.

        To restore: stop every annotty on the project, then copy the backup over annotty.sqlite \
        (and delete annotty.sqlite-wal and annotty.sqlite-shm if they are there). `annotty check` \
        on the backup first tells whether it is whole.

        Examples:
          annotty backup -p reviews
          annotty backup -p reviews /mnt/backups/reviews-monday.sqlite
        """)

    @OptionGroup var project: ProjectOptions

    @Argument(help: "Where to write the copy (default: backups/annotty-YYYYMMDD-HHMMSS.sqlite in the project).")
    var file: String?

    func run() throws {
        let project = try project.open()
        let store = try project.openStore(access: .readOnly, command: "annotty backup",
                                         instead: "back the database up with PostgreSQL's pg_dump")
        let destination = try file ?? defaultDestination(project)
        if FileManager.default.fileExists(atPath: destination) {
            let same = (try? FileManager.default.attributesOfItem(atPath: destination)[.systemFileNumber] as? Int)
                == (try? FileManager.default.attributesOfItem(atPath: project.databaseURL.path)[.systemFileNumber] as? Int)
            if same { throw ValidationError("\(destination) is the project's database itself; choose another file") }
        }
        try store.backup(to: destination)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
        let counts = try SQLiteStore(path: destination, access: .readOnly).statusCounts()
        print("backed up \(counts.items) items and \(counts.decisions) decisions to \(TerminalSafeText.singleLine(destination, limit: 300)) "
              + "(\(bytes / 1024) KiB)")
    }

    private func defaultDestination(_ project: Project) throws -> String {
        let folder = project.folder.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return folder.appendingPathComponent("annotty-\(formatter.string(from: Date())).sqlite").path
    }
}
