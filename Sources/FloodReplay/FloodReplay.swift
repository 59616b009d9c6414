// Placeholder until replay lands.
