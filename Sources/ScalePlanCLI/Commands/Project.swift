// `scaleplan project`: frontier compute and cost in a year, the year a threshold is crossed, and the
// cost of a fixed run later. Thin: flags → ProjectRequest → Engine.project → table or JSON. Rates and
// anchors: data/trends.csv, data/anchors.csv.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan project`.
public struct ProjectCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "project",
    abstract: "Frontier training compute and cost in a target year, with intervals.",
    discussion: """
      Exponential trends from data/trends.csv started at dated anchors from data/anchors.csv, with \
      Monte Carlo over every published interval (median, 10th and 90th percentiles). Examples:
        scaleplan project --year 2030
        scaleplan project --cross '$1B'          (year the most expensive run crosses $1B)
        scaleplan project --cross 1e27           (year the largest run crosses 1e27 FLOP)
        scaleplan project --compute 1e25 --year 2028 [--algorithmic]
        scaleplan project --start-cost '$100M' --start-year 2023 --doubling-months 10 --year 2026
      --growth/--doubling-months fix the frontier cost rate, --compute-growth/--compute-doubling-months \
      the frontier compute rate; a fixed rate carries no uncertainty. --start-year dates every start \
      point. With --compute, --start-cost is that run's cost at --start-year.
      """)

  @OptionGroup public var output: OutputOptions
  @OptionGroup public var catalog: CatalogOptions

  @Option(
    parsing: .unconditional,
    help: "Target year, 1950-2100 (decimal, or YYYY-MM-DD; 2030 means 1 Jan 2030; default \(Format.number(ProjectRequest.defaultYear))).")
  public var year: String?
  @Option(parsing: .unconditional, help: "Threshold to cross: dollars ('$1B') for frontier cost, or FLOP (1e27) for compute.")
  public var cross: String?
  @Option(parsing: .unconditional, help: "Training FLOP of a fixed run: its cost in --year as hardware gets cheaper.")
  public var compute: String?
  @Flag(help: "With --compute: also count algorithmic progress as effective compute.")
  public var algorithmic = false
  @Option(parsing: .unconditional, help: "Frontier cost growth factor per year (fixed, e.g. 2.4).")
  public var growth: String?
  @Option(parsing: .unconditional, help: "Frontier cost doubling time in months (fixed, e.g. 10).")
  public var doublingMonths: String?
  @Option(parsing: .unconditional, help: "Frontier compute growth factor per year (fixed, e.g. 4.5).")
  public var computeGrowth: String?
  @Option(parsing: .unconditional, help: "Frontier compute doubling time in months (fixed).")
  public var computeDoublingMonths: String?
  @Option(parsing: .unconditional, help: "With --compute: price-performance doubling time in years (fixed, e.g. 2.5).")
  public var priceDoublingYears: String?
  @Option(parsing: .unconditional, help: "With --compute: algorithmic halving time in months (fixed; implies --algorithmic).")
  public var algorithmicHalvingMonths: String?
  @Option(parsing: .unconditional, help: "Start cost: the frontier run's ($), or with --compute that run's cost. Needs --start-year.")
  public var startCost: String?
  @Option(parsing: .unconditional, help: "Start frontier compute (FLOP). Needs --start-year.")
  public var startCompute: String?
  @Option(parsing: .unconditional, help: "Date of every start point, 1950-2100 (decimal year or YYYY-MM-DD).")
  public var startYear: String?
  @Option(parsing: .unconditional, help: "Trend id for frontier compute (data/trends.csv).")
  public var computeTrend: String?
  @Option(parsing: .unconditional, help: "Trend id for frontier cost (data/trends.csv).")
  public var costTrend: String?
  @Option(parsing: .unconditional, help: "Trend id for hardware price-performance (data/trends.csv).")
  public var hardwareTrend: String?
  @Option(parsing: .unconditional, help: "Trend id for algorithmic efficiency (data/trends.csv).")
  public var algorithmicTrend: String?
  @Option(parsing: .unconditional, help: "Anchor id for frontier compute (data/anchors.csv).")
  public var computeAnchor: String?
  @Option(parsing: .unconditional, help: "Anchor id for frontier cost (data/anchors.csv).")
  public var costAnchor: String?
  @Option(parsing: .unconditional, help: "Anchor id for today's $ per FLOP (data/anchors.csv).")
  public var priceAnchor: String?
  @Option(
    parsing: .unconditional,
    help: "Monte Carlo draws, 1-1000000 (default \(ProjectRequest.defaultDraws); at least 10000 recommended).")
  public var draws: Int?
  @Option(parsing: .unconditional, help: "Random seed (same seed, same numbers; default \(ProjectRequest.defaultSeed)).")
  public var seed: UInt64?
  @Flag(help: "Also print the yearly series behind the answer (always in --json).")
  public var series = false

  public init() {}

  /// The request these flags describe (quantities parsed, nothing defaulted).
  /// - Throws: `QuantityError` for text that is not a quantity.
  public func request() throws -> ProjectRequest {
    var r = ProjectRequest()
    r.year = try year.map { try decimalYear($0, name: "--year") }
    if let c = cross {
      let q = try Quantity.parse(c, name: "--cross")
      try requirePositive(q.value, "--cross")
      if q.isDollars { r.crossUSD = q.value } else { r.crossFLOPs = q.value }
    }
    r.compute = try positiveQuantity(compute, "--compute")
    r.algorithmic = algorithmic ? true : nil
    r.growth = try positiveQuantity(growth, "--growth")
    r.doublingMonths = try positiveQuantity(doublingMonths, "--doubling-months")
    r.computeGrowth = try positiveQuantity(computeGrowth, "--compute-growth")
    r.computeDoublingMonths = try positiveQuantity(computeDoublingMonths, "--compute-doubling-months")
    r.priceDoublingYears = try positiveQuantity(priceDoublingYears, "--price-doubling-years")
    r.algorithmicHalvingMonths = try positiveQuantity(
      algorithmicHalvingMonths, "--algorithmic-halving-months")
    r.startCost = try positiveQuantity(startCost, "--start-cost")
    r.startCompute = try positiveQuantity(startCompute, "--start-compute")
    r.startYear = try startYear.map { try decimalYear($0, name: "--start-year") }
    r.computeTrend = computeTrend
    r.costTrend = costTrend
    r.hardwareTrend = hardwareTrend
    r.algorithmicTrend = algorithmicTrend
    r.computeAnchor = computeAnchor
    r.costAnchor = costAnchor
    r.priceAnchor = priceAnchor
    r.draws = draws
    r.seed = seed
    return r
  }

  public func validate() throws {
    try request().validate()
  }

  public func run() throws {
    let r = try Engine(catalogDirectory: catalog.catalog).project(request())
    if output.json {
      try JSONOutput.print(output.explain ? r : r.withoutExplanation())
      return
    }
    print(Self.render(r, withSeries: series))
    if output.explain, let e = r.explanation { print(e.render(), terminator: "") }
  }

  /// The text table (public for tests and notebooks).
  public static func render(_ r: ProjectResult, withSeries: Bool) -> String {
    let y = Format.significant(r.year, digits: 6)
    let flop = { (v: Double) in Format.scientific(v) }
    var t = TextTable(header: ["quantity", "median", "p10", "p90"])
    t.add([
      "frontier training compute \(y) (FLOP)", flop(r.frontierComputeFLOPs),
      flop(r.frontierComputeFLOPsP10), flop(r.frontierComputeFLOPsP90),
    ])
    t.add([
      "frontier training cost \(y)", Format.dollars(r.frontierCostUSD),
      Format.dollars(r.frontierCostUSDP10), Format.dollars(r.frontierCostUSDP90),
    ])
    if let c = r.crossing {
      let f = { (v: Double) in v.isFinite ? Format.fixed(v, decimals: 2) : "never" }
      let what: String
      switch (r.crossSeries, r.crossThreshold) {
      case ("frontier_cost_usd"?, let v?): what = "year frontier cost crosses \(Format.dollars(v))"
      case ("frontier_compute_flops"?, let v?): what = "year frontier compute crosses \(flop(v)) FLOP"
      default: what = "crossing year"
      }
      t.add([what, f(c.median), f(c.p10), f(c.p90)])
    }
    if let run = r.runCost, let flops = r.runComputeFLOPs {
      t.add([
        "cost of a \(flop(flops)) FLOP run in \(y)", Format.dollars(run.median),
        Format.dollars(run.p10), Format.dollars(run.p90),
      ])
    }
    var out = t.render()
    out += "\nstart points: compute \(r.computeStart) (\(Format.fixed(r.computeStartYear, decimals: 2)));"
    out += " cost \(r.costStart) (\(Format.fixed(r.costStartYear, decimals: 2)))\n"
    out += "rates: compute \(r.computeRate); cost \(r.costRate)\n"
    if let start = r.runStart, let year = r.runStartYear {
      out += "fixed run: \(start) (\(Format.fixed(year, decimals: 2))); "
      out += "price-performance \(r.runPricePerformance ?? "")"
      if let a = r.runAlgorithmic { out += "; algorithmic progress as effective compute \(a)" }
      out += "\n"
    }
    if r.deterministic {
      out += "deterministic: every rate and start point is fixed, so there is no uncertainty.\n"
    } else {
      out += "Monte Carlo: \(r.draws) draws, seed \(r.seed); split log-normals fitted to the published intervals"
      if r.computeRateFixed || r.costRateFixed { out += " (user-fixed rates carry none)" }
      out += ".\n"
    }
    for w in r.warnings { out += "warning: \(w)\n" }
    if withSeries {
      var s = TextTable(header: [
        "year", "compute p50", "compute p10", "compute p90", "cost p50", "cost p10", "cost p90",
      ] + (r.runCost == nil ? [] : ["run p50", "run p10", "run p90"]))
      for row in r.series {
        var cells = [
          Format.fixed(row.year, decimals: 2), flop(row.frontierComputeFLOPs),
          flop(row.frontierComputeFLOPsP10), flop(row.frontierComputeFLOPsP90),
          Format.dollars(row.frontierCostUSD), Format.dollars(row.frontierCostUSDP10),
          Format.dollars(row.frontierCostUSDP90),
        ]
        if let rc = row.runCost {
          cells += [Format.dollars(rc.median), Format.dollars(rc.p10), Format.dollars(rc.p90)]
        }
        s.add(cells)
      }
      out += "\n" + s.render()
    }
    return out
  }
}
