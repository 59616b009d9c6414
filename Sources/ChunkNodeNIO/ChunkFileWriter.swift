import Foundation

/// Writes files atomically (a temporary file in the same folder, then rename), so a reader never sees half a file.
package enum ChunkFileWriter {
    /// The name of a saved chunk: `chunk<id>.m4s`.
    package static func chunkFileName(_ chunk: UInt16) -> String { "chunk\(chunk).m4s" }

    /// Writes `bytes` to `path` atomically.
    ///
    /// - Throws: the file system's error, with the path in it.
    package static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(bytes).write(to: temporary)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ChunkFileError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}

/// Why a client could not write a file.
package enum ChunkFileError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)

    package var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
