import Foundation
import Synchronization
import TestSupport

/// A `peer`, `client` or `p2ptrace` process started from this package's build folder.
final class NodeProcess: @unchecked Sendable {
    let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let output = CapturedOutput()
    /// Done once both pipes reached end of file: all the output is in.
    private let drained = DispatchGroup()

    /// The folder that holds the built executables: next to the test bundle, or `BIN_DIR` when set.
    static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["BIN_DIR"] { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("peer").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// Starts `executable` (`peer`, `client`, `p2ptrace`, or an absolute path) with `arguments` in `directory`.
    init(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws {
        process.executableURL =
            executable.hasPrefix("/")
            ? URL(fileURLWithPath: executable) : Self.binDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        let output = self.output
        for (pipe, isError) in [(stdoutPipe, false), (stderrPipe, true)] {
            let handle = pipe.fileHandleForReading
            drained.enter()
            Thread.detachNewThread { [drained] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    output.bytes.withLock { isError ? $0.err.append(data) : $0.out.append(data) }
                }
                drained.leave()
            }
        }
    }

    var standardOutput: String { output.bytes.withLock { String(decoding: $0.out, as: UTF8.self) } }
    var standardError: String { output.bytes.withLock { String(decoding: $0.err, as: UTF8.self) } }

    /// Waits for the process to exit, at most `seconds`; kills it when it overstays. Returns with all its output read.
    @discardableResult
    func wait(seconds: Double = 30) async -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // Children that inherited the pipes could keep them open: wait for end of file a bounded time.
        let drained = drained
        _ = await offPool { drained.wait(timeout: .now() + 5) }
        return process.terminationStatus
    }

    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Runs a command to completion and returns its exit status and output.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, seconds: Double = 60)
        async throws -> (status: Int32, stdout: String, stderr: String)
    {
        let node = try NodeProcess(executable, arguments, in: directory)
        let status = await node.wait(seconds: seconds)
        return (status, node.standardOutput, node.standardError)
    }
}

/// What a process wrote, filled in by the pipes' readers.
private final class CapturedOutput: Sendable {
    let bytes = Mutex<(out: Data, err: Data)>((Data(), Data()))
}
