/// Builds a scenario's steps from statements: `Send.text("hi")`, `Expect.text("hi")`, `OneOf { … }`.
@resultBuilder
public enum StepBuilder {
    public static func buildExpression(_ step: Step) -> [Step] { [step] }
    public static func buildExpression(_ steps: [Step]) -> [Step] { steps }
    public static func buildExpression(_ expectation: Expectation) -> [Step] { [.expect(expectation)] }
    public static func buildBlock(_ parts: [Step]...) -> [Step] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Step]?) -> [Step] { part ?? [] }
    public static func buildEither(first part: [Step]) -> [Step] { part }
    public static func buildEither(second part: [Step]) -> [Step] { part }
    public static func buildArray(_ parts: [[Step]]) -> [Step] { parts.flatMap { $0 } }
}

/// Builds the expectations of one alternative.
@resultBuilder
public enum ExpectationBuilder {
    public static func buildExpression(_ expectation: Expectation) -> [Expectation] { [expectation] }
    public static func buildBlock(_ parts: [Expectation]...) -> [Expectation] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Expectation]?) -> [Expectation] { part ?? [] }
    public static func buildEither(first part: [Expectation]) -> [Expectation] { part }
    public static func buildEither(second part: [Expectation]) -> [Expectation] { part }
}

/// Builds the alternatives of a `OneOf`.
@resultBuilder
public enum AlternativeBuilder {
    public static func buildExpression(_ alternative: Alternative) -> [Alternative] { [alternative] }
    public static func buildBlock(_ parts: [Alternative]...) -> [Alternative] { parts.flatMap { $0 } }
}
