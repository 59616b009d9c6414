import Synchronization

/// Collects what a writer reports.
final class ReportLog: Sendable {
    private let lines = Mutex<[String]>([])

    var messages: [String] { lines.withLock { $0 } }

    @Sendable func add(_ message: String) {
        lines.withLock { $0.append(message) }
    }
}
