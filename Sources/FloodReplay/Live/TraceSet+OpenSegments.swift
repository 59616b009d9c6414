#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TraceSet {
    /// How recently a segment without its end must have been written to count as still being written, in seconds.
    package static let openWindow: Int64 = 10

    /// Moves out of `read.truncatedFiles` the segments that look still being written: a node's newest segment,
    /// ending after a complete batch without the end marker (or still empty), modified less than `openWindow` seconds
    /// before `now` (seconds since the Unix epoch), and, where /proc shows it, held open by a process. Their
    /// cut-off warnings go; they are listed in `openFiles`.
    mutating func classifyOpenSegments(now: Int64) {
        var newest: [String: (file: String, mtime: Int64)] = [:]
        var mtimes: [String: Int64] = [:]
        for file in read.files {
            var info = stat()
            guard stat(file, &info) == 0 else { continue }
            let mtime = Int64(info.st_mtim.tv_sec)
            mtimes[file] = mtime
            let key = Self.nodeKey(of: file)
            if let known = newest[key], (known.mtime, known.file) >= (mtime, file) { continue }
            newest[key] = (file, mtime)
        }
        let cut = Set(
            read.warnings.filter { $0.contains("no end marker") || $0.contains("empty segment") }.compactMap {
                warning in read.truncatedFiles.first { warning.hasPrefix($0 + ":") }
            })
        let recent = read.truncatedFiles.filter { file in
            guard cut.contains(file), let mtime = mtimes[file], newest[Self.nodeKey(of: file)]?.file == file else {
                return false
            }
            return now - mtime < Self.openWindow
        }
        guard !recent.isEmpty else { return }
        // A writer killed a moment ago leaves the same file: on this host, open means a process still holds it.
        let held = Self.filesHeldOpen()
        let open = recent.filter { file in held.map { $0.contains(Self.realPath(file)) } ?? true }
        guard !open.isEmpty else { return }
        let openSet = Set(open)
        openFiles = open
        read.truncatedFiles.removeAll { openSet.contains($0) }
        read.warnings.removeAll { warning in open.contains { warning.hasPrefix($0 + ":") } }
    }

    /// The files some process on this host has open (every `/proc/<pid>/fd` link readable); `nil` without /proc.
    static func filesHeldOpen() -> Set<String>? {
        guard let proc = opendir("/proc") else { return nil }
        defer { closedir(proc) }
        var held: Set<String> = []
        while let entry = readdir(proc) {
            let pid = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard pid.first?.isNumber == true, let fds = opendir("/proc/\(pid)/fd") else { continue }
            while let fd = readdir(fds) {
                let name = withUnsafeBytes(of: fd.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard name.first?.isNumber == true else { continue }
                var target = [CChar](repeating: 0, count: 4096)
                let count = readlink("/proc/\(pid)/fd/\(name)", &target, target.count - 1)
                if count > 0 {
                    held.insert(String(decoding: target.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
            }
            closedir(fds)
        }
        return held
    }

    static func realPath(_ file: String) -> String {
        guard let resolved = realpath(file, nil) else { return file }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `folder/peer-10.0.0.1-5001` for `folder/peer-10.0.0.1-5001-<start>-<n>.jsonl.gz`: one node's segments.
    static func nodeKey(of file: String) -> String {
        let slash = file.lastIndex(of: "/").map { file.index(after: $0) } ?? file.startIndex
        let parts = file[slash...].split(separator: "-", maxSplits: 3)
        return String(file[..<slash]) + parts.prefix(3).joined(separator: "-")
    }
}
