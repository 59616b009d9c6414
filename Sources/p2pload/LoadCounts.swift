/// What one worker (or the whole run) sent and got back.
struct LoadCounts: Sendable {
    var sent = 0
    /// Well-formed answers of the expected type for the asked chunk.
    var answers = 0
    /// Answers that arrived before the measuring window closed.
    var answersInWindow = 0
    /// Datagrams that were not a valid answer (wrong type, wrong chunk, bad length).
    var invalid = 0
    /// Times a socket's window was given up on after no answer came for the stall timeout.
    var stalls = 0
    /// Nanoseconds from the start to the last answer.
    var lastAnswerNanos: UInt64 = 0

    static func + (lhs: LoadCounts, rhs: LoadCounts) -> LoadCounts {
        LoadCounts(
            sent: lhs.sent + rhs.sent, answers: lhs.answers + rhs.answers,
            answersInWindow: lhs.answersInWindow + rhs.answersInWindow, invalid: lhs.invalid + rhs.invalid,
            stalls: lhs.stalls + rhs.stalls, lastAnswerNanos: max(lhs.lastAnswerNanos, rhs.lastAnswerNanos))
    }
}
