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
        var predictionsRestoredFromMeta: [Int] = []
        var predictionCount = 0
        var looksLikeLabelStudiosExport = false
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
            let problemsBefore = run.skipped.count
            // What annotty's own export keeps where Label Studio does not look (see Exporter).
            let kept = parsed["meta"]?["annotty"]
            if parsed["project"] != nil || parsed["annotations"]?.arrayValue?.first?["id"] != nil {
                looksLikeLabelStudiosExport = true
            }
            var predictionEntries = parsed["predictions"]?.arrayValue ?? []
            predictionCount += predictionEntries.count
            if predictionEntries.isEmpty, let keptPrediction = kept?["prediction"], let label = keptPrediction["label"]?.stringValue {
                // Label Studio's own export leaves predictions out; annotty's meta still has it.
                predictionEntries = [.object([
                    ("model_version", keptPrediction["model"] ?? .string("labelstudio")),
                    ("result", .array([.object([("value", .object([("choices", .array([.string(label)]))]))])])),
                ])]
                predictionsRestoredFromMeta.append(task.line)
            }
            for prediction in predictionEntries {
                guard let choice = try LabelStudioReader.choice(in: prediction, what: "a prediction", run: run, line: task.line) else {
                    continue
                }
                let score = prediction["score"]?.doubleValue ?? LabelStudioReader.resultScore(in: prediction)
                let model = prediction["model_version"]?.stringValue ?? "labelstudio"
                var probabilities: [String: Double]?
                if let keptPrediction = kept?["prediction"], keptPrediction["model"]?.stringValue == model,
                   keptPrediction["label"]?.stringValue == choice, let members = keptPrediction["probabilities"]?.objectMembers {
                    probabilities = Dictionary(members.compactMap { member in member.value.doubleValue.map { (member.key, $0) } },
                                               uniquingKeysWith: { first, _ in first })
                }
                record.predictions.append(ImportedPrediction(model: model, label: choice, score: score,
                                                             probabilities: probabilities))
            }
            let keptAnnotators = kept?["annotators"]?.arrayValue ?? []
            for (index, annotation) in (parsed["annotations"]?.arrayValue ?? []).enumerated() {
                if annotation["was_cancelled"] == .bool(true) { continue }
                guard let choice = try LabelStudioReader.choice(in: annotation, what: "an annotation", run: run, line: task.line) else {
                    continue
                }
                let keptName = index < keptAnnotators.count ? keptAnnotators[index].stringValue : nil
                record.predictions.append(ImportedPrediction(
                    model: "", label: choice, score: nil, isAnnotation: true,
                    annotator: keptName ?? LabelStudioReader.annotator(of: annotation),
                    createdAt: annotation["created_at"]?.stringValue.flatMap(LabelStudioReader.date(from:)),
                    timeSpentMs: annotation["lead_time"]?.doubleValue.map { Int(($0 * 1000).rounded()) }))
            }
            // A task whose labels were refused (with --skip-invalid) is left out whole, so its
            // item never arrives without the labels it came with.
            if run.skipped.count == problemsBefore { try run.emit(record) }
        }
        if !predictionsRestoredFromMeta.isEmpty {
            run.warn(line: predictionsRestoredFromMeta[0], "\(predictionsRestoredFromMeta.count) tasks have no predictions (Label "
                     + "Studio's export leaves them out); their pre-labels were read from meta.annotty instead")
        } else if looksLikeLabelStudiosExport && predictionCount == 0 && !tasks.isEmpty {
            run.warn(line: 1, "no task has predictions: Label Studio's export leaves them out, so no pre-labels were "
                     + "imported (export from annotty, or from Label Studio's API with predictions, to keep them)")
        }
    }

    /// Label Studio's timestamps: ISO 8601 with or without fractional seconds.
    static func date(from text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// Every choice of every result of an annotation or prediction, in order.
    static func choices(in entry: JSONValue) -> [String] {
        (entry["result"]?.arrayValue ?? []).flatMap { result in
            (result["value"]?["choices"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
    }

    /// The one label an annotation or prediction gives, nil when it gives none. Several labels
    /// (a multi-choice answer) or a label outside the project's set are problems naming the line
    /// where the task starts: they are not truncated to the first or taken as a new label.
    static func choice(in entry: JSONValue, what: String, run: ItemImportRun, line: Int) throws -> String? {
        let found = choices(in: entry)
        guard let first = found.first else { return nil }
        if found.count > 1 {
            try run.problem(line: line, "\(what) chooses several labels (\(found.joined(separator: ", "))); "
                            + "this project takes one label per item")
            return nil
        }
        if let labels = run.options.labels, !labels.contains(first) {
            try run.problem(line: line, "\(what) has the label \"\(first)\", which is not one of "
                            + labels.joined(separator: ", ") + " (add it to annotty.toml, or fix the file)")
            return nil
        }
        return first
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
