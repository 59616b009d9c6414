import Foundation

/// A fresh folder under the system's temporary folder, left in place until `remove()` (so a failing test's files
/// can be looked at).
package struct TemporaryFolder: Sendable {
    package let url: URL
    package var path: String { url.path }

    /// - Parameter prefix: the start of the folder's name, saying which test made it.
    package init(prefix: String = "p2p-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    package func file(_ name: String) -> String { path + "/" + name }

    /// Names of the files in the folder, sorted.
    package func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    package func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
