import AnnottyCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the project's system prompt (guidelines, label definitions, answer format) into every
/// slot of a llama.cpp server before the first item is asked.
///
/// llama.cpp keeps one prompt cache per slot. Left alone, the first request to land on each
/// slot computes the whole system prompt again: on the bundled model and two cores, about
/// 1,100 tokens and 5 to 20 seconds per slot, before the annotator sees any pre-label. Here it
/// is computed once in slot 0, saved (`POST /slots/0?action=save`) and restored into the other
/// slots (`action=restore`, a few milliseconds each).
///
/// With a cache folder (the server's `--slot-save-path`, inside the project), the saved slot
/// outlives the run: it is named by a hash of what its contents depend on (the model file, the
/// server build and options, the rendered system prompt), and the next run restores it into
/// every slot instead of computing the prefix again. The restore is verified (the completion
/// that follows it on slot 0 must find all but a few tokens cached); a missing, stale or
/// rejected file falls back to computing. Every step is best effort and says why it failed in
/// `Report.notes`: a server without the slot endpoints simply warms up the slow way.
public enum SlotWarmer {
    /// What warming did, for the log, tests and benchmarks.
    public struct Report: Sendable, Equatable {
        public enum Source: String, Sendable, Equatable {
            /// Slot 0 was restored from the project's saved file: nothing was computed.
            case restored
            /// The prefix was computed in slot 0.
            case computed
            /// Nothing could be warmed (the server answered none of it).
            case failed
        }

        public var source: Source = .failed
        /// Slots that hold the prefix afterwards.
        public var slots = 0
        /// Tokens of the rendered system prompt that slot 0 holds.
        public var prefixTokens = 0
        /// Tokens the completion on slot 0 had to evaluate (the whole prefix when computed, one
        /// or two after a good restore).
        public var tokensEvaluated = 0
        /// The project's saved slot file, when there is one after warming.
        public var cacheFile: URL?
        /// Seconds warming took.
        public var seconds = 0.0
        /// What happened, one line per step that matters (reasons for every fallback).
        public var notes: [String] = []

        public init() {}
    }

    /// At most this many tokens evaluated on slot 0 after a restore still counts as restored
    /// (llama.cpp re-evaluates the last prompt token to get its logits).
    static let restoredTolerance = 4

    /// File names in the cache folder: `prefix-<hash>.bin`.
    static let filePrefix = "prefix-"
    static let fileSuffix = ".bin"

    /// Returns the number of slots that hold the prefix afterwards (0 when warming failed).
    @discardableResult
    public static func warm(client: OpenAICompatibleClient, systemMessage: String, slots: Int,
                            cancellation: CancellationToken? = nil) -> Int {
        warm(client: client, systemMessage: systemMessage, slots: slots, cacheFolder: nil, fingerprint: "",
             cancellation: cancellation).slots
    }

    /// Warms every slot, restoring from and saving to `cacheFolder` when given.
    ///
    /// - Parameters:
    ///   - cacheFolder: the folder the server was started with as `--slot-save-path` (slot file
    ///     names are relative to it); nil keeps the saved state within this run.
    ///   - fingerprint: what else the saved state depends on (the server's build and options).
    public static func warm(client: OpenAICompatibleClient, systemMessage: String, slots: Int,
                            cacheFolder: URL?, fingerprint: String,
                            cancellation: CancellationToken? = nil) -> Report {
        let started = Date()
        var report = Report()
        warm(client: client, systemMessage: systemMessage, slots: slots, cacheFolder: cacheFolder, fingerprint: fingerprint,
             cancellation: cancellation, into: &report)
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    private static func warm(client: OpenAICompatibleClient, systemMessage: String, slots: Int, cacheFolder: URL?,
                             fingerprint: String, cancellation: CancellationToken?, into report: inout Report) {
        let root = client.endpoint.serverRoot
        let prompt: String
        do {
            let rendered = try client.postJSON(url: root + "/apply-template",
                                               body: .object([("messages", .array([ChatMessage.system(systemMessage).json]))]),
                                               cancellation: cancellation)
            guard let text = rendered["prompt"]?.stringValue else {
                report.notes.append("slot warming skipped: /apply-template gave no prompt")
                return
            }
            prompt = text
        } catch {
            report.notes.append("slot warming skipped: /apply-template failed: \(error)")
            return
        }

        // 1. The saved file, if this project has one for exactly this prefix.
        var fileName: String?
        var restoredTokens: Int?
        if let cacheFolder {
            let name = SlotWarmer.fileName(prompt: prompt, modelIdentity: modelIdentity(client: client, cancellation: cancellation),
                                fingerprint: fingerprint)
            fileName = name
            let file = cacheFolder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: file.path) {
                do {
                    let answer = try client.postJSON(url: root + "/slots/0?action=restore",
                                                     body: .object([("filename", .string(name))]), cancellation: cancellation)
                    if let count = answer["n_restored"]?.intValue, count > 0 {
                        restoredTokens = count
                    } else {
                        report.notes.append("slot cache \(name): the restore restored no tokens; computing the prefix")
                    }
                } catch {
                    report.notes.append("slot cache \(name) rejected (\(error)); computing the prefix")
                    try? FileManager.default.removeItem(at: file)
                }
            } else {
                report.notes.append("slot cache \(name): none saved yet; computing the prefix")
            }
        }

        // 2. The prefix in slot 0: nearly free after a good restore, computed otherwise. What the
        //    server evaluated tells which.
        do {
            let answer = try client.postJSON(url: root + "/completion", body: .object([
                ("prompt", .string(prompt)), ("n_predict", .int(0)), ("cache_prompt", .bool(true)), ("id_slot", .int(0)),
            ]), cancellation: cancellation)
            let evaluated = answer["timings"]?["prompt_n"]?.intValue ?? answer["tokens_evaluated"]?.intValue ?? 0
            report.tokensEvaluated = evaluated
            report.prefixTokens = answer["tokens_evaluated"]?.intValue ?? evaluated
            report.slots = 1
            if let restored = restoredTokens, evaluated <= restoredTolerance {
                report.source = .restored
                report.notes.append("slot cache \(fileName ?? ""): restored \(restored) tokens into slot 0")
            } else {
                report.source = .computed
                if let restored = restoredTokens {
                    report.notes.append("slot cache \(fileName ?? ""): restored \(restored) tokens, but \(evaluated) "
                                        + "had to be computed again (a stale file); saving it anew")
                }
            }
        } catch {
            report.notes.append("slot warming failed: the prefix completion on slot 0 failed: \(error)")
            return
        }

        // 3. Save slot 0: into the project (a temporary name, then renamed, so that no reader
        //    ever finds half a file), or for this run only.
        var restoreName: String?
        var temporaryToRemove: URL?
        if report.source == .restored {
            restoreName = fileName
            report.cacheFile = cacheFolder.flatMap { folder in fileName.map { folder.appendingPathComponent($0) } }
        } else if let cacheFolder, let fileName {
            let temporaryName = fileName + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let temporary = cacheFolder.appendingPathComponent(temporaryName)
            let final = cacheFolder.appendingPathComponent(fileName)
            do {
                _ = try client.postJSON(url: root + "/slots/0?action=save",
                                        body: .object([("filename", .string(temporaryName))]), cancellation: cancellation)
                if rename(temporary.path, final.path) == 0 {
                    restoreName = fileName
                    report.cacheFile = final
                    report.notes.append("slot cache \(fileName): saved \(report.prefixTokens) tokens for the next run")
                    removeOtherFiles(in: cacheFolder, keeping: fileName)
                } else {
                    report.notes.append("slot cache \(fileName): cannot move the saved slot into place: \(errnoText())")
                    restoreName = temporaryName
                    temporaryToRemove = temporary
                }
            } catch {
                report.notes.append("slot cache \(fileName): saving slot 0 failed (\(error)); the next run computes the prefix again")
                try? FileManager.default.removeItem(at: temporary)
            }
        } else if slots > 1 {
            let name = "annotty-prefix-\(getpid()).bin"
            do {
                _ = try client.postJSON(url: root + "/slots/0?action=save", body: .object([("filename", .string(name))]),
                                        cancellation: cancellation)
                restoreName = name
            } catch {
                report.notes.append("slot warming: saving slot 0 failed (\(error)); other slots compute the prefix themselves")
            }
        }
        defer { if let temporaryToRemove { try? FileManager.default.removeItem(at: temporaryToRemove) } }

        // 4. Every other slot from the file.
        guard slots > 1, let restoreName else { return }
        for slot in 1..<slots {
            do {
                let answer = try client.postJSON(url: root + "/slots/\(slot)?action=restore",
                                                 body: .object([("filename", .string(restoreName))]), cancellation: cancellation)
                if let count = answer["n_restored"]?.intValue, count > 0 {
                    report.slots += 1
                } else {
                    report.notes.append("slot \(slot): the restore restored no tokens")
                }
            } catch {
                report.notes.append("slot \(slot): restoring the prefix failed: \(error)")
                if error.isCancellation { break }
            }
        }
    }

    /// The saved file's name: a hash of everything its contents depend on.
    static func fileName(prompt: String, modelIdentity: String, fingerprint: String) -> String {
        let key = SHA256.hex(["annotty-slot-v1", modelIdentity, fingerprint, prompt].joined(separator: "\u{1F}"))
        return filePrefix + String(key.prefix(32)) + fileSuffix
    }

    /// The model file the server serves: its path, size and modification time (hashing a file of
    /// hundreds of megabytes at every start would cost more than it saves). From `/props`.
    static func modelIdentity(client: OpenAICompatibleClient, cancellation: CancellationToken?) -> String {
        guard let props = try? client.getJSON(url: client.endpoint.serverRoot + "/props", cancellation: cancellation),
              let path = props["model_path"]?.stringValue else {
            return "unknown model"
        }
        var identity = path
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            identity += "|\(size)|\(modified)"
        }
        return identity
    }

    /// Removes saved prefixes this project no longer uses (another prompt, model or build) and
    /// temporary files of runs that did not finish, so the folder holds one file per prefix in use.
    static func removeOtherFiles(in folder: URL, keeping kept: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let dayAgo = Date(timeIntervalSinceNow: -86_400)
        for name in names where name != kept && name.hasPrefix(filePrefix) {
            let url = folder.appendingPathComponent(name)
            if name.contains(".tmp-") {
                // Another run may be writing it now: only old ones are abandoned.
                let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
                guard let modified, modified < dayAgo else { continue }
            }
            try? FileManager.default.removeItem(at: url)
        }
    }
}
