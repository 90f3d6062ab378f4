import Foundation

/// Locates `../shared/datasets/` beside the repository. A user's fresh clone has no such folder,
/// so tests that need it are disabled with `.enabled(if: SharedDatasets.available, ...)`.
public enum SharedDatasets {
    /// The repository root, found from this file's own location (Tests/Support/SharedDatasets.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["ANNOTTY_DATASETS"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }()

    public static var available: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("README.md").path)
    }

    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    public static let missingMessage = "../shared/datasets is absent beside this checkout"
}
