// `Engine.project`, `Engine.runway` and the dispatcher `Engine.answer`: compound growth and the
// crossing year against hand arithmetic, the bounds that used to loop or print inf, the runway's
// published median, and every use case answered in-process from its JSON with the same numbers as
// its command's --json.

import Foundation
import Planner
import TestSupport
import Testing
import UseCases

@Suite struct ProjectRunwayDispatchTests {
  let engine = Engine()

  @Test("A fixed 10-month cost doubling from $100M in 2023: cost and crossing year by hand")
  func fixedDoubling() throws {
    var q = ProjectRequest()
    q.year = 2030
    q.crossUSD = 1e9
    q.doublingMonths = 10
    q.startCost = 1e8
    q.startYear = 2023
    let r = try engine.project(q)
    // cost(Y) = 1e8 · 2^((Y − 2023)·12/10); in 2030: 1e8 · 2^8.4.
    #expect(isClose(r.frontierCostUSD, 1e8 * pow(2, 8.4), rel: 1e-12))
    // A fixed rate has no spread.
    #expect(r.frontierCostUSDP10 == r.frontierCostUSD && r.frontierCostUSDP90 == r.frontierCostUSD)
    // Ten-fold at a 10-month doubling: 10·log2(10) months after the start.
    let crossing = try #require(r.crossingYear)
    #expect(isClose(crossing, 2023 + 10 * log2(10) / 12, rel: 1e-12))
  }

  @Test(
    "Years, draws and rates out of bounds are refused before any work",
    arguments: [
      ("year 1e30", "--year must be a year from 1950 to 2100"),
      ("start -1e17", "--start-year must be a year from 1950 to 2100"),
      ("draws 1e8", "--draws must be from 1 to 1000000"),
      ("year nan", "--year"),
    ])
  func bounds(_ c: (String, String)) {
    var q = ProjectRequest()
    q.year = 2030
    switch c.0 {
    case "year 1e30": q.year = 1e30
    case "start -1e17": q.startYear = -1e17
    case "draws 1e8": q.draws = 100_000_000
    default: q.year = .nan
    }
    let start = Date()
    do {
      _ = try engine.project(q)
      Issue.record("accepted: \(c.1)")
    } catch {
      #expect("\(error)".contains(c.1), "\(error)")
    }
    #expect(Date().timeIntervalSince(start) < 5, "refusing must not do the work first")
  }

  @Test("Runway: compute-optimal demand meets the stock around 2028 (Villalobos et al. 2024), overtraining earlier")
  func runway() throws {
    let base = try engine.runway(RunwayRequest())
    var five = RunwayRequest()
    five.overtrain = 5
    let over = try engine.runway(five)
    let median = try #require(base.exhaustionYearMedian)
    // Villalobos et al. 2024: median 2028, 80% CI 2026–2032.
    #expect(abs(median - 2028) <= 1, "median \(median)")
    let earlier = try #require(over.exhaustionYearMedian)
    #expect(earlier < median)
  }

  @Test("The dispatcher answers every use case from JSON with the JSON its command prints")
  func dispatcher() throws {
    let cases: [(String, String, [String])] = [
      ("plan", #"{"budget": 1e7, "gpu": "h100"}"#, ["plan", "--budget", "$10M", "--gpu", "h100"]),
      ("loss", #"{"params": 7e10, "tokens": 1.4e12}"#, ["loss", "--params", "70B", "--tokens", "1.4T"]),
      ("cost-train", #"{"params": 1.75e11, "tokens": 3e11, "gpu": "v100", "mfu": 0.224, "price": 1.5}"#,
        ["cost", "train", "--params", "175B", "--tokens", "300B", "--gpu", "v100", "--mfu", "0.224", "--price", "1.5"]),
      ("cost-infer", #"{"model": {"params": 1.75e11}, "precision": "fp16", "gpu": "a100-80gb"}"#,
        ["cost", "infer", "--params", "175B", "--precision", "fp16", "--gpu", "a100-80gb"]),
      ("cost-finetune", #"{"model": {"params": 6.5e10}, "method": "qlora", "gpu": "rtx-a6000"}"#,
        ["cost", "finetune", "--params", "65B", "--method", "qlora", "--gpu", "rtx-a6000"]),
      ("project", #"{"year": 2030}"#, ["project", "--year", "2030"]),
      ("runway", #"{"overtrain": 5}"#, ["runway", "--overtrain", "5"]),
    ]
    for (name, request, command) in cases {
      let data = try engine.answer(useCase: name, request: Data(request.utf8))
      let mine = try JSONSerialization.jsonObject(with: data)
      let run = try runBuiltScaleplan(command + ["--json"])
      #expect(run.status == 0, "\(command): \(run.stderr)")
      let theirs = try JSONSerialization.jsonObject(with: run.stdout)
      let diff = sameJSON(mine, theirs)
      #expect(diff.isEmpty, "\(name): \(diff.prefix(4))")
    }
  }

  @Test("The dispatcher refuses an unknown use case, a body that is not the request, and a huge body")
  func dispatcherRefusals() {
    #expect(throws: RequestError.self) { try engine.answer(useCase: "nope", request: Data("{}".utf8)) }
    #expect(throws: RequestError.self) { try engine.answer(useCase: "plan", request: Data("[1]".utf8)) }
    #expect(throws: RequestError.self) {
      try engine.answer(useCase: "plan", request: Data(#"{"compute": "many"}"#.utf8))
    }
    let huge = Data(repeating: 0x20, count: Engine.maxRequestBytes + 1)
    #expect(throws: RequestError.self) { try engine.answer(useCase: "plan", request: huge) }
    do {
      _ = try engine.answer(useCase: "loss", request: Data(#"{"params": "x"}"#.utf8))
    } catch {
      #expect("\(error)".contains("'params'"), "\(error)")
    }
  }
}
