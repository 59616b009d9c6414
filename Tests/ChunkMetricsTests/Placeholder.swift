// Tests for ChunkMetricsTests land here.
