#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `SegmentFileSystem` over POSIX calls.
struct POSIXSegmentFileSystem: SegmentFileSystem {
    func makeDirectory(_ path: String) throws(TraceError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(component) : "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .system(operation: "create folder", path: prefix, errno: errno)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw .system(operation: "use folder", path: path, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .system(operation: "use folder", path: path, errno: ENOTDIR)
        }
    }

    func createNew(_ path: String) throws(TraceError) -> any SegmentFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(operation: "create", path: path, errno: errno) }
        var info = stat()
        let identity = fstat(fd, &info) == 0 ? SegmentFileIdentity(info) : nil
        return POSIXSegmentFile(fd: fd, path: path, identity: identity)
    }

    func rename(_ path: String, to newPath: String) throws(TraceError) {
        guard posixRename(path, newPath) == 0 else { throw .system(operation: "rename", path: path, errno: errno) }
    }

    func readFile(_ path: String) throws(TraceError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(operation: "open", path: path, errno: errno) }
        defer { _ = posixClose(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(operation: "read", path: path, errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    func identity(of path: String) -> SegmentFileIdentity? {
        var info = stat()
        return stat(path, &info) == 0 ? SegmentFileIdentity(info) : nil
    }

    func list(_ directory: String) throws(TraceError) -> [String] {
        guard let dir = opendir(directory) else {
            throw .system(operation: "list folder", path: directory, errno: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    func remove(_ path: String) throws(TraceError) {
        guard unlink(path) == 0 else { throw .system(operation: "delete", path: path, errno: errno) }
    }
}

/// A file descriptor opened for writing a segment.
final class POSIXSegmentFile: SegmentFile {
    let identity: SegmentFileIdentity?
    private var fd: Int32
    private let path: String

    init(fd: Int32, path: String, identity: SegmentFileIdentity?) {
        self.fd = fd
        self.path = path
        self.identity = identity
    }

    deinit {
        if fd >= 0 { _ = posixClose(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TraceError) {
        guard fd >= 0 else { throw .noOpenSegment }
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = posixWrite(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .system(operation: "write", path: path, errno: errno)
            }
            offset += written
        }
    }

    func close() throws(TraceError) {
        guard fd >= 0 else { return }
        let result = posixClose(fd)
        fd = -1
        if result != 0 { throw .system(operation: "close", path: path, errno: errno) }
    }
}

extension SegmentFileIdentity {
    init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

private func posixRename(_ path: String, _ newPath: String) -> Int32 {
    rename(path, newPath)
}

private func posixClose(_ fd: Int32) -> Int32 {
    close(fd)
}
