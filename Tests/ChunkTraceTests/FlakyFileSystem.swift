import Foundation
import Synchronization

@testable import ChunkTrace

/// Real files whose writes can be made to fail with ENOSPC, or to stall until released. `gate` guards `stalled`
/// and `writesWaiting`.
final class FlakyFileSystem: SegmentFileSystem, @unchecked Sendable {
    let failing = Mutex(false)
    private let gate = NSCondition()
    private let real = POSIXSegmentFileSystem()
    private var stalled = false
    /// Writes currently held back by `stalled`.
    private var writesWaiting = 0

    func makeDirectory(_ path: String) throws(TraceError) { try real.makeDirectory(path) }

    func createNew(_ path: String) throws(TraceError) -> any SegmentFile {
        if failing.withLock({ $0 }) { throw .system(operation: "create", path: path, errno: ENOSPC) }
        return FlakyFile(real: try real.createNew(path), path: path, owner: self)
    }

    func list(_ directory: String) throws(TraceError) -> [String] { try real.list(directory) }

    func remove(_ path: String) throws(TraceError) { try real.remove(path) }

    func rename(_ path: String, to newPath: String) throws(TraceError) { try real.rename(path, to: newPath) }

    func readFile(_ path: String) throws(TraceError) -> [UInt8] { try real.readFile(path) }

    func identity(of path: String) -> SegmentFileIdentity? { real.identity(of: path) }

    /// Holds every write back (`true`) until released (`false`).
    func stall(_ on: Bool) {
        gate.lock()
        stalled = on
        gate.broadcast()
        gate.unlock()
    }

    /// Waits (at most `timeout` seconds) until a write is held back; returns whether one is.
    func waitForStalledWrite(timeout: Double = 10) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        gate.lock()
        defer { gate.unlock() }
        while writesWaiting == 0 {
            if !gate.wait(until: deadline) { break }
        }
        return writesWaiting > 0
    }

    fileprivate func passGate() {
        gate.lock()
        defer { gate.unlock() }
        guard stalled else { return }
        writesWaiting += 1
        gate.broadcast()
        while stalled { gate.wait() }
        writesWaiting -= 1
    }
}

final class FlakyFile: SegmentFile {
    private let real: any SegmentFile
    private let path: String
    private let owner: FlakyFileSystem

    var identity: SegmentFileIdentity? { real.identity }

    init(real: any SegmentFile, path: String, owner: FlakyFileSystem) {
        self.real = real
        self.path = path
        self.owner = owner
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(TraceError) {
        owner.passGate()
        if owner.failing.withLock({ $0 }) { throw .system(operation: "write", path: path, errno: ENOSPC) }
        try real.write(bytes)
    }

    func close() throws(TraceError) { try real.close() }
}
