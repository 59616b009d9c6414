// Tests for EndToEndTests land here.
