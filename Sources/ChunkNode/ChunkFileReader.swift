import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one chunk file, looking at what it is and how big it is before reading a byte of it.
///
/// The file is opened non-blocking, so a FIFO with no writer does not stall start-up; anything but a regular file
/// (a FIFO, a device, a directory) and any file over the limit is refused unread.
enum ChunkFileReader {
    /// Why a chunk file was not read.
    enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        case cannotOpen(reason: String)
        case notRegularFile(kind: String)
        case tooLarge(bytes: Int, limit: Int)
        case readFailed(reason: String)

        var description: String {
            switch self {
            case .cannotOpen(let reason): "cannot read it (\(reason))"
            case .notRegularFile(let kind): "it is a \(kind), not a regular file"
            case .tooLarge(let bytes, let limit):
                "it has \(bytes) bytes, more than a datagram can carry (\(limit))"
            case .readFailed(let reason): "cannot read it (\(reason))"
            }
        }
    }

    /// The content of the regular file at `path`, if it has at most `limit` bytes.
    static func read(_ path: String, limit: Int) -> Result<ByteBuffer, Refusal> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return .failure(.cannotOpen(reason: errorText())) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return .failure(.readFailed(reason: errorText())) }
        if let kind = kind(of: status.st_mode) { return .failure(.notRegularFile(kind: kind)) }
        guard Int(status.st_size) <= limit else { return .failure(.tooLarge(bytes: Int(status.st_size), limit: limit)) }
        // One byte past the limit is read, so a file that grew since `fstat` is refused too.
        var buffer = ByteBuffer()
        buffer.reserveCapacity(Int(status.st_size) + 1)
        while buffer.readableBytes <= limit {
            let room = limit + 1 - buffer.readableBytes
            var count = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { bytes in
                count = Glibc.read(fd, bytes.baseAddress, min(room, bytes.count))
                return max(count, 0)
            }
            if count == 0 { return .success(buffer) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.readFailed(reason: errorText()))
            }
        }
        return .failure(.tooLarge(bytes: buffer.readableBytes, limit: limit))
    }

    /// What the file is, when it is not a regular file.
    private static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "directory"
        case S_IFIFO: "FIFO"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFSOCK: "socket"
        default: "special file"
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
