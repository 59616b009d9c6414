/// A message a node wants sent, and where.
public struct Outgoing: Sendable, Hashable {
    public var message: ChunkMessage
    public var destination: NodeAddress

    public init(_ message: ChunkMessage, to destination: NodeAddress) {
        self.message = message
        self.destination = destination
    }
}
