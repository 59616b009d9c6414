import ChunkTrace

extension TraceMessageType {
    var code: UInt8 {
        switch self {
        case .hello: 1
        case .query: 2
        case .chunkInfo: 3
        case .get: 4
        case .response: 5
        }
    }
}
