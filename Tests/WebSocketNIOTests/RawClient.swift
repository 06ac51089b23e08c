import Foundation
import WebSocketCore

#if canImport(Glibc)
    import Glibc
#endif

/// A client on a bare socket, for what a well-behaved transport cannot do: never read, write a byte at a time,
/// half-close and stop, or find out how much the server lets it write before the send buffer stops moving.
final class RawClient {
    private(set) var descriptor: Int32

    /// Connects to 127.0.0.1:`port`; the socket is non-blocking from then on.
    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawClientError.system("socket", errno) }
        // A fixed receive buffer (no autotuning, which on loopback may grow to tens of MiB): how much a server
        // gets to queue for a client that does not read then depends on the server, not on the kernel.
        var receiveBuffer: Int32 = 64 << 10
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw RawClientError.system("connect", error)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Writes as much of `bytes` as the socket takes now; how much it took (0 when its buffer is full).
    @discardableResult
    func writeSome(_ bytes: [UInt8]) -> Int {
        let written = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return max(written, 0)
    }

    /// Writes all of `bytes`, waiting for room up to `timeout`; false when the socket stopped taking them.
    func writeAll(_ bytes: [UInt8], timeout: Duration = .seconds(5)) -> Bool {
        var offset = 0
        let deadline = ContinuousClock.now + timeout
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK, ContinuousClock.now < deadline {
                wait(for: Int16(POLLOUT), until: deadline)
            } else {
                return false
            }
        }
        return true
    }

    /// The upgrade request for `path`, optionally offering permessage-deflate.
    static func upgradeRequest(path: String = "/", port: Int, extraHeaders: String = "") -> [UInt8] {
        Array(
            ("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n").utf8)
    }

    /// Sends the upgrade request and reads the response head; the head's text, or nil when none came in `timeout`.
    func upgrade(path: String = "/", port: Int, timeout: Duration = .seconds(5)) -> String? {
        guard writeAll(Self.upgradeRequest(path: path, port: port), timeout: timeout) else { return nil }
        let deadline = ContinuousClock.now + timeout
        var head: [UInt8] = []
        while !head.ends(with: Array("\r\n\r\n".utf8)), ContinuousClock.now < deadline {
            // A byte at a time: nothing after the head is consumed, so the socket keeps what the server sends next.
            var byte: UInt8 = 0
            let count = recv(descriptor, &byte, 1, 0)
            if count == 1 { head.append(byte) } else if count == 0 { return nil } else { wait(for: Int16(POLLIN), until: deadline) }
        }
        return String(decoding: head, as: UTF8.self)
    }

    /// Everything received until the server closes (or resets) the connection, or nil when it is still open at
    /// `timeout`.
    func readUntilClosed(timeout: Duration) -> [UInt8]? {
        let (received, closed) = readSome(timeout: timeout)
        return closed ? received : nil
    }

    /// What arrives within `timeout` (less when the connection ends first), and whether it ended.
    func readSome(timeout: Duration) -> (bytes: [UInt8], closed: Bool) {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return (received, true)
            } else {
                wait(for: Int16(POLLIN), until: deadline)
            }
        }
        return (received, false)
    }

    /// Reads until at least `count` bytes came, the connection ended, or `timeout` passed; what came.
    func read(atLeast count: Int, timeout: Duration) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.count < count, ContinuousClock.now < deadline {
            let got = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, min($0.count, count - received.count), 0) }
            if got > 0 {
                received += buffer[..<got]
            } else if got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                break
            } else {
                wait(for: Int16(POLLIN), until: deadline)
            }
        }
        return received
    }

    /// Ends our sending side (FIN) and keeps the socket.
    func halfClose() { shutdown(descriptor, Int32(SHUT_WR)) }

    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) {
        let left = deadline - ContinuousClock.now
        let milliseconds = max(0, min(Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000), 100))
        var poller = pollfd(fd: descriptor, events: events, revents: 0)
        _ = poll(&poller, 1, milliseconds)
    }

    /// A masked client frame (mask key 0, so the payload goes as it is).
    static func frame(opcode: UInt8, fin: Bool = true, rsv1: Bool = false, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode]
        switch payload.count {
        case ..<126: bytes.append(0x80 | UInt8(payload.count))
        case ..<65_536: bytes += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            bytes.append(0x80 | 127)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> ($0 * 8)) }
        }
        return bytes + [0, 0, 0, 0] + payload
    }
}

enum RawClientError: Error, CustomStringConvertible {
    case system(String, Int32)
    var description: String {
        switch self {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

/// The process's resident set size, from /proc (0 where there is none).
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes * 1024
}
