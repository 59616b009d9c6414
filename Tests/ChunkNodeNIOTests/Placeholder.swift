// Tests for ChunkNodeNIOTests land here.
