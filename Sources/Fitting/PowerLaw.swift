// Ordinary least squares in log-log space: log y = log k + exponent·log x. Used for the
// allocation exponents of Approaches 1 and 2 (Hoffmann et al. 2022 §3.1–3.2, Table 2:
// N_opt ∝ C^a, D_opt ∝ C^b).

import Foundation

/// A fitted power law y = k·x^exponent.
public struct PowerLaw: Sendable, Equatable, Codable {
  /// The exponent (slope in log-log space).
  public var exponent: Double
  /// The coefficient k.
  public var coefficient: Double
  /// Number of points fitted.
  public var pointCount: Int

  /// y at x.
  public func value(at x: Double) -> Double { coefficient * Foundation.pow(x, exponent) }

  /// Least-squares fit of log y on log x.
  /// - Throws: `FitError.tooFewBudgets` with fewer than 2 distinct positive x.
  public static func fit(x: [Double], y: [Double], method: String) throws -> PowerLaw {
    precondition(x.count == y.count)
    let lx = x.map { Foundation.log($0) }
    let ly = y.map { Foundation.log($0) }
    let distinct = Set(lx).count
    guard distinct >= 2 else { throw FitError.tooFewBudgets(count: distinct, method: method) }
    let mx = lx.reduce(0, +) / Double(lx.count)
    let my = ly.reduce(0, +) / Double(ly.count)
    var sxy = 0.0
    var sxx = 0.0
    for i in lx.indices {
      sxy += (lx[i] - mx) * (ly[i] - my)
      sxx += (lx[i] - mx) * (lx[i] - mx)
    }
    let slope = sxy / sxx
    return PowerLaw(
      exponent: slope, coefficient: Foundation.exp(my - slope * mx), pointCount: lx.count)
  }
}
