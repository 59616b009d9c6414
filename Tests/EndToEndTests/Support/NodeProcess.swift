import Foundation
import Synchronization

/// A `peer`, `client` or `p2ptrace` process started from this package's build folder.
final class NodeProcess: @unchecked Sendable {
    let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let output = CapturedOutput()

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
            executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : Self.binDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let output = self.output
        stdoutPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.bytes.withLock { $0.out.append(data) }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.bytes.withLock { $0.err.append(data) }
        }
        try process.run()
    }

    var standardOutput: String { output.bytes.withLock { String(decoding: $0.out, as: UTF8.self) } }
    var standardError: String { output.bytes.withLock { String(decoding: $0.err, as: UTF8.self) } }

    /// Waits for the process to exit, at most `seconds`; kills it when it overstays.
    @discardableResult
    func wait(seconds: Double = 30) async -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // Let the pipes' last bytes arrive.
        try? await Task.sleep(for: .milliseconds(20))
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
