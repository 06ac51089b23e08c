public import Scenario

/// A case of the HTTP/2 section: what RFC 8441 and RFC 9113 ask of a server that takes WebSockets over HTTP/2, probed
/// at the level of HTTP/2 frames. Cases are data, as the catalog's are: the words a report shows, the requirement and
/// its sections, and the probe (`HTTP2Probe`) that the section's runner performs and judges.
public struct HTTP2Case: Sendable {
    public let id: CaseID
    public let title: String
    public let requirement: Requirement
    public let rfcSections: [String]
    /// What the probe sends, and what a conforming server does, in the case's own words.
    public let sends: String
    public let expectation: String
    public let probe: HTTP2Probe

    public init(
        _ id: CaseID, _ title: String, _ requirement: Requirement, rfc: [String], sends: String, expects: String,
        probe: HTTP2Probe
    ) {
        self.id = id
        self.title = title
        self.requirement = requirement
        rfcSections = rfc
        self.sends = sends
        expectation = expects
        self.probe = probe
    }
}

/// What a case does and what it judges.
public enum HTTP2Probe: Sendable, Hashable {
    /// The server's first SETTINGS set SETTINGS_ENABLE_CONNECT_PROTOCOL to 1.
    case settingEnabled
    /// No later SETTINGS sets it back to 0, across a WebSocket's whole life.
    case settingKept
    /// An extended CONNECT changed by `edits` must not open a WebSocket: a response that is not 2xx, a reset of the
    /// stream, or (heavier, but allowed) a connection error. `versionAnswer`: a refusal names the version the server
    /// speaks (`sec-websocket-version`, RFC 6455 §4.4).
    case refused([RequestEdit], versionAnswer: Bool = false)
    /// A request the server refuses gets a response that ends the stream, not a bare reset.
    case refusalIsAResponse([RequestEdit])
    /// None of these fields is in the 2xx that accepts a WebSocket.
    case responseLacks([String])
    case closing(ClosingProbe)
    case framing(FramingProbe)
    case streams(StreamsProbe)
}

/// A change to the probe's valid extended CONNECT header list.
public enum RequestEdit: Sendable, Hashable {
    /// Every field of that name goes.
    case remove(String)
    /// The field's value changes (the field is added at the end of the pseudo-header fields if missing).
    case set(String, String)
    /// A field is added after every other.
    case append(String, String)
    /// A field is sent twice.
    case duplicate(String)
    /// The field moves behind the regular fields.
    case moveToEnd(String)
    /// The field's name is sent in upper case.
    case uppercase(String)
}

public enum ClosingProbe: Sendable, Hashable {
    /// After the closing handshake the server ends its side of the stream (END_STREAM or RST_STREAM).
    case serverEndsStream
    /// ...and ends it with END_STREAM, as an orderly TCP close, not RST_STREAM.
    case endStreamNotReset
    /// The client's close frame comes with END_STREAM: the server still answers with its close frame.
    case clientEndsWithClose
    /// Resetting one WebSocket's stream leaves the connection and another WebSocket on it open.
    case resetOneOfTwo
}

public enum FramingProbe: Sendable, Hashable {
    /// An unmasked client frame fails the WebSocket (1002).
    case unmaskedClientFrame
    /// The server's frames are unmasked.
    case serverFramesUnmasked
    /// WebSocket frames cut into one-octet DATA frames, and several in one DATA frame, are one byte stream.
    case frameBoundariesIgnored
    /// permessage-deflate, offered and agreed, works over the stream.
    case permessageDeflate
}

public enum StreamsProbe: Sendable, Hashable {
    /// Two WebSockets on one connection each echo their own messages, interleaved.
    case twoWebSockets
    /// A WebSocket whose window the client holds closed does not get more DATA than the window, and another
    /// WebSocket on the connection makes progress meanwhile.
    case stalledStream
    /// A message larger than the server's initial stream window arrives whole: the server opens the window as it
    /// reads.
    case largerThanWindow
    /// An ordinary request beside an open WebSocket gets a whole response, and the WebSocket still echoes.
    case requestBeside
}
