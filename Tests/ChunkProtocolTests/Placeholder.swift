// Tests for ChunkProtocolTests land here.
