import Foundation

/// Label Studio's task JSON: an array of tasks with `data`, `annotations` and `predictions`.
/// The array is cut into tasks by a byte scanner, so each task is parsed alone (memory stays
/// bounded by the largest task) and errors can name the line where the task starts.
struct LabelStudioReader {
    func read(into run: ImportRun) throws {
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
            guard String(validating: task.bytes, as: UTF8.self) != nil else {
                try run.problem(line: task.line, "invalid UTF-8 in this task")
                continue
            }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(task.bytes)) } catch {
                try run.problem(line: task.line, "task is not valid JSON (\(JSONLReader.describe(error)))")
                continue
            }
            guard let taskObject = object as? [String: Any], let taskData = taskObject["data"] as? [String: Any] else {
                try run.problem(line: task.line, "task has no \"data\" object")
                continue
            }
            var columns = taskData
            if columns[run.options.idField] == nil, let id = taskObject["id"] { columns[run.options.idField] = id }
            let keyOrder = taskData.keys.sorted()
            guard var record = try run.record(from: columns, keyOrder: keyOrder, line: task.line) else { continue }
            for prediction in taskObject["predictions"] as? [[String: Any]] ?? [] {
                guard let choice = LabelStudioReader.choice(in: prediction) else { continue }
                let score = (prediction["score"] as? NSNumber)?.doubleValue ?? LabelStudioReader.resultScore(in: prediction)
                record.predictions.append(ImportedPrediction(
                    model: (prediction["model_version"] as? String) ?? "labelstudio", label: choice, score: score))
            }
            for annotation in taskObject["annotations"] as? [[String: Any]] ?? [] {
                if (annotation["was_cancelled"] as? Bool) == true { continue }
                guard let choice = LabelStudioReader.choice(in: annotation) else { continue }
                record.predictions.append(ImportedPrediction(
                    model: "", label: choice, score: nil, isAnnotation: true,
                    annotator: LabelStudioReader.annotator(of: annotation)))
            }
            try run.emit(record)
        }
    }

    static func choice(in entry: [String: Any]) -> String? {
        for result in entry["result"] as? [[String: Any]] ?? [] {
            if let value = result["value"] as? [String: Any], let choices = value["choices"] as? [String], let first = choices.first {
                return first
            }
        }
        return nil
    }

    static func resultScore(in entry: [String: Any]) -> Double? {
        for result in entry["result"] as? [[String: Any]] ?? [] {
            if let score = result["score"] as? NSNumber { return score.doubleValue }
        }
        return nil
    }

    static func annotator(of annotation: [String: Any]) -> String {
        if let name = annotation["completed_by"] as? String { return name }
        if let user = annotation["completed_by"] as? [String: Any], let email = user["email"] as? String { return email }
        if let number = annotation["completed_by"] as? NSNumber { return "labelstudio-user-\(number.intValue)" }
        return "labelstudio"
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
            elements.append(Element(bytes: Array(bytes[start..<index]), line: startLine))
            guard index < bytes.count else { throw InputError(file: file, line: line, message: "the array is not closed with ]") }
            if bytes[index] == UInt8(ascii: ",") { index += 1 }
        }
        return elements
    }
}
