import ChunkProtocol

/// Why a `UDPProbe` could not do what a test asked.
package enum UDPProbeError: Error, CustomStringConvertible {
    case cannotBind(reason: String)
    case cannotSend(to: NodeAddress)

    package var description: String {
        switch self {
        case .cannotBind(let reason): "cannot bind a UDP socket on loopback: \(reason)"
        case .cannotSend(let destination): "cannot send a datagram to \(destination)"
        }
    }
}
