import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A buffered file (or stdout) writer, so exports stream instead of building one big string.
///
/// Atomic: a regular file is written under a temporary name in the same folder and renamed
/// over `path` only by a `close()` that found every byte written and synced. An export that
/// fails half-way (a full disk, an error reading the store) leaves the previous file, or no
/// file, never a truncated one. Standard output and devices are written directly.
public final class BufferedOutput {
    private let file: UnsafeMutablePointer<FILE>
    public let path: String
    /// Where the bytes go until `close()` renames them into place; nil when writing directly.
    private let temporaryPath: String?
    private var writeFailed = false
    private var closed = false

    /// `-` writes to standard output.
    public convenience init(path: String) throws {
        try self.init(path: path, openTemporary: { fopen($0, "wb") })
    }

    /// `openTemporary` opens the temporary file; tests pass one that fails its writes.
    init(path: String, openTemporary: (String) -> UnsafeMutablePointer<FILE>?) throws {
        self.path = path
        if path == "-" {
            file = fdopen(dup(STDOUT_FILENO), "wb")
            temporaryPath = nil
            return
        }
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            // A device or a pipe (/dev/stdout, a FIFO): nothing to rename over.
            guard let opened = fopen(path, "wb") else { throw Self.cannotWrite(path) }
            file = opened
            temporaryPath = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)").path
        guard let opened = openTemporary(temporary) else { throw Self.cannotWrite(path) }
        file = opened
        temporaryPath = temporary
    }

    deinit {
        // Never closed: the export failed. Drop the partial file; the previous one stays.
        if !closed {
            fclose(file)
            if let temporaryPath { unlink(temporaryPath) }
        }
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count { writeFailed = true }
        }
    }

    /// Flushes, syncs and puts the file in place; throws (leaving the previous file) when any
    /// write failed.
    public func close() throws {
        guard !closed else { return }
        closed = true
        var failed = writeFailed || fflush(file) != 0 || ferror(file) != 0
        var reason = errno
        if !failed && temporaryPath != nil && fsync(fileno(file)) != 0 {
            failed = true
            reason = errno
        }
        if fclose(file) != 0 && !failed {
            failed = true
            reason = errno
        }
        if failed {
            if let temporaryPath { unlink(temporaryPath) }
            let previous = temporaryPath == nil ? "" : "; \(path) was left as it was"
            throw InputError(file: path, message: "write failed: \(String(cString: strerror(reason)))\(previous). "
                             + "Free some space or choose another place with -o, then export again.")
        }
        if let temporaryPath, rename(temporaryPath, path) != 0 {
            reason = errno
            unlink(temporaryPath)
            throw InputError(file: path, message: "cannot put the export in place: \(String(cString: strerror(reason)))")
        }
    }

    private static func cannotWrite(_ path: String) -> InputError {
        InputError(file: path, message: "cannot write: \(String(cString: strerror(errno))); check that the folder exists and is writable")
    }
}
