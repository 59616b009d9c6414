import Foundation

/// Runs a shell command line with real tools (`zcat`, `jq`, `gzip`) and captures what it prints.
enum ShellCommand {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// Runs `/bin/sh -c command`; standard error goes through a temporary file so neither pipe can fill up.
    static func run(_ command: String) throws -> Output {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("sh-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "(\(command)) 2>'\(errorFile.path)'"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: errors)
    }

    /// `'path'` quoted for the shell.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
