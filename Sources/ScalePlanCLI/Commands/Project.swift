// `scaleplan project`: frontier compute and cost in a year, the year a threshold is crossed, and the
// cost of a fixed run later. Thin: flags → ProjectionOptions → TrendCatalog.projectionInputs →
// Planner.project → table or JSON. Rates and anchors: data/trends.csv, data/anchors.csv.

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

  @Option(parsing: .unconditional, help: "Target year (decimal, or YYYY-MM-DD; 2030 means 1 Jan 2030).")
  public var year: String = "2030"
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
  @Option(parsing: .unconditional, help: "Date of every start point (decimal year or YYYY-MM-DD).")
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
  @Option(parsing: .unconditional, help: "Monte Carlo draws (at least 10000 recommended).")
  public var draws: Int = 10_000
  @Option(parsing: .unconditional, help: "Random seed (same seed, same numbers).")
  public var seed: UInt64 = 1
  @Flag(help: "Also print the yearly series behind the answer (always in --json).")
  public var series = false

  public init() {}

  public func run() throws {
    var o = ProjectionOptions()
    o.year = try decimalYear(year, name: "--year")
    if let c = cross {
      let q = try Quantity.parse(c, name: "--cross")
      o.cross = q.isDollars ? .dollars(q.value) : .flops(q.value)
      try requirePositive(q.value, "--cross")
    }
    func num(_ s: String?, _ name: String) throws -> Double? {
      try s.map { try Quantity.parsePositive($0, name: name) }
    }
    o.runFlops = try num(compute, "--compute")
    o.algorithmic = algorithmic || algorithmicHalvingMonths != nil
    o.costGrowth = try num(growth, "--growth")
    o.costDoublingMonths = try num(doublingMonths, "--doubling-months")
    o.computeGrowth = try num(computeGrowth, "--compute-growth")
    o.computeDoublingMonths = try num(computeDoublingMonths, "--compute-doubling-months")
    o.priceDoublingYears = try num(priceDoublingYears, "--price-doubling-years")
    o.algorithmicHalvingMonths = try num(algorithmicHalvingMonths, "--algorithmic-halving-months")
    o.startCost = try num(startCost, "--start-cost")
    o.startCompute = try num(startCompute, "--start-compute")
    o.startYear = try startYear.map { try decimalYear($0, name: "--start-year") }
    o.computeTrend = computeTrend
    o.costTrend = costTrend
    o.hardwareTrend = hardwareTrend
    o.algorithmicTrend = algorithmicTrend
    o.computeAnchor = computeAnchor
    o.costAnchor = costAnchor
    o.priceAnchor = priceAnchor
    o.draws = draws
    o.seed = seed

    let cat = try TrendCatalog.load(catalog.files())
    let inputs = try cat.projectionInputs(o)
    let r = try project(inputs)
    if output.json {
      try JSONOutput.print(ProjectionJSON(r, inputs))
      return
    }
    print(Self.render(r, inputs, withSeries: series))
    if output.explain { print(r.explanation.render(), terminator: "") }
  }

  /// The text table (public for tests and notebooks).
  public static func render(_ r: ProjectionResult, _ i: ProjectionInputs, withSeries: Bool) -> String
  {
    let y = Format.significant(r.year, digits: 6)
    let flop = { (v: Double) in Format.scientific(v) }
    var t = TextTable(header: ["quantity", "median", "p10", "p90"])
    t.add(["frontier training compute \(y) (FLOP)", flop(r.frontierCompute.median),
           flop(r.frontierCompute.p10), flop(r.frontierCompute.p90)])
    t.add(["frontier training cost \(y)", Format.dollars(r.frontierCost.median),
           Format.dollars(r.frontierCost.p10), Format.dollars(r.frontierCost.p90)])
    if let c = r.crossingYear {
      let f = { (v: Double) in v.isFinite ? Format.fixed(v, decimals: 2) : "never" }
      let what: String
      switch i.cross {
      case .dollars(let v)?: what = "year frontier cost crosses \(Format.dollars(v))"
      case .flops(let v)?: what = "year frontier compute crosses \(flop(v)) FLOP"
      case nil: what = "crossing year"
      }
      t.add([what, f(c.median), f(c.p10), f(c.p90)])
    }
    if let run = r.runCost, let spec = i.fixedRun {
      t.add(["cost of a \(flop(spec.flops)) FLOP run in \(y)", Format.dollars(run.median),
             Format.dollars(run.p10), Format.dollars(run.p90)])
    }
    var out = t.render()
    out += "\nstart points: compute \(i.compute.startLabel) (\(Format.fixed(i.compute.startYear, decimals: 2)));"
    out += " cost \(i.cost.startLabel) (\(Format.fixed(i.cost.startYear, decimals: 2)))\n"
    out += "rates: compute \(i.compute.rate.label); cost \(i.cost.rate.label)\n"
    if let run = i.fixedRun {
      out += "fixed run: \(run.startLabel) (\(Format.fixed(run.startYear, decimals: 2))); "
      out += "price-performance \(run.pricePerformance.label)"
      if let a = run.algorithmic { out += "; algorithmic progress as effective compute \(a.label)" }
      out += "\n"
    }
    if r.deterministic {
      out += "deterministic: every rate and start point is fixed, so there is no uncertainty.\n"
    } else {
      out += "Monte Carlo: \(r.draws) draws, seed \(r.seed); split log-normals fitted to the published intervals"
      if i.compute.rate.isFixed || i.cost.rate.isFixed { out += " (user-fixed rates carry none)" }
      out += ".\n"
    }
    if withSeries {
      var s = TextTable(header: [
        "year", "compute p50", "compute p10", "compute p90", "cost p50", "cost p10", "cost p90",
      ] + (r.runCost == nil ? [] : ["run p50", "run p10", "run p90"]))
      for row in r.series {
        var cells = [
          Format.fixed(row.year, decimals: 2), flop(row.frontierCompute.median),
          flop(row.frontierCompute.p10), flop(row.frontierCompute.p90),
          Format.dollars(row.frontierCost.median), Format.dollars(row.frontierCost.p10),
          Format.dollars(row.frontierCost.p90),
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

/// A finite value or null (JSON has no infinity).
private func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }

/// JSON of `project` (snake_case keys as in issue 4).
struct ProjectionJSON: Encodable {
  struct Row: Encodable {
    var year: Double
    var frontier_compute_flops, frontier_compute_flops_p10, frontier_compute_flops_p90: Double
    var frontier_cost_usd, frontier_cost_usd_p10, frontier_cost_usd_p90: Double
    var run_cost_usd, run_cost_usd_p10, run_cost_usd_p90: Double?
  }
  var year: Double
  var frontier_compute_flops, frontier_compute_flops_p10, frontier_compute_flops_p90: Double
  var frontier_cost_usd, frontier_cost_usd_p10, frontier_cost_usd_p90: Double
  var crossing_year, crossing_year_p10, crossing_year_p90: Double?
  var cross_threshold: Double?
  var cross_series: String?
  var run_compute_flops: Double?
  var run_cost_usd, run_cost_usd_p10, run_cost_usd_p90: Double?
  var deterministic: Bool
  var draws: Int
  var seed: UInt64
  var compute_start: String
  var compute_start_year: Double
  var compute_rate: String
  var cost_start: String
  var cost_start_year: Double
  var cost_rate: String
  var series: [Row]

  init(_ r: ProjectionResult, _ i: ProjectionInputs) {
    year = r.year
    frontier_compute_flops = r.frontierCompute.median
    frontier_compute_flops_p10 = r.frontierCompute.p10
    frontier_compute_flops_p90 = r.frontierCompute.p90
    frontier_cost_usd = r.frontierCost.median
    frontier_cost_usd_p10 = r.frontierCost.p10
    frontier_cost_usd_p90 = r.frontierCost.p90
    if let c = r.crossingYear {
      crossing_year = finite(c.median)
      crossing_year_p10 = finite(c.p10)
      crossing_year_p90 = finite(c.p90)
    }
    switch i.cross {
    case .dollars(let v)?: (cross_threshold, cross_series) = (v, "frontier_cost_usd")
    case .flops(let v)?: (cross_threshold, cross_series) = (v, "frontier_compute_flops")
    case nil: break
    }
    run_compute_flops = i.fixedRun?.flops
    run_cost_usd = r.runCost?.median
    run_cost_usd_p10 = r.runCost?.p10
    run_cost_usd_p90 = r.runCost?.p90
    deterministic = r.deterministic
    draws = r.draws
    seed = r.seed
    compute_start = i.compute.startLabel
    compute_start_year = i.compute.startYear
    compute_rate = i.compute.rate.label
    cost_start = i.cost.startLabel
    cost_start_year = i.cost.startYear
    cost_rate = i.cost.rate.label
    series = r.series.map {
      Row(
        year: $0.year, frontier_compute_flops: $0.frontierCompute.median,
        frontier_compute_flops_p10: $0.frontierCompute.p10,
        frontier_compute_flops_p90: $0.frontierCompute.p90,
        frontier_cost_usd: $0.frontierCost.median, frontier_cost_usd_p10: $0.frontierCost.p10,
        frontier_cost_usd_p90: $0.frontierCost.p90, run_cost_usd: $0.runCost?.median,
        run_cost_usd_p10: $0.runCost?.p10, run_cost_usd_p90: $0.runCost?.p90)
    }
  }
}
