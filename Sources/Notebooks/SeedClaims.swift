// The seed article's ten claims, each checked by asking the use-case layer one question
// (`Engine.answer`: a use case's name and its request's JSON, the result's JSON back, the same JSON
// the command's --json prints) and comparing one number of the answer with the published figure.
// The checks live in data/claims.csv so a reader can see and edit them; this file only runs and
// judges them.

import Catalog
import Foundation
import Planner
import UseCases

/// Runs `scaleplan <arguments> --json` and returns its standard output.
public typealias CommandRunner = @Sendable ([String]) throws -> Data

/// How an observed number is judged against the published one.
public enum ClaimRule: String, Sendable {
  case approx, within, above, below, between, equals, info
}

/// One check of one claim (a row of data/claims.csv).
public struct ClaimCheck: Sendable {
  public var claim: Int
  public var id: String
  public var title: String
  public var statement: String
  public var published: String
  public var expected: Double?
  /// Upper bound for `between`.
  public var upper: Double?
  public var unit: String
  /// The equivalent CLI command (shown in the notebook).
  public var command: [String]
  /// The use case (`project`, `cost-train`, …) and its request's JSON, answered in-process.
  public var useCase: String
  public var request: String
  public var key: String
  public var rule: ClaimRule
  public var tolerance: Double?
  /// Another check whose observed value divides this one's (a ratio between two commands).
  public var of: String?
  public var source: String
  public var tag: String

  /// The command as a user would type it.
  public var commandLine: String {
    "scaleplan " + command.map { $0.contains("$") ? "'\($0)'" : $0 }.joined(separator: " ")
  }
}

/// The result of running one check.
public struct ClaimOutcome: Sendable {
  public var check: ClaimCheck
  /// The value read from the command (after dividing by `of`, when given).
  public var observed: Double
  /// nil for `info` checks.
  public var passed: Bool?
  /// How far the observation is from the published figure, in words.
  public var difference: String
}

/// Errors running the claims; each reads as one sentence.
public enum ClaimError: Error, CustomStringConvertible {
  case badRow(String)
  case missingKey(check: String, key: String)
  case unknownReference(check: String, of: String)
  case unanswerable(check: String, useCase: String)

  public var description: String {
    switch self {
    case .badRow(let reason): return "claims.csv: \(reason)"
    case .missingKey(let check, let key):
      return "Claim check \(check): the command's JSON has no number at '\(key)'."
    case .unknownReference(let check, let of):
      return "Claim check \(check) divides by check '\(of)', which does not come before it."
    case .unanswerable(let check, let useCase):
      return
        "Claim check \(check) asks use case '\(useCase)', which the engine does not answer, "
        + "or the row gives no request."
    }
  }
}

/// Loads and runs the claims.
public enum SeedClaims {
  /// The catalog file holding the checks.
  public static let fileName = "claims.csv"

  /// Reads the checks from `claims.csv`.
  /// - Throws: `CatalogError` for unreadable or malformed rows.
  public static func load(_ files: CatalogFiles) throws -> [ClaimCheck] {
    let t = try files.table(fileName)
    var out: [ClaimCheck] = []
    for r in t.rows {
      let ruleText = try t.string(r, "rule")
      guard let rule = ClaimRule(rawValue: ruleText) else {
        throw t.error(
          r, "rule", "rule must be approx, within, above, below, between, equals or info.")
      }
      let of = try t.string(r, "of")
      out.append(
        ClaimCheck(
          claim: Int(try t.number(r, "claim")), id: try t.string(r, "check"),
          title: try t.string(r, "title"), statement: try t.string(r, "statement"),
          published: try t.string(r, "published"), expected: try t.optionalNumber(r, "expected"),
          upper: try t.optionalNumber(r, "upper"),
          unit: try t.string(r, "unit"), command: splitCommand(try t.string(r, "command")),
          useCase: try t.string(r, "use_case"), request: try t.string(r, "request"),
          key: try t.string(r, "key"), rule: rule, tolerance: try t.optionalNumber(r, "tolerance"),
          of: of.isEmpty ? nil : of, source: try t.string(r, "source"), tag: try t.string(r, "tag")))
    }
    return out
  }

  /// Splits a command line on spaces, honouring single and double quotes.
  public static func splitCommand(_ s: String) -> [String] {
    var out: [String] = []
    var cur = ""
    var quote: Character?
    var has = false
    for c in s {
      if let q = quote {
        if c == q { quote = nil } else { cur.append(c) }
      } else if c == "'" || c == "\"" {
        quote = c
        has = true
      } else if c == " " {
        if has || !cur.isEmpty { out.append(cur) }
        cur = ""
        has = false
      } else {
        cur.append(c)
      }
    }
    if has || !cur.isEmpty { out.append(cur) }
    return out
  }

  /// Reads a number at a dotted path (`cost_usd`, `0.loss`) from parsed JSON.
  static func number(at path: String, in json: Any) -> Double? {
    var node: Any = json
    for part in path.split(separator: ".") {
      if let i = Int(part), let a = node as? [Any], i < a.count {
        node = a[i]
      } else if let d = node as? [String: Any], let v = d[String(part)] {
        node = v
      } else {
        return nil
      }
    }
    if let n = node as? NSNumber { return n.doubleValue }
    if let d = node as? Double { return d }
    return nil
  }

  /// The JSON answer to one check, in-process through `engine.answer` (the row's use case and
  /// request).
  /// - Throws: the use case's error, or `ClaimError.unanswerable` for a row without a request.
  public static func answer(_ c: ClaimCheck, engine: Engine) throws -> Data {
    guard !c.request.isEmpty && Engine.useCaseNames.contains(c.useCase) else {
      throw ClaimError.unanswerable(check: c.id, useCase: c.useCase)
    }
    return try engine.answer(useCase: c.useCase, request: Data(c.request.utf8))
  }

  /// Runs every check (each distinct question once) and judges it.
  /// - Throws: errors from the engine, or `ClaimError` for a missing key or reference.
  public static func evaluate(_ checks: [ClaimCheck], engine: Engine) throws -> [ClaimOutcome] {
    var cache: [[String]: Any] = [:]
    func json(_ c: ClaimCheck) throws -> Any {
      if let j = cache[c.command] { return j }
      let j = try JSONSerialization.jsonObject(with: try answer(c, engine: engine))
      cache[c.command] = j
      return j
    }
    var raw: [String: Double] = [:]
    var out: [ClaimOutcome] = []
    for c in checks {
      guard let value = number(at: c.key, in: try json(c)) else {
        throw ClaimError.missingKey(check: c.id, key: c.key)
      }
      raw[c.id] = value
      var observed = value
      if let of = c.of {
        // A ratio may refer to a check whose own row comes later.
        let later = checks.first { $0.id == of }
        let denominator = try raw[of] ?? later.flatMap { number(at: $0.key, in: try json($0)) }
        guard let denominator else { throw ClaimError.unknownReference(check: c.id, of: of) }
        observed = value / denominator
      }
      out.append(judge(c, observed))
    }
    return out
  }

  static func judge(_ c: ClaimCheck, _ observed: Double) -> ClaimOutcome {
    let e = c.expected ?? .nan
    var passed: Bool?
    var diff = ""
    switch c.rule {
    case .approx:
      let rel = observed / e - 1
      passed = abs(rel) <= (c.tolerance ?? 0)
      diff = "\(signedPercent(rel)) (tolerance ±\(Format.significant(100 * (c.tolerance ?? 0), digits: 2))%)"
    case .within:
      passed = abs(observed - e) <= (c.tolerance ?? 0)
      diff = "\(observed - e >= 0 ? "+" : "")\(Format.significant(observed - e, digits: 2)) \(c.unit) (tolerance ±\(Format.number(c.tolerance ?? 0)))"
    case .above:
      passed = observed > e
      diff = "\(Format.significant(observed / e, digits: 3))× the threshold"
    case .below:
      passed = observed < e
      diff = "\(Format.significant(observed / e, digits: 3))× the threshold"
    case .between:
      let hi = c.upper ?? .nan
      passed = observed >= e && observed <= hi
      diff = passed == true ? "inside the range" : "outside the range"
    case .equals:
      passed = observed == e
      diff = passed == true ? "exact" : "differs"
    case .info:
      passed = nil
      diff = c.expected.map { "\(Format.significant(observed / $0, digits: 3))× the published figure" } ?? "—"
    }
    return ClaimOutcome(check: c, observed: observed, passed: passed, difference: diff)
  }

  static func signedPercent(_ x: Double) -> String {
    (x >= 0 ? "+" : "") + Format.fixed(100 * x, decimals: 2) + "%"
  }

  /// A number shown in its unit's natural format.
  public static func show(_ v: Double, unit: String) -> String {
    switch unit {
    case "USD", "USD/year": return Format.dollars(v)
    case "USD/query": return Format.dollars(v, digits: 3)
    case "bytes": return Format.si(v) + "B"
    case "year": return Format.fixed(v, decimals: 1)
    case "ratio": return Format.significant(v, digits: 4) + "×"
    default: return Format.si(v, digits: 4) + " " + unit
    }
  }
}
