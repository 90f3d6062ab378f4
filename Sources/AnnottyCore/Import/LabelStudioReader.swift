import Foundation

/// Label Studio's task JSON: an array of tasks with `data`, `annotations` and `predictions`.
/// The array is cut into tasks by a byte scanner, so each task is parsed alone (memory stays
/// bounded by the largest task) and errors can name the line where the task starts.
struct LabelStudioReader {
    func read(into run: ItemImportRun) throws {
        guard let data = FileManager.default.contents(atPath: run.path) else {
            throw InputError(file: run.path, message: "cannot read the file")
        }
        var body = data
        if body.starts(with: [0xEF, 0xBB, 0xBF]) {
            run.warn(line: 1, "starts with a UTF-8 byte-order mark; ignored")
            body = body.dropFirst(3)
        }
        let tasks = try TopLevelArraySplitter.split(Array(body), file: run.path)
        for task in tasks {
            let parsed: JSONValue
            do {
                parsed = try task.bytes.withUnsafeBufferPointer { try JSONParser.parse($0) }
            } catch let failure as JSONParser.Failure {
                try run.problem(line: task.line, "task is not valid JSON (\(failure.message))")
                continue
            }
            guard let taskData = parsed["data"]?.objectMembers else {
                try run.problem(line: task.line, "task has no \"data\" object")
                continue
            }
            var columns = taskData
            if !columns.contains(where: { $0.key == run.options.idField }), let id = parsed["id"] {
                columns.insert((key: run.options.idField, value: id), at: 0)
            }
            guard var record = try run.record(from: columns, line: task.line) else { continue }
            for prediction in parsed["predictions"]?.arrayValue ?? [] {
                guard let choice = LabelStudioReader.choice(in: prediction) else { continue }
                let score = prediction["score"]?.doubleValue ?? LabelStudioReader.resultScore(in: prediction)
                record.predictions.append(ImportedPrediction(
                    model: prediction["model_version"]?.stringValue ?? "labelstudio", label: choice, score: score))
            }
            for annotation in parsed["annotations"]?.arrayValue ?? [] {
                if annotation["was_cancelled"] == .bool(true) { continue }
                guard let choice = LabelStudioReader.choice(in: annotation) else { continue }
                record.predictions.append(ImportedPrediction(
                    model: "", label: choice, score: nil, isAnnotation: true,
                    annotator: LabelStudioReader.annotator(of: annotation)))
            }
            try run.emit(record)
        }
    }

    static func choice(in entry: JSONValue) -> String? {
        for result in entry["result"]?.arrayValue ?? [] {
            if let first = result["value"]?["choices"]?.arrayValue?.first?.stringValue { return first }
        }
        return nil
    }

    static func resultScore(in entry: JSONValue) -> Double? {
        for result in entry["result"]?.arrayValue ?? [] {
            if let score = result["score"]?.doubleValue { return score }
        }
        return nil
    }

    static func annotator(of annotation: JSONValue) -> String {
        switch annotation["completed_by"] {
        case .string(let name): return name
        case .number(let number): return "labelstudio-user-\(number)"
        case .object: return annotation["completed_by"]?["email"]?.stringValue ?? "labelstudio"
        default: return "labelstudio"
        }
    }
}

/// Finds the top-level elements of a JSON array without parsing them.
enum TopLevelArraySplitter {
    struct Element {
        var bytes: [UInt8]
        var line: Int
    }

    static func split(_ bytes: [UInt8], file: String) throws -> [Element] {
        var index = 0
        var line = 1
        func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                if bytes[index] == 0x0A { line += 1 }
                index += 1
            }
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else {
            throw InputError(file: file, line: line, message: "expected a JSON array of Label Studio tasks")
        }
        index += 1
        var elements: [Element] = []
        while true {
            skipSpace()
            guard index < bytes.count else { throw InputError(file: file, line: line, message: "the array is not closed with ]") }
            if bytes[index] == UInt8(ascii: "]") { break }
            let start = index
            let startLine = line
            var depth = 0
            var inString = false
            var escaped = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A { line += 1 }
                if inString {
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    if depth == 0 { break }
                    depth -= 1
                } else if byte == UInt8(ascii: ","), depth == 0 {
                    break
                }
                index += 1
            }
            guard index < bytes.count else { throw InputError(file: file, line: line, message: "the array is not closed with ]") }
            // A } with nothing open ends no element and would be met again forever (found by
            // scripts/fuzz.sh).
            if bytes[index] == UInt8(ascii: "}") && depth == 0 {
                throw InputError(file: file, line: line, message: "a } here closes nothing: the tasks are not valid JSON")
            }
            elements.append(Element(bytes: Array(bytes[start..<index]), line: startLine))
            if bytes[index] == UInt8(ascii: ",") { index += 1 }
        }
        return elements
    }
}
