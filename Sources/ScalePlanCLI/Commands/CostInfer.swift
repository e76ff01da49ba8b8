import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan cost infer`: memory, roofline speed, dollars and energy of serving a model.
public struct CostInferCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "infer",
    abstract: "Memory, tokens/s, $ per 1M tokens, $ per query and energy of serving a model.",
    discussion: """
      Weights = params × bits/8; KV cache = 2 × layers × kv-heads × head-dim × bytes per token; \
      decode is the larger of memory time and compute time (roofline). Examples:
        scaleplan cost infer --params 175B --precision int3 --gpu a100-80gb
        scaleplan cost infer --model llama2-70b --precision int4 --gpu h100 --prompt 500 \
      --output 200 --batch 32 --queries-per-day 1e9 --price 2.5
        scaleplan cost infer --queries-per-year 3.3T --share 0.5 --usd-per-query 0.00364
      """)

  @OptionGroup var output: OutputOptions
  @OptionGroup var catalogOptions: CatalogOptions
  @OptionGroup var modelOptions: ModelOptions

  @Option(name: .long, help: "Weight precision: fp32, bf16, fp16, fp8, int8, int4, nf4, int3.")
  var precision: String?
  @Option(name: .long, help: "Any weight bit width instead of --precision, e.g. 5.")
  var bits: String?
  @Option(
    name: .customLong("scale-bits"),
    help: "Quantisation-constant bits per weight (default 0; NF4 blocks of 64: 0.5).")
  var scaleBits: String?
  @Option(name: .customLong("kv-bits"), help: "Bits per cached K/V value (default 16).")
  var kvBits: String?
  @Option(name: .long, help: "Accelerator id from the catalog, e.g. h100, a100-80gb.")
  var gpu: String?
  @Option(name: .long, help: "Accelerators per model replica (default: the fewest that hold it).")
  var accelerators: String?
  @Option(name: .long, help: "Prompt tokens per query (default 70, LMSys average).")
  var prompt: String?
  @Option(
    name: .customLong("output"), help: "Output tokens per query (default 215, LMSys average).")
  var outputTokens: String?
  @Option(name: .long, help: "Sequences decoded together (default 1).")
  var batch: String?
  @Option(name: .long, help: "Queries per day, for $ per day and per year.")
  var queriesPerDay: String?
  @Option(name: .long, help: "Queries per year (instead of --queries-per-day).")
  var queriesPerYear: String?
  @Option(name: .long, help: "Fraction of the queries served by the model (default 1).")
  var share: String?
  @Option(name: .long, help: "A given cost per query in US$ (skips the first-principles estimate).")
  var usdPerQuery: String?
  @Option(name: .long, help: "US$ per accelerator-hour (default: catalog price).")
  var price: String?
  @Option(name: .long, help: "Fraction of peak memory bandwidth reached in decode (default 0.6).")
  var bandwidthEfficiency: String?
  @Option(name: .long, help: "Prefill model FLOPs utilisation (default 0.5).")
  var prefillMfu: String?
  @Option(name: .long, help: "Decode compute ceiling as MFU (default 0.5).")
  var decodeMfu: String?
  @Option(name: .long, help: "Extra memory as a fraction of weights + KV (default 0).")
  var memoryOverhead: String?
  @Option(name: .long, help: "Fraction of paid time the deployment is busy (default 1).")
  var utilisation: String?
  @Option(name: .long, help: "Power usage effectiveness (default: energy catalog).")
  var pue: String?
  @Option(name: .long, help: "Watts per accelerator (default: TDP × server overhead × draw).")
  var watts: String?

  public init() {}

  public func run() throws {
    let files = try catalogOptions.files()
    var loaded: Catalog?
    func catalog() throws -> Catalog {
      if let c = loaded { return c }
      let c = try Catalog.load(files: files)
      loaded = c
      return c
    }

    // Query-volume arithmetic only (e.g. Morgan Stanley's $6B).
    if let given = try parseQuantity(usdPerQuery, "--usd-per-query"), modelOptions.isEmpty {
      guard let volume = try yearlyQueries() else {
        throw ValidationError("--usd-per-query needs --queries-per-year or --queries-per-day.")
      }
      let bill = try servingBill(
        queriesPerYear: volume, share: try parseQuantity(share, "--share") ?? 1,
        usdPerQuery: given)
      try renderBill(bill)
      return
    }

    let (shape, modelID) = try modelOptions.shape(catalog: catalog)
    guard let gpuID = gpu else {
      throw ValidationError("Give --gpu ID (e.g. --gpu h100); see `scaleplan catalog`.")
    }
    let accelerator = try catalog().accelerator(gpuID)
    let scale = try parseQuantity(scaleBits, "--scale-bits") ?? 0
    let format: WeightFormat
    if let b = try parseQuantity(bits, "--bits") {
      if precision != nil { throw ValidationError("Give --precision or --bits, not both.") }
      format = try WeightFormat(bits: b, scaleOverheadBits: scale)
    } else {
      format = try WeightFormat.parse(precision ?? "bf16", scaleOverheadBits: scale)
    }
    let workload = try InferenceWorkload(
      promptTokens: try parseQuantity(prompt, "--prompt") ?? InferenceWorkload.defaultPromptTokens,
      outputTokens: try parseQuantity(outputTokens, "--output")
        ?? InferenceWorkload.defaultOutputTokens,
      batch: try parseCount(batch, "--batch") ?? 1)

    let defaults = (try? InferenceCatalog.defaults(files: files)) ?? []
    let energy = EnergyDefaults(catalog: try? catalog())
    var a = InferenceCatalog.assumptions(from: defaults)
    a.bandwidthEfficiency =
      try parseQuantity(bandwidthEfficiency, "--bandwidth-efficiency") ?? a.bandwidthEfficiency
    a.prefillMFU = try parseQuantity(prefillMfu, "--prefill-mfu") ?? a.prefillMFU
    a.decodeMFU = try parseQuantity(decodeMfu, "--decode-mfu") ?? a.decodeMFU
    a.memoryOverheadFraction =
      try parseQuantity(memoryOverhead, "--memory-overhead") ?? a.memoryOverheadFraction
    a.utilisation = try parseQuantity(utilisation, "--utilisation") ?? a.utilisation
    a.pue = try parseQuantity(pue, "--pue") ?? energy.pue
    a.kvBits = try parseQuantity(kvBits, "--kv-bits") ?? a.kvBits
    a.priceUSDPerHour = try parseQuantity(price, "--price")
    a.wattsPerAccelerator =
      try parseQuantity(watts, "--watts")
      ?? accelerator.tdpWatts.map { $0 * energy.powerFactor }
    a.wattsSource = watts != nil ? "--watts" : energy.powerSource
    let est = try estimateInference(
      model: shape, format: format, accelerator: accelerator, workload: workload, assumptions: a,
      acceleratorsPerReplica: try parseCount(accelerators, "--accelerators"))

    let quantRows = (try? InferenceCatalog.quantization(files: files)) ?? []
    let quality =
      format.bits < 16
      ? quantRows.quality(modelID: modelID, params: shape.params, bits: format.bits) : []

    // Volume: a given $/query overrides the estimate for the bill.
    var bill: ServingBill?
    if let qpy = try yearlyQueries() {
      let perQuery = try parseQuantity(usdPerQuery, "--usd-per-query") ?? est.usdPerQuery
      guard let perQuery else { throw InferenceError.noPrice(accelerator: accelerator.id) }
      bill = try servingBill(
        queriesPerYear: qpy, share: try parseQuantity(share, "--share") ?? 1,
        usdPerQuery: perQuery)
    }

    if output.json {
      try JSONOutput.print(json(est, quality: quality, bill: bill, energy: energy))
      return
    }
    print(table(est, accelerator: accelerator, quality: quality, bill: bill, energy: energy))
    if output.explain { print(est.explanation.render(), terminator: "") }
  }

  func yearlyQueries() throws -> Double? {
    if let y = try parseQuantity(queriesPerYear, "--queries-per-year") {
      if queriesPerDay != nil {
        throw ValidationError("Give --queries-per-day or --queries-per-year, not both.")
      }
      return y
    }
    return try parseQuantity(queriesPerDay, "--queries-per-day").map { $0 * 365 }
  }

  func renderBill(_ bill: ServingBill) throws {
    if output.json {
      try JSONOutput.print(
        JSONValue.object([
          "queries_per_year": .number(bill.queriesPerYear), "share": .number(bill.share),
          "usd_per_query": .number(bill.usdPerQuery), "usd_per_day": .number(bill.usdPerDay),
          "usd_per_year": .number(bill.usdPerYear),
        ]))
      return
    }
    var t = TextTable(header: ["quantity", "value"])
    t.add(["queries per year", Format.si(bill.queriesPerYear)])
    t.add(["share served", Format.number(bill.share)])
    t.add(["$ per query (given)", usd(bill.usdPerQuery)])
    t.add(["$ per day", usd(bill.usdPerDay)])
    t.add(["$ per year", usd(bill.usdPerYear)])
    print(t.render(), terminator: "")
    if output.explain {
      print(
        "$/year = queries/year × share × $/query = \(Format.si(bill.queriesPerYear)) × "
          + "\(Format.number(bill.share)) × $\(Format.significant(bill.usdPerQuery, digits: 4)) = "
          + Format.dollars(bill.usdPerYear) + " (FACTS claim 5 arithmetic)")
    }
  }

  func json(
    _ e: InferenceEstimate, quality: [QuantizationQuality], bill: ServingBill?,
    energy: EnergyDefaults
  ) -> JSONValue {
    let q: [JSONValue] = quality.flatMap { qq in
      (qq.baseline + qq.quantized).map { m in
        JSONValue.object([
          "model": .string(m.model), "method": .string(m.method), "bits": .number(m.bits),
          "metric": .string(m.metric), "dataset": .string(m.dataset), "value": .number(m.value),
          "source": .string("\(m.paper), \(m.table)"),
        ])
      }
    }
    return .object([
      "model": .string(e.model), "accelerator": .string(e.accelerator),
      "precision": .string(e.format), "bytes_per_param": .number(e.bytesPerParam),
      "weights_bytes": .number(e.weightsBytes),
      "kv_cache_bytes_per_token": .num(e.kvCacheBytesPerToken),
      "kv_cache_bytes": e.kvExcluded ? .null : .number(e.kvCacheBytes),
      "kv_cache_excluded": .bool(e.kvExcluded),
      "total_memory_bytes": .number(e.totalMemoryBytes),
      "accelerators_to_hold": .number(Double(e.acceleratorsToHold)),
      "accelerators_per_replica": .number(Double(e.acceleratorsPerReplica)),
      "fits_on_one": .bool(e.fitsOnOne),
      "prefill_flops_per_token": .number(e.prefillFLOPsPerToken),
      "decode_ms_per_token": .number(e.decodeMsPerToken),
      "decode_memory_ms": .number(e.decodeMemoryMsPerStep),
      "decode_compute_ms": .number(e.decodeComputeMsPerStep),
      "decode_bound": .string(e.decodeBound),
      "tokens_per_second": .number(e.tokensPerSecondPerReplica),
      "tokens_per_second_per_accelerator": .number(e.tokensPerSecondPerAccelerator),
      "latency_seconds_per_query": .number(e.latencySecondsPerQuery),
      "usd_per_million_tokens": .num(e.usdPerMillionTokens),
      "usd_per_million_input_tokens": .num(e.usdPerMillionInputTokens),
      "usd_per_million_output_tokens": .num(e.usdPerMillionOutputTokens),
      "usd_per_query": .num(e.usdPerQuery),
      "usd_per_day": .num(bill?.usdPerDay), "usd_per_year": .num(bill?.usdPerYear),
      "energy_wh_per_query": .num(e.energyWhPerQuery),
      "quality": .array(q),
      "assumptions": .object([
        "price_usd_per_hour": .num(e.priceUSDPerHour),
        "utilisation": .number(e.assumptions.utilisation), "pue": .number(e.assumptions.pue),
        "watts_per_accelerator": .num(e.wattsPerAccelerator),
        "bandwidth_efficiency": .number(e.assumptions.bandwidthEfficiency),
        "prefill_mfu": .number(e.assumptions.prefillMFU),
        "decode_mfu": .number(e.assumptions.decodeMFU),
        "memory_overhead": .number(e.assumptions.memoryOverheadFraction),
        "kv_bits": .number(e.assumptions.kvBits),
        "prompt_tokens": .number(e.workload.promptTokens),
        "output_tokens": .number(e.workload.outputTokens),
        "batch": .number(Double(e.workload.batch)),
      ]),
    ])
  }

  func table(
    _ e: InferenceEstimate, accelerator: Accelerator, quality: [QuantizationQuality],
    bill: ServingBill?, energy: EnergyDefaults
  ) -> String {
    var out = "cost infer: \(e.model), \(e.format) on \(accelerator.id) (\(accelerator.name))\n\n"
    var t = TextTable(header: ["quantity", "value", "detail"])
    let gb = bytesText
    t.add(["weights", gb(e.weightsBytes), "\(Format.number(e.bytesPerParam)) bytes/param"])
    if let kv = e.kvCacheBytesPerToken {
      t.add([
        "KV cache per token",
        kv >= 1_048_576
          ? "\(Format.significant(kv / 1_048_576, digits: 3)) MiB"
          : "\(Format.significant(kv / 1024, digits: 3)) KiB",
        "\(Format.number(e.assumptions.kvBits))-bit",
      ])
      t.add([
        "KV cache", gb(e.kvCacheBytes),
        "batch \(e.workload.batch) × \(Format.si(e.workload.maxContext)) tokens",
      ])
    } else {
      t.add(["KV cache", "excluded", "architecture unknown: give --model or --layers/--d-model"])
    }
    t.add([
      "accelerators to hold", "\(e.acceleratorsToHold)",
      "\(gb(e.totalMemoryBytes)) on \(Format.number(accelerator.memoryGB)) GB each; fits on one: "
        + (e.fitsOnOne ? "yes" : "no"),
    ])
    if e.acceleratorsPerReplica != e.acceleratorsToHold {
      t.add(["accelerators per replica", "\(e.acceleratorsPerReplica)", "--accelerators"])
    }
    t.add([
      "prefill FLOPs per token", Format.scientific(e.prefillFLOPsPerToken), "2N + 2·layers·ctx·d",
    ])
    t.add([
      "decode ms per token", Format.number(e.decodeMsPerToken),
      "\(e.decodeBound)-bound (memory \(Format.number(e.decodeMemoryMsPerStep)) ms, compute "
        + "\(Format.number(e.decodeComputeMsPerStep)) ms)",
    ])
    t.add(["tokens/s per replica", Format.si(e.tokensPerSecondPerReplica), "batch / decode step"])
    t.add(["tokens/s per accelerator", Format.si(e.tokensPerSecondPerAccelerator), ""])
    t.add([
      "latency per query", "\(Format.number(e.latencySecondsPerQuery)) s",
      "prefill + output × step",
    ])
    if let i = e.usdPerMillionInputTokens, let o = e.usdPerMillionOutputTokens,
      let q = e.usdPerQuery, let all = e.usdPerMillionTokens
    {
      t.add(["$ per 1M input tokens", usd(i), "prefill"])
      t.add(["$ per 1M output tokens", usd(o), "decode"])
      t.add(["$ per 1M tokens", usd(all), "blended over a query"])
      t.add(["$ per query", usd(q), ""])
    } else {
      t.add(["$", "—", "no price known: give --price"])
    }
    if let bill {
      t.add([
        "$ per day", usd(bill.usdPerDay),
        "\(Format.si(bill.queriesPerYear / 365)) queries/day × share \(Format.number(bill.share))",
      ])
      t.add([
        "$ per year", usd(bill.usdPerYear),
        "at \(usd(bill.usdPerQuery)) per query"
          + (usdPerQuery != nil ? " (--usd-per-query)" : " (estimated above)"),
      ])
    }
    if let w = e.energyWhPerQuery {
      t.add(["energy per query", "\(Format.number(w)) Wh", "incl. PUE"])
    }
    out += t.render()
    for qq in quality {
      out += "\npublished quality of \(qq.model) (perplexity, lower is better):\n"
      var datasets: [String] = []
      for m in qq.quantized where !datasets.contains(m.dataset) { datasets.append(m.dataset) }
      for ds in datasets {
        let base = qq.baseline.filter { $0.dataset == ds }
        let q = qq.quantized.filter { $0.dataset == ds }
        let parts = (base + q).map {
          "\($0.method) \(Format.number($0.bits))-bit \(Format.number($0.value))"
        }
        let tables = Set((base + q).map(\.table)).sorted().joined(separator: ", ")
        out +=
          "  \(ds): " + parts.joined(separator: ", ") + "  (\(q.first?.paper ?? ""), \(tables))\n"
      }
    }
    let a = e.assumptions
    let priceText =
      e.priceUSDPerHour.map {
        "$\(Format.number($0))/h"
          + (a.priceUSDPerHour != nil
            ? " (--price)"
            : " (\(accelerator.priceSource ?? "catalog"), \(accelerator.priceDate ?? "undated"))")
      } ?? "none"
    out += "\nassumptions: price \(priceText); utilisation \(Format.number(a.utilisation)); "
    out += "PUE \(Format.number(a.pue)) (\(pue != nil ? "--pue" : energy.pueSource)); "
    out += "power \(e.wattsPerAccelerator.map { Format.number($0) } ?? "?") W/accelerator "
    out += "(\(watts != nil ? "--watts" : energy.powerSource)); "
    out += "bandwidth efficiency \(Format.number(a.bandwidthEfficiency)); prefill MFU "
    out += "\(Format.number(a.prefillMFU)); decode MFU ceiling \(Format.number(a.decodeMFU)); "
    out += "memory overhead \(Format.number(a.memoryOverheadFraction)); "
    out += "KV \(Format.number(a.kvBits))-bit; "
    out += "\(Format.number(e.workload.promptTokens)) prompt + "
    out += "\(Format.number(e.workload.outputTokens)) output tokens, batch \(e.workload.batch)"
    out += " (defaults: data/inference.csv).\n"
    return out
  }
}
