/// `count` and `noun`, with the noun in the plural unless the count is one: `counted(1, "duplicate")` is
/// "1 duplicate", `counted(2, "query")` is "2 queries", `counted(0, "chunk")` is "0 chunks".
///
/// - Parameter plural: the plural when adding "s" (or "ies" for a consonant and "y", "es" after s, x, ch, sh) is
///   wrong.
package func counted(_ count: some BinaryInteger, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? pluralOf(noun))"
}

/// The regular English plural of `noun`.
private func pluralOf(_ noun: String) -> String {
    if noun.hasSuffix("y"), let before = noun.dropLast().last, !"aeiou".contains(before) {
        return noun.dropLast() + "ies"
    }
    if noun.hasSuffix("s") || noun.hasSuffix("x") || noun.hasSuffix("ch") || noun.hasSuffix("sh") {
        return noun + "es"
    }
    return noun + "s"
}
