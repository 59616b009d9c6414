extension TraceEvent {
    /// The start of the `software` field of a `start` event written by `p2ptrace import`/`capture`: this node's
    /// events were seen on the wire, not written by the node itself (no `cause`, no drops, no client outcomes).
    package static let captureSoftwarePrefix = "capture: "

    /// The `software` value saying that a node's events come from `source` (a capture file or an interface).
    package static func captureSoftware(source: String, tool: String) -> String {
        "\(captureSoftwarePrefix)\(source) (\(tool))"
    }

    /// Whether a `start` event's `software` says the node's events come from a capture.
    package static func isCaptureSoftware(_ software: String?) -> Bool {
        software?.hasPrefix(captureSoftwarePrefix) ?? false
    }
}
