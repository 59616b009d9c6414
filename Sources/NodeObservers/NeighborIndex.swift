import ChunkNode

/// Finds which configured neighbour a datagram's address is, as an index into the neighbours the metrics were
/// registered with: a scan of a few addresses, no hashing and no strings on the datagram path.
struct NeighborIndex: Sendable {
    private let neighbors: [NodeAddress]
    /// Used instead of the scan when a peer has many neighbours.
    private let positions: [NodeAddress: Int]

    init(_ neighbors: [NodeAddress]) {
        self.neighbors = neighbors
        positions = neighbors.count > 16 ? Dictionary(zip(neighbors, neighbors.indices)) { first, _ in first } : [:]
    }

    /// The index of `address` among the neighbours, or `nil` for any other address.
    func callAsFunction(_ address: NodeAddress) -> Int? {
        positions.isEmpty ? neighbors.firstIndex(of: address) : positions[address]
    }
}
