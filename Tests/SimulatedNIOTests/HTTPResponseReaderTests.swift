import Testing

@testable import WebSocketTesting

/// The test client's HTTP response reader costs in proportion to the bytes that arrive, however they are cut.
@Suite("The test client's HTTP response reader is linear in what arrives")
struct HTTPResponseReaderTests {
    @Test func longChunkSizeLinesArrivingOneByteAtATimeAreLookedAtOnce() throws {
        // 200 chunks of one byte, each announced by a size line padded with a 900-byte extension.
        var text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        let extensionText = ";x=" + String(repeating: "a", count: 900)
        for _ in 0..<200 { text += "1" + extensionText + "\r\nz\r\n" }
        text += "0\r\n\r\n"
        var reader = HTTPResponseReader(bodyLimit: 1 << 20, noBody: false)
        var response: TestHTTPResponse?
        for byte in Array(text.utf8) where response == nil { response = try reader.append([byte]) }
        #expect(response?.body == Array(repeating: UInt8(ascii: "z"), count: 200))
        // Each byte of the size lines once (a search that started over at every byte would look ~450x as often).
        #expect(reader.lineBytesExamined <= text.utf8.count)
    }
}
