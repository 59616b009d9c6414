#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the command-line tool writes: standard output, standard error or a file, unbuffered and whole.
public enum ReplayOutput {
    /// Writes `text` to the file at `path` (created or truncated), or to standard output when `path` is `nil`.
    ///
    /// - Throws: `ReplayError.cannotWrite` naming the file and the system's reason.
    public static func write(_ text: String, to path: String?) throws(ReplayError) {
        var text = text
        guard let path else {
            _ = text.withUTF8 { writeAll(1, UnsafeRawBufferPointer($0)) }
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let ok = text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
        guard ok else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Writes raw bytes to standard output.
    public static func standardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = writeAll(1, $0) }
    }

    /// Writes one line to standard error.
    public static func error(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { _ = writeAll(2, UnsafeRawBufferPointer($0)) }
    }

    @discardableResult
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return true }
            let written = systemWrite(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
