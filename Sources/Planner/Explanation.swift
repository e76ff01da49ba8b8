// `--explain`: every printed figure can be traced to a formula, its inputs and their sources.
// Library functions return `Explanation` values beside their results; the CLI renders them.

/// One input to a formula: its symbol, value as shown, and where it came from.
public struct ExplainedInput: Sendable, Codable, Equatable {
  public var symbol: String
  public var value: String
  public var source: String
  public init(_ symbol: String, _ value: String, source: String) {
    self.symbol = symbol
    self.value = value
    self.source = source
  }
}

/// One derived figure: what it is, the formula, the inputs, the result and the formula's source.
public struct ExplainedStep: Sendable, Codable, Equatable {
  public var quantity: String
  public var formula: String
  public var inputs: [ExplainedInput]
  public var result: String
  public var source: String
  public init(
    quantity: String, formula: String, inputs: [ExplainedInput], result: String, source: String
  ) {
    self.quantity = quantity
    self.formula = formula
    self.inputs = inputs
    self.result = result
    self.source = source
  }
}

/// An ordered list of explained steps for one answer.
public struct Explanation: Sendable, Codable, Equatable {
  public var steps: [ExplainedStep]
  public init(_ steps: [ExplainedStep] = []) { self.steps = steps }
  public mutating func add(_ step: ExplainedStep) { steps.append(step) }

  /// Plain-text rendering: one block per step.
  public func render() -> String {
    var out = ""
    for (i, s) in steps.enumerated() {
      out += "[\(i + 1)] \(s.quantity) = \(s.result)\n"
      out += "    formula: \(s.formula)\n"
      out += "    source:  \(s.source)\n"
      for input in s.inputs {
        out += "    \(input.symbol) = \(input.value)  (\(input.source))\n"
      }
    }
    return out
  }
}
