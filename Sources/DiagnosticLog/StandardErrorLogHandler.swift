import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes each diagnostic to standard error as one unbuffered line, in the format the tools have always used:
/// `warning: <message>` from the node itself, `<part>: <message>` from a named part (`trace: …`, `p2ptrace: …`).
///
/// A `Logger` labelled `Logger.nodeLabel` speaks for the whole program and its lines start with the level
/// (`warning`, `error`, `debug`…); any other label names the part that speaks and starts its lines instead.
/// Metadata, when there is some, follows the message as `key=value` pairs.
package struct StandardErrorLogHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    private let label: String

    /// - Parameters:
    ///   - label: `Logger.nodeLabel` for the program's own lines, else the name of the part that logs.
    ///   - logLevel: the least severe level written.
    package init(label: String, logLevel: Logger.Level = .warning) {
        self.label = label
        self.logLevel = logLevel
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var line = Self.line(label: label, level: event.level, message: "\(event.message)")
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += "\n"
        line.withUTF8 { Self.writeAll(UnsafeRawBufferPointer($0)) }
    }

    /// The text of one line, without metadata and newline.
    package static func line(label: String, level: Logger.Level, message: String) -> String {
        let prefix = label == Logger.nodeLabel ? level.word : label
        return "\(prefix): \(message)"
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = write(2, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            next += written
            left -= written
        }
    }
}

extension Logger.Level {
    /// The word that starts a program's line at this level: `warning`, `error`….
    fileprivate var word: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }
}
