// `scaleplan bench fit` (hidden): flags → `BenchFitRequest` → `Engine.benchFit` (the Approach-3
// grid fit on Epoch AI's 240 Chinchilla points, verified against the published optimum, then
// timed against scipy's L-BFGS-B from data/peer-benchmarks.csv) → table or JSON.

import ArgumentParser
import Foundation
import UseCases

/// `scaleplan bench fit`.
public struct BenchFitCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Check, then time the Approach-3 grid fit and bootstrap against scipy's L-BFGS-B.")

  private typealias D = BenchFitRequest.Defaults
  @Option(help: "Epoch's digitised Chinchilla points (default: the built-in data/\(D.referenceFile)).")
  public var data: String?
  @Option(help: "Grid for the main timing: 4500 (Hoffmann; the default) or 7776 (the peer's grid).")
  public var starts: Int?
  @Option(help: "Warm-started bootstrap refits to time (0 skips; default \(D.bootstrap)).")
  public var bootstrap: Int?
  @Option(help: "Timed repeats; the median is reported (default \(D.repeats)).")
  public var repeats: Int?
  @Option(help: "Worker threads (default: every core).")
  public var threads: Int?
  @Option(
    help: "Seconds to wait before each timed repeat for the machine to be < 15 % busy (0 = don't).")
  public var waitQuiet: Double?
  @Flag(help: "Skip the like-for-like run of the peer's 7,776-start grid.")
  public var skipPeerGrid = false
  @OptionGroup public var output: OutputOptions

  public init() {}

  var request: BenchFitRequest {
    BenchFitRequest(
      data: data, starts: starts, bootstrap: bootstrap, repeats: repeats, threads: threads,
      waitQuiet: waitQuiet, skipPeerGrid: skipPeerGrid)
  }

  public func validate() throws {
    try UsageCheck.run { try request.validate() }
  }

  public func run() throws {
    let result = try Engine().benchFit(request)
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
      return
    }
    print(Self.render(result))
    if output.explain, let e = result.explanation { print(e.render(), terminator: "") }
  }

  static func render(_ r: BenchFitResult) -> String {
    let f = { (x: Double, d: Int) in String(format: "%.\(d)f", x) }
    var out = "Epoch's Chinchilla points: \(r.points); threads \(r.threads)\n"
    out +=
      "fit (verified against Epoch's grid optimum): E \(f(r.fitted["E"] ?? 0, 4)), "
      + "A \(f(r.fitted["A"] ?? 0, 2)), B \(f(r.fitted["B"] ?? 0, 1)), "
      + "α \(f(r.fitted["alpha"] ?? 0, 5)), β \(f(r.fitted["beta"] ?? 0, 5)), "
      + "objective \(String(format: "%.6e", r.objective))\n\n"
    var t = TextTable(header: [
      "grid", "starts", "median s", "runs s", "CPU share", "CPU s", "evals", "ms/start",
      "µs/eval", "× scipy/start",
    ])
    for g in r.grids {
      t.add([
        g.name, "\(g.starts)", f(g.secondsMedian, 3),
        g.secondsAll.map { f($0, 2) }.joined(separator: " "), f(g.cpuShare, 2), f(g.cpuSeconds, 2),
        "\(g.evaluations)", f(g.msPerStart, 3), f(g.usPerEvaluation, 2),
        f(g.speedupPerStartVsScipy, 1),
      ])
    }
    out += t.render()
    out +=
      "scipy L-BFGS-B (data/peer-benchmarks.csv): \(f(r.scipyGridSeconds, 2)) s for "
      + "\(r.scipyGridStarts) starts = "
      + "\(f(r.scipyMsPerStart, 3)) ms/start (1 thread)\n"
    if let b = r.bootstrap {
      out +=
        "\nbootstrap: \(b.resamples) warm-started refits: median \(f(b.secondsMedian, 3)) s "
        + "(runs \(b.secondsAll.map { f($0, 2) }.joined(separator: " ")); CPU share "
        + "\(f(b.cpuShare, 2)); \(b.failed) failed; scipy at \(f(r.scipyBootstrapSecondsPer100, 2)) s/100 → "
        + "\(f(r.scipyBootstrapSecondsPer100 * Double(b.resamples) / 100, 2)) s, "
        + "× \(f(b.speedupVsScipy, 1))\n"
      for k in ["E", "A", "B", "alpha", "beta"] {
        if let iv = b.intervals[k], iv.count == 2 {
          out += "  \(k) 95% [\(String(format: "%.4g", iv[0])), \(String(format: "%.4g", iv[1]))]\n"
        }
      }
    }
    return out
  }
}
