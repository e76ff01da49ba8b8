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

  /// The request for the engine: flags parsed to numbers, nothing defaulted.
  func request() throws -> CostInferRequest {
    CostInferRequest(
      model: try modelOptions.spec(),
      precision: try precision.map { try CostInferRequest.precision(parsing: $0) },
      bits: try parseQuantity(bits, "--bits"), scaleBits: try parseQuantity(scaleBits, "--scale-bits"),
      kvBits: try parseQuantity(kvBits, "--kv-bits"), gpu: gpu,
      accelerators: try parseCount(accelerators, "--accelerators"),
      prompt: try parseQuantity(prompt, "--prompt"),
      output: try parseQuantity(outputTokens, "--output"), batch: try parseCount(batch, "--batch"),
      queriesPerDay: try parseQuantity(queriesPerDay, "--queries-per-day"),
      queriesPerYear: try parseQuantity(queriesPerYear, "--queries-per-year"),
      share: try parseQuantity(share, "--share"),
      usdPerQuery: try parseQuantity(usdPerQuery, "--usd-per-query"),
      price: try parseQuantity(price, "--price"),
      bandwidthEfficiency: try parseQuantity(bandwidthEfficiency, "--bandwidth-efficiency"),
      prefillMFU: try parseQuantity(prefillMfu, "--prefill-mfu"),
      decodeMFU: try parseQuantity(decodeMfu, "--decode-mfu"),
      memoryOverhead: try parseQuantity(memoryOverhead, "--memory-overhead"),
      utilisation: try parseQuantity(utilisation, "--utilisation"),
      pue: try parseQuantity(pue, "--pue"), watts: try parseQuantity(watts, "--watts"))
  }

  public func run() throws {
    let r = try Engine(catalogDirectory: catalogOptions.catalog).costInfer(try request())
    if output.json {
      try JSONOutput.print(output.explain ? r : r.withoutExplanation())
      return
    }
    if let e = r.serving {
      print(table(e, bill: r.bill))
    } else if let bill = r.bill {
      var t = TextTable(header: ["quantity", "value"])
      t.add(["queries per year", Format.si(bill.queriesPerYear)])
      t.add(["share served", Format.number(bill.share)])
      t.add(["$ per query (given)", Format.smallDollars(bill.usdPerQuery)])
      t.add(["$ per day", Format.smallDollars(bill.usdPerDay)])
      t.add(["$ per year", Format.smallDollars(bill.usdPerYear)])
      print(t.render(), terminator: "")
    }
    if output.explain, let ex = r.explanation { print(ex.render(), terminator: "") }
  }

  func table(_ e: CostInferServing, bill: CostInferBill?) -> String {
    let usd = Format.smallDollars
    let gb = Format.gigabytesOrMegabytes
    var out = "cost infer: \(e.model), \(e.precision) on \(e.accelerator) (\(e.acceleratorName))\n\n"
    var t = TextTable(header: ["quantity", "value", "detail"])
    let a = e.assumptions
    t.add(["weights", gb(e.weightsBytes), "\(Format.number(e.bytesPerParam)) bytes/param"])
    if let kv = e.kvCacheBytesPerToken, let total = e.kvCacheBytes {
      t.add(["KV cache per token", Format.binaryKiBOrMiB(kv), "\(Format.number(a.kvBits))-bit"])
      t.add([
        "KV cache", gb(total), "batch \(a.batch) × \(Format.si(e.maxContext)) tokens",
      ])
    } else {
      t.add(["KV cache", "excluded", "architecture unknown: give --model or --layers/--d-model"])
    }
    t.add([
      "accelerators to hold", "\(e.acceleratorsToHold)",
      "\(gb(e.totalMemoryBytes)) on \(Format.number(e.acceleratorMemoryGB)) GB each; fits on one: "
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
      "\(e.decodeBound)-bound (memory \(Format.number(e.decodeMemoryMs)) ms, compute "
        + "\(Format.number(e.decodeComputeMs)) ms)",
    ])
    t.add(["tokens/s per replica", Format.si(e.tokensPerSecond), "batch / decode step"])
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
        "\(Format.si(bill.queriesPerDay)) queries/day × share \(Format.number(bill.share))",
      ])
      t.add([
        "$ per year", usd(bill.usdPerYear),
        "at \(usd(bill.usdPerQuery)) per query"
          + (bill.usdPerQuerySource == "--usd-per-query"
            ? " (--usd-per-query)" : " (estimated above)"),
      ])
    }
    if let w = e.energyWhPerQuery {
      t.add(["energy per query", "\(Format.number(w)) Wh", "incl. PUE"])
    }
    out += t.render()
    var groups: [String] = []
    for q in e.quality where !groups.contains(q.group) { groups.append(q.group) }
    for g in groups {
      let rows = e.quality.filter { $0.group == g }
      out += "\npublished quality of \(g) (perplexity, lower is better):\n"
      var datasets: [String] = []
      for m in rows where !m.baseline && !datasets.contains(m.dataset) { datasets.append(m.dataset) }
      for ds in datasets {
        let base = rows.filter { $0.baseline && $0.dataset == ds }
        let q = rows.filter { !$0.baseline && $0.dataset == ds }
        let parts = (base + q).map {
          "\($0.method) \(Format.number($0.bits))-bit \(Format.number($0.value))"
        }
        let tables = Set((base + q).map(\.table)).sorted().joined(separator: ", ")
        out +=
          "  \(ds): " + parts.joined(separator: ", ") + "  (\(q.first?.paper ?? ""), \(tables))\n"
      }
    }
    let priceText =
      a.priceUSDPerHour.map { "$\(Format.number($0))/h (\(e.priceSource ?? ""))" } ?? "none"
    out += "\nassumptions: price \(priceText); utilisation \(Format.number(a.utilisation)); "
    out += "PUE \(Format.number(a.pue)) (\(e.pueSource)); "
    out += "power \(a.wattsPerAccelerator.map { Format.number($0) } ?? "?") W/accelerator "
    out += "(\(e.powerSource)); "
    out += "bandwidth efficiency \(Format.number(a.bandwidthEfficiency)); prefill MFU "
    out += "\(Format.number(a.prefillMFU)); decode MFU ceiling \(Format.number(a.decodeMFU)); "
    out += "memory overhead \(Format.number(a.memoryOverhead)); "
    out += "KV \(Format.number(a.kvBits))-bit; "
    out += "\(Format.number(a.promptTokens)) prompt + "
    out += "\(Format.number(a.outputTokens)) output tokens, batch \(a.batch)"
    out += " (defaults: data/inference.csv).\n"
    return out
  }
}
