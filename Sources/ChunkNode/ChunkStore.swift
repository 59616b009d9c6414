import Foundation
import NIOCore

/// The chunks a peer serves, loaded into memory at start-up.
package struct ChunkStore: Sendable {
    /// Largest payload a RESPONSE can carry in one UDP datagram.
    package static let maximumPayload = 65_501
    /// Largest payload every known client can read.
    package static let portablePayload = 1024

    private var payloads: [ChunkID: ByteBuffer]

    package init(payloads: [ChunkID: ByteBuffer] = [:]) {
        self.payloads = payloads
    }

    /// Loads every file a key-values file names, returning the store and a warning per skipped or oversized file.
    ///
    /// A file that cannot be read, is too big for a datagram or is not a regular file is skipped unread (see
    /// `ChunkFileReader`) with a warning; a file over 1024 bytes
    /// is served with a warning, since only clients that read big datagrams accept it.
    package static func load(_ file: KeyValuesFile) -> (store: ChunkStore, warnings: [String]) {
        var payloads = [ChunkID: ByteBuffer]()
        var warnings = [String]()
        for entry in file.entries {
            let fileAndLine = "\(file.path):\(entry.line)"
            let payload: ByteBuffer
            switch ChunkFileReader.read(entry.path, limit: maximumPayload) {
            case .success(let bytes):
                payload = bytes
            case .failure(let refusal):
                let looked =
                    entry.fileName.hasPrefix("/")
                    ? "an absolute path"
                    : file.chunkFolderIsExplicit
                        ? "looked in --chunks-dir \(file.chunkFolder)"
                        : "looked in \(file.chunkFolder), the key-values file's folder; --chunks-dir names another"
                warnings.append(
                    "\(fileAndLine): chunk \(entry.chunk) file \(entry.path): \(refusal) (\(looked)); not serving it")
                continue
            }
            if payload.readableBytes > portablePayload {
                warnings.append(
                    "\(fileAndLine): chunk \(entry.chunk) file \(entry.path) has \(payload.readableBytes) bytes; clients "
                        + "that read 1024-byte datagrams will not accept it")
            }
            payloads[entry.chunk] = payload
        }
        return (ChunkStore(payloads: payloads), warnings)
    }

    /// The payload of `chunk`, if held.
    package subscript(chunk: ChunkID) -> ByteBuffer? { payloads[chunk] }

    package func holds(_ chunk: ChunkID) -> Bool { payloads[chunk] != nil }

    /// The held chunk ids, ascending.
    package var chunkIDs: [ChunkID] { payloads.keys.sorted() }

    package var count: Int { payloads.count }
}
