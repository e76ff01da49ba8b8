// Sweep planning: isoFLOP sweeps (several sizes per compute budget, Hoffmann et al. 2022 §3.2,
// "Approach 2"), grids over (N, D), and the quick / standard / full presets (isoFLOP designs on
// the synthetic corpus of data/synthetic-corpus.md; see `Presets`). Every target N becomes a
// real MiniGPT shape whose non-embedding count (Kaplan et al. 2020 §2.1) is close to it; the
// token count is whole steps. Runs under `minimumSteps` are flagged and skipped: the study in
// data/synthetic-corpus.md found that runs need "at least about 500 optimizer steps"; shorter runs
// sit on the initial plateau and "spoil the fit".

import Foundation
import MiniGPT
import Planner
import RunStore

/// What kind of sweep a spec describes.
public enum SweepKind: String, Sendable, Codable, CaseIterable {
  case isoflop, grid, preset
}

/// The presets of data/synthetic-corpus.md ("Recommendation").
public enum SweepPreset: String, Sendable, Codable, CaseIterable {
  case quick, standard, full
}

/// Everything needed to rebuild a sweep's configurations (stored as JSON with the sweep).
public struct SweepSpec: Sendable, Equatable, Codable {
  public var kind: SweepKind
  /// The preset, when `kind == .preset`.
  public var preset: SweepPreset?
  /// For a preset, the design it was planned with (`Presets.signature`: sizes, budgets and the
  /// learning-rate law), so a sweep stored by an earlier version of a preset is never mistaken
  /// for, or resumed as, today's. Nil for other kinds, and in specs stored before it existed.
  public var design: String?
  /// isoFLOP compute budgets C in FLOPs.
  public var budgets: [Double]
  /// isoFLOP model sizes per budget.
  public var sizes: Int
  /// isoFLOP ratio between the largest and smallest N of a budget (log-spaced, centred).
  public var span: Double
  /// isoFLOP centre: N_c with D = ratio·N_c, i.e. N_c = √(C / (6·ratio)); 20 is the
  /// Chinchilla rule of thumb (Hoffmann et al. 2022: Chinchilla, 70B parameters on 1.4T tokens).
  public var tokensPerParam: Double
  /// Grid targets N (non-embedding parameters).
  public var params: [Double]
  /// Grid token counts D.
  public var tokens: [Double]
  /// Sequences per step.
  public var batch: Int
  /// Context length.
  public var context: Int
  /// The corpus every run trains on.
  public var corpus: CorpusSpec
  /// Training seed.
  public var seed: UInt64
  /// Validation every this many steps (the last step is always evaluated).
  public var evalEvery: Int
  /// Validation windows per evaluation.
  public var evalWindows: Int
  /// Runs with fewer steps are flagged and skipped.
  public var minimumSteps: Int
  /// One learning rate for every run instead of the table.
  public var learningRate: Double?

  /// The recommended corpus: K = 10,000 words, s = 1.5, lexicon seed 0 (data/synthetic-corpus.md).
  public static let defaultCorpus = CorpusSpec.synthetic(
    lexiconSize: 10_000, zipfExponent: 1.5, seed: 0)

  /// Sequences per step and context length of every preset (data/synthetic-corpus.md: batch 32 ×
  /// ctx 64, 2,048 tokens per step).
  public static let defaultBatch = 32
  public static let defaultContext = 64

  /// "At least about 500 optimizer steps" (data/synthetic-corpus.md, Summary), taken as 500. The
  /// study's
  /// 1M-token runs (488 steps) were still partly on the initial plateau: the 12K model's 1M run
  /// was the worst residual of its fits (7.5 %), and of the old 14-run grid preset's (−17 %).
  public static let defaultMinimumSteps = 500

  /// Creates a spec; defaults are batch 32 × ctx 64 on the recommended corpus.
  public init(
    kind: SweepKind, preset: SweepPreset? = nil, budgets: [Double] = [], sizes: Int = 7,
    span: Double = 16, tokensPerParam: Double = 20, params: [Double] = [], tokens: [Double] = [],
    batch: Int = SweepSpec.defaultBatch, context: Int = SweepSpec.defaultContext,
    corpus: CorpusSpec = SweepSpec.defaultCorpus,
    seed: UInt64 = 1, evalEvery: Int = 250, evalWindows: Int = 1024,
    minimumSteps: Int = SweepSpec.defaultMinimumSteps, learningRate: Double? = nil
  ) {
    self.kind = kind
    self.preset = preset
    self.design = kind == .preset ? preset.map(Presets.signature) : nil
    self.budgets = budgets
    self.sizes = sizes
    self.span = span
    self.tokensPerParam = tokensPerParam
    self.params = params
    self.tokens = tokens
    self.batch = batch
    self.context = context
    self.corpus = corpus
    self.seed = seed
    self.evalEvery = evalEvery
    self.evalWindows = evalWindows
    self.minimumSteps = minimumSteps
    self.learningRate = learningRate
  }

  /// A preset's spec.
  public static func preset(_ p: SweepPreset) -> SweepSpec { SweepSpec(kind: .preset, preset: p) }

  /// Canonical JSON (sorted keys), as stored with the sweep.
  public func json() -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  /// Decodes a stored spec.
  /// - Throws: `SweepError.badSpec` if the text is not a spec.
  public static func fromJSON(_ text: String) throws -> SweepSpec {
    do {
      return try JSONDecoder().decode(SweepSpec.self, from: Data(text.utf8))
    } catch {
      throw SweepError.badSpec(text.count > 60 ? String(text.prefix(60)) + "…" : text)
    }
  }

  /// The spec stored with a sweep record, decoded (the one typed path from a stored sweep back
  /// to its plan: `SweepPlan.stored(in:)`, `sweep list`, resuming, fitting).
  /// - Throws: `SweepError.badSpec` if the stored text is not a spec.
  public static func stored(in sweep: SweepRecord) throws -> SweepSpec {
    try fromJSON(sweep.spec)
  }

  /// A readable name that is the same for the same spec: kind, main values, and a hash of the
  /// whole spec (FNV-1a, 32 bits), so re-running the same command resumes the same sweep.
  public var defaultName: String {
    var hash: UInt32 = 2_166_136_261
    for b in json().utf8 {
      hash ^= UInt32(b)
      hash = hash &* 16_777_619
    }
    let tag = String(hash, radix: 16)
    switch kind {
    case .preset: return "preset-\(preset?.rawValue ?? "?")-\(tag)"
    case .isoflop:
      return "isoflop-" + budgets.map { Format.scientific($0, digits: 2) }.joined(separator: ",")
        + "x\(sizes)-\(tag)"
    case .grid:
      return "grid-" + params.map { Format.si($0) }.joined(separator: ",") + "x"
        + tokens.map { Format.si($0) }.joined(separator: ",") + "-\(tag)"
    }
  }
}

/// One configuration of a sweep.
public struct PlannedRun: Sendable, Equatable, Codable {
  /// Position in the plan (stable for a spec; stored with the run).
  public var slot: Int
  /// Short label such as "150K×2M".
  public var label: String
  public var model: GPTConfig
  public var train: TrainConfig
  public var corpus: CorpusSpec
  /// The N the planner aimed for.
  public var targetParams: Double
  /// The N of `model` (non-embedding).
  public var achievedParams: Double
  /// The compute budget (isoFLOP sweeps only).
  public var budget: Double?
  /// Optimiser steps.
  public var steps: Int
  /// Where the learning rate came from.
  public var learningRateSource: String
  /// True when `steps` is below the spec's minimum: the run is listed but not trained.
  public var tooShort: Bool

  /// Tokens the run trains: whole steps of batch × context.
  public var tokens: Int { steps * train.batch * model.context }
  /// Training FLOPs: F_K per token × tokens (Kaplan et al. 2020, Table 1).
  public var flops: Double { model.trainingFLOPsPerToken * Double(tokens) }
  /// (achieved − target) / target.
  public var paramsError: Double { achievedParams / targetParams - 1 }
}

/// Errors in sweep specs and plans; each description is one sentence.
public enum SweepError: Error, CustomStringConvertible, Equatable {
  case invalid(String)
  case badSpec(String)
  case noRunnableRuns(minimumSteps: Int)

  public var description: String {
    switch self {
    case .invalid(let text): return text
    case .badSpec(let text):
      return
        "The stored sweep spec '\(text)' cannot be read; start a new sweep with another --name."
    case .noRunnableRuns(let m):
      return
        "Every planned run has fewer than \(m) steps; raise the budgets or tokens, or lower --min-steps."
    }
  }
}

extension SweepPlan {
  /// The plan of a stored sweep, made from its stored spec.
  /// - Throws: `SweepError.badSpec` for an unreadable spec, `SweepError` from planning.
  public static func stored(in sweep: SweepRecord) throws -> SweepPlan {
    try SweepPlan(spec: try SweepSpec.stored(in: sweep))
  }
}

/// A sweep's configurations, in slot order.
public struct SweepPlan: Sendable, Equatable {
  public var spec: SweepSpec
  /// Every configuration, the flagged ones included.
  public var runs: [PlannedRun]
  /// The configurations that will be trained.
  public var runnable: [PlannedRun] { runs.filter { !$0.tooShort } }
  /// The flagged ones (too few steps).
  public var skipped: [PlannedRun] { runs.filter(\.tooShort) }

  /// Plans every configuration of a spec.
  /// - Throws: `SweepError.invalid` for empty or non-positive budgets, sizes or tokens, or a
  ///   target N below the smallest model this planner builds.
  public init(spec: SweepSpec, learningRates: LearningRateTable = .syntheticCorpus) throws {
    self.spec = spec
    guard spec.batch >= 1, spec.context >= 2 else {
      throw SweepError.invalid(
        "Batch must be at least 1 and context at least 2, got \(spec.batch) and \(spec.context).")
    }
    guard spec.minimumSteps >= 0 else {
      throw SweepError.invalid("--min-steps must be zero or more, got \(spec.minimumSteps).")
    }
    var items: [(shape: GPTConfig, target: Double, tokens: Double, budget: Double?, seed: UInt64)] =
      []
    switch spec.kind {
    case .preset:
      guard let p = spec.preset else { throw SweepError.invalid("A preset sweep needs --preset.") }
      guard spec.design == Presets.signature(p) else {
        throw SweepError.invalid(
          "This '\(p.rawValue)' sweep was planned with an earlier design of the preset, so it "
            + "cannot be resumed (its runs stay stored and can still be fitted); run "
            + "'scaleplan sweep --preset \(p.rawValue)' to start one with today's design.")
      }
      for e in Presets.entries(p) {
        let shape = GPTConfig(
          layers: e.size.layers, dModel: e.size.dModel, heads: e.size.heads,
          context: spec.context)
        // D from the model's exact F_K per token, so the run's counted FLOPs equal C.
        items.append(
          (shape, Double(shape.nonEmbeddingParams), e.budget / shape.trainingFLOPsPerToken,
            e.budget, spec.seed))
      }
    case .isoflop:
      guard !spec.budgets.isEmpty else {
        throw SweepError.invalid("An isoFLOP sweep needs --budgets, e.g. --budgets 3e11,1e12.")
      }
      guard spec.sizes >= 1, spec.sizes <= 50 else {
        throw SweepError.invalid("--sizes must be between 1 and 50, got \(spec.sizes).")
      }
      guard spec.span.isFinite, spec.span >= 1 else {
        throw SweepError.invalid("--span must be at least 1, got \(Format.number(spec.span)).")
      }
      guard spec.tokensPerParam.isFinite, spec.tokensPerParam > 0 else {
        throw SweepError.invalid(
          "--tokens-per-param must be positive, got \(Format.number(spec.tokensPerParam)).")
      }
      for c in spec.budgets {
        guard c.isFinite, c > 0 else {
          throw SweepError.invalid("Budget \(Format.number(c)) must be a positive FLOP count.")
        }
        // Centre N_c = √(C / (6·r)) from C ≈ 6·N·D with D = r·N (Kaplan 2020 §2.1).
        let centre = (c / (6 * spec.tokensPerParam)).squareRoot()
        for i in 0..<spec.sizes {
          let u = spec.sizes == 1 ? 0 : Double(i) / Double(spec.sizes - 1) - 0.5
          let target = centre * pow(spec.span, u)
          let shape = try ShapeSearch.shape(params: target, context: spec.context)
          // D from the model's exact F_K per token, so the run's counted FLOPs equal C.
          items.append((shape, target, c / shape.trainingFLOPsPerToken, c, spec.seed))
        }
      }
    case .grid:
      guard !spec.params.isEmpty, !spec.tokens.isEmpty else {
        throw SweepError.invalid(
          "A grid sweep needs --params and --tokens, e.g. --params 12K,40K --tokens 1M,2M.")
      }
      for n in spec.params {
        guard n.isFinite, n > 0 else {
          throw SweepError.invalid("Parameter count \(Format.number(n)) must be positive.")
        }
        let shape = try ShapeSearch.shape(params: n, context: spec.context)
        for d in spec.tokens {
          guard d.isFinite, d > 0 else {
            throw SweepError.invalid("Token count \(Format.number(d)) must be positive.")
          }
          items.append((shape, n, d, nil, spec.seed))
        }
      }
    }
    let tokensPerStep = spec.batch * spec.context
    var planned: [PlannedRun] = []
    for (slot, item) in items.enumerated() {
      let steps = max(1, Int((item.tokens / Double(tokensPerStep)).rounded()))
      let n = Double(item.shape.nonEmbeddingParams)
      let lr: Double
      let lrSource: String
      if let fixed = spec.learningRate {
        (lr, lrSource) = (fixed, LearningRateTable.givenSource)
      } else {
        (lr, lrSource) = learningRates.rateWithSource(params: n)
      }
      let train = TrainConfig(
        batch: spec.batch, tokens: steps * tokensPerStep, learningRate: lr,
        evalEvery: spec.evalEvery, evalWindows: spec.evalWindows, seed: item.seed, threads: 1)
      var label = Format.si(n) + "×" + Format.si(item.tokens)
      if item.seed != spec.seed { label += " seed \(item.seed)" }
      planned.append(
        PlannedRun(
          slot: slot, label: label, model: item.shape, train: train, corpus: spec.corpus,
          targetParams: item.target, achievedParams: n, budget: item.budget, steps: steps,
          learningRateSource: lrSource, tooShort: steps < spec.minimumSteps))
    }
    runs = planned
  }
}

/// A model size of a preset.
public struct PresetSize: Sendable, Equatable {
  public var name: String
  public var layers: Int
  public var dModel: Int
  public var heads: Int
}

/// The presets: isoFLOP designs (Hoffmann et al. 2022 §3.2) on the synthetic corpus.
///
/// Each preset trains several model sizes to each of a few compute budgets C, so Approach 2 fits
/// parabolas to runs that really share a budget, and Approach 1's envelope (§3.1) has runs of
/// several lengths for every size. A budget's sizes are consecutive rungs of one ladder (about
/// √2 apart in N) that bracket the loss minimum. Small models want many tokens per parameter on
/// this corpus: a fit to the old 14-run grid (the design of data/synthetic-corpus.md, trained
/// with MiniGPT) put the isoFLOP minimum near 130 tokens per parameter, N_opt ≈ 18K at 3e11 FLOP
/// and ≈ 51K at 2.4e12, and the standard sweep found 16K, 25K, 40K and 51K. Budgets double, so
/// the window moves up one rung per budget. D = C / F_K, so every run spends its budget to within
/// one step, and every run has at least 500 optimizer steps (data/synthetic-corpus.md: "at least
/// about 500 optimizer steps"; the shortest standard run has 547). Learning rates come from
/// `LearningRateTable.syntheticCorpus`, the law fitted to this trainer's learning-rate scan. With
/// the study's PyTorch-tuned rates instead (1.4–2.2× the law's, most at 100K), the standard
/// sweep's exponent a spread by 0.15 across Approaches 1–3 (Approach 1 low, its envelope's
/// minimum stuck at 40K at the top budgets) against 0.02–0.04 with the law.
///
/// Wall time with `--jobs 2` on this 2-core machine, single measurements (2026-11-29, release
/// build), and the three approaches' exponent a on seed 1 (`scaleplan fit --approach all`):
///
/// | preset | budgets C (FLOP) | sizes per budget | runs | FLOPs | wall time | a: approaches 1 / 2 / 3 |
/// |---|---|---|---|---|---|---|
/// | quick | 3e11, 6e11 | 3: 12K–25K, 18K–40K | 6 | 2.7e12 | 30 s | two budgets: no exponent to speak of |
/// | standard | 3e11 … 2.4e12 (4) | 5: 8.5K–40K … 25K–100K | 20 | 2.25e13 | 3 m 32 s for `notebook --all` including it (quiet); 4 m 04 s–4 m 15 s alone with builds beside it | 0.617 / 0.574 / 0.586 (seeds 2, 3: spread 0.024, 0.035) |
/// | full | 3e11 … 9.6e12 (6) | 7 (6 at 3e11): 6.1K–40K … 40K–310K | 41 | 1.3e14 | 18 m 14 s (builds beside it for a few minutes) | 0.599 / 0.579 / 0.577 |
public enum Presets {
  /// The size ladder. 12K 1×32 (2 heads), 40K 2×40 (2) and 150K 3×64 (4) are the "Training
  /// setup" table of data/synthetic-corpus.md (tuned learning rates); the others are our choice,
  /// filling the ladder at about √2 steps in N with depth growing slowly (width/depth 16–38),
  /// heads by `ShapeSearch.heads(dModel:)`. (The study's 600K and 2.4M sizes are not needed: the
  /// loss minimum at these budgets lies between 16K and 51K.)
  public static let sizes: [PresetSize] = [
    PresetSize(name: "6.1K", layers: 1, dModel: 22, heads: 1),
    PresetSize(name: "8.5K", layers: 1, dModel: 26, heads: 1),
    PresetSize(name: "12K", layers: 1, dModel: 32, heads: 2),
    PresetSize(name: "18K", layers: 1, dModel: 38, heads: 2),
    PresetSize(name: "25K", layers: 2, dModel: 32, heads: 2),
    PresetSize(name: "40K", layers: 2, dModel: 40, heads: 2),
    PresetSize(name: "52K", layers: 2, dModel: 46, heads: 2),
    PresetSize(name: "71K", layers: 2, dModel: 54, heads: 2),
    PresetSize(name: "100K", layers: 2, dModel: 64, heads: 4),
    PresetSize(name: "150K", layers: 3, dModel: 64, heads: 4),
    PresetSize(name: "200K", layers: 4, dModel: 64, heads: 4),
    PresetSize(name: "310K", layers: 4, dModel: 80, heads: 4),
  ]

  /// The ladder the isoFLOP presets step along (by name, increasing N, about √2 apart).
  public static let ladder = [
    "6.1K", "8.5K", "12K", "18K", "25K", "40K", "52K", "71K", "100K", "150K", "200K", "310K",
  ]

  /// The smallest budget of every preset (FLOP): the window's largest size there, 40K, still
  /// gets 547 steps. (A budget below it, 1.5e11 with 6.1K–18K, was tried for the standard
  /// preset: its runs of 600–1,600 steps gave a loss profile with no clear minimum, 0.513, 0.519,
  /// 0.516 for 8.5K, 12K and 18K, and pulled Approach 3's a from 0.586 to 0.624.)
  public static let firstBudget = 3e11

  /// A preset's isoFLOP design: budgets (doubling from `firstBudget`), sizes per budget, and the
  /// ladder rung where the first budget's window starts (budget k starts k rungs higher).
  public static func design(_ preset: SweepPreset) -> (
    budgets: [Double], sizes: Int, firstRung: Int
  ) {
    let b = (0..<6).map { firstBudget * pow(2, Double($0)) }
    switch preset {
    case .quick: return (Array(b.prefix(2)), 3, 2)
    case .standard: return (Array(b.prefix(4)), 5, 1)
    case .full: return (b, 7, 0)
    }
  }

  /// A preset's design in one line: each budget's sizes and the learning-rate law, e.g.
  /// "3e11:8.5K,12K,…; …; lr 0.011856·(N/30000)^-0.7006".
  public static func signature(_ preset: SweepPreset) -> String {
    var byBudget: [(Double, [String])] = []
    for e in entries(preset) {
      if byBudget.last?.0 == e.budget {
        byBudget[byBudget.count - 1].1.append(e.size.name)
      } else {
        byBudget.append((e.budget, [e.size.name]))
      }
    }
    let law = LearningRateTable.scanFit
    return byBudget.map { Format.scientific($0.0, digits: 2) + ":" + $0.1.joined(separator: ",") }
      .joined(separator: "; ")
      + "; lr \(law.coefficient)·(N/\(Int(law.referenceParams)))^-\(law.exponent)"
  }

  /// The (size, budget) pairs of a preset, in plan order (by budget, then size); every run uses
  /// the spec's seed, so `--seed 2` repeats a preset with another seed. A size
  /// whose run at a budget would have fewer than `SweepSpec.defaultMinimumSteps` steps at the
  /// default batch 32 × ctx 64 is left out of the design (only the full preset's first budget
  /// loses one, 52K).
  public static func entries(_ preset: SweepPreset) -> [(size: PresetSize, budget: Double)] {
    let byName = Dictionary(uniqueKeysWithValues: sizes.map { ($0.name, $0) })
    let (budgets, count, first) = design(preset)
    var out: [(size: PresetSize, budget: Double)] = []
    for (k, c) in budgets.enumerated() {
      let lo = min(first + k, ladder.count)
      for name in ladder[lo..<min(ladder.count, lo + count)] {
        guard let s = byName[name] else { continue }
        let T = SweepSpec.defaultContext
        let shape = GPTConfig(layers: s.layers, dModel: s.dModel, heads: s.heads, context: T)
        let steps = c / (shape.trainingFLOPsPerToken * Double(SweepSpec.defaultBatch * T))
        if steps.rounded() >= Double(SweepSpec.defaultMinimumSteps) { out.append((s, c)) }
      }
    }
    return out
  }
}

/// Finds a MiniGPT shape for a target non-embedding parameter count.
public enum ShapeSearch {
  /// The smallest model built: 1 layer of width 16.
  public static let smallest = GPTConfig(layers: 1, dModel: 16, heads: 1, context: 64)

  /// Heads for a width: the largest of 4, 2, 1 that divides it with head size ≥ 16 (this rule
  /// reproduces every preset shape of data/synthetic-corpus.md).
  public static func heads(dModel: Int) -> Int {
    for h in [4, 2] where dModel % h == 0 && dModel / h >= 16 { return h }
    return 1
  }

  /// Relative tolerance on N: every target from 10K to 1T parameters is met within it
  /// (checked in LabTests). Small models come in coarse steps (N ≈ 12·L·d²), so exact hits
  /// would need absurd shapes; the search trades a few percent of N for a sane aspect ratio.
  public static let tolerance = 0.05

  /// Targets above this get the large-model search (`largeShape`); below it the search that
  /// reproduces the presets' shapes.
  public static let largeModelThreshold = 2e8

  /// The largest target the search serves (about the largest large-model shape, 192 × 65,536).
  public static let largestTarget = 1e13

  /// The shape for a target N. Up to `largeModelThreshold`: layers 1…24, even widths from 16 to
  /// 2048, width/layers between 8 and 64 (the presets' ratios are 20–32); minimises
  /// |N/target − 1| plus a small penalty 0.01·|ln(width/layers / 24)| that breaks near-ties
  /// toward the presets' proportions. Above it, `largeShape`: shapes for an external trainer
  /// (`sweep plan --emit`), most beyond what MiniGPT trains here.
  /// - Throws: `SweepError.invalid` if the target is below 80% of the smallest model or above
  ///   `largestTarget`.
  public static func shape(params target: Double, context: Int) throws -> GPTConfig {
    let minN = Double(
      GPTConfig(layers: 1, dModel: 16, heads: 1, context: context).nonEmbeddingParams)
    guard target.isFinite, target >= 0.8 * minN else {
      throw SweepError.invalid(
        "Target N \(Format.number(target)) is below the smallest model (\(Int(minN)) parameters, 1 layer of width 16); raise it."
      )
    }
    guard target <= largestTarget else {
      throw SweepError.invalid(
        "Target N \(Format.si(target)) is beyond the shape search (at most \(Format.si(largestTarget)) parameters); lower the budget or --tokens-per-param."
      )
    }
    if target > largeModelThreshold { return largeShape(params: target, context: context) }
    var best: (score: Double, shape: GPTConfig)? = nil
    var closest: (err: Double, shape: GPTConfig)? = nil
    for layers in 1...24 {
      for d in stride(from: 16, through: 2048, by: 2) {
        let shape = GPTConfig(layers: layers, dModel: d, heads: heads(dModel: d), context: context)
        let err = abs(Double(shape.nonEmbeddingParams) / target - 1)
        if err < closest?.err ?? .infinity { closest = (err, shape) }
        let ratio = Double(d) / Double(layers)
        guard ratio >= 8, ratio <= 64 else { continue }
        let score = err + 0.01 * abs(log(ratio / 24))
        if score < best?.score ?? .infinity { best = (score, shape) }
      }
    }
    if let best, abs(Double(best.shape.nonEmbeddingParams) / target - 1) <= tolerance {
      return best.shape
    }
    return closest?.shape ?? smallest
  }

  /// Large-model shapes: layers 8…192, widths a multiple of 128 from 1,024 to 65,536, heads of
  /// 128, width/layers between 32 and 256, near-ties broken toward width/layers = 128 (GPT-3
  /// 175B: 12,288 / 96, Brown et al. 2020 Table 2.1; Chinchilla: 8,192 / 80, Hoffmann et al. 2022
  /// Table 4). Loss depends only weakly on shape at fixed N (Kaplan et al. 2020 §3.1, Fig. 5).
  static func largeShape(params target: Double, context: Int) -> GPTConfig {
    var best: (score: Double, shape: GPTConfig)? = nil
    for layers in 8...192 {
      for d in stride(from: 1024, through: 65_536, by: 128) {
        let ratio = Double(d) / Double(layers)
        guard ratio >= 32, ratio <= 256 else { continue }
        let shape = GPTConfig(layers: layers, dModel: d, heads: d / 128, context: context)
        let err = abs(Double(shape.nonEmbeddingParams) / target - 1)
        let score = err + 0.01 * abs(log(ratio / 128))
        if score < best?.score ?? .infinity { best = (score, shape) }
      }
    }
    return best?.shape ?? GPTConfig(layers: 8, dModel: 1024, heads: 8, context: context)
  }
}
