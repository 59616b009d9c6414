/// Who writes a trace (`node`, `role`, `run`), with the constant middle of its lines encoded once.
package struct TraceLinePrefix: Sendable, Hashable {
    package let node: String
    package let role: TraceRole
    package let run: String
    /// `","node":"…","role":"…","run":"…","seq":`, the bytes between `ts` and the `seq` value.
    let middle: [UInt8]

    package init(node: String, role: TraceRole, run: String) {
        self.node = node
        self.role = role
        self.run = run
        var bytes: [UInt8] = []
        JSONBytes.appendLiteral("\",\"node\":", to: &bytes)
        JSONBytes.appendString(node, to: &bytes)
        switch role {
        case .peer: JSONBytes.appendLiteral(",\"role\":\"peer\",\"run\":", to: &bytes)
        case .client: JSONBytes.appendLiteral(",\"role\":\"client\",\"run\":", to: &bytes)
        }
        JSONBytes.appendString(run, to: &bytes)
        JSONBytes.appendLiteral(",\"seq\":", to: &bytes)
        middle = bytes
    }
}
