#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to standard output for the command-line tool.
package enum ReplayOutput {
    /// Writes raw bytes to standard output.
    package static func standardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = writeAll(1, $0) }
    }

    /// Writes all of `bytes` to `fd`, retrying after EINTR; false (with `errno` set) when a write fails.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
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
