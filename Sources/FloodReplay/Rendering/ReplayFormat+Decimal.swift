extension ReplayFormat {
    /// `0.4167` from 0.41666…: a finite, non-negative value with `places` decimals, rounded; the JSON and CSV form
    /// of a ratio. Anything else (negative, infinite, NaN) gives `0`.
    static func decimal(_ value: Double, places: Int = 4) -> String {
        var scale: Double = 1
        for _ in 0..<places { scale *= 10 }
        guard value.isFinite, value >= 0, value * scale < 9e18 else { return "0" }
        let scaled = UInt64((value * scale).rounded())
        let unit = UInt64(scale)
        guard places > 0 else { return String(scaled) }
        let fraction = String(scaled % unit)
        return "\(scaled / unit)." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
