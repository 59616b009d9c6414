// Tests for FloodReplayTests land here.
