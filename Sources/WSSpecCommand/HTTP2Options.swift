import ArgumentParser

/// How `run` and `fuzz` choose HTTP/2 (RFC 8441 extended CONNECT), as curl chooses it: prior knowledge in cleartext,
/// ALPN over TLS. The URL says which.
struct HTTP2Options: ParsableArguments {
    @Flag(
        name: .customLong("http2-prior-knowledge"),
        help:
            "Open each WebSocket over cleartext HTTP/2 (h2c, RFC 8441 extended CONNECT) on a ws:// URL, as curl's option of that name: a server that takes none makes the run exit 2. With run --sim, over the simulated network."
    )
    var priorKnowledge = false

    @Flag(
        name: .customLong("http2"),
        help:
            "Open each WebSocket over HTTP/2 on a wss:// URL, agreed by ALPN h2 (RFC 8441 extended CONNECT): a server that takes none makes the run exit 2."
    )
    var overTLS = false

    /// Either flag.
    var enabled: Bool { priorKnowledge || overTLS }

    /// Checks the flags against the URL (nil under --sim, which has no certificate of its own).
    func validate(url: String?) throws {
        guard enabled else { return }
        if overTLS && priorKnowledge {
            throw ValidationError("--http2 (TLS, ALPN h2) and --http2-prior-knowledge (cleartext h2c) contradict each other")
        }
        guard let url else {
            if overTLS {
                throw ValidationError(
                    "--sim serves no certificate of its own: --sim --http2-prior-knowledge runs over cleartext HTTP/2 (h2c)")
            }
            return
        }
        let secure = url.lowercased().hasPrefix("wss:")
        if overTLS && !secure {
            throw ValidationError("--http2 agrees on HTTP/2 in the TLS handshake: it needs a wss:// URL (--http2-prior-knowledge for ws://)")
        }
        if priorKnowledge && secure {
            throw ValidationError("--http2-prior-knowledge is cleartext HTTP/2 (h2c): it needs a ws:// URL (--http2 for wss://)")
        }
    }
}
