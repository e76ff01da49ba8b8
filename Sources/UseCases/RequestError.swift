// Errors a request can raise before or while it is answered; each is one sentence a face shows
// as it is (the CLI on stderr with a non-zero exit, the web server beside the field with a 4xx).

import Planner

/// A request that cannot be answered as given.
public enum RequestError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A request whose inputs contradict each other, lack a partner, or fall outside their range;
  /// the sentence names the inputs.
  case invalid(String)
  /// The catalog has no price for an accelerator and the request gave none.
  case noPrice(String)
  /// The catalog has no peak at the precision asked for.
  case noPeak(String, String)
  /// A catalog model without a training-token count.
  case modelWithoutTokens(String)
  /// An explicit run database that does not exist.
  case missingDatabase(String)

  /// One sentence.
  public var description: String {
    switch self {
    case .invalid(let sentence):
      return sentence
    case .noPrice(let id):
      return "The catalog has no price for '\(id)'; pass --price in US$ per accelerator-hour."
    case .noPeak(let id, let precision):
      return "The catalog has no \(precision) peak for '\(id)'; choose another --precision."
    case .modelWithoutTokens(let id):
      return "Model '\(id)' has no known training-token count; give --params and --tokens instead."
    case .missingDatabase(let path):
      return "--db '\(path)' does not exist."
    }
  }
}

/// A result that carries its explanation. Faces that were not asked for the explanation drop it
/// (`withoutExplanation()`) before encoding, so `--json` stays as short as before `--explain`.
public protocol Explained {
  /// Every derived figure's formula, inputs and sources; nil only after `withoutExplanation()`.
  var explanation: Explanation? { get set }
}

extension Explained {
  /// The same result with its explanation removed.
  public func withoutExplanation() -> Self {
    var copy = self
    copy.explanation = nil
    return copy
  }
}
