// inference-economics: memory by weight precision for 7B–405B models and the accelerators that
// hold them; $ per 1M output tokens by precision and accelerator; GPTQ's published perplexities
// beside the memory saved; inference-aware vs Chinchilla-optimal models (Sardana et al. 2024); and
// fine-tuning memory by method (full / LoRA / QLoRA). Every number is a library call made the way
// `scaleplan cost infer`, `cost finetune` and `plan --inference-tokens` make it (same catalog
// defaults), so the notebook and the CLI agree.

import Catalog
import Fitting
import Foundation
import Planner

/// Everything the inference-economics notebook computes, with the CLI's defaults.
struct InferenceEconomicsData: Sendable {
  /// Model sizes for the memory table (weights only, as GPTQ's one-GPU arithmetic).
  static let sizes: [(label: String, params: Double)] = [
    ("7B", 7e9), ("70B", 70e9), ("175B", 175e9), ("405B", 405e9),
  ]
  static let precisions = ["fp16", "int8", "int4", "int3"]
  static let holdAccelerators = ["a100-80gb", "h100", "h200"]
  /// Serving-cost comparison: a catalog model with its architecture (GQA KV cache).
  static let servingModel = "llama2-70b"
  static let servingPrecisions = ["fp16", "int8", "int4"]
  static let servingAccelerators = ["a100-80gb", "h100"]
  static let servingBatches = [1, 32]
  static let fineTuneModels = ["llama-7b", "llama-13b", "llama-65b"]
  /// Sardana et al.'s worked example: a 13B Chinchilla-optimal model, 2T lifetime inference tokens.
  static let sardanaParams = 13e9
  static let sardanaTokens = 2e12

  var catalog: CatalogSet
  var defaults: [InferenceDefault]
  var quantization: [QuantizationMeasurement]

  static func load(_ context: NotebookContext) throws -> InferenceEconomicsData {
    InferenceEconomicsData(
      catalog: try CatalogSet.load(files: context.files),
      defaults: try InferenceCatalog.defaults(files: context.files),
      quantization: try InferenceCatalog.quantization(files: context.files))
  }

  /// `scaleplan cost infer` for a shape: catalog defaults from inference.csv, default workload
  /// (70 prompt, 215 output tokens), the catalog price unless `price` is given.
  /// - Throws: `InferenceError`, `CatalogError`.
  func infer(
    _ shape: ModelShape, precision: String, gpu: String, batch: Int = 1, price: Double? = nil
  ) throws -> InferenceEstimate {
    var a = InferenceCatalog.assumptions(from: defaults)
    a.priceUSDPerHour = price
    let workload = try InferenceWorkload(
      promptTokens: InferenceWorkload.defaultPromptTokens,
      outputTokens: InferenceWorkload.defaultOutputTokens, batch: batch)
    return try estimateInference(
      model: shape, format: try WeightFormat.parse(precision),
      accelerator: try catalog.accelerator(gpu), workload: workload, assumptions: a)
  }

  /// `scaleplan cost finetune --model ID --method M` with its defaults.
  func fineTune(_ model: String, _ method: FineTuneMethod) throws -> FineTuneEstimate {
    let shape = ModelShape(try catalog.model(model))
    return try estimateFineTune(
      model: shape, config: FineTuneConfig(method: method),
      layerShape: LayerShape(model: shape, dFF: nil, gatedMLP: false),
      mfu: InferenceCatalog.value("finetune_mfu", in: defaults, fallback: 0.4))
  }

  /// The loss of the Chinchilla-optimal model of `params` under `law`, rounded to 4 decimals.
  ///
  /// Rounded so the notebook's `plan --target-loss` command reproduces it exactly:
  /// ℓ = E + A(1 + α/β)/N^α (from αA/N^α = βB/D^β, Hoffmann et al. 2022 eq. 4).
  static func loss(ofChinchillaOptimal params: Double, law: ParametricLaw) -> Double {
    let l = law.E + law.A * (1 + law.alpha / law.beta) / pow(params, law.alpha)
    return (l * 1e4).rounded() / 1e4
  }
}

extension NotebookBuilder {
  static func inferenceEconomics(_ context: NotebookContext) throws -> NotebookDocument {
    let data = try InferenceEconomicsData.load(context)
    let cat = data.catalog
    var doc = NotebookDocument(
      name: NotebookName.inferenceEconomics.rawValue,
      title: "Inference economics: memory, $ per token, and models sized for their use",
      metadata: metadata(.inferenceEconomics))

    doc.heading("Question")
    doc.paragraph(
      "Training is paid once; serving is paid per token. How much memory does a model need at "
        + "each weight precision, how many accelerators hold it, what does a million output "
        + "tokens cost, what quality do published quantisers give up, how much smaller should a "
        + "model be when it will serve trillions of tokens, and how much memory does fine-tuning "
        + "take by method? Each section names the `scaleplan` command that prints the same numbers."
    )

    // Inputs.
    doc.heading("Inputs")
    var inputs: [[String]] = []
    for id in ["a100-80gb", "h100", "h200", "rtx-a6000"] {
      let a = try cat.accelerator(id)
      let rec = try cat.acceleratorRecord(id)
      let price = a.priceUSDPerHour.map { "$\(Format.number($0))/h" } ?? "no default price"
      let priceSource = a.priceSource.map { "; prices.csv \($0)" } ?? ""
      inputs.append([
        "`\(id)`",
        "\(Format.number(a.memoryGB)) GB, \(Format.number(a.bandwidthTBps)) TB/s, "
          + "BF16 \(a.peakFLOPS(.bf16).map { Format.si($0 / 1e12) } ?? "—") TFLOP/s, \(price)",
        "accelerators.csv [\(rec.tag)] \(a.source)\(priceSource)",
      ])
    }
    for d in data.defaults
    where [
      "bandwidth_efficiency", "prefill_mfu", "decode_mfu", "memory_overhead", "kv_bits",
      "prompt_tokens", "output_tokens",
    ].contains(d.quantity) {
      inputs.append([
        "`\(d.quantity)`", "\(Format.number(d.value)) \(d.unit)",
        "inference.csv [\(d.tag)] \(d.source)",
      ])
    }
    inputs.append([
      "bytes per parameter", "fp16 2, int8 1, int4 0.5, int3 0.375 (no quantisation scales)",
      "the formats' definitions; `WeightFormat`",
    ])
    doc.table(["input", "value", "source"], inputs)

    // 1. Memory by precision.
    doc.heading("Memory by precision, and the accelerators that hold it")
    doc.code("scaleplan cost infer --params 175B --precision int3 --gpu a100-80gb")
    var memRows: [[String]] = []
    for s in InferenceEconomicsData.sizes {
      let shape = try ModelShape(params: s.params)
      for p in InferenceEconomicsData.precisions {
        var cells = [s.label, p]
        var gb = 0.0
        var counts: [String] = []
        for g in InferenceEconomicsData.holdAccelerators {
          let e = try data.infer(shape, precision: p, gpu: g)
          gb = e.weightsBytes / 1e9
          counts.append("\(e.acceleratorsToHold)")
        }
        cells.append(Format.significant(gb, digits: 3) + " GB")
        memRows.append(cells + counts)
      }
    }
    doc.table(
      ["model", "precision", "weights"]
        + InferenceEconomicsData.holdAccelerators.map { "\($0) needed" }, memRows)
    doc.paragraph(
      "Weights only (KV cache and activations excluded, memory overhead 0 — the accounting "
        + "behind GPTQ's one-GPU claim). The A100-80GB and H100 both have 80 GB, so they need "
        + "the same count; the H200 has 141 GB.")
    let groups = data.precisionsGroups()
    var memChart = BarChart(
      title: "Weight memory by precision", yLabel: "GB (log scale)",
      categories: InferenceEconomicsData.sizes.map(\.label), groups: groups, yScale: .log10)
    memChart.yTickFormat = { Format.si($0) }
    doc.figure(
      "inference-economics-memory.svg", svg: memChart.svg(),
      caption: "Weight memory (GB) by model size and precision. An 80 GB A100 or H100 holds a "
        + "bar below 80 GB: 7B at any precision, 70B from int8 down, 175B only at 3 bits.")

    // 2. $ per 1M output tokens.
    doc.heading("$ per 1M output tokens by precision and accelerator")
    let servingShape = ModelShape(try cat.model(InferenceEconomicsData.servingModel))
    doc.code(
      "scaleplan cost infer --model \(InferenceEconomicsData.servingModel) --precision int4 "
        + "--gpu h100 --batch 32"
    )
    var costRows: [[String]] = []
    var costGroups: [(name: String, values: [Double])] = []
    for g in InferenceEconomicsData.servingAccelerators {
      var values: [Double] = []
      for p in InferenceEconomicsData.servingPrecisions {
        var cells = [p, g]
        for (k, b) in InferenceEconomicsData.servingBatches.enumerated() {
          let e = try data.infer(servingShape, precision: p, gpu: g, batch: b)
          if k == 0 { cells.append("\(e.acceleratorsPerReplica)") }
          cells.append(
            "\(Format.significant(e.decodeMsPerToken, digits: 3)) ms (\(e.decodeBound))")
          cells.append(e.usdPerMillionOutputTokens.map { Format.dollars($0) } ?? "—")
          if b == InferenceEconomicsData.servingBatches.last {
            values.append(e.usdPerMillionOutputTokens ?? .nan)
          }
        }
        costRows.append(cells)
      }
      costGroups.append((name: g, values: values))
    }
    doc.table(
      [
        "precision", "accelerator", "GPUs per replica", "decode step, batch 1", "$/1M out, batch 1",
        "decode step, batch 32", "$/1M out, batch 32",
      ], costRows)
    doc.paragraph(
      "\(servingShape.name) (80 layers, 8 KV heads, 16-bit KV cache), 70 prompt and 215 output "
        + "tokens per query, the catalog's default price per accelerator-hour, decode reaching "
        + "60% of peak memory bandwidth (or 50% of peak FLOP/s when compute-bound), fully "
        + "utilised. Lower precision reads fewer bytes per token and needs fewer GPUs per replica, "
        + "so at batch 1 the cost falls nearly in proportion to the bits; at batch 32 the weights "
        + "are read once for 32 tokens.")
    var costChart = BarChart(
      title: "$ per 1M output tokens, \(servingShape.name), batch 32", yLabel: "US$ per 1M tokens",
      categories: InferenceEconomicsData.servingPrecisions, groups: costGroups)
    costChart.yTickFormat = { Format.dollars($0) }
    doc.figure(
      "inference-economics-cost.svg", svg: costChart.svg(),
      caption: "Serving cost per million output tokens of \(servingShape.name) at batch 32 by "
        + "weight precision and accelerator (catalog prices; assumptions above).")

    // 3. GPTQ perplexities.
    doc.heading("What quantisation costs in quality: GPTQ's published perplexities")
    var qRows: [[String]] = []
    for m in data.quantization {
      let base = data.quantization.first {
        $0.model == m.model && $0.dataset == m.dataset && $0.bits >= 16
      }
      let delta =
        base.map { b -> String in
          if m.bits >= 16 { return "—" }
          let r = m.value / b.value
          return r > 2 ? "×\(Format.significant(r, digits: 3))" : percent(r - 1)
        } ?? "—"
      let gb = m.params * m.bits / 8 / 1e9
      let a100 = try cat.accelerator("a100-80gb")
      qRows.append([
        m.model, m.method, Format.number(m.bits), m.dataset, Format.number(m.value), delta,
        "\(Format.significant(gb, digits: 3)) GB",
        "\(acceleratorsToHold(bytes: gb * 1e9, memoryGB: a100.memoryGB))",
        "\(m.paper), \(m.table) (\(m.date))",
      ])
    }
    doc.table(
      [
        "model", "method", "bits", "data set", "perplexity", "vs FP16", "weights", "A100-80GB",
        "source",
      ], qRows)
    doc.paragraph(
      "Lower perplexity is better. Rows are data/quantization.csv (tag \"R via secondary\": the "
        + "paper's figures as quoted by secondary summaries; the round-to-nearest rows by one "
        + "summary only). GPTQ keeps 4-bit OPT-175B within "
        + "0.4% of FP16 on WikiText2 and 3-bit within about 4%, where round-to-nearest collapses; "
        + "the memory column is weights only.")

    // 4. Inference-aware allocation.
    doc.heading("Inference-aware vs Chinchilla-optimal models (Sardana et al. 2024)")
    let law = ParametricLaw.sardanaChinchilla
    let loss = InferenceEconomicsData.loss(
      ofChinchillaOptimal: InferenceEconomicsData.sardanaParams, law: law)
    let plan = try inferenceAwarePlan(
      targetLoss: loss, inferenceTokens: InferenceEconomicsData.sardanaTokens, law: law)
    let presets = try LawCatalog.load(context.files)
    var presetPlan: LifetimePlan?
    if let p = presets.first(where: { $0.id == "hoffmann2022" }), case .parametric(let l) = p.law {
      presetPlan = try inferenceAwarePlan(
        targetLoss: loss, inferenceTokens: InferenceEconomicsData.sardanaTokens, law: l)
    }
    doc.paragraph(
      "For a target loss and a lifetime inference demand of T tokens, choose N and D that "
        + "minimise 6·N·D + 2·N·T subject to L(N, D) = loss (Sardana et al., arXiv 2401.00448, "
        + "§2). The worked example: the loss of a Chinchilla-optimal 13B model "
        + "(\(Format.fixed(loss, decimals: 4)) under the Chinchilla constants Sardana et al. use: "
        + "E 1.69, A 406.4, B 410.7, α 0.336, β 0.283) and T = 2T tokens.")
    doc.code(
      "scaleplan plan --target-loss \(Format.fixed(loss, decimals: 4)) --inference-tokens 2T "
        + "--law hoffmann2022"
    )
    var iaRows: [[String]] = []
    func iaRow(_ name: String, _ p: LifetimePlan) {
      iaRows.append([
        name, Format.si(p.chinchillaOptimal.params), Format.si(p.optimal.params),
        Format.si(p.optimal.tokens), Format.fixed(p.optimal.tokens / p.optimal.params, decimals: 0),
        Format.scientific(p.chinchillaOptimal.totalFLOPs), Format.scientific(p.optimal.totalFLOPs),
        Format.scientific(p.savingFLOPs), share(p.savingFLOPsFraction),
      ])
    }
    iaRow("Sardana's Chinchilla constants (library `.sardanaChinchilla`)", plan)
    if let pp = presetPlan { iaRow("`--law hoffmann2022` (α 0.34, β 0.28 rounded)", pp) }
    doc.table(
      [
        "law", "Chinchilla N", "inference-aware N", "its tokens", "tokens/param",
        "Chinchilla total FLOPs", "inference-aware total", "saving", "saving %",
      ], iaRows)
    // Sweep over T.
    let ts = stride(from: 9.0, through: 14.0001, by: 0.25).map { pow(10, $0) }
    var nPts: [(x: Double, y: Double)] = []
    var fOpt: [(x: Double, y: Double)] = []
    var fChin: [(x: Double, y: Double)] = []
    for t in ts {
      let p = try inferenceAwarePlan(targetLoss: loss, inferenceTokens: t, law: law)
      nPts.append((t, p.optimal.params))
      fOpt.append((t, p.optimal.totalFLOPs))
      fChin.append((t, p.chinchillaOptimal.totalFLOPs))
    }
    var nChart = XYChart(
      title: "Lifetime-optimal model size for a 13B-Chinchilla loss",
      xLabel: "lifetime inference tokens T",
      yLabel: "parameters N", xScale: .log10, yScale: .log10)
    nChart.yTickFormat = { Format.si($0) }
    nChart.series = [
      ChartSeries(name: "inference-aware N*", points: nPts, style: .lineAndMarkers),
      ChartSeries(
        name: "Chinchilla-optimal N",
        points: [
          (ts[0], plan.chinchillaOptimal.params),
          (ts[ts.count - 1], plan.chinchillaOptimal.params),
        ], style: .dashedLine),
    ]
    nChart.annotations = [
      ChartAnnotation(
        x: InferenceEconomicsData.sardanaTokens, y: plan.optimal.params,
        label: "2T tokens → \(Format.si(plan.optimal.params))")
    ]
    doc.figure(
      "inference-economics-aware-params.svg", svg: nChart.svg(),
      caption: "The model that reaches the loss of a Chinchilla-optimal 13B model with the "
        + "fewest lifetime FLOPs shrinks as inference demand grows (Sardana et al.'s constants).")
    var fChart = XYChart(
      title: "Lifetime FLOPs (training + inference)", xLabel: "lifetime inference tokens T",
      yLabel: "total FLOPs", xScale: .log10, yScale: .log10)
    fChart.series = [
      ChartSeries(name: "Chinchilla-optimal 13B", points: fChin, style: .dashedLine),
      ChartSeries(name: "inference-aware", points: fOpt),
    ]
    doc.figure(
      "inference-economics-aware-flops.svg", svg: fChart.svg(),
      caption: "Training plus inference FLOPs of the Chinchilla-optimal model and of the "
        + "inference-aware model of the same loss; the gap is the saving.")

    // 5. Fine-tuning memory.
    doc.heading("Fine-tuning memory by method")
    doc.code("scaleplan cost finetune --model llama-65b --method qlora")
    var ftRows: [[String]] = []
    var ftSeries: [ChartSeries] = []
    var byMethod: [FineTuneMethod: [(x: Double, y: Double)]] = [:]
    for id in InferenceEconomicsData.fineTuneModels {
      let model = try cat.model(id)
      var cells = [model.name]
      for m in FineTuneMethod.allCases {
        let e = try data.fineTune(id, m)
        cells.append(Format.significant(e.memoryBytes / 1e9, digits: 3) + " GB")
        byMethod[m, default: []].append((model.params, e.memoryBytes / 1e9))
      }
      ftRows.append(cells)
    }
    doc.table(["model"] + FineTuneMethod.allCases.map(\.rawValue), ftRows)
    doc.paragraph(
      "Full fine-tuning: 12 bytes per parameter (16-bit weights and gradients, two 32-bit Adam "
        + "moments). LoRA: frozen 16-bit weights, rank-8 adapters on W_q and W_v. QLoRA: NF4 base "
        + "with double-quantised constants, rank-64 adapters on every linear layer. All: batch 1 "
        + "of 512 tokens with gradient checkpointing, MLP width 4·d_model (the CLI defaults).")
    for (i, m) in FineTuneMethod.allCases.enumerated() {
      ftSeries.append(
        ChartSeries(
          name: m.rawValue, points: byMethod[m] ?? [], style: .lineAndMarkers,
          color: chartPalette[i]))
    }
    let (x0, x1) = (5e9, 1e11)
    ftSeries.append(
      ChartSeries(
        name: "48 GB (RTX A6000)", points: [(x0, 48), (x1, 48)], style: .dashedLine,
        color: "#888888"))
    ftSeries.append(
      ChartSeries(
        name: "80 GB (A100, H100)", points: [(x0, 80), (x1, 80)], style: .dashedLine,
        color: "#000000"))
    var ftChart = XYChart(
      title: "Fine-tuning memory by method", xLabel: "parameters", yLabel: "GB",
      xScale: .log10, yScale: .log10)
    ftChart.xTickFormat = { Format.si($0) }
    ftChart.xDomain = (x0, x1)
    ftChart.series = ftSeries
    doc.figure(
      "inference-economics-finetune.svg", svg: ftChart.svg(),
      caption: "Memory to fine-tune LLaMA 7B, 13B and 65B by method, against one 48 GB and one "
        + "80 GB accelerator.")

    // Where we differ.
    doc.heading("Where we differ from the published numbers")
    var notes: [String] = []
    let gpt3 = try ModelShape(params: 175e9)
    let fp16 = try data.infer(gpt3, precision: "fp16", gpu: "a100-80gb")
    let int3 = try data.infer(gpt3, precision: "int3", gpu: "a100-80gb")
    let int4 = try data.infer(gpt3, precision: "int4", gpu: "a100-80gb")
    let pplBase = data.quantization.first {
      $0.model == "opt-175b" && $0.bits >= 16 && $0.dataset == "WikiText2"
    }
    let ppl3 = data.quantization.first {
      $0.model == "opt-175b" && $0.method == "gptq" && $0.bits == 3 && $0.dataset == "WikiText2"
    }
    var gptq =
      "GPTQ (Frantar et al. 2023): a 175B model on **one GPU instead of five**. We get "
      + "\(Format.significant(fp16.weightsBytes / 1e9, digits: 3)) GB in FP16 → "
      + "\(fp16.acceleratorsToHold) × A100-80GB, and "
      + "\(Format.significant(int3.weightsBytes / 1e9, digits: 3)) GB at 3 bits → "
      + "\(int3.acceleratorsToHold): reproduced. At 4 bits "
      + "(\(Format.significant(int4.weightsBytes / 1e9, digits: 3)) GB) "
      + "it takes \(int4.acceleratorsToHold), so the claim rests on 3-bit weights"
    if let b = pplBase, let q = ppl3 {
      gptq +=
        ", which cost \(percent(q.value / b.value - 1)) in WikiText2 perplexity "
        + "(\(Format.number(b.value)) → \(Format.number(q.value)))"
    }
    notes.append(gptq + ". KV cache and activations would need a little more room.")
    if let full = try? data.fineTune("llama-65b", .full),
      let q = try? data.fineTune("llama-65b", .qlora)
    {
      let weightsOnly = (try cat.model("llama-65b")).params * 12 / 1e9
      notes.append(
        "QLoRA (Dettmers et al. 2023): 65B fine-tuning from **> 780 GB to < 48 GB**. We get "
          + "\(Format.significant(full.memoryBytes / 1e9, digits: 3)) GB for full 16-bit "
          + "fine-tuning (\(Format.significant(weightsOnly, digits: 3)) GB of weights, gradients "
          + "and Adam moments for LLaMA-65B's \(Format.si((try cat.model("llama-65b")).params)) "
          + "parameters, plus activations) and "
          + "\(Format.significant(q.memoryBytes / 1e9, digits: 3)) GB for QLoRA: both sides "
          + "reproduced. With an FP32 master copy (16 bytes per parameter, "
          + "`--master-weights`) full fine-tuning is over 1 TB.")
    }
    notes.append(
      "Sardana et al.: a 13B model with 2T tokens of inference demand → **~7B, saving 1.7e22 FLOP "
        + "(17%)**. With their constants we get \(Format.si(plan.optimal.params)) parameters and "
        + "a saving of \(Format.scientific(plan.savingFLOPs, digits: 2)) FLOP "
        + "(\(share(plan.savingFLOPsFraction))): reproduced"
        + (presetPlan.map {
          ". Under the rounded `hoffmann2022` preset (the closest `--law` the CLI offers) the "
            + "same loss gives a "
            + "\(Format.si($0.chinchillaOptimal.params)) Chinchilla model and "
            + "\(Format.si($0.optimal.params)) inference-aware (\(share($0.savingFLOPsFraction)) "
            + "saving): the exponents' third digit moves the sizes, not the conclusion"
        } ?? "") + ".")
    let e3 = try data.infer(
      try ModelShape(params: 8e9), precision: "bf16", gpu: "h100", batch: 64, price: 2.49)
    if let usd = e3.usdPerMillionOutputTokens {
      notes.append(
        "A first-principles example (cost per 1M output tokens = GPU price per hour × GPUs "
          + "÷ (3,600 × tokens/s) × 10⁶): an 8B model in BF16 on one H100 at $2.49/h, batch "
          + "64 at ~60% of the bandwidth bound, KV reads ignored → **≈ $0.09 per 1M tokens**. "
          + "`scaleplan cost infer --params 8B --precision bf16 --gpu h100 --batch 64 "
          + "--price 2.49` "
          + "gives \(Format.dollars(usd, digits: 2)) per 1M output tokens "
          + "(\(percent(usd / 0.09 - 1)) from the rounded $0.09; "
          + "\(Format.si(e3.tokensPerSecondPerReplica)) tokens/s). List prices for small "
          + "models (GPT-4o mini $0.60, OpenAI 2024; Claude 3 Haiku $1.25, Anthropic 2024; "
          + "per 1M output tokens) "
          + "sit 7–14× above this floor: real deployments are not fully busy, keep KV caches, "
          + "and charge a margin.")
    }
    doc.bullets(notes)
    return doc
  }
}

extension NotebookBuilder {
  /// A fraction as a percentage without a sign, one decimal.
  static func share(_ x: Double) -> String { Format.fixed(100 * x, decimals: 1) + "%" }
}

extension InferenceEconomicsData {
  /// Weight GB per precision for each size (one group per precision).
  func precisionsGroups() -> [(name: String, values: [Double])] {
    Self.precisions.compactMap { p in
      guard let f = try? WeightFormat.parse(p) else { return nil }
      return (name: p, values: Self.sizes.map { $0.params * f.bytesPerParam / 1e9 })
    }
  }
}
