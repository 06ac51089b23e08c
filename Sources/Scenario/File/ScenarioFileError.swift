/// A scenario file that cannot be read, with where: `cases.wsspec:12:7: expected a duration such as 500ms`.
public struct ScenarioFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
