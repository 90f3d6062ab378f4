import ArgumentParser
import AnnottyCore
import Foundation

/// `--project DIR`, shared by every command that works on a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: [.short, .customLong("project")], help: "The project folder (holding annotty.toml).")
    var projectPath: String = "."

    var folder: URL { URL(fileURLWithPath: projectPath).standardizedFileURL }

    func open() throws -> Project {
        let configURL = folder.appendingPathComponent(ProjectConfig.fileName)
        if !FileManager.default.fileExists(atPath: configURL.path) {
            // Most often the project is elsewhere: say how to point at it before how to make one.
            let hint = projectPath == "." ? "pass the project folder with -p DIR" : "check the path given to -p"
            throw CommandFailure("no annotty project in \(folder.path) (no \(ProjectConfig.fileName) there): \(hint), "
                                 + "or create one with `annotty init DIR --labels A,B`")
        }
        return try Project.open(folder)
    }
}

/// `--annotator NAME`, defaulting to the login name.
struct AnnotatorOptions: ParsableArguments {
    @Option(help: "Who is labeling (default: your login name).")
    var annotator: String?

    func validate() throws {
        if let annotator, annotator.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--annotator is empty: give a name, or leave the option out for your login name")
        }
    }

    var name: String {
        if let annotator, !annotator.isEmpty { return annotator }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
    }
}

/// A failure found while running, after the arguments were accepted: printed as "Error: ..."
/// without a usage line (ArgumentParser would print the root command's usage for a
/// `ValidationError` thrown from `run()`; argument checks belong in `validate()`).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
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
