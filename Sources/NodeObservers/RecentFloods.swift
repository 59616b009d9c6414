import ChunkNode

/// The floods a peer saw recently, to tell a QUERY that repeats one (a duplicate) from a new flood.
///
/// The protocol has no query id, so a flood is known by its client address and chunk list; a repeat within
/// `window` is a duplicate. The window is shorter than a client's HELLO retry interval (1 s), so a re-sent HELLO
/// starts a new flood, as `p2ptrace replay` counts it. Memory is bounded: keys live in two generations of at most
/// `capacity` entries each; a generation is dropped once it is a window old (or full).
struct RecentFloods {
    /// Microseconds within which a repeat of a flood is a duplicate.
    static let defaultWindow: Int64 = 500_000

    let window: Int64
    let capacity: Int
    private var current: [Int: Int64] = [:]
    private var previous: [Int: Int64] = [:]
    private var currentSince: Int64 = .min

    init(window: Int64 = defaultWindow, capacity: Int = 16_384) {
        self.window = window
        self.capacity = max(capacity, 1)
    }

    /// How many floods are remembered (at most twice `capacity`).
    var remembered: Int { current.count + previous.count }

    /// Notes that the flood of `client` for `chunks` was seen at `time` (µs).
    ///
    /// - Returns: whether it had been seen less than `window` before.
    mutating func see(client: NodeAddress, chunks: [ChunkID], at time: Int64) -> Bool {
        if current.count >= capacity || time &- currentSince >= window {
            swap(&previous, &current)
            current.removeAll(keepingCapacity: true)
            currentSince = time
        }
        var hasher = Hasher()
        hasher.combine(client)
        hasher.combine(chunks.count)
        for chunk in chunks { hasher.combine(chunk) }
        let key = hasher.finalize()
        let last = current[key] ?? previous[key]
        current[key] = time
        guard let last else { return false }
        return time - last < window
    }
}
