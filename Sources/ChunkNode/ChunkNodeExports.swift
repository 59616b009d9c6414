@_exported import ChunkProtocol
