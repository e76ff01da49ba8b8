// Sweep planning: the presets are isoFLOP designs whose runs all have ≥ 500 steps and spend their
// budgets, the sizes shared with shared/SYNTHETIC-CORPUS.md keep its shapes and rates, the
// learning-rate table interpolates log-log, shapes hit target N within the stated tolerance, and
// short runs are flagged.

import Foundation
import Lab
import MiniGPT
import Testing

@Suite("Sweep planning")
struct SweepPlanTests {
  /// SYNTHETIC-CORPUS.md, "Training setup" table: name, layers × d_model (heads), N.
  static let table: [(String, Int, Int, Int, Int)] = [
    ("12K", 1, 32, 2, 12_768),
    ("40K", 2, 40, 2, 39_520),
    ("150K", 3, 64, 4, 150_080),
  ]

  @Test("preset sizes shared with the study's table have its shapes and N")
  func presetSizes() throws {
    for (name, layers, d, heads, n) in Self.table {
      let size = try #require(Presets.sizes.first { $0.name == name })
      #expect(size.layers == layers && size.dModel == d && size.heads == heads, "\(name)")
      let model = GPTConfig(layers: layers, dModel: d, heads: heads, context: 64)
      #expect(model.nonEmbeddingParams == n, "\(name): N from the table")
    }
  }

  /// The presets' budgets, C = 3e11 · 2^k FLOP.
  static func budgets(_ count: Int) -> [Double] { (0..<count).map { 3e11 * pow(2, Double($0)) } }

  /// (N, steps) of a plan's runs at one budget, by increasing N.
  static func atBudget(_ plan: SweepPlan, _ c: Double) -> [[Int]] {
    plan.runs.filter { $0.budget == c }.map { [Int($0.achievedParams), $0.steps] }
  }

  @Test("standard: 4 budgets (3e11 … 2.4e12) × 5 sizes, 20 runs, all ≥ 500 steps")
  func standardPreset() throws {
    let plan = try SweepPlan(spec: .preset(.standard))
    #expect(plan.runs.count == 20)
    #expect(plan.skipped.isEmpty)
    #expect(plan.runs.allSatisfy { $0.steps >= 500 && $0.steps >= plan.spec.minimumSteps })
    #expect(Set(plan.runs.compactMap(\.budget)) == Set(Self.budgets(4)))
    // 2×40 has F_K = 6·39,520 + 6·2·64·40 = 267,840 FLOP per token, so 3e11 FLOP is 1,120,072
    // tokens = 546.9 → 547 steps; 1×26 has N = 12·26² + 13·26 + 2·26 = 8,502 and F_K = 6·8,502 +
    // 6·64·26 = 60,996, so 3e11 is 4,918,355 tokens = 2,401.5 → 2,402 steps.
    let first = Self.atBudget(plan, 3e11)
    #expect(first.first == [8_502, 2_402])
    #expect(first.last == [39_520, 547])
    #expect(first.map { $0[0] } == [8_502, 12_768, 17_898, 25_472, 39_520])
    // The window moves up one rung per doubling: the largest budget spans 25K–100K.
    #expect(
      Self.atBudget(plan, 2.4e12).map { $0[0] } == [25_472, 39_520, 52_072, 71_496, 100_096])
    for r in plan.runs {
      let c = try #require(r.budget)
      let perStep = r.model.trainingFLOPsPerToken * Double(r.train.batch * r.model.context)
      #expect(abs(r.flops - c) <= perStep / 2 + 1, "\(r.label) spends its budget")
      #expect(r.train.batch == 32 && r.model.context == 64)
      #expect(r.corpus == .synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0))
      #expect(r.train.gradClip == 1.0)
      // Every preset size lies in the scanned range, so its rate is the fitted law's.
      let law = LearningRateTable.scanLaw(params: r.achievedParams)
      #expect(abs(r.train.learningRate / law - 1) < 1e-12, "\(r.label): rate from the law")
    }
  }

  @Test("a preset trains with the spec's seed (1 by default)")
  func presetSeed() throws {
    #expect(try SweepPlan(spec: .preset(.quick)).runs.allSatisfy { $0.train.seed == 1 })
    var spec = SweepSpec.preset(.quick)
    spec.seed = 2
    #expect(try SweepPlan(spec: spec).runs.allSatisfy { $0.train.seed == 2 })
  }

  @Test("quick: the first 2 budgets × 3 sizes, 6 runs")
  func quickPreset() throws {
    let plan = try SweepPlan(spec: .preset(.quick))
    #expect(plan.runs.count == 6)
    #expect(plan.skipped.isEmpty)
    #expect(Self.atBudget(plan, 3e11).map { $0[0] } == [12_768, 17_898, 25_472])
    #expect(Self.atBudget(plan, 6e11).map { $0[0] } == [17_898, 25_472, 39_520])
    #expect(plan.runs.allSatisfy { $0.steps >= 500 })
  }

  @Test("full: 6 budgets (3e11 … 9.6e12) × 7 sizes, less the one too short at 3e11: 41 runs")
  func fullPreset() throws {
    let plan = try SweepPlan(spec: .preset(.full))
    #expect(plan.runs.count == 41)
    #expect(plan.skipped.isEmpty)
    #expect(Set(plan.runs.compactMap(\.budget)) == Set(Self.budgets(6)))
    // 2×46 (52,072) at 3e11 would get 3e11 / (6·52,072 + 6·2·64·46) / 2,048 = 421 steps: left out.
    #expect(
      Self.atBudget(plan, 3e11).map { $0[0] } == [6_138, 8_502, 12_768, 17_898, 25_472, 39_520])
    let top = Self.atBudget(plan, 9.6e12)
    #expect(top.count == 7)
    #expect(top.last?[0] == 311_520)
    #expect(plan.runs.allSatisfy { $0.steps >= 500 })
  }

  @Test("the learning-rate table is the fitted law between the scanned sizes, held below, extrapolated above")
  func learningRateLaw() {
    let t = LearningRateTable.syntheticCorpus
    let law = LearningRateTable.scanFit
    // At N = 30,000 the law is its coefficient; at 60,000 it is 2^−exponent times that.
    #expect(abs(t.learningRate(params: 30_000) / law.coefficient - 1) < 1e-12)
    #expect(
      abs(t.learningRate(params: 60_000) / (law.coefficient * pow(2, -law.exponent)) - 1) < 1e-12)
    // Below the smallest scanned size (6,138) the rate is held; above 150,080 the law continues.
    let smallest = t.learningRate(params: 6_138)
    #expect(t.learningRate(params: 1_000) == smallest)
    #expect(abs(smallest / (law.coefficient * pow(6_138 / 30_000, -law.exponent)) - 1) < 1e-12)
    #expect(
      abs(t.learningRate(params: 1e6) / (law.coefficient * pow(1e6 / 30_000, -law.exponent)) - 1)
        < 1e-12)
  }

  @Test(
    "shape search hits target N within the tolerance, with valid heads (10K to 1T)",
    arguments: stride(from: 4.0, through: 12.0, by: 0.125).map { pow(10, $0) })
  func shapeTolerance(target: Double) throws {
    let shape = try ShapeSearch.shape(params: target, context: 64)
    let achieved = Double(shape.nonEmbeddingParams)
    #expect(abs(achieved / target - 1) <= ShapeSearch.tolerance, "target \(target) → \(shape)")
    #expect(shape.dModel % shape.heads == 0)
    if target <= ShapeSearch.largeModelThreshold {
      try shape.validate()
    } else {
      // Large models, for an external trainer: heads of 128, width/layers 32–256.
      #expect(shape.dModel / shape.heads == 128)
      let ratio = Double(shape.dModel) / Double(shape.layers)
      #expect(ratio >= 32 && ratio <= 256, "\(shape)")
    }
  }

  @Test("an isoFLOP plan at 1e19–1e20 FLOP is written for an external trainer, flagged rates")
  func externalPlan() throws {
    let plan = try SweepPlan(spec: SweepSpec(kind: .isoflop, budgets: [1e19, 1e20]))
    #expect(plan.runs.count == 14)
    // The centre of 1e20 at 20 tokens per parameter is √(1e20 / 120) = 912.9M.
    let centre = try #require(plan.runs.first { $0.budget == 1e20 && $0.slot == 10 })
    #expect(abs(centre.targetParams / (1e20 / 120).squareRoot() - 1) < 1e-12)
    #expect(abs(centre.paramsError) <= ShapeSearch.tolerance)
    // The learning-rate law was fitted on 6.1K–150K: far beyond it the rate is flagged.
    #expect(plan.runs.allSatisfy { $0.learningRateSource.hasPrefix("beyond 10× the scanned sizes") })
    #expect(throws: SweepError.self) { try ShapeSearch.shape(params: 2e13, context: 64) }
  }

  @Test("the heads rule reproduces the preset shapes")
  func headsRule() {
    for s in Presets.sizes { #expect(ShapeSearch.heads(dModel: s.dModel) == s.heads, "\(s.name)") }
  }

  @Test("isoFLOP runs spend their budget to within one step, centred on D = 20·N")
  func isoflopBudget() throws {
    let spec = SweepSpec(kind: .isoflop, budgets: [1e12, 3e12], sizes: 5)
    let plan = try SweepPlan(spec: spec)
    #expect(plan.runs.count == 10)
    for r in plan.runs {
      let c = try #require(r.budget)
      let perStep = r.model.trainingFLOPsPerToken * Double(r.train.batch * r.model.context)
      #expect(abs(r.flops - c) <= perStep / 2 + 1, "\(r.label)")
    }
    // The middle size of a 5-size budget targets N_c = √(C / 120) (C = 6·N·20N).
    let middle = plan.runs[2]
    #expect(abs(middle.targetParams - (1e12 / 120).squareRoot()) < 1e-6 * middle.targetParams)
    // Sizes are log-spaced over a factor of 16.
    #expect(abs(plan.runs[4].targetParams / plan.runs[0].targetParams - 16) < 1e-9)
  }

  @Test("runs under the minimum step count are flagged and not run")
  func shortRunsFlagged() throws {
    // The default minimum is 500 steps: 1M tokens (488 steps) is too short, 1.1M (537) is not.
    let spec = SweepSpec(kind: .grid, params: [12_768], tokens: [0.5e6, 1e6, 1.1e6])
    let plan = try SweepPlan(spec: spec)
    // 1.1M / 2,048 = 537.1 → 537 steps.
    #expect(plan.runs.map(\.steps) == [244, 488, 537])
    #expect(plan.runs.map(\.tooShort) == [true, true, false])
    #expect(plan.runnable.map(\.slot) == [2])
  }

  @Test("bad specs are refused in one sentence")
  func badSpecs() {
    #expect(throws: SweepError.self) { try SweepPlan(spec: SweepSpec(kind: .isoflop)) }
    #expect(throws: SweepError.self) {
      try SweepPlan(spec: SweepSpec(kind: .grid, params: [-1], tokens: [1e6]))
    }
    #expect(throws: SweepError.self) {
      try SweepPlan(spec: SweepSpec(kind: .grid, params: [100], tokens: [1e6]))
    }
  }

  @Test("a preset spec records its design; one stored by an earlier design is not resumed")
  func presetDesign() throws {
    let spec = SweepSpec.preset(.standard)
    let design = try #require(spec.design)
    #expect(design == Presets.signature(.standard))
    #expect(design.hasPrefix("3e11:8.5K,12K,18K,25K,40K; 6e11:12K,18K,25K,40K,52K; 1.2e12:18K,"))
    #expect(design.hasSuffix("lr 0.011856·(N/30000)^-0.7006"))
    #expect(SweepSpec.preset(.quick).design != design)
    #expect(SweepSpec(kind: .isoflop, budgets: [3e11]).design == nil)
    // A spec stored before designs were recorded (or by another design) decodes, is a different
    // spec with a different name, and planning it is refused rather than re-planned.
    let old = try #require(
      spec.json().replacingOccurrences(of: "\"design\":\"\(design)\",", with: ""))
    #expect(old != spec.json())
    let decoded = try SweepSpec.fromJSON(old)
    #expect(decoded.design == nil)
    #expect(decoded != spec && decoded.defaultName != spec.defaultName)
    #expect(throws: SweepError.self) { try SweepPlan(spec: decoded) }
  }

  @Test("the spec round-trips through its stored JSON and names itself stably")
  func specJSON() throws {
    let spec = SweepSpec(kind: .isoflop, budgets: [3e11, 1e12], sizes: 7, seed: 3)
    #expect(try SweepSpec.fromJSON(spec.json()) == spec)
    #expect(try spec.defaultName == SweepSpec.fromJSON(spec.json()).defaultName)
    var other = spec
    other.seed = 4
    #expect(other.defaultName != spec.defaultName)
    #expect(spec.defaultName.hasPrefix("isoflop-3e11,1e12x7-"))
  }
}
