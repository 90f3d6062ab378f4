import AnnottyCore
import AnnottyLLM
import Foundation

/// The inputs annotty reads from files and servers, each a fuzz target. `scripts/fuzz.sh`
/// builds this with `-sanitize=fuzzer,address -DFUZZING`, where libFuzzer calls
/// `LLVMFuzzerTestOneInput` and `ANNOTTY_FUZZ_TARGET` names the target. A plain build replays
/// files instead (`annotty-fuzz TARGET FILE...`), to reproduce a crash under the debugger.
enum FuzzTarget: String, CaseIterable {
    case jsonl, csv, tsv, labelstudio, toml, answer

    static let labels = LabelSet(names: ["positive", "negative", "neutral", "mixed"])

    func run(_ data: Data) {
        switch self {
        case .toml:
            _ = try? ProjectConfig.parse(String(decoding: data, as: UTF8.self), fileName: "fuzz.toml")
        case .answer:
            _ = AnswerParser(labels: Self.labels).parse(String(decoding: data, as: UTF8.self))
        case .jsonl, .csv, .tsv, .labelstudio:
            FuzzImport.shared.importFile(data, format: ImportFormat(rawValue: rawValue)!)
        }
    }
}

/// One scratch store for the whole run: an import per input, all-or-nothing as for a person.
final class FuzzImport: @unchecked Sendable {
    static let shared = FuzzImport()
    let folder: URL
    let store: SQLiteStore
    var count = 0

    init() {
        // In memory where there is a tmpfs: every import commits with fsync, which on a disk
        // would cap the run at a few dozen inputs a second.
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm")
            : FileManager.default.temporaryDirectory
        folder = base.appendingPathComponent("annotty-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try! SQLiteStore(path: folder.appendingPathComponent("fuzz.sqlite").path)
    }

    func importFile(_ data: Data, format: ImportFormat) {
        let file = folder.appendingPathComponent("input")
        try? data.write(to: file)
        var options = ImportOptions(format: format)
        options.skipInvalid = count % 2 == 1  // both the strict and the forgiving path
        count += 1
        _ = try? Importer(store: store).importFile(at: file.path, options: options)
    }
}

#if FUZZING
nonisolated(unsafe) let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["ANNOTTY_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set ANNOTTY_FUZZ_TARGET to one of " + FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let bytes else { return 0 }
    fuzzTarget.run(Data(bytes: bytes, count: size))
    return 0
}

/// libFuzzer's driver, for programs that keep their own main. SwiftPM gives an executable's
/// entry point its own name (annotty_fuzz_main) and aliases main to it, so libFuzzer's main is
/// never linked in; this main hands over to the driver instead. Declared by symbol name (there
/// is no header to import); pointer and integer arguments pass the same way in Swift and C.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("annotty_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
#else
@main
struct FuzzReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: annotty-fuzz TARGET FILE...  (targets: " + FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            exit(64)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            target.run(data)
            print("ok \(path)")
        }
    }
}
#endif
