/// Trace lines encoded on one node's datagram thread, without a lock, and handed to a `TraceSegmentWriter` together
/// (`TraceSegmentWriter.record(_:)`): one lock round and one copy per burst of datagrams instead of per event.
///
/// The lines are byte for byte those `TraceSegmentWriter.record` and `recordMessage` write. Not thread-safe: one
/// batch belongs to one recording thread.
package final class TraceLineBatch {
    /// The writer of every line.
    private let prefix: TraceLinePrefix
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The encoded bytes.
    private(set) var count = 0
    /// The lines in `count` bytes. Private, with `events` to read it: a stored property that other modules can see
    /// is checked for exclusive access at run time on every change.
    private var lines = 0
    /// Behind a pointer, not a stored `var`: passing a class's stored property `inout` costs a dynamic exclusivity
    /// check (a thread-local access set) per line.
    private let timestamps: UnsafeMutablePointer<TraceTimestampCache>
    /// Where a line that is not a `send` or `recv` is encoded before it is copied in.
    private var scratch: [UInt8] = []

    package init(prefix: TraceLinePrefix) {
        self.prefix = prefix
        capacity = 64 * 1024
        storage = .allocate(capacity: capacity)
        timestamps = .allocate(capacity: 1)
        timestamps.initialize(to: TraceTimestampCache())
    }

    deinit {
        storage.deallocate()
        timestamps.deinitialize(count: 1)
        timestamps.deallocate()
    }

    /// The lines in the batch.
    package var events: Int { lines }

    /// Whether the batch holds no line.
    package var isEmpty: Bool { lines == 0 }

    /// Appends a `send` or `recv` line, encoded straight into the batch.
    package func append(_ message: TraceMessageEvent, seq: UInt64, timestamp: Int64) {
        reserve(TraceLineEncoder.maxLineBytes(message, prefix: prefix))
        var writer = UnsafeLineWriter(storage + count)
        TraceLineEncoder.write(
            message, prefix: prefix, seq: seq, timestamp: timestamp, to: &writer, timestamps: &timestamps.pointee)
        count = writer.position - storage
        lines += 1
    }

    /// Appends the line of any event (it carries its own node, role and run).
    package func append(_ event: TraceEvent) {
        scratch.removeAll(keepingCapacity: true)
        TraceLineEncoder.append(event, to: &scratch, timestamps: &timestamps.pointee)
        reserve(scratch.count)
        scratch.withUnsafeBufferPointer { line in
            guard let base = line.baseAddress else { return }
            (storage + count).update(from: base, count: line.count)
        }
        count += scratch.count
        lines += 1
    }

    /// The encoded lines, valid during `body`.
    func withBytes<Value>(_ body: (UnsafeBufferPointer<UInt8>) -> Value) -> Value {
        body(UnsafeBufferPointer(start: storage, count: count))
    }

    /// Forgets the lines and keeps the memory.
    func removeAll() {
        count = 0
        lines = 0
    }

    private func reserve(_ bytes: Int) {
        guard count + bytes > capacity else { return }
        let grown = max(capacity * 2, count + bytes)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity = grown
    }
}
