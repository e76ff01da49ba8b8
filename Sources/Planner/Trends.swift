// Exponential trends and projections to a target year: frontier training compute and cost, the year a
// threshold is crossed, and the cost of a fixed run as hardware (and optionally algorithms) improve.
// Model: x(t) = x₀ · e^{r (t − t₀)} with r = ln(growth factor per year); a doubling time T gives
// r = ln 2 / T, a halving time of required compute gives an effective-compute growth r = ln 2 / T.
// Crossing a threshold X: t = t₀ + ln(X / x₀) / r (closed form; e.g. the seed article's claim 3,
// The Economist 2023: $100M doubling every 10 months reaches $1B after 10·log2(10) = 33.2
// months). Uncertain rates and start points are split log-normals fitted to the published
// intervals (MonteCarlo.swift); rates: data/trends.csv, start points: data/anchors.csv, each row
// with its source. Years are decimal (2030 = 1 Jan 2030).

import Foundation
import Randomness

/// What a trend measures.
public enum TrendQuantity: String, Sendable, Codable, CaseIterable {
  case frontierCompute = "frontier_compute"
  case frontierCost = "frontier_cost"
  case pricePerformance = "price_performance"
  case hardwarePerformance = "hardware_performance"
  case energyEfficiency = "energy_efficiency"
  case memory
  case algorithmicEfficiency = "algorithmic_efficiency"
  case datasetSize = "dataset_size"
}

/// How a growth rate is quoted.
public enum RateUnit: String, Sendable, Codable, CaseIterable {
  /// Multiplier per year (2.4 = ×2.4/yr).
  case factorPerYear = "factor_per_year"
  /// Orders of magnitude per year (0.49 = ×10^0.49/yr).
  case oomPerYear = "oom_per_year"
  case doublingMonths = "doubling_months"
  case doublingYears = "doubling_years"
  /// Months for the compute needed for a fixed result to halve (algorithmic progress): the
  /// effective-compute multiplier doubles in that time.
  case halvingMonths = "halving_months"

  /// ln(growth factor per year) for a value quoted in this unit (positive = growing).
  public func lnGrowthPerYear(_ v: Double) -> Double {
    switch self {
    case .factorPerYear: return log(v)
    case .oomPerYear: return v * M_LN10
    case .doublingMonths, .halvingMonths: return 12 * M_LN2 / v
    case .doublingYears: return M_LN2 / v
    }
  }

  /// True when a larger quoted value means faster growth (factors, OOM/yr); false for times.
  public var largerIsFaster: Bool { self == .factorPerYear || self == .oomPerYear }
}

/// Converts "YYYY-MM-DD", "YYYY-MM" or a decimal year ("2023.2") to a decimal year:
/// year + (day of year − 1) / days in that year.
/// - Throws: `QuantityError.malformed` for anything else.
public func decimalYear(_ text: String, name: String = "date") throws -> Double {
  let s = text.trimmingCharacters(in: .whitespaces)
  let parts = s.split(separator: "-", omittingEmptySubsequences: false)
  if parts.count >= 2, parts.count <= 3, let y = Int(parts[0]), let m = Int(parts[1]),
    (1...12).contains(m)
  {
    let d = parts.count == 3 ? Int(parts[2]) : 1
    guard let day = d else { throw QuantityError.malformed(name: name, text: text) }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard day >= 1, day <= monthDays[m - 1] else {
      throw QuantityError.malformed(name: name, text: text)
    }
    let dayOfYear = monthDays[0..<(m - 1)].reduce(0, +) + day
    return Double(y) + Double(dayOfYear - 1) / (leap ? 366 : 365)
  }
  guard let v = Double(s), v.isFinite else { throw QuantityError.malformed(name: name, text: text) }
  return v
}

/// A published growth trend (one row of data/trends.csv).
public struct TrendRate: Sendable, Equatable, Codable {
  public var id: String
  public var quantity: TrendQuantity
  public var unit: RateUnit
  /// The central value as published, in `unit`.
  public var value: Double
  /// The published interval in `unit` and its level (0.90, 0.95), if any.
  public var low: Double?
  public var high: Double?
  public var level: Double?
  public var period: String
  public var isDefault: Bool
  public var tag: String
  public var source: String
  public var note: String

  /// Creates a trend row.
  public init(
    id: String, quantity: TrendQuantity, unit: RateUnit, value: Double, low: Double? = nil,
    high: Double? = nil, level: Double? = nil, period: String = "", isDefault: Bool = false,
    tag: String = "", source: String, note: String = ""
  ) {
    self.id = id
    self.quantity = quantity
    self.unit = unit
    self.value = value
    self.low = low
    self.high = high
    self.level = level
    self.period = period
    self.isDefault = isDefault
    self.tag = tag
    self.source = source
    self.note = note
  }

  /// Central growth factor per year.
  public var factorPerYear: Double { exp(unit.lnGrowthPerYear(value)) }

  /// The rate with its uncertainty, ready to sample.
  /// - Throws: `QuantityError` if the interval does not bracket the value.
  public func uncertainRate() throws -> UncertainRate {
    try UncertainRate(
      unit: unit, value: value, low: low, high: high, level: level,
      label: "\(id) (\(Format.number(value)) \(unit.rawValue.replacingOccurrences(of: "_", with: " ")))",
      source: source)
  }
}

/// A growth rate r = ln(factor per year), fixed or uncertain.
/// Uncertain rates are split log-normals on the growth *factor* (for factor and OOM/yr quotes) or
/// on the doubling/halving *time* (for time quotes), fitted to the published interval.
public struct UncertainRate: Sendable, Equatable, Codable {
  public var unit: RateUnit
  /// Distribution of the factor per year (factor/OOM quotes) or of the time (time quotes).
  public var distribution: SplitLogNormal
  /// Human-readable description (trend id and value, or the user's flag).
  public var label: String
  public var source: String

  /// A rate from a quoted value and optional interval.
  /// - Throws: `QuantityError` for non-positive values or an interval that does not bracket it.
  public init(
    unit: RateUnit, value: Double, low: Double? = nil, high: Double? = nil, level: Double? = nil,
    label: String, source: String
  ) throws {
    self.unit = unit
    self.label = label
    self.source = source
    // Factors and OOM/yr are mapped to the factor scale; times stay times.
    func toScale(_ v: Double) -> Double { unit == .oomPerYear ? pow(10, v) : v }
    if unit != .oomPerYear { try requirePositive(value, label) }
    guard value.isFinite else { throw QuantityError.notPositive(name: label, value: value) }
    if let lo = low, let hi = high, let lv = level {
      distribution = try SplitLogNormal(
        median: toScale(value), low: toScale(lo), high: toScale(hi), level: lv)
    } else {
      distribution = SplitLogNormal(fixed: toScale(value))
    }
  }

  /// A rate fixed by the user (no uncertainty): `factor` per year.
  /// - Throws: `QuantityError.notPositive` for a factor ≤ 0 or NaN.
  public static func fixedFactor(_ factor: Double, label: String) throws -> UncertainRate {
    try requirePositive(factor, label)
    return try UncertainRate(unit: .factorPerYear, value: factor, label: label, source: "user")
  }

  /// A rate fixed by the user as a doubling time in months.
  /// - Throws: `QuantityError.notPositive` for a time ≤ 0 or NaN.
  public static func fixedDoublingMonths(_ months: Double, label: String) throws -> UncertainRate {
    try requirePositive(months, label)
    return try UncertainRate(unit: .doublingMonths, value: months, label: label, source: "user")
  }

  /// True when the rate has no uncertainty.
  public var isFixed: Bool { distribution.isFixed }

  private func lnGrowth(scaleValue v: Double) -> Double {
    switch unit {
    case .factorPerYear, .oomPerYear: return log(v)
    default: return unit.lnGrowthPerYear(v)
    }
  }

  /// Central ln(growth factor per year).
  public var median: Double { lnGrowth(scaleValue: distribution.median) }

  /// The central growth factor per year.
  public var factorPerYear: Double { exp(median) }

  /// The p-quantile of r (faster growth at higher p).
  public func quantile(_ p: Double) -> Double {
    unit.largerIsFaster
      ? lnGrowth(scaleValue: distribution.quantile(p))
      : lnGrowth(scaleValue: distribution.quantile(1 - p))
  }

  /// One draw of r (consumes exactly one normal from `rng`).
  public func sample(_ rng: inout Xoshiro256StarStar) -> Double {
    lnGrowth(scaleValue: distribution.sample(&rng))
  }
}

/// A dated start point for a trend (one row of data/anchors.csv or data/data-stock.csv).
public struct TrendAnchor: Sendable, Equatable, Codable {
  public var id: String
  public var kind: String
  /// Decimal year of the value.
  public var year: Double
  /// The value (FLOP, US$, US$/FLOP or tokens), possibly uncertain.
  public var value: SplitLogNormal
  public var isDefault: Bool
  public var tag: String
  public var source: String
  public var note: String

  /// Creates an anchor.
  public init(
    id: String, kind: String, year: Double, value: SplitLogNormal, isDefault: Bool = false,
    tag: String = "", source: String, note: String = ""
  ) {
    self.id = id
    self.kind = kind
    self.year = year
    self.value = value
    self.isDefault = isDefault
    self.tag = tag
    self.source = source
    self.note = note
  }
}

// MARK: - Closed forms (no sampling)

/// x₀ · e^{r (t − t₀)}: the value of an exponential trend in `year`.
public func trendValue(start: Double, startYear: Double, lnGrowth r: Double, year: Double)
  -> Double
{
  start * exp(r * (year - startYear))
}

/// Years for an exponential trend at rate r to go from `start` to `target`: ln(target/start)/r.
/// Infinite when r ≤ 0 and target > start.
public func yearsToReach(_ target: Double, from start: Double, lnGrowth r: Double) -> Double {
  let need = log(target / start)
  if need <= 0 { return need / max(r, .leastNonzeroMagnitude) }
  return r > 0 ? need / r : .infinity
}

// MARK: - Projection (`scaleplan project`)

/// One projected series: a start point and a growth rate.
public struct SeriesSpec: Sendable, Equatable, Codable {
  /// What the series is, e.g. "frontier training compute (FLOP)".
  public var name: String
  public var start: SplitLogNormal
  public var startYear: Double
  /// Where the start point comes from (anchor id and source, or the user's flag).
  public var startLabel: String
  public var rate: UncertainRate

  /// Creates a series.
  public init(
    name: String, start: SplitLogNormal, startYear: Double, startLabel: String,
    rate: UncertainRate
  ) {
    self.name = name
    self.start = start
    self.startYear = startYear
    self.startLabel = startLabel
    self.rate = rate
  }

  /// True when neither the start nor the rate is uncertain.
  public var isDeterministic: Bool { start.isFixed && rate.isFixed }
}

/// A threshold for `--cross`: dollars (frontier cost) or FLOP (frontier compute).
public enum CrossThreshold: Sendable, Equatable, Codable {
  case dollars(Double)
  case flops(Double)
}

/// The cost of one fixed run in a later year: today's cost falls with hardware price-performance
/// and, if given, with algorithmic progress (the same result needs less compute).
public struct FixedRunSpec: Sendable, Equatable, Codable {
  /// Training compute of the run (FLOP).
  public var flops: Double
  /// Cost of the run at `startYear` (US$), possibly uncertain.
  public var startCost: SplitLogNormal
  public var startYear: Double
  public var startLabel: String
  /// Growth of FLOP per dollar (hardware price-performance).
  public var pricePerformance: UncertainRate
  /// Growth of effective compute from algorithms; nil to leave it out.
  public var algorithmic: UncertainRate?

  /// Creates the spec.
  public init(
    flops: Double, startCost: SplitLogNormal, startYear: Double, startLabel: String,
    pricePerformance: UncertainRate, algorithmic: UncertainRate?
  ) {
    self.flops = flops
    self.startCost = startCost
    self.startYear = startYear
    self.startLabel = startLabel
    self.pricePerformance = pricePerformance
    self.algorithmic = algorithmic
  }
}

/// Everything `project` needs.
public struct ProjectionInputs: Sendable, Equatable, Codable {
  /// Target year (decimal).
  public var year: Double
  public var compute: SeriesSpec
  public var cost: SeriesSpec
  public var cross: CrossThreshold?
  public var fixedRun: FixedRunSpec?
  /// Monte Carlo draws (≥ 1; 10,000 by default in the CLI).
  public var draws: Int
  public var seed: UInt64

  /// Creates the inputs.
  public init(
    year: Double, compute: SeriesSpec, cost: SeriesSpec, cross: CrossThreshold? = nil,
    fixedRun: FixedRunSpec? = nil, draws: Int = 10_000, seed: UInt64 = 1
  ) {
    self.year = year
    self.compute = compute
    self.cost = cost
    self.cross = cross
    self.fixedRun = fixedRun
    self.draws = draws
    self.seed = seed
  }
}

/// One year of the fan chart behind a projection.
public struct ProjectionSeriesRow: Sendable, Equatable, Codable {
  public var year: Double
  public var frontierCompute: Percentiles
  public var frontierCost: Percentiles
  public var runCost: Percentiles?
}

/// The answer of `project`: medians and 10th/90th percentiles over the draws.
public struct ProjectionResult: Sendable, Equatable, Codable {
  public var year: Double
  public var frontierCompute: Percentiles
  public var frontierCost: Percentiles
  /// Year the threshold is crossed (nil without `cross`); +∞ when a draw never crosses.
  public var crossingYear: Percentiles?
  public var runCost: Percentiles?
  /// Yearly rows from the first start year to the target (or the crossing), for fan charts.
  public var series: [ProjectionSeriesRow]
  /// True when every rate and start point was fixed (percentiles then coincide).
  public var deterministic: Bool
  public var draws: Int
  public var seed: UInt64
  public var explanation: Explanation
}

/// Errors from projections and runway; each reads as one sentence.
public enum ProjectionError: Error, CustomStringConvertible, Equatable {
  case yearBeforeStart(year: Double, series: String, start: Double)
  case alreadyCrossed(threshold: String, series: String, start: String, year: Double)
  case tooFewDraws(Int)
  case tooManyDraws(Int)

  public var description: String {
    switch self {
    case .yearBeforeStart(let y, let s, let start):
      return
        "Year \(Format.significant(y, digits: 6)) is before the start point of \(s) (\(Format.fixed(start, decimals: 2))); ask for a year from \(Format.fixed(start, decimals: 2)) on or move the start with --start-year."
    case .alreadyCrossed(let t, let s, let start, let y):
      return
        "The threshold \(t) is not above the start point of \(s) (\(start) in \(Format.fixed(y, decimals: 2))); choose a larger threshold."
    case .tooFewDraws(let n):
      return "--draws must be at least 1, got \(n); use 10000 or more for stable percentiles."
    case .tooManyDraws(let n):
      return "--draws must be at most 10000000, got \(n); 10000 to 100000 is plenty."
    }
  }
}

/// Projects frontier compute and cost to `inputs.year`, optionally the crossing year of a
/// threshold and the cost of a fixed run, by Monte Carlo over every uncertain rate and start point.
/// Each draw samples, in this order: compute start, compute rate, cost start, cost rate, run start
/// cost, price-performance rate, algorithmic rate (one normal each), so a seed fixes every number.
/// - Throws: `ProjectionError.yearBeforeStart` if the target year precedes a start point used,
///   `.alreadyCrossed` if the threshold is not above the series' median start, `.tooFewDraws`.
public func project(_ inputs: ProjectionInputs) throws -> ProjectionResult {
  guard inputs.draws >= 1 else { throw ProjectionError.tooFewDraws(inputs.draws) }
  guard inputs.draws <= 10_000_000 else { throw ProjectionError.tooManyDraws(inputs.draws) }
  guard inputs.year.isFinite else {
    throw QuantityError.malformed(name: "--year", text: "\(inputs.year)")
  }
  var used: [(String, Double)] = [
    (inputs.compute.name, inputs.compute.startYear), (inputs.cost.name, inputs.cost.startYear),
  ]
  if let run = inputs.fixedRun { used.append(("the fixed run's cost", run.startYear)) }
  for (name, start) in used where inputs.year < start - 1e-9 {
    throw ProjectionError.yearBeforeStart(year: inputs.year, series: name, start: start)
  }
  var crossSeries: SeriesSpec?
  var threshold = 0.0
  if let c = inputs.cross {
    switch c {
    case .dollars(let v):
      crossSeries = inputs.cost
      threshold = v
      try requirePositive(v, "--cross")
      if v <= inputs.cost.start.median {
        throw ProjectionError.alreadyCrossed(
          threshold: Format.dollars(v), series: inputs.cost.name,
          start: Format.dollars(inputs.cost.start.median), year: inputs.cost.startYear)
      }
    case .flops(let v):
      crossSeries = inputs.compute
      threshold = v
      try requirePositive(v, "--cross")
      if v <= inputs.compute.start.median {
        throw ProjectionError.alreadyCrossed(
          threshold: Format.scientific(v) + " FLOP", series: inputs.compute.name,
          start: Format.scientific(inputs.compute.start.median) + " FLOP",
          year: inputs.compute.startYear)
      }
    }
  }

  let n = inputs.draws
  var rng = Xoshiro256StarStar(seed: inputs.seed)
  // Per-draw parameters (logs of start values, rates).
  var lc0 = [Double](repeating: 0, count: n), rc = lc0, ld0 = lc0, rd = lc0
  var lr0 = lc0, rr = lc0
  for i in 0..<n {
    lc0[i] = inputs.compute.start.sampleLog(&rng)
    rc[i] = inputs.compute.rate.sample(&rng)
    ld0[i] = inputs.cost.start.sampleLog(&rng)
    rd[i] = inputs.cost.rate.sample(&rng)
    if let run = inputs.fixedRun {
      lr0[i] = run.startCost.sampleLog(&rng)
      let pp = run.pricePerformance.sample(&rng)
      let alg = run.algorithmic.map { $0.sample(&rng) } ?? 0
      rr[i] = -(pp + alg)
    }
  }
  func values(
    _ l0: [Double], _ r: [Double], _ t0: Double, _ year: Double
  ) -> Percentiles {
    var v = [Double](repeating: 0, count: n)
    for i in 0..<n { v[i] = exp(l0[i] + r[i] * (year - t0)) }
    return Percentiles(of: v)
  }
  let computeY = values(lc0, rc, inputs.compute.startYear, inputs.year)
  let costY = values(ld0, rd, inputs.cost.startYear, inputs.year)
  var runY: Percentiles?
  if let run = inputs.fixedRun { runY = values(lr0, rr, run.startYear, inputs.year) }

  var crossing: Percentiles?
  if let s = crossSeries {
    let isCost = s == inputs.cost
    var t = [Double](repeating: 0, count: n)
    let lx = log(threshold)
    for i in 0..<n {
      let l0 = isCost ? ld0[i] : lc0[i]
      let r = isCost ? rd[i] : rc[i]
      let need = lx - l0
      t[i] = s.startYear + (need <= 0 ? need / max(r, 1e-300) : (r > 0 ? need / r : .infinity))
    }
    crossing = Percentiles(of: t)
  }

  // Series: whole years from the earliest start point to the target (or the crossing's p90).
  let first = used.map(\.1).min() ?? inputs.year
  var last = inputs.year
  if let c = crossing, c.p90.isFinite { last = max(last, c.p90) }
  var rows: [ProjectionSeriesRow] = []
  var years: [Double] = [first]
  var y = first.rounded(.down) + 1
  while y <= min(last, first + 60) + 1e-9 {
    years.append(y)
    y += 1
  }
  if !years.contains(where: { abs($0 - inputs.year) < 1e-9 }) { years.append(inputs.year) }
  years.sort()
  for yr in years {
    // Rows before a series' own start point are extrapolated backwards; notebooks may mask them.
    rows.append(
      ProjectionSeriesRow(
        year: yr, frontierCompute: values(lc0, rc, inputs.compute.startYear, yr),
        frontierCost: values(ld0, rd, inputs.cost.startYear, yr),
        runCost: inputs.fixedRun.map { values(lr0, rr, $0.startYear, yr) }))
  }

  let deterministic =
    inputs.compute.isDeterministic && inputs.cost.isDeterministic
    && (inputs.fixedRun.map {
      $0.startCost.isFixed && $0.pricePerformance.isFixed && ($0.algorithmic?.isFixed ?? true)
    } ?? true)

  return ProjectionResult(
    year: inputs.year, frontierCompute: computeY, frontierCost: costY, crossingYear: crossing,
    runCost: runY, series: rows, deterministic: deterministic, draws: n, seed: inputs.seed,
    explanation: explainProjection(inputs, computeY, costY, crossing, runY))
}

private func describe(_ r: UncertainRate) -> String {
  let f = r.factorPerYear
  let lo = exp(r.quantile(0.1)), hi = exp(r.quantile(0.9))
  let band = r.isFixed ? "fixed" : "p10–p90 ×\(Format.significant(lo))–×\(Format.significant(hi))"
  return "×\(Format.significant(f, digits: 4))/yr (\(band)); \(r.label)"
}

private func describe(_ d: SplitLogNormal, _ fmt: (Double) -> String) -> String {
  d.isFixed ? fmt(d.median) : "\(fmt(d.median)) (p10 \(fmt(d.quantile(0.1))), p90 \(fmt(d.quantile(0.9))))"
}

private func explainProjection(
  _ i: ProjectionInputs, _ c: Percentiles, _ d: Percentiles, _ x: Percentiles?, _ run: Percentiles?
) -> Explanation {
  var e = Explanation()
  let mc =
    "Monte Carlo, \(i.draws) draws, seed \(i.seed): split log-normals fitted to each published interval"
  let flop = { (v: Double) in Format.scientific(v) + " FLOP" }
  e.add(
    ExplainedStep(
      quantity: "frontier training compute in \(Format.significant(i.year, digits: 6))",
      formula: "C(Y) = C0 · g^(Y − t0)",
      inputs: [
        ExplainedInput("C0", describe(i.compute.start, flop), source: i.compute.startLabel),
        ExplainedInput("t0", Format.fixed(i.compute.startYear, decimals: 2), source: "anchor date"),
        ExplainedInput("g", describe(i.compute.rate), source: i.compute.rate.source),
      ],
      result: "\(flop(c.median)) (p10 \(flop(c.p10)), p90 \(flop(c.p90)))",
      source: "exponential trend; \(mc)"))
  e.add(
    ExplainedStep(
      quantity: "frontier training cost in \(Format.significant(i.year, digits: 6))",
      formula: "$(Y) = $0 · g^(Y − t0)",
      inputs: [
        ExplainedInput("$0", describe(i.cost.start, { Format.dollars($0) }), source: i.cost.startLabel),
        ExplainedInput("t0", Format.fixed(i.cost.startYear, decimals: 2), source: "anchor date"),
        ExplainedInput("g", describe(i.cost.rate), source: i.cost.rate.source),
      ],
      result:
        "\(Format.dollars(d.median)) (p10 \(Format.dollars(d.p10)), p90 \(Format.dollars(d.p90)))",
      source: "exponential trend; \(mc)"))
  if let x, let cross = i.cross {
    let (name, thr): (String, String) = {
      switch cross {
      case .dollars(let v): return ("frontier cost", Format.dollars(v))
      case .flops(let v): return ("frontier compute", flop(v))
      }
    }()
    let fmt = { (v: Double) in v.isFinite ? Format.fixed(v, decimals: 2) : "never" }
    e.add(
      ExplainedStep(
        quantity: "year \(name) crosses \(thr)",
        formula: "t = t0 + ln(X / x0) / ln g",
        inputs: [ExplainedInput("X", thr, source: "--cross")],
        result: "\(fmt(x.median)) (p10 \(fmt(x.p10)), p90 \(fmt(x.p90)))",
        source:
          "closed form of the exponential trend (e.g. The Economist 2023, claim 3: "
          + "10·log2(10) = 33.2 months)"))
  }
  if let run, let r = i.fixedRun {
    var inputs = [
      ExplainedInput("C", flop(r.flops), source: "--compute"),
      ExplainedInput("$0", describe(r.startCost, { Format.dollars($0) }), source: r.startLabel),
      ExplainedInput("t0", Format.fixed(r.startYear, decimals: 2), source: "price anchor date"),
      ExplainedInput("g_hw", describe(r.pricePerformance), source: r.pricePerformance.source),
    ]
    var formula = "$run(Y) = $0 / g_hw^(Y − t0)"
    if let a = r.algorithmic {
      inputs.append(ExplainedInput("g_alg", describe(a), source: a.source))
      formula =
        "$run(Y) = $0 / (g_hw · g_alg)^(Y − t0)  (algorithmic progress as effective compute: the same result needs C / g_alg^(Y − t0))"
    }
    e.add(
      ExplainedStep(
        quantity: "cost of the fixed run in \(Format.significant(i.year, digits: 6))",
        formula: formula, inputs: inputs,
        result:
          "\(Format.dollars(run.median)) (p10 \(Format.dollars(run.p10)), p90 \(Format.dollars(run.p90)))",
        source: "hardware price-performance trend (FLOP/s per $); \(mc)"))
  }
  return e
}
