/// A message a node wants sent, and where.
package struct Outgoing: Sendable, Hashable {
    package var message: ChunkMessage
    package var destination: NodeAddress

    package init(_ message: ChunkMessage, to destination: NodeAddress) {
        self.message = message
        self.destination = destination
    }
}
