import Foundation

/// A real `tcpdump -i lo` writing a pcap file, for as long as a test runs a network.
final class LoopbackCapture: @unchecked Sendable {
    let file: URL
    private let process: NodeProcess

    /// Starts tcpdump with `filter` and waits (bounded) until it says it is listening.
    init(file: URL, filter: String) async throws {
        self.file = file
        process = try NodeProcess("/usr/bin/env", ["tcpdump", "-i", "lo", "-s", "0", "-U", "-w", file.path, filter])
        for _ in 0..<400 {
            if process.standardError.contains("listening on") { return }
            if !process.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        process.signal(SIGKILL)
        throw LoopbackCaptureError.notListening(process.standardError)
    }

    /// Ends the capture (SIGINT, as Ctrl-C) and waits until tcpdump has written and closed the file.
    func stop() async {
        process.signal(SIGINT)
        await process.wait(seconds: 10)
    }
}

enum LoopbackCaptureError: Error, CustomStringConvertible {
    case notListening(String)

    var description: String {
        switch self {
        case .notListening(let stderr): "tcpdump -i lo never started listening (needs root and tcpdump): \(stderr)"
        }
    }
}
