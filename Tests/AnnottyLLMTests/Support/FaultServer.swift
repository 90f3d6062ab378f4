import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP/1.1 server that misbehaves on purpose, for fault tests. It listens on
/// 127.0.0.1 on a port the kernel picks; `behaviour` decides, per request (numbered from 0),
/// what to do. Connections are kept alive between requests, so connection reuse is visible
/// in `connectionsAccepted`.
final class FaultServer: @unchecked Sendable {
    struct SeenRequest: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    enum Behaviour: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: String)
        /// Wait, then respond.
        case respondAfter(seconds: Double, status: Int, body: String)
        /// Read the request, then send nothing until the client gives up.
        case hang
        /// Send headers promising a long body, then one byte every `interval` seconds.
        case drip(interval: Double)
        /// Close with a TCP reset before answering.
        case reset
        /// Close cleanly before answering.
        case close
    }

    let port: Int
    private let listenFD: Int32
    private let behaviour: @Sendable (Int, SeenRequest) -> Behaviour
    private let lock = NSLock()
    private var stopped = false
    private var clientFDs: Set<Int32> = []
    private var seen: [SeenRequest] = []
    private var accepted = 0

    init(behaviour: @escaping @Sendable (Int, SeenRequest) -> Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { close(fd); throw POSIXError(.EADDRINUSE) }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// A server answering every request with the same behaviour.
    convenience init(always: Behaviour) throws {
        try self.init(behaviour: { _, _ in always })
    }

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    var requests: [SeenRequest] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    var connectionsAccepted: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }

    func stop() {
        lock.lock()
        stopped = true
        let clients = clientFDs
        lock.unlock()
        shutdown(listenFD, Int32(SHUT_RDWR))
        for fd in clients { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit {
        stop()
        close(listenFD)
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop() {
        while !isStopped {
            var pollFD = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pollFD, 1, 100) > 0 else { continue }
            let client = accept(listenFD, nil, nil)
            guard client >= 0 else { continue }
            var noDelay: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            lock.lock()
            accepted += 1
            clientFDs.insert(client)
            lock.unlock()
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.lock()
            clientFDs.remove(fd)
            lock.unlock()
            close(fd)
        }
        var buffer: [UInt8] = []
        while !isStopped {
            guard let request = readRequest(fd, buffer: &buffer) else { return }
            lock.lock()
            let index = seen.count
            seen.append(request)
            lock.unlock()
            switch behaviour(index, request) {
            case .respond(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Type: application/json\r\n"
                head += "Content-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                head += "\r\n"
                guard write(fd, head + body) else { return }
            case .respondAfter(let seconds, let status, let body):
                Thread.sleep(forTimeInterval: seconds)
                let head = "HTTP/1.1 \(status) Status\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                guard write(fd, head + body) else { return }
            case .hang:
                waitForClientToLeave(fd)
                return
            case .drip(let interval):
                guard write(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n") else { return }
                while !isStopped {
                    guard write(fd, " ") else { return }
                    Thread.sleep(forTimeInterval: interval)
                }
                return
            case .reset:
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                return
            case .close:
                return
            }
        }
    }

    private func waitForClientToLeave(_ fd: Int32) {
        var byte: UInt8 = 0
        while !isStopped {
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pollFD, 1, 100) > 0 {
                if recv(fd, &byte, 1, 0) <= 0 { return }
            }
        }
    }

    private func write(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private func readRequest(_ fd: Int32, buffer: inout [UInt8]) -> SeenRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65536)
        func headerEnd() -> Int? {
            guard buffer.count >= 4 else { return nil }
            for index in 0...(buffer.count - 4) where Array(buffer[index..<index + 4]) == separator { return index }
            return nil
        }
        while headerEnd() == nil {
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pollFD, 1, 100) <= 0 { if isStopped { return nil } else { continue } }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer += chunk[0..<count]
        }
        let end = headerEnd()!
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        buffer.removeFirst(end + 4)
        while buffer.count < length {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer += chunk[0..<count]
        }
        let body = String(decoding: buffer[0..<length], as: UTF8.self)
        buffer.removeFirst(length)
        return SeenRequest(method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
                           headers: headers, body: body)
    }
}
