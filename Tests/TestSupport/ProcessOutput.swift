/// What a finished command printed, and how it ended.
package struct ProcessOutput: Sendable {
    /// The exit status (124 when `timeout` ended it, 127 when the tool is missing).
    package var status: Int32
    package var stdoutBytes: [UInt8]
    package var stderr: String

    package var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }

    /// Standard output's non-empty lines.
    package var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// Standard output then standard error, for a failure message.
    package var output: String { stdout + stderr }
}
