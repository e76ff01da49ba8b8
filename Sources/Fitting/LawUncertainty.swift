// The uncertainty of L(N, D) = E + A/N^α + B/D^β as typed fields (Hoffmann et al. 2022 publish
// none; Besiroglu et al. 2024, Table 1, publish standard errors of E, A, B, α, β from a
// bootstrap; `scaleplan fit --bootstrap` adds the correlation and the refits), and the Cholesky
// factor that checks a correlation matrix and lets the planner draw correlated normals with it.

import Foundation

/// The uncertainty of a `ParametricLaw`, as typed fields: standard errors of its five parameters
/// (published, or from a bootstrap), optionally their correlation, and optionally the bootstrap's
/// refits themselves. The planner draws Monte Carlo intervals on N*, D* from it.
public struct ParametricUncertainty: Sendable, Codable, Equatable {
  /// Standard error of E.
  public var seE: Double
  /// Standard error of A.
  public var seA: Double
  /// Standard error of B.
  public var seB: Double
  /// Standard error of α.
  public var seAlpha: Double
  /// Standard error of β.
  public var seBeta: Double
  /// Published SE of the allocation exponent a, if any (reported only; not sampled).
  public var seParamsExponent: Double?
  /// Optional 5×5 correlation matrix over (E, A, B, α, β), for example from a bootstrap of a fit
  /// (`scaleplan fit`); nil means independent (all published presets: none publishes one).
  ///
  /// Must be symmetric positive definite (check with `hasValidCorrelation`); an invalid matrix is
  /// treated as absent.
  public var correlation: [[Double]]?

  /// A fit's bootstrap refits, one (E, A, B, α, β) row each (`scaleplan fit --bootstrap`,
  /// saved with the law). When present, intervals are percentiles over these refits themselves,
  /// not normal draws.
  public var samples: [[Double]]?

  /// Where `samples` come from, for explanations (for example the catalog's refits file and the
  /// data they resample); nil for a fit's own bootstrap.
  public var samplesOrigin: String? = nil

  /// True when `correlation` is nil or a 5×5 positive-definite matrix with unit diagonal.
  public var hasValidCorrelation: Bool {
    guard let c = correlation else { return true }
    return cholesky(c) != nil && (0..<5).allSatisfy { abs(c[$0][$0] - 1) < 1e-12 }
      && (0..<5).allSatisfy { i in (0..<5).allSatisfy { j in abs(c[i][j] - c[j][i]) < 1e-12 } }
  }

  /// Creates an uncertainty from its standard errors and, optionally, correlation and refits.
  public init(
    seE: Double, seA: Double, seB: Double, seAlpha: Double, seBeta: Double,
    seParamsExponent: Double? = nil, correlation: [[Double]]? = nil, samples: [[Double]]? = nil
  ) {
    self.seE = seE
    self.seA = seA
    self.seB = seB
    self.seAlpha = seAlpha
    self.seBeta = seBeta
    self.seParamsExponent = seParamsExponent
    self.correlation = correlation
    self.samples = samples
  }
}

/// Lower-triangular Cholesky factor of a symmetric positive-definite matrix, or nil if the matrix
/// is not 5×5 positive definite.
public func cholesky(_ m: [[Double]]) -> [[Double]]? {
  let n = m.count
  guard n == 5, m.allSatisfy({ $0.count == n }) else { return nil }
  var l = Array(repeating: Array(repeating: 0.0, count: n), count: n)
  for i in 0..<n {
    for j in 0...i {
      var sum = m[i][j]
      for k in 0..<j { sum -= l[i][k] * l[j][k] }
      if i == j {
        guard sum > 0 else { return nil }
        l[i][j] = sum.squareRoot()
      } else {
        l[i][j] = sum / l[j][j]
      }
    }
  }
  return l
}
