/// A scenario file that cannot be read, with where: `cases.wsspec:12:7: expected a duration such as 500ms`.
public struct ScenarioFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// Line 0 is the file as a whole (it could not be read).
    public var description: String { line == 0 ? "\(file): \(message)" : "\(file):\(line):\(column): \(message)" }
}
