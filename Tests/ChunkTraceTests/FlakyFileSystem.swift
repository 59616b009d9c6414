import Foundation
import Synchronization

@testable import ChunkTrace

/// Real files whose writes can be made to fail with ENOSPC, or to stall until released.
final class FlakyFileSystem: SegmentFileSystem {
    let failing = Mutex(false)
    let stalled = Mutex(false)
    /// Writes currently held back by `stalled`.
    let writesWaiting = Mutex(0)
    private let real = POSIXSegmentFileSystem()

    func makeDirectory(_ path: String) throws(TraceError) { try real.makeDirectory(path) }

    func createNew(_ path: String) throws(TraceError) -> any SegmentFile {
        if failing.withLock({ $0 }) { throw .system(operation: "create", path: path, errno: ENOSPC) }
        return FlakyFile(real: try real.createNew(path), path: path, owner: self)
    }

    func list(_ directory: String) throws(TraceError) -> [String] { try real.list(directory) }

    func remove(_ path: String) throws(TraceError) { try real.remove(path) }
}

final class FlakyFile: SegmentFile {
    private let real: any SegmentFile
    private let path: String
    private let owner: FlakyFileSystem

    init(real: any SegmentFile, path: String, owner: FlakyFileSystem) {
        self.real = real
        self.path = path
        self.owner = owner
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TraceError) {
        if owner.stalled.withLock({ $0 }) {
            owner.writesWaiting.withLock { $0 += 1 }
            while owner.stalled.withLock({ $0 }) { usleep(1000) }
            owner.writesWaiting.withLock { $0 -= 1 }
        }
        if owner.failing.withLock({ $0 }) { throw .system(operation: "write", path: path, errno: ENOSPC) }
        try real.write(bytes)
    }

    func close() throws(TraceError) { try real.close() }
}
