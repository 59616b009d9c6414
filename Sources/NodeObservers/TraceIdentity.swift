import ChunkNode
import ChunkTrace

/// Who a node is, as every trace line says it.
package struct TraceIdentity: Sendable, Hashable {
    package var node: String
    package var role: TraceRole
    package var run: String

    package init(node: NodeAddress, role: TraceRole, run: String) {
        self.node = node.description
        self.role = role
        self.run = run
    }
}
