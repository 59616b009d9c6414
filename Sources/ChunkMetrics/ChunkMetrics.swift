// Placeholder until the metrics module lands.
