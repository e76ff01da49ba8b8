// Approach 2 of Hoffmann et al. 2022 (§3.2, Fig. 3): for each compute budget, fit a parabola of
// loss against log N over the isoFLOP profile, take its vertex as N_opt(C), set
// D_opt = C/(6·N_opt), then fit N_opt ∝ C^a and D_opt ∝ C^b by least squares in log space.
// A budget with fewer than 3 sizes or no interior minimum (curvature ≤ 0, or the vertex outside
// the sampled sizes) is refused: its "optimum" would be an extrapolation.

import Foundation

/// The runs at one compute budget: sizes and final losses.
public struct IsoFLOPProfile: Sendable, Equatable {
  /// Budget C in FLOP.
  public var compute: Double
  /// Model sizes N.
  public var params: [Double]
  /// Final losses, one per size.
  public var losses: [Double]

  /// Creates a profile.
  public init(compute: Double, params: [Double], losses: [Double]) {
    precondition(params.count == losses.count)
    self.compute = compute
    self.params = params
    self.losses = losses
  }
}

/// The minimum of one isoFLOP parabola.
public struct IsoFLOPVertex: Sendable, Equatable, Codable {
  /// Budget C (FLOP).
  public var compute: Double
  /// N_opt at the vertex.
  public var params: Double
  /// D_opt = C/(6·N_opt).
  public var tokens: Double
  /// Loss at the vertex.
  public var loss: Double
  /// Second-order coefficient of loss in log N (> 0 for a minimum).
  public var curvature: Double
}

/// The result of Approach 2.
public struct IsoFLOPResult: Sendable {
  /// One vertex per budget, by increasing compute.
  public var vertices: [IsoFLOPVertex]
  /// N_opt = k·C^a.
  public var paramsLaw: PowerLaw
  /// D_opt = k·C^b.
  public var tokensLaw: PowerLaw
  /// Exponent a of N_opt ∝ C^a.
  public var a: Double { paramsLaw.exponent }
  /// Largest over smallest FLOP of the vertices the exponents were fitted to (1 when empty).
  public var computeRange: Double {
    guard let lo = vertices.map(\.compute).min(), let hi = vertices.map(\.compute).max(), lo > 0
    else { return 1 }
    return hi / lo
  }
  /// Exponent b of D_opt ∝ C^b.
  public var b: Double { tokensLaw.exponent }
}

/// Approach 2: isoFLOP parabolas.
public enum IsoFLOPFit {
  /// Runs whose compute agrees within this fraction share a budget (the default of `profiles`).
  public static let budgetTolerance = 0.05

  /// Groups runs into budgets: sorted by compute, a run joins the current group while its compute
  /// is within `relativeTolerance` of the group's first; the group's budget is the geometric mean.
  public static func profiles(
    params: [Double], compute: [Double], losses: [Double],
    relativeTolerance: Double = IsoFLOPFit.budgetTolerance
  ) -> [IsoFLOPProfile] {
    precondition(params.count == compute.count && params.count == losses.count)
    let order = compute.indices.sorted { (compute[$0], $0) < (compute[$1], $1) }
    var groups: [[Int]] = []
    for i in order {
      if let first = groups.last?.first, compute[i] <= compute[first] * (1 + relativeTolerance) {
        groups[groups.count - 1].append(i)
      } else {
        groups.append([i])
      }
    }
    return groups.map { g in
      let logMean = g.reduce(0) { $0 + Foundation.log(compute[$1]) } / Double(g.count)
      return IsoFLOPProfile(
        compute: Foundation.exp(logMean), params: g.map { params[$0] }, losses: g.map { losses[$0] }
      )
    }
  }

  /// Fits loss = c0 + c1·x + c2·x², x = log N, and returns the vertex.
  /// - Throws: `FitError.isoFLOPTooFewPoints` (< 3 distinct sizes) or
  ///   `.isoFLOPNoInteriorMinimum`.
  public static func vertex(_ profile: IsoFLOPProfile) throws -> IsoFLOPVertex {
    let x = profile.params.map { Foundation.log($0) }
    let distinct = Set(x).count
    guard profile.params.count >= 3, distinct >= 3 else {
      throw FitError.isoFLOPTooFewPoints(compute: profile.compute, count: distinct)
    }
    guard let parabola = parabola(profile) else {
      throw FitError.isoFLOPNoInteriorMinimum(
        compute: profile.compute, reason: "the parabola fit is singular")
    }
    let c = parabola.coefficients
    let mean = parabola.center
    let spread = parabola.scale
    guard c[2] > 0 else {
      throw FitError.isoFLOPNoInteriorMinimum(
        compute: profile.compute, reason: "the loss curve bends down, curvature \(c[2])")
    }
    let uStar = -c[1] / (2 * c[2])
    let xStar = mean + spread * uStar
    let lo = x.min() ?? xStar
    let hi = x.max() ?? xStar
    guard xStar >= lo && xStar <= hi else {
      let nStar = Foundation.exp(xStar)
      throw FitError.isoFLOPNoInteriorMinimum(
        compute: profile.compute,
        reason: "the vertex N = \(sci(nStar)) lies outside the sampled sizes "
          + "\(sci(Foundation.exp(lo)))–\(sci(Foundation.exp(hi)))")
    }
    let nOpt = Foundation.exp(xStar)
    return IsoFLOPVertex(
      compute: profile.compute, params: nOpt, tokens: profile.compute / (6 * nOpt),
      loss: c[0] + c[1] * uStar + c[2] * uStar * uStar, curvature: c[2] / (spread * spread))
  }

  /// Approach 2 over several budgets.
  /// - Throws: the first budget's refusal (`isoFLOPTooFewPoints`, `isoFLOPNoInteriorMinimum`),
  ///   or `tooFewBudgets` with fewer than 2 budgets.
  public static func fit(_ profiles: [IsoFLOPProfile]) throws -> IsoFLOPResult {
    guard profiles.count >= 2 else {
      throw FitError.tooFewBudgets(count: profiles.count, method: "The isoFLOP fit (Approach 2)")
    }
    let vertices = try profiles.sorted { $0.compute < $1.compute }.map(vertex)
    let c = vertices.map(\.compute)
    let method = "The isoFLOP fit (Approach 2)"
    return IsoFLOPResult(
      vertices: vertices,
      paramsLaw: try PowerLaw.fit(x: c, y: vertices.map(\.params), method: method),
      tokensLaw: try PowerLaw.fit(x: c, y: vertices.map(\.tokens), method: method))
  }

  /// The least-squares parabola of loss against ln N for one budget, nil when singular.
  ///
  /// Fitted in the centred, scaled variable u = (ln N − center)/scale so the 3×3 normal system
  /// stays well conditioned: loss ≈ c₀ + c₁·u + c₂·u².
  public static func parabola(_ profile: IsoFLOPProfile) -> IsoFLOPParabola? {
    let x = profile.params.map { Foundation.log($0) }
    guard !x.isEmpty else { return nil }
    let mean = x.reduce(0, +) / Double(x.count)
    let spread = max(x.map { abs($0 - mean) }.max() ?? 1, 1e-12)
    var m = [[Double]](repeating: [0, 0, 0], count: 3)
    var v = [0.0, 0.0, 0.0]
    for (xi, yi) in zip(x, profile.losses) {
      let ui = (xi - mean) / spread
      let p = [1, ui, ui * ui]
      for r in 0..<3 {
        v[r] += p[r] * yi
        for c in 0..<3 { m[r][c] += p[r] * p[c] }
      }
    }
    guard let c = solve3(m, v) else { return nil }
    return IsoFLOPParabola(center: mean, scale: spread, coefficients: c)
  }

  /// Solves a 3×3 system by Gaussian elimination with partial pivoting (nil if singular).
  static func solve3(_ aIn: [[Double]], _ bIn: [Double]) -> [Double]? {
    var a = aIn
    var b = bIn
    for col in 0..<3 {
      var pivot = col
      for r in (col + 1)..<3 where abs(a[r][col]) > abs(a[pivot][col]) { pivot = r }
      guard abs(a[pivot][col]) > 1e-14 else { return nil }
      a.swapAt(col, pivot)
      b.swapAt(col, pivot)
      for r in (col + 1)..<3 {
        let f = a[r][col] / a[col][col]
        for c in col..<3 { a[r][c] -= f * a[col][c] }
        b[r] -= f * b[col]
      }
    }
    var x = [0.0, 0.0, 0.0]
    for r in stride(from: 2, through: 0, by: -1) {
      var s = b[r]
      for c in (r + 1)..<3 { s -= a[r][c] * x[c] }
      x[r] = s / a[r][r]
    }
    return x
  }
}

/// A fitted isoFLOP parabola: loss ≈ c₀ + c₁·u + c₂·u², u = (ln N − center)/scale.
public struct IsoFLOPParabola: Sendable, Equatable {
  public var center: Double
  public var scale: Double
  /// c₀, c₁, c₂.
  public var coefficients: [Double]

  /// The parabola's loss at `params` parameters.
  public func loss(params: Double) -> Double {
    let u = (Foundation.log(params) - center) / scale
    return coefficients[0] + coefficients[1] * u + coefficients[2] * u * u
  }
}
