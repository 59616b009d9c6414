import NIOHTTP1

/// What the endpoint answers to one request: `/metrics` (gzip when asked), a landing page at `/`, 404 elsewhere,
/// 405 for methods other than GET and HEAD, 400 for an HTTP/1.1 request without `Host` or a target that is no path.
struct MetricsRoutes: Sendable {
    /// Produces the metrics text; called for every GET or HEAD of `/metrics`.
    let render: @Sendable () -> [UInt8]

    func response(to request: HTTPRequestHead) -> ScrapeResponse {
        if request.version.minor >= 1, request.headers["host"].isEmpty {
            return Self.badRequest("an HTTP/1.1 request needs a Host header")
        }
        guard let path = Self.path(of: request.uri) else {
            return Self.badRequest("the request target is not a path such as /metrics")
        }
        switch path {
        case "/metrics":
            guard request.method == .GET || request.method == .HEAD else { return Self.methodNotAllowed() }
            var response = ScrapeResponse(
                status: .ok, headers: ["Content-Type": ScrapeResponse.metricsContentType], body: render())
            response.headers.add(name: "Vary", value: "Accept-Encoding")
            if AcceptEncoding.allowsGzip(request.headers["accept-encoding"]),
                let compressed = GzipEncoder.compress(response.body)
            {
                response.body = compressed
                response.headers.add(name: "Content-Encoding", value: "gzip")
            }
            return response
        case "/":
            guard request.method == .GET || request.method == .HEAD else { return Self.methodNotAllowed() }
            return ScrapeResponse(
                status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(Self.landingPage.utf8))
        default:
            return .text(.notFound, "not found; metrics are at /metrics")
        }
    }

    /// The path of an origin-form (`/metrics?x`) or absolute-form (`http://host/metrics`) target, without query or
    /// fragment; nil for anything else.
    static func path(of target: String) -> Substring? {
        var path = Substring(target)
        for scheme in ["http://", "https://"] where path.lowercased().hasPrefix(scheme) {
            let authorityAndPath = path.dropFirst(scheme.count)
            path = authorityAndPath.firstIndex(of: "/").map { authorityAndPath[$0...] } ?? "/"
        }
        guard path.first == "/" else { return nil }
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        return path
    }

    private static func badRequest(_ message: String) -> ScrapeResponse {
        var response = ScrapeResponse.text(.badRequest, message)
        response.closesConnection = true
        return response
    }

    private static func methodNotAllowed() -> ScrapeResponse {
        var response = ScrapeResponse.text(.methodNotAllowed, "only GET and HEAD are allowed")
        response.headers.add(name: "Allow", value: "GET, HEAD")
        return response
    }

    static let landingPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>p2p chunk node metrics</title></head>
        <body>
        <h1>p2p chunk node</h1>
        <p>Prometheus metrics: <a href="/metrics">/metrics</a></p>
        </body>
        </html>

        """
}
