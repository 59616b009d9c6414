#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes final metrics for node_exporter's textfile collector.
///
/// The file holds every `p2p_*` family with an extra first label `node="<ip:port>"` (unless it has one), so the
/// files of several nodes on one host can sit in the same collector folder. `process_*` families are left out:
/// node_exporter exports its own under those names. The file is written to a temporary name in the same folder,
/// synced, then renamed, so the collector never reads half a file.
package enum MetricsTextFile {
    /// Why the file could not be written.
    package enum WriteError: Error, Hashable, Sendable, CustomStringConvertible {
        case cannotWrite(path: String, step: String, errno: Int32)

        package var description: String {
            switch self {
            case .cannotWrite(let path, let step, let code):
                "cannot write metrics file \(path): \(step) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    /// The textfile form of `text`: `process_*` families dropped, `node` label added to every sample.
    package static func textfileContents(_ text: [UInt8], node: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count + text.count / 4)
        let nodeLabel = Array("node=\"\(escaped(node))\"".utf8)
        for line in text.split(separator: UInt8(ascii: "\n")) {
            if line.first == UInt8(ascii: "#") {
                let words = line.split(separator: UInt8(ascii: " "), maxSplits: 3)
                if words.count >= 3, words[2].starts(with: "process_".utf8) { continue }
                output.append(contentsOf: line)
            } else {
                if line.starts(with: "process_".utf8) { continue }
                guard let split = line.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: " ") }) else {
                    continue
                }
                output.append(contentsOf: line[..<split])
                output.append(UInt8(ascii: "{"))
                output.append(contentsOf: nodeLabel)
                if line[split] == UInt8(ascii: "{") {
                    let labels = line[line.index(after: split)...]
                    // A family that already names its node (the per-neighbour ones) keeps its own label.
                    if labels.starts(with: "node=\"".utf8) {
                        output.removeLast(nodeLabel.count)
                    } else if labels.first != UInt8(ascii: "}") {
                        output.append(UInt8(ascii: ","))
                    }
                    output.append(contentsOf: labels)
                } else {
                    output.append(UInt8(ascii: "}"))
                    output.append(contentsOf: line[split...])
                }
            }
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }

    /// Replaces `path` atomically with `contents` (temporary file in the same folder, fsync, rename).
    package static func write(_ contents: [UInt8], to path: String) throws(WriteError) {
        let temporary = "\(path).tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, step: "creating \(temporary)", errno: errno) }
        var offset = 0
        while offset < contents.count {
            let written = contents[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let code = errno
                close(fd)
                unlink(temporary)
                throw .cannotWrite(path: path, step: "writing", errno: code)
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            unlink(temporary)
            throw .cannotWrite(path: path, step: "fsync", errno: code)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .cannotWrite(path: path, step: "renaming \(temporary)", errno: code)
        }
    }

    private static func escaped(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
