import NIOCore

/// How a client asks for chunks and when it gives up.
package struct ClientConfiguration: Sendable, Hashable {
    package var contact: NodeAddress
    /// The asked chunk ids, duplicates removed, first occurrence kept.
    package private(set) var chunks: [ChunkID]
    /// The client ends after this long without receiving a datagram.
    package var inactivityTimeout: TimeAmount
    /// A GET not answered within this interval is sent again.
    package var retryInterval: TimeAmount
    /// How many times one chunk's GET is re-sent at most.
    package var maxRetries: Int
    /// How many times the HELLO is re-sent while some asked chunk has not been announced by anyone.
    package var helloRetries: Int
    /// The wait before a HELLO is re-sent.
    package var helloRetryInterval: TimeAmount

    package init(
        contact: NodeAddress, chunks: [ChunkID], inactivityTimeout: TimeAmount = .seconds(5),
        retryInterval: TimeAmount = .milliseconds(250), maxRetries: Int = 3, helloRetries: Int = 0,
        helloRetryInterval: TimeAmount = .seconds(1)
    ) {
        self.contact = contact
        var seen = Set<ChunkID>()
        self.chunks = chunks.filter { seen.insert($0).inserted }
        self.inactivityTimeout = inactivityTimeout
        self.retryInterval = retryInterval
        self.maxRetries = maxRetries
        self.helloRetries = helloRetries
        self.helloRetryInterval = helloRetryInterval
    }

    /// Parses the command line's id list, `1,3,4,5,9`.
    ///
    /// - Throws: `ChunkListError` naming the bad item.
    package static func parseChunkList(_ text: String) throws(ChunkListError) -> [ChunkID] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        var ids = [ChunkID]()
        for item in items {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let id = ChunkID(trimmed) else {
                throw trimmed.isEmpty ? .empty(text) : .badID(list: text, item: String(trimmed))
            }
            ids.append(id)
        }
        return ids
    }
}

/// Why a chunk id list cannot be used.
package enum ChunkListError: Error, Hashable, Sendable, CustomStringConvertible {
    case empty(String)
    case badID(list: String, item: String)

    package var description: String {
        switch self {
        case .empty(let list):
            "chunk list '\(list)' has an empty item: give ids separated by commas, e.g. 1,3,4,5,9"
        case .badID(let list, let item):
            "chunk list '\(list)': '\(item)' is not a chunk id from 0 to 65535"
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> Substring {
        var slice = self
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return slice
    }
}

extension Set where Element == Character {
    fileprivate static let whitespaces: Set<Character> = [" ", "\t"]
}
