import Foundation

/// Runs real tools (zcat, promtool, dot, chromium, the project's executables) to the end and captures what they
/// print. Standard input is written by its own thread and standard error goes to a file, so no pipe can fill up and
/// block, and a helper process that keeps standard error open cannot hold the test.
package enum ProcessRunner {
    /// Runs `path` with `arguments` on a thread of its own (`offPool`).
    ///
    /// - Parameters:
    ///   - input: bytes written to standard input, which is otherwise empty.
    ///   - timeoutSeconds: when set, `/usr/bin/timeout` ends the tool after this long (status 124), and kills it
    ///     20 s later if it ignored that.
    ///   - environment: variables added to this process's environment.
    ///   - directory: the working folder (default: this process's).
    /// - Returns: a status of 127 with a message on standard error when `path` is not an executable file.
    /// - Throws: when the process cannot be started.
    package static func run(
        _ path: String, _ arguments: [String] = [], input: [UInt8]? = nil, timeoutSeconds: Int? = nil,
        environment: [String: String] = [:], directory: URL? = nil
    ) async throws -> ProcessOutput {
        try await offPool {
            try runBlocking(
                path, arguments, input: input, timeoutSeconds: timeoutSeconds, environment: environment,
                directory: directory)
        }
    }

    private static func runBlocking(
        _ path: String, _ arguments: [String], input: [UInt8]?, timeoutSeconds: Int?, environment: [String: String],
        directory: URL?
    ) throws -> ProcessOutput {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return ProcessOutput(status: 127, stdoutBytes: [], stderr: "\(path) not found")
        }
        let process = Process()
        if let timeoutSeconds {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["--kill-after=20", String(timeoutSeconds), path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.currentDirectoryURL = directory
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let (stdin, stdout) = (Pipe(), Pipe())
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let writer = DispatchGroup()
        if let input {
            DispatchQueue.global().async(group: writer) {
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        writer.wait()
        let errors = (try? Data(contentsOf: errorFile)) ?? Data()
        return ProcessOutput(
            status: process.terminationStatus, stdoutBytes: Array(output),
            stderr: String(decoding: errors, as: UTF8.self))
    }

    /// Runs `command` with `/bin/sh -c`.
    package static func shell(_ command: String, timeoutSeconds: Int? = nil) async throws -> ProcessOutput {
        try await run("/bin/sh", ["-c", command], timeoutSeconds: timeoutSeconds)
    }

    /// `text` in single quotes for the shell.
    package static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
