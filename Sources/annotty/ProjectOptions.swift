import ArgumentParser
import AnnottyCore
import Foundation

/// `--project DIR`, shared by every command that works on a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: [.short, .customLong("project")], help: "The project folder (holding annotty.toml).")
    var projectPath: String = "."

    var folder: URL { URL(fileURLWithPath: projectPath).standardizedFileURL }

    func open() throws -> Project {
        try Project.open(folder)
    }
}

/// `--annotator NAME`, defaulting to the login name.
struct AnnotatorOptions: ParsableArguments {
    @Option(help: "Who is labeling (default: your login name).")
    var annotator: String?

    var name: String {
        if let annotator, !annotator.isEmpty { return annotator }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
    }
}

/// Comma-separated lists on the command line.
func commaList(_ text: String?) -> [String] {
    guard let text else { return [] }
    return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Prints to standard error (progress, warnings), keeping standard output for results.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension Project {
    /// The guidelines, or none with a warning on standard error (the screen's overlay is then empty).
    func guidelinesOrWarn() -> Guidelines? {
        do {
            return try loadGuidelines()
        } catch {
            printError("warning: \(error); the guidelines overlay will be empty")
            return nil
        }
    }
}
