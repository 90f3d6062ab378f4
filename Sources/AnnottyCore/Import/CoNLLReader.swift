import Foundation

/// Reads CoNLL NER files (CoNLL-2003 and its kin) into span items: one token per line with the
/// NER tag in the last column, a blank line between sentences, `-DOCSTART-` lines between
/// documents, LF or CRLF line ends, IOB1 (the original files) or IOB2 tags alike.
///
/// Each sentence becomes an item whose text is its tokens joined by single spaces, with the
/// tokens' offsets kept, so writing it back gives the same tokens. Items are named
/// `<file name>:<line of the sentence's first token>`, which a person can open.
public struct CoNLLReader: Sendable {
    public init() {}

    public func read(path: String) throws -> [SpanItem] {
        try records(path: path).map(\.item)
    }

    /// Every sentence with the line of its first token; each carries an answer (its tags, `O` included).
    public func records(path: String) throws -> [SpanFileRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "is not UTF-8 text")
        }
        return try records(text: text, file: path)
    }

    /// - Parameter file: the name errors and item ids carry.
    public func read(text: String, file: String) throws -> [SpanItem] {
        try records(text: text, file: file).map(\.item)
    }

    public func records(text: String, file: String) throws -> [SpanFileRecord] {
        let name = (file as NSString).lastPathComponent
        var items: [SpanFileRecord] = []
        var words: [String] = []
        var tags: [String] = []
        var firstLine = 0
        var document = 0
        var lineNumber = 0

        func finishSentence() throws {
            defer { words.removeAll(keepingCapacity: true); tags.removeAll(keepingCapacity: true) }
            guard !words.isEmpty else { return }
            let entities: [(tokens: ClosedRange<Int>, type: String)]
            do {
                entities = try BIOTagging.entities(tags)
            } catch {
                throw InputError(file: file, line: firstLine + error.tokenIndex, message: error.description)
            }
            items.append(SpanFileRecord(item: CoNLLReader.item(id: "\(name):\(firstLine)", words: words,
                                                               entities: entities, document: document),
                                        line: firstLine, hasAnswer: true))
        }

        // Bytes, not Characters: "\r\n" is one Character in Swift, and bytes are faster.
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            let columns = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
            if columns.isEmpty {
                try finishSentence()
                continue
            }
            if columns[0].elementsEqual("-DOCSTART-".utf8) {
                try finishSentence()
                if !items.isEmpty { document += 1 }
                continue
            }
            guard columns.count >= 2 else {
                throw InputError(file: file, line: lineNumber, message:
                    "expected a token and a tag separated by a space or tab, found \"\(String(decoding: line, as: UTF8.self))\"")
            }
            if words.isEmpty { firstLine = lineNumber }
            words.append(String(decoding: columns[0], as: UTF8.self))
            tags.append(String(decoding: columns[columns.count - 1], as: UTF8.self))
        }
        try finishSentence()
        return items
    }

    static func item(id: String, words: [String], entities: [(tokens: ClosedRange<Int>, type: String)],
                     document: Int?) -> SpanItem {
        var tokens: [TextToken] = []
        tokens.reserveCapacity(words.count)
        var offset = 0
        for word in words {
            let length = word.unicodeScalars.count
            tokens.append(TextToken(start: offset, end: offset + length, text: word))
            offset += length + 1
        }
        let spans = entities.map { entity in
            EntitySpan(start: tokens[entity.tokens.lowerBound].start, end: tokens[entity.tokens.upperBound].end,
                       type: entity.type,
                       text: words[entity.tokens].joined(separator: " "))
        }
        return SpanItem(id: id, text: words.joined(separator: " "), tokens: tokens, spans: spans, document: document)
    }
}
