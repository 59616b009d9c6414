// Tests for ChunkTraceTests land here.
