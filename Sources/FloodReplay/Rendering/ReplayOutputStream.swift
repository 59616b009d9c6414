#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte sink for renderings: a file, standard output, or memory (for tests and embedding).
///
/// Renderings write flood by flood, so a replay of a million events never holds its whole output in memory.
/// Not thread-safe.
package final class ReplayOutputStream {
    private var buffer: [UInt8] = []
    private let fd: Int32
    private let path: String?
    private var failure: ReplayError?
    private let flushThreshold = 1 << 16

    /// A stream that keeps everything in memory; read it with `text`.
    package init() {
        fd = -1
        path = nil
    }

    /// A stream to the file at `path` (created or truncated), or to standard output when `path` is `nil`.
    ///
    /// - Throws: `ReplayError.cannotWrite` when the file cannot be opened.
    package init(path: String?) throws(ReplayError) {
        self.path = path
        guard let path else {
            fd = 1
            return
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(flushThreshold * 2)
    }

    deinit {
        if fd > 2 { _ = systemClose(fd) }
    }

    /// Everything written, for an in-memory stream.
    package var text: String { String(decoding: buffer, as: UTF8.self) }

    package func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    func append(_ byte: UInt8) { buffer.append(byte) }

    func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) { buffer.append(contentsOf: bytes) }

    func append(contentsOf bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// Hands the buffered bytes to the file once there are enough of them.
    func flushIfFull() {
        if fd >= 0, buffer.count >= flushThreshold { flush() }
    }

    private func flush() {
        guard fd >= 0, !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBytes { ReplayOutput.writeAll(fd, $0) }
        if !ok, failure == nil {
            failure = .cannotWrite(path: path ?? "standard output", reason: String(cString: strerror(errno)))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes out what is buffered and closes a file.
    ///
    /// - Throws: `ReplayError.cannotWrite` when any write failed (a full disk, a closed pipe).
    package func finish() throws(ReplayError) {
        flush()
        if let failure { throw failure }
    }
}

#if canImport(Glibc)
private let systemClose = Glibc.close
#elseif canImport(Darwin)
private let systemClose = Darwin.close
#endif
