// The compute-optimal frontiers N*(C) and D*(C) of every law over a range of compute, each with
// its 80% band where the law carries uncertainty, and the isoFLOP valley L(N, C/6N) at one chosen
// compute: the charts of the web calculator's Plan page (Hoffmann et al. 2022 Figs. 1 and 3).
// Each point is the same `planComputeOptimal` answer `plan --compute C --law ID` gives.

import Foundation
import Planner

/// The inputs of the frontier chart: a compute range, how many points, which laws, and the compute
/// at which to draw the isoFLOP valley.
public struct PlanFrontierRequest: Codable, Sendable, Equatable {
  /// Smallest compute in FLOPs (default 1e18).
  public var computeMin: Double?
  /// Largest compute in FLOPs (default 1e27).
  public var computeMax: Double?
  /// Points per frontier, spaced evenly in log C (default 37, at most 400).
  public var points: Int?
  /// Law ids or aliases (default every law the engine knows, saved laws included).
  public var laws: [String]?
  /// Compute of the isoFLOP valley (none when absent).
  public var isoflopCompute: Double?
  /// Points on the valley, spaced evenly in log N over N*/30 … 30·N* (default 41, at most 400).
  public var isoflopPoints: Int?
  /// Include the 80% band of each frontier (default true; the bands cost most of the time).
  public var bands: Bool?

  /// Creates a request; nil fields take the defaults.
  public init(
    computeMin: Double? = nil, computeMax: Double? = nil, points: Int? = nil,
    laws: [String]? = nil, isoflopCompute: Double? = nil, isoflopPoints: Int? = nil,
    bands: Bool? = nil
  ) {
    self.computeMin = computeMin
    self.computeMax = computeMax
    self.points = points
    self.laws = laws
    self.isoflopCompute = isoflopCompute
    self.isoflopPoints = isoflopPoints
    self.bands = bands
  }

  enum CodingKeys: String, CodingKey {
    case computeMin = "compute_min"
    case computeMax = "compute_max"
    case points, laws
    case isoflopCompute = "isoflop_compute"
    case isoflopPoints = "isoflop_points"
    case bands
  }

  /// The most points a frontier or valley may have.
  public static let maxPoints = 400

  /// Checks ranges and the order of the compute range.
  /// - Throws: `RequestError.invalid` naming the field.
  public func validate() throws {
    for (v, name) in [
      (computeMin, "compute_min"), (computeMax, "compute_max"), (isoflopCompute, "isoflop_compute"),
    ] {
      if let v { try InputBounds.flops.check(v, name) }
    }
    let bound = InputBound(limit: Double(Self.maxPoints), reason: "enough for any chart")
    if let points {
      try bound.check(points, "points")
      if points < 2 { throw RequestError.invalid("points must be at least 2, got \(points).") }
    }
    if let isoflopPoints {
      try bound.check(isoflopPoints, "isoflop_points")
      if isoflopPoints < 2 {
        throw RequestError.invalid("isoflop_points must be at least 2, got \(isoflopPoints).")
      }
    }
    if let laws, laws.count > 64 {
      throw RequestError.invalid("laws lists \(laws.count) laws; give at most 64.")
    }
    let lo = computeMin ?? 1e18
    let hi = computeMax ?? 1e27
    guard lo < hi else {
      throw RequestError.invalid(
        "compute_min (\(Format.scientific(lo))) must be below compute_max "
          + "(\(Format.scientific(hi))).")
    }
  }
}

/// One point of a frontier: the compute-optimal N* and D* at C, the loss there, and the 80% band.
public struct FrontierPoint: Codable, Sendable, Equatable {
  public var compute: Double
  public var params: Double
  public var tokens: Double
  /// nil for a law that predicts no loss (allocation-only laws).
  public var loss: Double?
  /// 80% interval on N* and D* (nil when the law has no uncertainty or bands were not asked).
  public var paramsInterval: [Double]?
  public var tokensInterval: [Double]?

  enum CodingKeys: String, CodingKey {
    case compute, params, tokens, loss
    case paramsInterval = "params_interval"
    case tokensInterval = "tokens_interval"
  }
}

/// One point of the isoFLOP valley: a model of N parameters trained on D = C / 6N tokens.
public struct ValleyPoint: Codable, Sendable, Equatable {
  public var params: Double
  public var tokens: Double
  public var loss: Double
}

/// One law's frontier and valley.
public struct FrontierLaw: Codable, Sendable, Equatable {
  public var law: String
  public var citation: String
  public var points: [FrontierPoint]
  /// The valley at `isoflop_compute` (nil when not asked or the law predicts no loss).
  public var isoflop: [ValleyPoint]?
  /// The valley's minimum, the law's N* at that compute.
  public var isoflopOptimum: ValleyPoint?

  enum CodingKeys: String, CodingKey {
    case law, citation, points, isoflop
    case isoflopOptimum = "isoflop_optimum"
  }
}

/// Every law's frontier over the requested compute range.
public struct PlanFrontierResult: Codable, Sendable, Explained {
  public var computeMin: Double
  public var computeMax: Double
  public var isoflopCompute: Double?
  public var laws: [FrontierLaw]
  /// Laws asked for that could not be drawn, with the reason.
  public var skipped: [String]
  public var warnings: [String]
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case computeMin = "compute_min"
    case computeMax = "compute_max"
    case isoflopCompute = "isoflop_compute"
    case laws, skipped, warnings, explanation
  }
}

extension Engine {
  /// Draws the frontier of each law in `request` (every known law by default).
  /// - Throws: `RequestError` for an invalid request or an unknown law.
  public func planFrontier(_ request: PlanFrontierRequest) throws -> PlanFrontierResult {
    try request.validate()
    // A saved law's name loads the saved laws as well (`laws(named:)`).
    let base = try laws(named: nil)
    let registry = try laws(
      named: request.laws?.first { name in (try? base.law(named: name)) == nil })
    let presets: [LawPreset] =
      try request.laws.map { names in try names.map { try registry.law(named: $0) } }
      ?? registry.all
    let lo = request.computeMin ?? 1e18
    let hi = request.computeMax ?? 1e27
    let n = request.points ?? 37
    let bands = request.bands ?? true
    let computes = (0..<n).map { i in
      i == n - 1 ? hi : exp(log(lo) + (log(hi) - log(lo)) * Double(i) / Double(n - 1))
    }
    var rows: [FrontierLaw] = []
    var skipped: [String] = []
    for preset in presets {
      var points: [FrontierPoint] = []
      do {
        for c in computes {
          let plan = try planComputeOptimal(.compute(c), preset: preset, intervals: false)
          points.append(
            FrontierPoint(
              compute: c, params: plan.params, tokens: plan.tokens, loss: plan.loss,
              paramsInterval: nil, tokensInterval: nil))
        }
        // The bands from one pass over the draws; each equals `plan --compute C`'s interval.
        if bands, let se = preset.uncertainty, case .parametric(let p) = preset.law {
          for (k, band) in allocationIntervals(law: p, uncertainty: se, flops: computes).enumerated() {
            points[k].paramsInterval = [band.params.lowerBound, band.params.upperBound]
            points[k].tokensInterval = [band.tokens.lowerBound, band.tokens.upperBound]
          }
        }
      } catch {
        skipped.append("\(preset.id): \(error)")
        continue
      }
      var row = FrontierLaw(law: preset.id, citation: preset.citation, points: points)
      if let c = request.isoflopCompute, preset.law.predictsLoss {
        let optimum = preset.law.computeOptimal(flops: c)
        let m = request.isoflopPoints ?? 41
        let valley = (0..<m).compactMap { i -> ValleyPoint? in
          let params = optimum.params * pow(30, 2 * Double(i) / Double(m - 1) - 1)
          let tokens = c / (6 * params)
          return preset.law.loss(params: params, tokens: tokens).map {
            ValleyPoint(params: params, tokens: tokens, loss: $0)
          }
        }
        row.isoflop = valley
        row.isoflopOptimum = preset.law.loss(params: optimum.params, tokens: optimum.tokens).map {
          ValleyPoint(params: optimum.params, tokens: optimum.tokens, loss: $0)
        }
      }
      rows.append(row)
    }
    var explanation = Explanation()
    explanation.add(
      ExplainedStep(
        quantity: "frontier", formula: "N*(C), D*(C) from each law's closed form, C = 6·N·D",
        inputs: [
          ExplainedInput("C range", Format.scientific(lo) + " … " + Format.scientific(hi),
            source: "request"),
          ExplainedInput("points", "\(n)", source: "request"),
        ],
        result: "\(rows.count) laws",
        source: "Hoffmann et al. 2022 §3 and Fig. 3; each law's own paper (citation per law)"))
    if let c = request.isoflopCompute {
      explanation.add(
        ExplainedStep(
          quantity: "isoFLOP valley", formula: "L(N, C / 6N) over N*/30 … 30·N*",
          inputs: [ExplainedInput("C", Format.scientific(c), source: "request")],
          result: "minimum at each law's N*", source: "Hoffmann et al. 2022 §3.2, Fig. 3"))
    }
    return try requireFinite(
      PlanFrontierResult(
        computeMin: lo, computeMax: hi, isoflopCompute: request.isoflopCompute, laws: rows,
        skipped: skipped, warnings: [], explanation: explanation),
      inputs: "compute_min, compute_max or isoflop_compute")
  }
}
