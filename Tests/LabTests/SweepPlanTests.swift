// Sweep planning: presets equal shared/SYNTHETIC-CORPUS.md's tables, the learning-rate table
// interpolates log-log, shapes hit target N within the stated tolerance, isoFLOP token counts
// spend the budget, and short runs are flagged.

import Foundation
import Lab
import MiniGPT
import Testing

@Suite("Sweep planning")
struct SweepPlanTests {
  /// SYNTHETIC-CORPUS.md, "Training setup" table: name, layers × d_model (heads), N, peak lr.
  static let table: [(String, Int, Int, Int, Int, Double)] = [
    ("12K", 1, 32, 2, 12_768, 4e-2),
    ("40K", 2, 40, 2, 39_520, 1.5e-2),
    ("150K", 3, 64, 4, 150_080, 1e-2),
    ("600K", 4, 112, 4, 608_160, 5e-3),
  ]

  @Test("preset sizes have the table's shapes, N and learning rates")
  func presetSizes() throws {
    for (name, layers, d, heads, n, lr) in Self.table {
      let size = try #require(Presets.sizes.first { $0.name == name })
      #expect(size.layers == layers && size.dModel == d && size.heads == heads, "\(name)")
      let model = GPTConfig(layers: layers, dModel: d, heads: heads, context: 64)
      #expect(model.nonEmbeddingParams == n, "\(name): N from the table")
      #expect(LearningRateTable.syntheticCorpus.learningRate(params: Double(n)) == lr, "\(name)")
    }
  }

  @Test("quick: {12K, 40K, 150K} × {1M, 2M}, 6 runs at batch 32 × ctx 64")
  func quickPreset() throws {
    let plan = try SweepPlan(spec: .preset(.quick))
    let pairs = plan.runs.map { [$0.achievedParams, $0.train.tokens == 0 ? 0 : Double($0.steps)] }
    #expect(plan.runs.count == 6)
    #expect(plan.skipped.isEmpty)
    // 1M tokens at 2,048 per step = 488 steps; 2M = 977 (SYNTHETIC-CORPUS.md results table).
    #expect(
      pairs == [
        [12_768, 488], [12_768, 977], [39_520, 488], [39_520, 977], [150_080, 488],
        [150_080, 977],
      ])
    for r in plan.runs {
      #expect(r.train.batch == 32 && r.model.context == 64)
      #expect(r.corpus == .synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0))
      #expect(r.train.gradClip == 1.0)
    }
  }

  @Test("standard: 4 sizes × {1M, 2M, 4M} plus 12K and 40K at 8M, 14 runs")
  func standardPreset() throws {
    let plan = try SweepPlan(spec: .preset(.standard))
    #expect(plan.runs.count == 14)
    #expect(plan.skipped.isEmpty)
    let at8M = plan.runs.filter { $0.steps == 3906 }.map(\.achievedParams)
    #expect(at8M == [12_768, 39_520])
    #expect(Set(plan.runs.map(\.achievedParams)) == [12_768, 39_520, 150_080, 608_160])
    #expect(plan.runs.filter { $0.achievedParams == 608_160 }.map(\.steps) == [488, 977, 1953])
  }

  @Test("full: standard + 2.4M at {1M, 2M, 4M} + 16M for 12K–150K + a second seed for 12K")
  func fullPreset() throws {
    let plan = try SweepPlan(spec: .preset(.full))
    #expect(plan.runs.count == 14 + 3 + 3 + 4)
    let big = plan.runs.filter { $0.model.layers == 6 && $0.model.dModel == 176 }
    #expect(big.map(\.steps) == [488, 977, 1953])
    #expect(big.allSatisfy { $0.train.learningRate == 3e-3 })  // "~3e-3 is a guess"
    // 16M tokens = 7,812.5 steps of 2,048, rounded to the nearest whole step (as 2M → 977).
    #expect(plan.runs.filter { $0.steps == 7813 }.count == 3)
    #expect(plan.runs.filter { $0.train.seed == 2 }.allSatisfy { $0.achievedParams == 12_768 })
  }

  @Test("learning rates interpolate log-log between table sizes and clamp below the smallest")
  func learningRateInterpolation() {
    let t = LearningRateTable.syntheticCorpus
    // At the geometric mean of 12,768 and 39,520 the rate is the geometric mean of 4e-2 and
    // 1.5e-2, i.e. √(6e-4) ≈ 0.0244949.
    let mid = (12_768.0 * 39_520).squareRoot()
    #expect(abs(t.learningRate(params: mid) - 6e-4.squareRoot()) < 1e-12)
    #expect(t.learningRate(params: 1_000) == 4e-2)
    // Beyond 2.24M the last segment's slope continues, so the rate keeps falling.
    #expect(t.learningRate(params: 1e7) < 3e-3)
  }

  @Test(
    "shape search hits target N within the tolerance, with valid heads",
    arguments: stride(from: 4.0, through: 8.0, by: 0.125).map { pow(10, $0) })
  func shapeTolerance(target: Double) throws {
    let shape = try ShapeSearch.shape(params: target, context: 64)
    let achieved = Double(shape.nonEmbeddingParams)
    #expect(abs(achieved / target - 1) <= ShapeSearch.tolerance, "target \(target) → \(shape)")
    #expect(shape.dModel % shape.heads == 0)
    try shape.validate()
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
    let spec = SweepSpec(kind: .grid, params: [12_768], tokens: [0.5e6, 1e6])
    let plan = try SweepPlan(spec: spec)
    #expect(plan.runs.map(\.steps) == [244, 488])
    #expect(plan.runs.map(\.tooShort) == [true, false])
    #expect(plan.runnable.map(\.slot) == [1])
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
