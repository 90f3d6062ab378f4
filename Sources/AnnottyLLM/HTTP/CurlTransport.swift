import CCurl
import Foundation
import Synchronization

/// HTTP over libcurl. Each `send` runs one blocking transfer on the calling thread with an easy
/// handle taken from a pool; handles go back to the pool afterwards, so their connections stay
/// open and the next request to the same server reuses one (keep-alive) instead of connecting.
///
/// Timeouts: connect and total are libcurl's own; idle (no byte received for N seconds) is
/// checked in the progress callback, which libcurl calls at least about once a second even
/// when nothing arrives. The same callback aborts a transfer whose cancellation token fires.
public final class CurlTransport: HTTPTransport, Sendable {
    private let idleHandles = Mutex<[EasyHandle]>([])
    private let maxIdleHandles: Int
    /// A response bigger than this is abandoned: a runaway server (a model ignoring max_tokens)
    /// must not fill memory or the database. A chat answer with a label is a few KiB.
    public let maxResponseBytes: Int

    /// The default cap on one response's body.
    public static let defaultMaxResponseBytes = 1 << 20

    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    public init(maxIdleHandles: Int = 64, maxResponseBytes: Int = CurlTransport.defaultMaxResponseBytes) {
        _ = CurlTransport.globalInit
        self.maxIdleHandles = maxIdleHandles
        self.maxResponseBytes = maxResponseBytes
    }

    deinit {
        idleHandles.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.pointer) }
        }
    }

    public func send(_ request: HTTPRequest, cancellation: CancellationToken?) throws(HTTPFailure) -> HTTPResponse {
        guard let handle = takeHandle() else { throw .other("libcurl could not create a handle") }
        var reusable = true
        defer { giveBack(handle, reusable: reusable) }

        let transfer = Transfer(idleSeconds: request.timeouts.idleSeconds, cancellation: cancellation,
                                maxBytes: maxResponseBytes)
        let transferPointer = Unmanaged.passUnretained(transfer).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        // An empty Expect header stops libcurl waiting a second for "100 Continue" on POSTs.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        defer { curl_slist_free_all(headerList) }

        annotty_curl_setopt_string(handle, CURLOPT_URL, request.url)
        annotty_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        annotty_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        annotty_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
        annotty_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.timeouts.connectSeconds))
        annotty_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeouts.totalSeconds))
        annotty_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        if request.method == "POST" || request.body != nil {
            let body = request.body ?? Data()
            annotty_curl_setopt_long(handle, CURLOPT_POST, 1)
            annotty_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // COPYPOSTFIELDS copies the bytes, so the Data need not outlive this call.
            body.withUnsafeBytes { bytes in
                let empty: [CChar] = [0]
                if let base = bytes.baseAddress, !bytes.isEmpty {
                    annotty_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                } else {
                    empty.withUnsafeBufferPointer {
                        _ = annotty_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress!))
                    }
                }
            }
        }
        if request.method != "GET" && request.method != "POST" {
            annotty_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        annotty_curl_setopt_write(handle, curlWriteBody)
        annotty_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, transferPointer)
        annotty_curl_setopt_header(handle, curlWriteHeader)
        annotty_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, transferPointer)
        annotty_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        annotty_curl_setopt_xferinfo(handle, curlProgress)
        annotty_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, transferPointer)

        let code = withExtendedLifetime(transfer) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            reusable = false
            throw failure(code, handle: handle, transfer: transfer, timeouts: request.timeouts, url: request.url)
        }
        var status = 0
        annotty_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    private func failure(_ code: CURLcode, handle: UnsafeMutableRawPointer, transfer: Transfer,
                         timeouts: HTTPTimeouts, url: String) -> HTTPFailure {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            var connectTime = 0.0
            annotty_curl_getinfo_double(handle, CURLINFO_CONNECT_TIME, &connectTime)
            return connectTime == 0 ? .connectTimeout(seconds: timeouts.connectSeconds)
                : .totalTimeout(seconds: timeouts.totalSeconds)
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            switch transfer.abortReason {
            case .idle: return .idleTimeout(seconds: timeouts.idleSeconds)
            case .cancelled: return .cancelled
            case .tooLarge: return .responseTooLarge(limitBytes: maxResponseBytes)
            case nil: return .other(String(cString: curl_easy_strerror(code)))
            }
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused
        case CURLE_COULDNT_RESOLVE_HOST:
            return .cannotResolve(host: URLComponents(string: url)?.host ?? url)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return .connectionReset
        default:
            return .other(String(cString: curl_easy_strerror(code)))
        }
    }

    private func takeHandle() -> UnsafeMutableRawPointer? {
        if let pooled = idleHandles.withLock({ $0.popLast() }) {
            // reset keeps the handle's open connections, which is the point of pooling.
            curl_easy_reset(pooled.pointer)
            return pooled.pointer
        }
        return curl_easy_init()
    }

    private func giveBack(_ handle: UnsafeMutableRawPointer, reusable: Bool) {
        let pooled = idleHandles.withLock { handles in
            guard reusable && handles.count < maxIdleHandles else { return false }
            handles.append(EasyHandle(pointer: handle))
            return true
        }
        if !pooled { curl_easy_cleanup(handle) }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }
}

/// A libcurl easy handle resting in the pool. Unchecked because a raw pointer is not Sendable:
/// a handle is used by one thread at a time, the one that took it from the pool.
private struct EasyHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

/// What one transfer accumulates; touched only by libcurl's callbacks on the sending thread.
final class Transfer {
    enum AbortReason { case idle, cancelled, tooLarge }

    var body = Data()
    var headers: [String: String] = [:]
    var abortReason: AbortReason?
    let idleSeconds: Double
    let cancellation: CancellationToken?
    let maxBytes: Int
    private var lastActivity = DispatchTime.now()
    private var lastDownloaded: Int64 = -1
    private var lastUploaded: Int64 = -1

    init(idleSeconds: Double, cancellation: CancellationToken?, maxBytes: Int) {
        self.idleSeconds = idleSeconds
        self.cancellation = cancellation
        self.maxBytes = maxBytes
    }

    func noteActivity() {
        lastActivity = DispatchTime.now()
    }

    /// Returns false to abort the transfer.
    func progress(downloaded: Int64, uploaded: Int64) -> Bool {
        if cancellation?.isCancelled == true {
            abortReason = .cancelled
            return false
        }
        if downloaded != lastDownloaded || uploaded != lastUploaded {
            lastDownloaded = downloaded
            lastUploaded = uploaded
            lastActivity = DispatchTime.now()
            return true
        }
        let idle = Double(DispatchTime.now().uptimeNanoseconds - lastActivity.uptimeNanoseconds) / 1e9
        if idle >= idleSeconds {
            abortReason = .idle
            return false
        }
        return true
    }
}

private func curlWriteBody(_ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                           _ context: UnsafeMutableRawPointer?) -> Int {
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if transfer.body.count + length > transfer.maxBytes {
        transfer.abortReason = .tooLarge
        return 0
    }
    transfer.body.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
    transfer.noteActivity()
    return length
}

private func curlWriteHeader(_ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                             _ context: UnsafeMutableRawPointer?) -> Int {
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    transfer.noteActivity()
    if line.hasPrefix("HTTP/") {
        // A new status line (after 100 Continue or a redirect) starts a new header block.
        transfer.headers = [:]
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        transfer.headers[name] = value
    }
    return length
}

private func curlProgress(_ context: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
                          _ uploadTotal: curl_off_t, _ uploaded: curl_off_t) -> Int32 {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.progress(downloaded: Int64(downloaded), uploaded: Int64(uploaded)) ? 0 : 1
}
