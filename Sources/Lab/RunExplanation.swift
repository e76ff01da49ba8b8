// `--explain` for training runs (`train`, `sweep plan`, `sweep run`): where a run's
// N, FLOPs per token, steps, tokens, compute, peak learning rate, schedule and validation loss come
// from — Kaplan et al. 2020 for the counts, data/synthetic-corpus.md for the training setup and
// data/learning-rate-scan.csv for the rate.

import Foundation
import MiniGPT
import Planner

/// The explanation of one training configuration.
public enum RunExplanation {
  /// Steps explaining a run of `model` trained with `train`.
  ///
  /// - Parameters:
  ///   - budget: for a run planned to a compute budget, C; its token count is C / F_K rounded to
  ///     whole steps. Without it the token count is the one requested, rounded down.
  ///   - requestedTokens: the tokens asked for (train's `--tokens`), when there is no budget.
  ///   - tokensSource: where `requestedTokens` came from.
  ///   - learningRateSource: where the peak rate came from (`LearningRateTable.rateWithSource`
  ///     or `LearningRateTable.givenSource`).
  ///   - corpus: the training corpus (it sets the first scored position of validation windows).
  public static func explain(
    model: GPTConfig, train: TrainConfig, budget: Double? = nil, requestedTokens: Double? = nil,
    tokensSource: String = "--tokens", learningRateSource: String, corpus: CorpusSpec
  ) -> Explanation {
    let scoredFrom = corpus.scoredFrom(context: model.context)
    var e = Explanation()
    let (L, d, T, B) = (model.layers, model.dModel, model.context, train.batch)
    let n = Double(model.nonEmbeddingParams)
    let fk = model.trainingFLOPsPerToken
    let steps = train.steps(context: T)
    let tokens = Double(steps * B * T)
    e.add(
      ExplainedStep(
        quantity: "N (non-embedding parameters)", formula: "N = L·(12·d² + 13·d) + 2·d",
        inputs: [
          ExplainedInput("L", "\(L)", source: "layers"),
          ExplainedInput("d", "\(d)", source: "d_model"),
        ],
        result: Format.number(n),
        source:
          "Kaplan et al. 2020 §2.1 (12·L·d² weights of attention and MLP), plus this model's "
          + "biases and LayerNorm parameters (13·d per layer, 2·d for the final LayerNorm); "
          + "embeddings excluded"))
    e.add(
      ExplainedStep(
        quantity: "F_K (training FLOPs per token)", formula: "F_K = 6·N + 6·L·T·d",
        inputs: [
          ExplainedInput("N", Format.number(n), source: "above"),
          ExplainedInput("T", "\(T)", source: "context length"),
        ],
        result: Format.number(fk),
        source:
          "Kaplan et al. 2020 Table 1 (forward 2N + 2·L·T·d, backward twice that); the "
          + "convention of the PyTorch peer in data/peer-benchmarks.csv"))
    if let budget {
      e.add(
        ExplainedStep(
          quantity: "steps", formula: "steps = round(C / (F_K·B·T))",
          inputs: [
            ExplainedInput("C", Format.scientific(budget), source: "the sweep's compute budget"),
            ExplainedInput("B·T", "\(B)·\(T) = \(B * T)", source: "batch × context"),
          ],
          result: "\(steps)",
          source: "whole steps, so the run spends its budget to within half a step"))
    } else {
      e.add(
        ExplainedStep(
          quantity: "steps", formula: "steps = ⌊tokens requested / (B·T)⌋",
          inputs: [
            ExplainedInput(
              "tokens requested", Format.number(requestedTokens ?? Double(train.tokens)),
              source: tokensSource),
            ExplainedInput("B·T", "\(B)·\(T) = \(B * T)", source: "batch × context"),
          ],
          result: "\(steps)", source: "whole steps"))
    }
    e.add(
      ExplainedStep(
        quantity: "D (training tokens)", formula: "D = steps·B·T",
        inputs: [ExplainedInput("steps", "\(steps)", source: "above")],
        result: Format.number(tokens), source: "every step consumes one batch of B windows of T"))
    e.add(
      ExplainedStep(
        quantity: "C (training FLOPs)", formula: "C = F_K·D",
        inputs: [
          ExplainedInput("F_K", Format.number(fk), source: "above"),
          ExplainedInput("D", Format.number(tokens), source: "above"),
        ],
        result: Format.scientific(fk * tokens, digits: 5), source: "Kaplan et al. 2020 §2.1, C ≈ 6ND"))
    var lrInputs = [ExplainedInput("N", Format.number(n), source: "above")]
    let given = learningRateSource == LearningRateTable.givenSource
    let law = LearningRateTable.scanFit
    if !given {
      lrInputs += [
        ExplainedInput(
          "c", Format.significant(law.coefficient, digits: 5),
          source: "fitted to data/learning-rate-scan.csv"),
        ExplainedInput(
          "p", Format.significant(law.exponent, digits: 4),
          source: "fitted to data/learning-rate-scan.csv"),
        ExplainedInput(
          "scanned N", "\(Format.number(LearningRateTable.scanRange.smallest))–"
            + Format.number(LearningRateTable.scanRange.largest),
          source: "held below the smallest, extrapolated above the largest"),
      ]
    }
    e.add(
      ExplainedStep(
        quantity: "peak learning rate",
        formula: given
          ? "given"
          : "lr = c·(N′ / 30,000)^−p, N′ = max(N, "
            + "\(Format.number(LearningRateTable.scanRange.smallest)))",
        inputs: lrInputs, result: Format.scientific(train.learningRate, digits: 3),
        source: learningRateSource))
    let warm = train.resolvedWarmup(steps: steps)
    e.add(
      ExplainedStep(
        quantity: "schedule",
        formula: train.warmupSteps == nil
          ? "linear warm-up for max(10, min(100, steps/20)) steps, then half-cosine to "
            + "f·peak at the last step"
          : "linear warm-up for the given steps, then half-cosine to f·peak at the last step",
        inputs: [
          ExplainedInput("warm-up", "\(warm) steps", source: "from steps = \(steps)"),
          ExplainedInput(
            "f", Format.number(train.minLRFraction), source: "minimum learning-rate fraction"),
          ExplainedInput(
            "AdamW", "β = (\(Format.number(train.beta1)), \(Format.number(train.beta2))), "
              + "weight decay \(Format.number(train.weightDecay)), clip "
              + Format.number(train.gradClip),
            source: "data/synthetic-corpus.md, Training setup"),
        ],
        result: "peak \(Format.scientific(train.learningRate, digits: 3))",
        source:
          "data/synthetic-corpus.md, Training setup; Loshchilov & Hutter 2017 (SGDR eq. 5, "
          + "no restarts)"))
    e.add(
      ExplainedStep(
        quantity: "validation loss",
        formula: "mean −ln p(next byte) over positions \(scoredFrom)…\(T - 1) of each window",
        inputs: [
          ExplainedInput(
            "windows", "\(train.evalWindows)",
            source: "validation windows per evaluation (fixed text, same for every run)"),
          ExplainedInput(
            "every", "\(train.evalEvery) steps and after the last", source: "--eval-every"),
        ],
        result: "nats per byte",
        source: scoredFrom > 0
          ? "data/synthetic-corpus.md: scoring from position \(scoredFrom) gives every scored "
            + "byte a word boundary in its context, so the Bayes-optimal loss is the entropy rate H"
          : "every position of each window is scored (a text file has no known entropy)"))
    return e
  }
}

extension SweepPlan {
  /// `--explain` for one planned run: how its target N was chosen, then the run's own steps.
  public func explanation(for run: PlannedRun) -> Explanation {
    var e = Explanation()
    switch spec.kind {
    case .preset:
      e.add(
        ExplainedStep(
          quantity: "N target", formula: "a rung of the preset's size ladder",
          inputs: [
            ExplainedInput(
              "design", spec.design ?? "-", source: "Presets.signature (budget: sizes; lr law)")
          ],
          result: Format.number(run.targetParams),
          source:
            "Hoffmann et al. 2022 §3.2 (isoFLOP profiles): consecutive rungs about √2 apart that "
            + "bracket each budget's loss minimum"))
    case .isoflop:
      let c = run.budget ?? 0
      e.add(
        ExplainedStep(
          quantity: "N target",
          formula: "log-spaced over a factor s, centred on N_c = √(C / (6·r))",
          inputs: [
            ExplainedInput("C", Format.scientific(c), source: "--budgets"),
            ExplainedInput("r", Format.number(spec.tokensPerParam), source: "--tokens-per-param"),
            ExplainedInput("s", Format.number(spec.span), source: "--span"),
            ExplainedInput("sizes", "\(spec.sizes)", source: "--sizes"),
          ],
          result: Format.number(run.targetParams),
          source: "Hoffmann et al. 2022 §3.2; r = 20 is their tokens-per-parameter rule"))
    case .grid:
      e.add(
        ExplainedStep(
          quantity: "N target", formula: "given", inputs: [],
          result: Format.number(run.targetParams), source: "--params"))
    }
    e.add(
      ExplainedStep(
        quantity: "shape", formula: "layers and width whose N is within the tolerance of the target",
        inputs: [
          ExplainedInput(
            "tolerance", Format.number(100 * ShapeSearch.tolerance) + " %",
            source: "ShapeSearch.tolerance")
        ],
        result: "\(run.model.layers)×\(run.model.dModel), \(run.model.heads) heads, N = "
          + Format.number(run.achievedParams),
        source: "ShapeSearch (heads: the largest of 4, 2, 1 dividing d with head size ≥ 16)"))
    let own = RunExplanation.explain(
      model: run.model, train: run.train, budget: run.budget,
      requestedTokens: run.budget == nil ? Double(run.tokens) : nil,
      tokensSource: "--tokens, rounded to whole steps", learningRateSource: run.learningRateSource,
      corpus: run.corpus)
    for step in own.steps { e.add(step) }
    e.add(
      ExplainedStep(
        quantity: "trained?", formula: "steps ≥ minimum steps",
        inputs: [
          ExplainedInput("steps", "\(run.steps)", source: "above"),
          ExplainedInput(
            "minimum", "\(spec.minimumSteps)",
            source: "data/synthetic-corpus.md: \"at least about 500 optimizer steps\""),
        ],
        result: run.tooShort ? "no: listed, not trained" : "yes",
        source: "shorter runs sit on the initial plateau and spoil the fit"))
    return e
  }
}
