#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard `process_*` figures of the running process, read from `/proc` (Linux only; zeros elsewhere).
package struct ProcessSnapshot: Sendable, Hashable {
    /// User plus system CPU time, in seconds.
    package var cpuSeconds: Double = 0
    package var residentMemoryBytes: Double = 0
    package var virtualMemoryBytes: Double = 0
    package var openFileDescriptors: Double = 0
    /// The soft limit on open file descriptors.
    package var maxFileDescriptors: Double = 0
    /// Process start time, in seconds since the Unix epoch.
    package var startTimeSeconds: Double = 0

    package init() {}

    /// Reads the current figures; a figure that cannot be read stays 0.
    package static func current() -> ProcessSnapshot {
        var snapshot = ProcessSnapshot()
        #if os(Linux)
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = readSmallFile("/proc/self/stat"), let fields = statFields(stat), fields.count > 21 {
            // Field n of proc(5) is fields[n - 3]: the list starts after "pid (comm)".
            let utime = Double(fields[11]) ?? 0
            let stime = Double(fields[12]) ?? 0
            if ticksPerSecond > 0 {
                snapshot.cpuSeconds = (utime + stime) / ticksPerSecond
                if let start = Double(fields[19]), let bootTime = bootTimeSeconds() {
                    snapshot.startTimeSeconds = bootTime + start / ticksPerSecond
                }
            }
            snapshot.virtualMemoryBytes = Double(fields[20]) ?? 0
            snapshot.residentMemoryBytes = (Double(fields[21]) ?? 0) * pageSize
        }
        snapshot.openFileDescriptors = Double(countDirectoryEntries("/proc/self/fd"))
        snapshot.maxFileDescriptors = openFilesSoftLimit() ?? 0
        #endif
        return snapshot
    }

    /// The space-separated fields of `/proc/self/stat` after the `(comm)` field, which may itself hold blanks.
    static func statFields(_ text: String) -> [Substring]? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
    }

    private static func bootTimeSeconds() -> Double? {
        guard let stat = readSmallFile("/proc/stat") else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingBlanks)
        }
        return nil
    }

    private static func openFilesSoftLimit() -> Double? {
        guard let limits = readSmallFile("/proc/self/limits") else { return nil }
        for line in limits.split(separator: "\n") where line.hasPrefix("Max open files") {
            let columns = line.dropFirst("Max open files".count).split(separator: " ")
            guard let soft = columns.first else { return nil }
            return soft == "unlimited" ? Double(Int64.max) : Double(soft)
        }
        return nil
    }

    private static func countDirectoryEntries(_ path: String) -> Int {
        guard let directory = opendir(path) else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count
    }

    /// Reads a small text file (a `/proc` entry) whole; `nil` when it cannot be opened.
    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate var trimmingBlanks: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" || text.last == "\r" { text.removeLast() }
        return text
    }
}
