/// The client's result file, `output-<ip>.log`.
package enum ClientOutputLog {
    /// The file name for a client whose own IPv4 address toward the contact peer is `ip`.
    package static func fileName(clientIP: String) -> String { "output-\(clientIP).log" }

    /// The file content: one line per line, each ending in a newline.
    package static func content(of lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }
}
