import ChunkNode

/// Why a node could not start its sockets.
package enum NodeIOError: Error, Hashable, Sendable, CustomStringConvertible {
    case addressInUse(NodeAddress)
    case cannotBind(NodeAddress, reason: String)
    case noRoute(to: NodeAddress, reason: String)

    package var description: String {
        switch self {
        case .addressInUse(let address):
            "cannot listen on \(address): the port is already in use (is another peer running there?)"
        case .cannotBind(let address, let reason):
            "cannot listen on \(address): \(reason) (is the IP one of this host's addresses?)"
        case .noRoute(let address, let reason):
            "cannot reach \(address): \(reason)"
        }
    }
}
