import Foundation
import Synchronization
import TestSupport

/// The course topology (`Topologies/course.json`) as five real `peer` processes on loopback.
///
/// Each network gets its own loopback addresses (`127.<a>.<b>.1` … `.5`, ports 5001 … 5005), so tests running in
/// parallel never share a port.
final class CourseNetwork: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The course graph and chunk lists, read from `Topologies/course.json`.
    static let topology = CourseTopology(file: packageRoot.appendingPathComponent("Topologies/course.json"))
    /// Which peers each course peer floods to.
    static var neighbours: [Int: [Int]] { topology.neighbours }
    /// The course's data: `Chunks/` and `Key-values-files/`.
    static let courseData = packageRoot.appendingPathComponent("../shared/fixtures/course").standardized

    private static let nextSubnet = Atomic<Int>(0)

    /// A working folder holding `data/` (chunks and key-values files side by side) and whatever the test writes.
    let folder: URL
    /// `127.<a>.<b>`, the prefix of every peer address of this network.
    let prefix: String
    private(set) var peers: [Int: NodeProcess] = [:]

    init() throws {
        let index = Self.nextSubnet.add(1, ordering: .relaxed).newValue
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        prefix = "127.\(100 + pid % 100).\(index % 250 + 1)"
        folder = try TemporaryFolder(prefix: "course").url
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for sub in ["Chunks", "Key-values-files"] {
            let source = Self.courseData.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try FileManager.default.createSymbolicLink(
                    at: data.appendingPathComponent(name), withDestinationURL: source.appendingPathComponent(name))
            }
        }
    }

    /// The `ip:port` of course peer `n` in this network.
    func address(_ n: Int) -> String { "\(prefix).\(n):\(5000 + n)" }

    /// The course chunk `id`'s bytes.
    static func chunk(_ id: Int) throws -> Data {
        try Data(contentsOf: courseData.appendingPathComponent("Chunks/BigBuckBunny_\(id).m4s"))
    }

    /// Starts course peer `n` with extra flags (`--trace-dir`, `--metrics`, …); `program` (an executable and its
    /// first arguments) runs another implementation taking the same positional arguments.
    func startPeer(_ n: Int, extra: [String] = [], program: [String] = ["peer"]) throws {
        let arguments =
            [address(n), folder.appendingPathComponent("data/key-values-files_peer\(n)").path]
            + (Self.neighbours[n] ?? []).map(address) + extra
        peers[n] = try NodeProcess(program[0], Array(program.dropFirst()) + arguments, in: folder)
    }

    /// Starts all five peers (ours, or `program`) and waits until each answers a GET.
    func start(program: [String] = ["peer"], extra: (Int) -> [String] = { _ in [] }) async throws {
        for n in 1...5 { try startPeer(n, extra: extra(n), program: program) }
        for n in 1...5 { try await waitUntilServing(n) }
    }

    /// Waits until peer `n` answers a GET for a chunk it holds, or fails after a few seconds.
    func waitUntilServing(_ n: Int) async throws {
        let held = Self.topology.chunks[n]?.first ?? 0
        for _ in 0..<200 {
            if try await UDPProbe.get(chunk: held, from: address(n)) != nil { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw CourseNetworkError.peerNotServing(address(n), peers[n]?.standardError ?? "")
    }

    /// Runs `client <contact> <chunks>` writing into `outputDir` (relative to the network folder).
    func runClient(contact: Int, chunks: String, outputDir: String, extra: [String] = []) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await NodeProcess.run(
            "client", [address(contact), chunks, "--output-dir", outputDir] + extra, in: folder)
    }

    /// Stops every peer with SIGTERM and waits for them.
    func stop() async {
        for peer in peers.values { peer.signal(SIGTERM) }
        for peer in peers.values { await peer.wait(seconds: 10) }
    }

    deinit {
        for peer in peers.values { peer.signal(SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }
}

enum CourseNetworkError: Error, CustomStringConvertible {
    case peerNotServing(String, String)

    var description: String {
        switch self {
        case .peerNotServing(let address, let stderr): "peer \(address) never answered a GET; its stderr: \(stderr)"
        }
    }
}
