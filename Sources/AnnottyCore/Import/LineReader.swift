import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file line by line with constant memory, numbering lines from 1 and noticing what
/// importers must report: a byte-order mark and CRLF line endings (both stripped).
public final class LineReader {
    public let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity: Int = 0
    public private(set) var lineNumber = 0
    public private(set) var sawByteOrderMark = false
    public private(set) var firstCRLFLine: Int?

    public init(path: String) throws {
        guard let file = fopen(path, "rb") else {
            throw InputError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.file = file
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// Calls `body` with each line's bytes (without the line ending) until the end or until it returns false.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Bool) throws {
        while true {
            let length = getline(&buffer, &capacity, file)
            if length < 0 { break }
            lineNumber += 1
            guard let buffer else { break }
            try buffer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                var start = 0
                var end = length
                if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
                if end > 0, bytes[end - 1] == 0x0D {
                    end -= 1
                    if firstCRLFLine == nil { firstCRLFLine = lineNumber }
                }
                if lineNumber == 1, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                    sawByteOrderMark = true
                    start = 3
                }
                let line = UnsafeBufferPointer(start: bytes + start, count: end - start)
                if try !body(line, lineNumber) { lineNumber = -lineNumber }
            }
            if lineNumber < 0 { lineNumber = -lineNumber; break }
        }
        if ferror(file) != 0 {
            throw InputError(file: path, line: lineNumber + 1, message: "read error: \(String(cString: strerror(errno)))")
        }
    }

    /// Decodes a line as UTF-8, or throws naming the line and the byte offset of the first bad byte.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += String(scalar).utf8.count
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        throw InputError(file: file, line: line, message: "invalid UTF-8 at byte \(offset + 1) of the line (save the file as UTF-8)")
    }
}
