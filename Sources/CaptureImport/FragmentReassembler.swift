/// Puts fragmented IPv4 datagrams back together (a RESPONSE is fragmented on a 1500-byte link).
///
/// Memory is bounded: at most `maxPending` datagrams are waiting, holding at most `maxPendingBytes` between them;
/// beyond either the oldest waiting datagram is given up. A datagram whose fragments do not all arrive within
/// `timeout` microseconds of capture time (Linux waits 30 s) is given up too. Given-up datagrams are counted.
struct FragmentReassembler {
    private struct Key: Hashable {
        var source: UInt32
        var destination: UInt32
        var identification: UInt16
        var proto: UInt8
    }

    private struct Pending {
        var firstSeen: Int64
        var fragments: [(offset: Int, bytes: ArraySlice<UInt8>)] = []
        var totalLength: Int?
        var bytes = 0
    }

    let maxPending: Int
    let maxPendingBytes: Int
    let timeout: Int64
    private var pending: [Key: Pending] = [:]
    private var pendingBytes = 0
    /// Datagrams given up: fragments missing after the timeout, or evicted by the memory bound.
    private(set) var abandoned = 0

    init(maxPending: Int = 1024, maxPendingBytes: Int = 16 << 20, timeout: Int64 = 30_000_000) {
        self.maxPending = maxPending
        self.maxPendingBytes = maxPendingBytes
        self.timeout = timeout
    }

    /// The number of datagrams still waiting for fragments.
    var waiting: Int { pending.count }

    /// Takes one fragment; returns the whole IP payload once every fragment of its datagram is in.
    mutating func add(_ packet: IPv4Packet, at time: Int64) -> [UInt8]? {
        expire(before: time - timeout)
        let key = Key(
            source: packet.source, destination: packet.destination, identification: packet.identification,
            proto: packet.proto)
        var entry = pending[key] ?? Pending(firstSeen: time)
        entry.fragments.append((packet.fragmentOffset, packet.payload))
        entry.bytes += packet.payload.count
        pendingBytes += packet.payload.count
        if !packet.moreFragments { entry.totalLength = packet.fragmentOffset + packet.payload.count }
        if let whole = Self.assemble(entry) {
            pending[key] = nil
            pendingBytes -= entry.bytes
            return whole
        }
        pending[key] = entry
        while pending.count > maxPending || pendingBytes > maxPendingBytes, let oldest = oldestKey() {
            drop(oldest)
        }
        return nil
    }

    /// Gives up every datagram still waiting (at the end of a capture); returns how many there were.
    mutating func abandonAll() -> Int {
        let count = pending.count
        abandoned += count
        pending = [:]
        pendingBytes = 0
        return count
    }

    private static func assemble(_ entry: Pending) -> [UInt8]? {
        guard let total = entry.totalLength, total <= 65_535 else { return nil }
        let sorted = entry.fragments.sorted { $0.offset < $1.offset }
        var covered = 0
        for fragment in sorted where fragment.offset <= covered {
            covered = max(covered, fragment.offset + fragment.bytes.count)
        }
        guard covered >= total else { return nil }
        var whole = [UInt8](repeating: 0, count: total)
        for fragment in sorted {
            let end = min(total, fragment.offset + fragment.bytes.count)
            guard fragment.offset < end else { continue }
            whole.replaceSubrange(fragment.offset..<end, with: fragment.bytes.prefix(end - fragment.offset))
        }
        return whole
    }

    private mutating func expire(before limit: Int64) {
        for (key, entry) in pending where entry.firstSeen < limit { drop(key) }
    }

    private func oldestKey() -> Key? {
        pending.min { $0.value.firstSeen < $1.value.firstSeen }?.key
    }

    private mutating func drop(_ key: Key) {
        guard let entry = pending.removeValue(forKey: key) else { return }
        pendingBytes -= entry.bytes
        abandoned += 1
    }
}
