/// Prometheus text parsed for the checks promtool does not make.
struct ParsedExposition {
    struct Sample: Equatable {
        var name: String
        var labels: [(String, String)]
        var value: Double

        static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.name == rhs.name && lhs.labels.elementsEqual(rhs.labels, by: ==) && lhs.value == rhs.value
        }

        func label(_ name: String) -> String? { labels.first { $0.0 == name }?.1 }

        /// Name and labels as written, without the value.
        var series: String { name + "{" + labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}" }
    }

    struct Family {
        var name: String
        var help: String?
        var type: String?
        var samples: [Sample] = []
    }

    var families: [Family] = []

    enum Failure: Error, CustomStringConvertible {
        case badLine(String)
        var description: String {
            switch self {
            case .badLine(let line): "cannot parse line: \(line)"
            }
        }
    }

    init(_ bytes: [UInt8]) throws {
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let words = line.split(separator: " ", maxSplits: 3)
                guard words.count == 4 else { throw Failure.badLine(String(line)) }
                let name = String(words[2])
                if families.last?.name != name { families.append(Family(name: name)) }
                if words[1] == "HELP" {
                    families[families.count - 1].help = String(words[3])
                } else {
                    families[families.count - 1].type = String(words[3])
                }
                continue
            }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw Failure.badLine(String(line))
            }
            let series = line[..<space]
            var name = series
            var labels: [(String, String)] = []
            if let brace = series.firstIndex(of: "{") {
                name = series[..<brace]
                let inner = series[series.index(after: brace)...].dropLast()
                for pair in inner.split(separator: ",") {
                    guard let equals = pair.firstIndex(of: "=") else { throw Failure.badLine(String(line)) }
                    labels.append(
                        (String(pair[..<equals]), String(pair[pair.index(equals, offsetBy: 2)...].dropLast())))
                }
            }
            if families.isEmpty { families.append(Family(name: String(name))) }
            families[families.count - 1].samples.append(Sample(name: String(name), labels: labels, value: value))
        }
    }

    var samples: [Sample] { families.flatMap(\.samples) }

    /// The value of the one sample with this name and these labels (in any order).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in
            sample.name == name && sample.labels.count == labels.count
                && sample.labels.allSatisfy { labels[$0.0] == $0.1 }
        }?.value
    }
}
