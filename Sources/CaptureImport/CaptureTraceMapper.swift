import ChunkProtocol
import ChunkTrace
import NodeObservers

/// Maps datagrams seen on the wire to trace events in the ordinary schema: a datagram from A to B becomes A's
/// `send` and B's `recv`, both stamped with the capture time.
///
/// The first time a node appears it gets a `start` event whose `software` says its events came from a capture
/// (`TraceEvent.captureSoftware`); its role is read from that first message (HELLO and GET come from clients,
/// CHUNK_INFO and RESPONSE go to them, QUERY is between peers). There is no `cause`: replay infers it.
package struct CaptureTraceMapper {
    /// What the start events name as the source (file or interface) and the tool.
    package let software: String
    /// The run id of every node of this capture.
    package let run: String
    private var nodes: [NodeAddress: (prefix: TraceLinePrefix, nextSeq: UInt64)] = [:]

    package init(source: String, tool: String, run: String) {
        software = TraceEvent.captureSoftware(source: source, tool: tool)
        self.run = run
    }

    /// Every node seen so far, with its role.
    package var roles: [NodeAddress: TraceRole] { nodes.mapValues(\.prefix.role) }

    /// The events of one datagram: a `start` for each end not seen before, then the sender's `send` and the
    /// receiver's `recv`.
    package mutating func events(for datagram: WireDatagram) -> [TraceEvent] {
        var events: [TraceEvent] = []
        let roles = Self.roles(of: datagram.message.type)
        for (sent, node, role, peer) in [
            (true, datagram.source, roles.sender, datagram.destination),
            (false, datagram.destination, roles.receiver, datagram.source),
        ] {
            let (prefix, seq) = nextSeq(of: node, role: role, at: datagram.timestamp, starting: &events)
            let message = TraceMessageEvent(datagram.message, sent: sent, peer: peer, bytes: datagram.bytes, cause: nil)
            events.append(message.event(prefix: prefix, seq: seq, timestamp: datagram.timestamp))
        }
        return events
    }

    private mutating func nextSeq(
        of node: NodeAddress, role: TraceRole, at time: Int64, starting events: inout [TraceEvent]
    ) -> (TraceLinePrefix, UInt64) {
        if var known = nodes[node] {
            known.nextSeq += 1
            nodes[node] = known
            return (known.prefix, known.nextSeq - 1)
        }
        let prefix = TraceLinePrefix(node: node.description, role: role, run: run)
        events.append(
            TraceEvent(
                timestamp: time, node: prefix.node, role: role, run: run, seq: 1, kind: .start, software: software))
        nodes[node] = (prefix, 3)
        return (prefix, 2)
    }

    /// Who sends and who receives each message type.
    static func roles(of type: MessageType) -> (sender: TraceRole, receiver: TraceRole) {
        switch type {
        case .hello, .get: (.client, .peer)
        case .chunkInfo, .response: (.peer, .client)
        case .query: (.peer, .peer)
        }
    }
}
