// Quantities as people type them: `70B`, `1.4T`, `3.14e23`, `2.5k`, `$4.6M`, `10M`, `1,000`.
// Suffixes are decimal SI-style multipliers (k = 1e3, M = 1e6, B/G = 1e9, T = 1e12, P = 1e15),
// case-insensitive; a leading `$` marks dollars. NaN and infinities are always rejected.

import Foundation

/// A number parsed from user text, remembering whether it was written as dollars.
public struct Quantity: Sendable, Equatable {
  /// The numeric value, suffix applied (`"70B"` → 7e10).
  public var value: Double
  /// True when the text started with `$`.
  public var isDollars: Bool

  /// Creates a quantity from a value.
  public init(_ value: Double, isDollars: Bool = false) {
    self.value = value
    self.isDollars = isDollars
  }

  /// Multipliers for the accepted suffixes (lowercased).
  public static let suffixes: [Character: Double] = [
    "k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12, "p": 1e15,
  ]

  /// Parses text such as `70B`, `$4.6M`, `3.1e23` or `1,000`.
  /// - Parameter name: what the value is (e.g. "--params"), used in the error sentence.
  /// - Throws: `QuantityError.malformed` for anything that is not a finite number with an optional
  ///   `$` and one suffix.
  public static func parse(_ text: String, name: String = "value") throws -> Quantity {
    // Plain numbers (the common case in catalogs) parse without any string rewriting.
    if let plain = Double(text), plain.isFinite, text.utf8.allSatisfy({ $0 < 0x41 || $0 == 0x65 || $0 == 0x45 }) {
      return Quantity(plain)
    }
    var s = text.trimmingCharacters(in: .whitespaces)
    var dollars = false
    if s.hasPrefix("$") {
      dollars = true
      s.removeFirst()
    }
    s = s.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
    var multiplier = 1.0
    if let last = s.last, last.isLetter {
      let lower = Character(last.lowercased())
      // A trailing letter is a suffix only if it is known and what precedes it is a number;
      // `1e23` ends in a digit, so exponents never reach this branch.
      guard let m = suffixes[lower] else {
        throw QuantityError.malformed(name: name, text: text)
      }
      multiplier = m
      s.removeLast()
    }
    guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
      let number = Double(s), number.isFinite
    else {
      throw QuantityError.malformed(name: name, text: text)
    }
    let value = number * multiplier
    guard value.isFinite else { throw QuantityError.malformed(name: name, text: text) }
    return Quantity(value, isDollars: dollars)
  }

  /// Parses and requires a finite value greater than zero.
  /// - Throws: `QuantityError.malformed` or `QuantityError.notPositive`.
  public static func parsePositive(_ text: String, name: String) throws -> Double {
    let q = try parse(text, name: name)
    guard q.value > 0 else { throw QuantityError.notPositive(name: name, value: q.value) }
    return q.value
  }
}

/// Errors from parsing or checking user-supplied numbers; each reads as one sentence.
public enum QuantityError: Error, CustomStringConvertible, Equatable {
  case malformed(name: String, text: String)
  case notPositive(name: String, value: Double)
  case outOfRange(name: String, value: Double, range: String)

  public var description: String {
    switch self {
    case .malformed(let name, let text):
      return
        "\(name) '\(text)' is not a number; write a finite number with an optional suffix k, M, B, T, P (e.g. 70B, 1.4T, 3.1e23, $4.6M)."
    case .notPositive(let name, let value):
      return "\(name) must be greater than zero, got \(Format.number(value))."
    case .outOfRange(let name, let value, let range):
      return "\(name) must be \(range), got \(Format.number(value))."
    }
  }
}

/// Checks a finite positive number supplied directly (not as text).
/// - Throws: `QuantityError.notPositive` for zero, negative, NaN or infinite values.
public func requirePositive(_ value: Double, _ name: String) throws {
  guard value.isFinite, value > 0 else { throw QuantityError.notPositive(name: name, value: value) }
}

/// `x` as an `Int` (toward zero), saturating at `Int.max`/`Int.min` and 0 for NaN. For counts
/// derived from already validated inputs, so that no combination of inputs can trap the
/// conversion; results are then checked for range by their callers.
public func saturatingInt(_ x: Double) -> Int {
  if x.isNaN { return 0 }
  if x >= 9.2e18 { return Int.max }
  if x <= -9.2e18 { return Int.min }
  return Int(x)
}

/// Checks `low ≤ value ≤ high` (finite).
/// - Throws: `QuantityError.outOfRange`.
public func requireRange(_ value: Double, _ name: String, _ low: Double, _ high: Double) throws {
  guard value.isFinite, value >= low, value <= high else {
    throw QuantityError.outOfRange(
      name: name, value: value, range: "between \(Format.number(low)) and \(Format.number(high))")
  }
}

/// Number formatting shared by tables, notebooks and explanations. Deterministic (no locale).
public enum Format {
  /// Seconds as "1h02m", "3m05s" or "12s"; "?" for a negative or non-finite value.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 1e15 else { return "?" }
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
  }

  /// A fraction as a signed percentage with one decimal: 0.034 → "+3.4%".
  public static func signedPercent(_ fraction: Double) -> String {
    String(format: "%+.1f%%", 100 * fraction)
  }

  /// A catalog value as `catalog show` prints it: counts of 10⁴ and above with SI suffixes
  /// (3.55M), 10¹⁵ and above in scientific notation, others with six significant digits.
  public static func catalogValue(_ v: Double) -> String {
    if abs(v) >= 1e15 { return scientific(v, digits: 4) }
    if abs(v) >= 1e4 { return si(v, digits: 4) }
    return significant(v, digits: 6)
  }

  /// SI-suffixed count with `digits` significant digits: 7e10 → "70B", 1.4e12 → "1.4T".
  /// Values of 1e15 and above, or below 1, fall back to `scientific`.
  public static func si(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return "\(value)" }
    let a = abs(value)
    let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
    if a >= 1e15 { return scientific(value, digits: digits) }
    for (scale, suffix) in units where a >= scale {
      return significant(value / scale, digits: digits) + suffix
    }
    if a >= 1 || a == 0 { return significant(value, digits: digits) }
    return scientific(value, digits: digits)
  }

  /// Dollars with an SI suffix: 4.6e6 → "$4.6M"; below $1000, two decimals below $10.
  public static func dollars(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return "$\(value)" }
    let sign = value < 0 ? "-" : ""
    let a = abs(value)
    if a >= 1e3 { return sign + "$" + si(a, digits: digits) }
    if a >= 0.01 || a == 0 { return sign + "$" + significant(a, digits: digits) }
    return sign + "$" + scientific(a, digits: digits)
  }

  /// Scientific notation with `digits` significant digits: 3.14e23 → "3.14e23".
  public static func scientific(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return "\(value)" }
    if value == 0 { return "0" }
    let exponent = Int(floor(log10(abs(value))))
    var mantissa = value / pow(10, Double(exponent))
    var e = exponent
    // Rounding can carry the mantissa to 10 (9.996 → 10.0): renormalise.
    let rounded = (mantissa * pow(10, Double(digits - 1))).rounded() / pow(10, Double(digits - 1))
    mantissa = rounded
    if abs(mantissa) >= 10 {
      mantissa /= 10
      e += 1
    }
    return trimmed(String(format: "%.\(max(digits - 1, 0))f", mantissa)) + "e\(e)"
  }

  /// A plain number with `digits` significant digits and trailing zeros removed.
  public static func significant(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return "\(value)" }
    if value == 0 { return "0" }
    // Huge or tiny magnitudes would print dozens of digits: use scientific notation instead.
    if abs(value) >= 1e15 || abs(value) < 1e-6 { return scientific(value, digits: digits) }
    let magnitude = Int(floor(log10(abs(value))))
    let decimals = max(digits - 1 - magnitude, 0)
    return trimmed(String(format: "%.\(decimals)f", value))
  }

  /// A general-purpose short rendering for error messages: SI for big counts, else significant.
  public static func number(_ value: Double) -> String {
    if !value.isFinite { return value.isNaN ? "NaN" : (value > 0 ? "infinity" : "-infinity") }
    if abs(value) >= 1e15 || (abs(value) < 1e-3 && value != 0) {
      return scientific(value, digits: 4)
    }
    return significant(value, digits: 4)
  }

  /// A fixed-precision rendering for byte-stable exports (`%.{decimals}f`).
  public static func fixed(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
  }

  private static func trimmed(_ s: String) -> String {
    guard s.contains(".") else { return s }
    var t = s
    while t.hasSuffix("0") { t.removeLast() }
    if t.hasSuffix(".") { t.removeLast() }
    return t
  }
}
