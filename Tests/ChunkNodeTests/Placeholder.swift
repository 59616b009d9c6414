// Tests for ChunkNodeTests land here.
