import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A buffered file (or stdout) writer, so exports stream instead of building one big string.
public final class BufferedOutput {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    public let path: String

    /// `-` writes to standard output.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            file = fdopen(dup(STDOUT_FILENO), "wb")
            ownsFile = true
        } else {
            guard let opened = fopen(path, "wb") else {
                throw InputError(file: path, message: "cannot write: \(String(cString: strerror(errno)))")
            }
            file = opened
            ownsFile = true
        }
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, file) }
    }

    public func close() throws {
        let failed = fflush(file) != 0 || ferror(file) != 0
        if ownsFile { fclose(file) }
        if failed { throw InputError(file: path, message: "write failed: \(String(cString: strerror(errno)))") }
    }
}
