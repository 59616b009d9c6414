/// Conversions between a trace timestamp (microseconds since the Unix epoch) and RFC 3339 UTC text.
///
/// Written form: `2026-11-25T16:28:12.123456Z`, always six fractional digits. Years outside 0…9999 (never seen
/// in practice) are written with as many digits as needed; the parser reads four-digit years only, so a line it
/// accepts is always written back in a form it accepts again.
package enum TraceTimestamp {
    /// Splits microseconds into whole days since the epoch and microseconds into that day.
    private static func split(_ micros: Int64) -> (days: Int64, microsOfDay: Int64) {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        return (days, rest)
    }

    /// Civil date of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
    package static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a civil date.
    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `2026-11-25T16:28:12.123456Z` from microseconds since the Unix epoch.
    package static func string(_ micros: Int64) -> String {
        var buffer = [UInt8]()
        buffer.reserveCapacity(27)
        append(micros, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends `2026-11-25T16:28:12.123456Z` (no quotes).
    static func append(_ micros: Int64, to buffer: inout [UInt8]) {
        let (days, microsOfDay) = split(micros)
        let (year, month, day) = civil(fromDays: days)
        if year >= 0 && year <= 9999 {
            appendDigits(year, count: 4, to: &buffer)
        } else {
            JSONBytes.appendDecimal(year, to: &buffer)
        }
        let seconds = microsOfDay / 1_000_000
        buffer.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        appendDigits(seconds / 3600, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(seconds / 60 % 60, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(seconds % 60, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDigits(microsOfDay % 1_000_000, count: 6, to: &buffer)
        buffer.append(UInt8(ascii: "Z"))
    }

    /// `20261125T162812.123456Z`: a compact, sortable stamp for file names.
    static func fileStamp(_ micros: Int64) -> String {
        let (days, microsOfDay) = split(micros)
        let (year, month, day) = civil(fromDays: days)
        let seconds = microsOfDay / 1_000_000
        var out: [UInt8] = []
        appendDigits(year, count: 4, to: &out)
        appendDigits(month, count: 2, to: &out)
        appendDigits(day, count: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(seconds / 3600, count: 2, to: &out)
        appendDigits(seconds / 60 % 60, count: 2, to: &out)
        appendDigits(seconds % 60, count: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(microsOfDay % 1_000_000, count: 6, to: &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func appendDigits(_ value: Int64, count: Int, to buffer: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(truncatingIfNeeded: 48 + rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Parses RFC 3339 text (`2026-11-25T16:28:12.123456Z`, any number of fractional digits, `Z` or `±hh:mm`,
    /// `T`/`t`/space as separator). Digits beyond microseconds are truncated. Returns `nil` when malformed, when the
    /// year is not exactly four digits (`-0922`, `10000`), or when the offset moves the instant out of 0000…9999.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var scanner = RFC3339Scanner(text: text)
        guard let year = scanner.year(), scanner.expect(UInt8(ascii: "-")), let month = scanner.digits(2),
            scanner.expect(UInt8(ascii: "-")), let day = scanner.digits(2), scanner.dateTimeSeparator(),
            let hour = scanner.digits(2), scanner.expect(UInt8(ascii: ":")), let minute = scanner.digits(2),
            scanner.expect(UInt8(ascii: ":")), let second = scanner.digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        guard let fraction = scanner.microseconds(), let offsetSeconds = scanner.zoneOffset(), scanner.atEnd
        else { return nil }
        let dayCount = days(year: year, month: month, day: day)
        let secondsOfDay = hour * 3600 + minute * 60 + second - offsetSeconds
        let (total, overflow) = dayCount.multipliedReportingOverflow(by: 86_400)
        guard !overflow else { return nil }
        let (seconds, overflow2) = total.addingReportingOverflow(secondsOfDay)
        let (micros, overflow3) = seconds.multipliedReportingOverflow(by: 1_000_000)
        let (result, overflow4) = micros.addingReportingOverflow(fraction)
        guard !overflow2, !overflow3, !overflow4, writableRange.contains(result) else { return nil }
        return result
    }

    /// The instants written with a four-digit year (0000-01-01 to 9999-12-31 UTC): a zone offset must not carry a
    /// parsed time out of them, or the line written back would not parse.
    private static let writableRange =
        days(year: 0, month: 1, day: 1) * 86_400_000_000..<days(year: 10_000, month: 1, day: 1) * 86_400_000_000
}
