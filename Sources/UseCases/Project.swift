// `project`: frontier training compute and cost in a target year, the year a threshold is crossed,
// and the cost of a fixed run later, by Monte Carlo over the published intervals. Rates and start
// points: data/trends.csv and data/anchors.csv (TrendCatalog); the model: Planner/Trends.swift.

import Catalog
import Foundation
import Planner

/// The bounds every trend request checks before any work is sized by it.
///
/// Years: 1950–2100. The compute trends start with the first machine-learning systems of the 1950s
/// (Sevilla et al. 2022, "Compute Trends Across Three Eras of Machine Learning", Fig. 1), and the
/// trends in data/trends.csv are fitted on 2010–2024: a century past the data an exponential says
/// nothing, and the fan chart's yearly rows stay a few hundred at most.
/// Draws: 1–1,000,000. At 10,000 draws a percentile's Monte Carlo error is already below 1 % of
/// the band; a million draws keep every per-draw array under 10 MB and a run under a few seconds.
/// Growth factors: 0.1–10 per year (the fastest published trend, frontier compute, is 4–5×/yr,
/// data/trends.csv), so that over 150 years no value overflows a Double.
public enum TrendBounds {
  /// Earliest and latest year a request may name.
  public static let years: ClosedRange<Double> = 1950...2100
  /// Monte Carlo draws.
  public static let draws: ClosedRange<Int> = 1...1_000_000
  /// Growth factors per year.
  public static let factor: ClosedRange<Double> = 0.1...10
  /// Doubling or halving times in months (10×/yr to ×1.007/yr).
  public static let months: ClosedRange<Double> = 3.6...1200
  /// Doubling times in years.
  public static let doublingYears: ClosedRange<Double> = 0.3...100
  /// Training compute in FLOP (ten orders of magnitude past today's largest runs, about 5e25).
  public static let flops: ClosedRange<Double> = 1...1e36
  /// US dollars (about ten times world GDP).
  public static let dollars: ClosedRange<Double> = 1...1e15
  /// Tokens of text (a thousand times the 300T effective stock, Villalobos et al. 2024).
  public static let tokens: ClosedRange<Double> = 1...1e18
}

/// Throws one sentence when `value` is present and outside `range`.
func checkRange(
  _ value: Double?, _ flag: String, _ range: ClosedRange<Double>, _ what: String
) throws {
  guard let v = value else { return }
  guard v.isFinite, range.contains(v) else {
    throw RequestError.invalid(
      "\(flag) must be \(what) from \(Format.number(range.lowerBound)) to "
        + "\(Format.number(range.upperBound)), got \(Format.number(v)).")
  }
}

/// Throws when a year is present and outside `TrendBounds.years`.
func checkYear(_ value: Double?, _ flag: String) throws {
  guard let v = value else { return }
  guard v.isFinite, TrendBounds.years.contains(v) else {
    throw RequestError.invalid(
      "\(flag) must be a year from 1950 to 2100 (the span of the trend data and a century past "
        + "it), got \(Format.number(v)).")
  }
}

/// Throws when a draw count is present and outside `TrendBounds.draws`.
func checkDraws(_ value: Int?) throws {
  guard let n = value else { return }
  guard TrendBounds.draws.contains(n) else {
    throw RequestError.invalid(
      "--draws must be from 1 to 1000000 (10000 already gives percentiles to about 1%), got \(n).")
  }
}

/// Throws when two flags that set the same rate are both present.
func checkExclusive(_ a: Double?, _ aFlag: String, _ b: Double?, _ bFlag: String) throws {
  if a != nil && b != nil {
    throw RequestError.invalid("\(aFlag) and \(bFlag) both set the same rate; give only one of them.")
  }
}

/// Throws when `flag` is given without its partner.
func checkNeeds(_ present: Bool, _ flag: String, _ partner: Bool, _ partnerFlag: String) throws {
  if present && !partner {
    throw RequestError.invalid(
      "\(flag) only applies together with \(partnerFlag); add \(partnerFlag) or drop \(flag).")
  }
}

/// A `project` question. Every field but the ones named is optional; the engine applies the
/// defaults (`defaultYear`, `defaultDraws`, `defaultSeed`, the catalogs' default rows).
public struct ProjectRequest: Codable, Sendable, Equatable {
  /// Target year, decimal (2030 = 1 January 2030) (`--year`).
  public var year: Double?
  /// Threshold in US$ for frontier cost (`--cross '$1B'`).
  public var crossUSD: Double?
  /// Threshold in FLOP for frontier compute (`--cross 1e27`).
  public var crossFLOPs: Double?
  /// Training FLOP of a fixed run whose later cost is wanted (`--compute`).
  public var compute: Double?
  /// With `compute`: count algorithmic progress as effective compute (`--algorithmic`).
  public var algorithmic: Bool?
  /// Frontier cost growth factor per year, fixed (`--growth`).
  public var growth: Double?
  /// Frontier cost doubling time in months, fixed (`--doubling-months`).
  public var doublingMonths: Double?
  /// Frontier compute growth factor per year, fixed (`--compute-growth`).
  public var computeGrowth: Double?
  /// Frontier compute doubling time in months, fixed (`--compute-doubling-months`).
  public var computeDoublingMonths: Double?
  /// With `compute`: price-performance doubling time in years (`--price-doubling-years`).
  public var priceDoublingYears: Double?
  /// With `compute`: algorithmic halving time in months (`--algorithmic-halving-months`).
  public var algorithmicHalvingMonths: Double?
  /// Start cost in US$: the frontier run's, or with `compute` that run's (`--start-cost`).
  public var startCost: Double?
  /// Start frontier compute in FLOP (`--start-compute`).
  public var startCompute: Double?
  /// Date of every start point, decimal year (`--start-year`).
  public var startYear: Double?
  /// Trend and anchor ids of data/trends.csv and data/anchors.csv.
  public var computeTrend: String?
  public var costTrend: String?
  public var hardwareTrend: String?
  public var algorithmicTrend: String?
  public var computeAnchor: String?
  public var costAnchor: String?
  public var priceAnchor: String?
  /// Monte Carlo draws (`--draws`).
  public var draws: Int?
  /// Random seed (`--seed`): same seed, same numbers.
  public var seed: UInt64?

  /// The target year when none is given.
  public static let defaultYear = 2030.0
  /// Monte Carlo draws when none are given.
  public static let defaultDraws = 10_000
  /// Seed when none is given.
  public static let defaultSeed: UInt64 = 1

  /// An empty request (every default).
  public init() {}

  enum CodingKeys: String, CodingKey {
    case year
    case crossUSD = "cross_usd"
    case crossFLOPs = "cross_flops"
    case compute, algorithmic, growth
    case doublingMonths = "doubling_months"
    case computeGrowth = "compute_growth"
    case computeDoublingMonths = "compute_doubling_months"
    case priceDoublingYears = "price_doubling_years"
    case algorithmicHalvingMonths = "algorithmic_halving_months"
    case startCost = "start_cost"
    case startCompute = "start_compute"
    case startYear = "start_year"
    case computeTrend = "compute_trend"
    case costTrend = "cost_trend"
    case hardwareTrend = "hardware_trend"
    case algorithmicTrend = "algorithmic_trend"
    case computeAnchor = "compute_anchor"
    case costAnchor = "cost_anchor"
    case priceAnchor = "price_anchor"
    case draws, seed
  }

  /// Checks every range and combination before any work is sized by it (`TrendBounds`).
  /// - Throws: `RequestError.invalid` naming the flag.
  public func validate() throws {
    try checkYear(year, "--year")
    try checkYear(startYear, "--start-year")
    try checkDraws(draws)
    if crossUSD != nil && crossFLOPs != nil {
      throw RequestError.invalid("Give one --cross threshold: dollars or FLOP, not both.")
    }
    try checkRange(crossUSD, "--cross", TrendBounds.dollars, "a cost in US$")
    try checkRange(crossFLOPs, "--cross", TrendBounds.flops, "a compute in FLOP")
    try checkRange(compute, "--compute", TrendBounds.flops, "a training compute in FLOP")
    try checkExclusive(growth, "--growth", doublingMonths, "--doubling-months")
    try checkExclusive(
      computeGrowth, "--compute-growth", computeDoublingMonths, "--compute-doubling-months")
    try checkRange(growth, "--growth", TrendBounds.factor, "a growth factor per year")
    try checkRange(computeGrowth, "--compute-growth", TrendBounds.factor, "a growth factor per year")
    try checkRange(doublingMonths, "--doubling-months", TrendBounds.months, "a time in months")
    try checkRange(
      computeDoublingMonths, "--compute-doubling-months", TrendBounds.months, "a time in months")
    try checkRange(
      priceDoublingYears, "--price-doubling-years", TrendBounds.doublingYears, "a time in years")
    try checkRange(
      algorithmicHalvingMonths, "--algorithmic-halving-months", TrendBounds.months,
      "a time in months")
    try checkRange(startCost, "--start-cost", TrendBounds.dollars, "a cost in US$")
    try checkRange(startCompute, "--start-compute", TrendBounds.flops, "a compute in FLOP")
    let run = compute != nil
    try checkNeeds(algorithmic == true, "--algorithmic", run, "--compute")
    try checkNeeds(priceDoublingYears != nil, "--price-doubling-years", run, "--compute")
    try checkNeeds(algorithmicHalvingMonths != nil, "--algorithmic-halving-months", run, "--compute")
    try checkNeeds(startCost != nil, "--start-cost", startYear != nil, "--start-year")
    try checkNeeds(startCompute != nil, "--start-compute", startYear != nil, "--start-year")
  }

  /// The catalog-level options with the defaults applied.
  var options: ProjectionOptions {
    var o = ProjectionOptions()
    o.year = year ?? Self.defaultYear
    if let c = crossUSD { o.cross = .dollars(c) }
    if let c = crossFLOPs { o.cross = .flops(c) }
    o.runFlops = compute
    o.algorithmic = algorithmic == true || algorithmicHalvingMonths != nil
    o.costGrowth = growth
    o.costDoublingMonths = doublingMonths
    o.computeGrowth = computeGrowth
    o.computeDoublingMonths = computeDoublingMonths
    o.priceDoublingYears = priceDoublingYears
    o.algorithmicHalvingMonths = algorithmicHalvingMonths
    o.startCost = startCost
    o.startCompute = startCompute
    o.startYear = startYear
    o.computeTrend = computeTrend
    o.costTrend = costTrend
    o.hardwareTrend = hardwareTrend
    o.algorithmicTrend = algorithmicTrend
    o.computeAnchor = computeAnchor
    o.costAnchor = costAnchor
    o.priceAnchor = priceAnchor
    o.draws = draws ?? Self.defaultDraws
    o.seed = seed ?? Self.defaultSeed
    return o
  }
}

/// The answer to a `project` question: medians and 10th/90th percentiles over the draws, the
/// start points and rates used (with their sources), and the yearly series behind a fan chart.
/// Its JSON is `scaleplan project --json`.
public struct ProjectResult: Codable, Sendable, Equatable, Explained {
  /// One year of the fan chart.
  public struct Row: Codable, Sendable, Equatable {
    public var year: Double
    public var frontierComputeFLOPs, frontierComputeFLOPsP10, frontierComputeFLOPsP90: Double
    public var frontierCostUSD, frontierCostUSDP10, frontierCostUSDP90: Double
    public var runCostUSD, runCostUSDP10, runCostUSDP90: Double?

    /// Frontier compute's percentiles.
    public var frontierCompute: Percentiles {
      Percentiles(
        p10: frontierComputeFLOPsP10, median: frontierComputeFLOPs, p90: frontierComputeFLOPsP90)
    }
    /// Frontier cost's percentiles.
    public var frontierCost: Percentiles {
      Percentiles(p10: frontierCostUSDP10, median: frontierCostUSD, p90: frontierCostUSDP90)
    }
    /// The fixed run's cost percentiles (nil without `compute`).
    public var runCost: Percentiles? {
      guard let m = runCostUSD, let lo = runCostUSDP10, let hi = runCostUSDP90 else { return nil }
      return Percentiles(p10: lo, median: m, p90: hi)
    }

    enum CodingKeys: String, CodingKey {
      case year
      case frontierComputeFLOPs = "frontier_compute_flops"
      case frontierComputeFLOPsP10 = "frontier_compute_flops_p10"
      case frontierComputeFLOPsP90 = "frontier_compute_flops_p90"
      case frontierCostUSD = "frontier_cost_usd"
      case frontierCostUSDP10 = "frontier_cost_usd_p10"
      case frontierCostUSDP90 = "frontier_cost_usd_p90"
      case runCostUSD = "run_cost_usd"
      case runCostUSDP10 = "run_cost_usd_p10"
      case runCostUSDP90 = "run_cost_usd_p90"
    }
  }

  /// Target year.
  public var year: Double
  public var frontierComputeFLOPs, frontierComputeFLOPsP10, frontierComputeFLOPsP90: Double
  public var frontierCostUSD, frontierCostUSDP10, frontierCostUSDP90: Double
  /// Crossing year percentiles; nil where the draws never cross (JSON has no infinity).
  public var crossingYear, crossingYearP10, crossingYearP90: Double?
  /// The threshold and the series it applies to (`frontier_cost_usd` or `frontier_compute_flops`).
  public var crossThreshold: Double?
  public var crossSeries: String?
  /// The fixed run's compute and cost percentiles.
  public var runComputeFLOPs: Double?
  public var runCostUSD, runCostUSDP10, runCostUSDP90: Double?
  /// True when every rate and start point was fixed.
  public var deterministic: Bool
  public var draws: Int
  public var seed: UInt64
  /// Start points (label with source, decimal year, median value) and rates (label) used.
  public var computeStart: String
  public var computeStartYear: Double
  public var computeStartFLOPs: Double
  public var computeRate: String
  public var computeRateFixed: Bool
  public var costStart: String
  public var costStartYear: Double
  public var costStartUSD: Double
  public var costRate: String
  public var costRateFixed: Bool
  /// The fixed run's start (label, year, median cost) and rates, with `compute`.
  public var runStart: String?
  public var runStartYear: Double?
  public var runStartUSD: Double?
  public var runPricePerformance: String?
  public var runAlgorithmic: String?
  /// Yearly rows from the earliest start point to the target (or the crossing's p90).
  public var series: [Row]
  /// Caveats a face shows beside the table.
  public var warnings: [String]
  public var explanation: Explanation?

  /// Frontier compute in the target year.
  public var frontierCompute: Percentiles {
    Percentiles(
      p10: frontierComputeFLOPsP10, median: frontierComputeFLOPs, p90: frontierComputeFLOPsP90)
  }
  /// Frontier cost in the target year.
  public var frontierCost: Percentiles {
    Percentiles(p10: frontierCostUSDP10, median: frontierCostUSD, p90: frontierCostUSDP90)
  }
  /// The crossing year's percentiles, +∞ where draws never cross; nil without a threshold.
  public var crossing: Percentiles? {
    guard crossThreshold != nil else { return nil }
    return Percentiles(
      p10: crossingYearP10 ?? .infinity, median: crossingYear ?? .infinity,
      p90: crossingYearP90 ?? .infinity)
  }
  /// The fixed run's cost in the target year.
  public var runCost: Percentiles? {
    guard let m = runCostUSD, let lo = runCostUSDP10, let hi = runCostUSDP90 else { return nil }
    return Percentiles(p10: lo, median: m, p90: hi)
  }

  enum CodingKeys: String, CodingKey {
    case year
    case frontierComputeFLOPs = "frontier_compute_flops"
    case frontierComputeFLOPsP10 = "frontier_compute_flops_p10"
    case frontierComputeFLOPsP90 = "frontier_compute_flops_p90"
    case frontierCostUSD = "frontier_cost_usd"
    case frontierCostUSDP10 = "frontier_cost_usd_p10"
    case frontierCostUSDP90 = "frontier_cost_usd_p90"
    case crossingYear = "crossing_year"
    case crossingYearP10 = "crossing_year_p10"
    case crossingYearP90 = "crossing_year_p90"
    case crossThreshold = "cross_threshold"
    case crossSeries = "cross_series"
    case runComputeFLOPs = "run_compute_flops"
    case runCostUSD = "run_cost_usd"
    case runCostUSDP10 = "run_cost_usd_p10"
    case runCostUSDP90 = "run_cost_usd_p90"
    case deterministic, draws, seed
    case computeStart = "compute_start"
    case computeStartYear = "compute_start_year"
    case computeStartFLOPs = "compute_start_flops"
    case computeRate = "compute_rate"
    case computeRateFixed = "compute_rate_fixed"
    case costStart = "cost_start"
    case costStartYear = "cost_start_year"
    case costStartUSD = "cost_start_usd"
    case costRate = "cost_rate"
    case costRateFixed = "cost_rate_fixed"
    case runStart = "run_start"
    case runStartYear = "run_start_year"
    case runStartUSD = "run_start_usd"
    case runPricePerformance = "run_price_performance"
    case runAlgorithmic = "run_algorithmic"
    case series, warnings, explanation
  }

  init(_ r: ProjectionResult, _ i: ProjectionInputs) {
    func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
    year = r.year
    frontierComputeFLOPs = r.frontierCompute.median
    frontierComputeFLOPsP10 = r.frontierCompute.p10
    frontierComputeFLOPsP90 = r.frontierCompute.p90
    frontierCostUSD = r.frontierCost.median
    frontierCostUSDP10 = r.frontierCost.p10
    frontierCostUSDP90 = r.frontierCost.p90
    if let c = r.crossingYear {
      crossingYear = finite(c.median)
      crossingYearP10 = finite(c.p10)
      crossingYearP90 = finite(c.p90)
    }
    switch i.cross {
    case .dollars(let v)?: (crossThreshold, crossSeries) = (v, "frontier_cost_usd")
    case .flops(let v)?: (crossThreshold, crossSeries) = (v, "frontier_compute_flops")
    case nil: break
    }
    runComputeFLOPs = i.fixedRun?.flops
    runCostUSD = r.runCost?.median
    runCostUSDP10 = r.runCost?.p10
    runCostUSDP90 = r.runCost?.p90
    deterministic = r.deterministic
    draws = r.draws
    seed = r.seed
    computeStart = i.compute.startLabel
    computeStartYear = i.compute.startYear
    computeStartFLOPs = i.compute.start.median
    computeRate = i.compute.rate.label
    computeRateFixed = i.compute.rate.isFixed
    costStart = i.cost.startLabel
    costStartYear = i.cost.startYear
    costStartUSD = i.cost.start.median
    costRate = i.cost.rate.label
    costRateFixed = i.cost.rate.isFixed
    runStart = i.fixedRun?.startLabel
    runStartYear = i.fixedRun?.startYear
    runStartUSD = i.fixedRun?.startCost.median
    runPricePerformance = i.fixedRun?.pricePerformance.label
    runAlgorithmic = i.fixedRun?.algorithmic?.label
    series = r.series.map {
      Row(
        year: $0.year, frontierComputeFLOPs: $0.frontierCompute.median,
        frontierComputeFLOPsP10: $0.frontierCompute.p10,
        frontierComputeFLOPsP90: $0.frontierCompute.p90,
        frontierCostUSD: $0.frontierCost.median, frontierCostUSDP10: $0.frontierCost.p10,
        frontierCostUSDP90: $0.frontierCost.p90, runCostUSD: $0.runCost?.median,
        runCostUSDP10: $0.runCost?.p10, runCostUSDP90: $0.runCost?.p90)
    }
    warnings = []
    explanation = r.explanation
  }

  /// Every figure but the crossing years (which may be "never") is finite and positive.
  /// - Throws: `RequestError.invalid` naming the inputs that size the figures.
  func checkFinite() throws {
    var values = [frontierComputeFLOPs, frontierComputeFLOPsP10, frontierComputeFLOPsP90,
      frontierCostUSD, frontierCostUSDP10, frontierCostUSDP90]
    values += [runCostUSD, runCostUSDP10, runCostUSDP90].compactMap { $0 }
    for row in series {
      values += [row.frontierComputeFLOPs, row.frontierComputeFLOPsP10,
        row.frontierComputeFLOPsP90, row.frontierCostUSD, row.frontierCostUSDP10,
        row.frontierCostUSDP90]
      values += [row.runCostUSD, row.runCostUSDP10, row.runCostUSDP90].compactMap { $0 }
    }
    guard values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
      throw RequestError.invalid(
        "The projection leaves the range of a number (over- or underflow); bring --year, "
          + "--start-year and the growth rates closer to the catalog's.")
    }
  }
}

extension Engine {
  /// The trend catalogs (data/trends.csv, data/anchors.csv, data/data-stock.csv or overrides).
  /// - Throws: `CatalogError` with file:line:column for a bad cell.
  public func trendCatalog() throws -> TrendCatalog { try TrendCatalog.load(catalogFiles()) }

  /// Answers a `project` question.
  /// - Throws: `RequestError.invalid` for a bad request; `TrendOptionsError`,
  ///   `CatalogError.unknownEntry`, `ProjectionError` (a year before a start point, a threshold
  ///   already crossed) from the catalogs and the model.
  public func project(_ request: ProjectRequest) throws -> ProjectResult {
    try request.validate()
    let inputs = try trendCatalog().projectionInputs(request.options)
    let result = ProjectResult(try Planner.project(inputs), inputs)
    try result.checkFinite()
    return result
  }
}
