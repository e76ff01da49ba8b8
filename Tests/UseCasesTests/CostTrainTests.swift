// `Engine.costTrain`: the request's checks (each sentence), GPT-3's $4.6M and an architecture
// case against arithmetic done here by hand, and the engine's JSON against `cost train --json`.

import Foundation
import Planner
import TestSupport
import Testing
import UseCases

/// Compares two decoded JSON values: same keys, numbers within `rel`, everything else equal.
func sameJSON(_ a: Any, _ b: Any, rel: Double = 1e-12, path: String = "$") -> [String] {
  switch (a, b) {
  case (let x as [String: Any], let y as [String: Any]):
    var out: [String] = []
    if Set(x.keys) != Set(y.keys) {
      out.append("\(path): keys differ: \(Set(x.keys).symmetricDifference(Set(y.keys)).sorted())")
    }
    for k in x.keys.sorted() where y[k] != nil {
      out += sameJSON(x[k] as Any, y[k] as Any, rel: rel, path: path + "." + k)
    }
    return out
  case (let x as [Any], let y as [Any]):
    guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) elements"] }
    return zip(x, y).enumerated().flatMap {
      sameJSON($0.element.0, $0.element.1, rel: rel, path: "\(path)[\($0.offset)]")
    }
  case (let x as NSNumber, let y as NSNumber):
    let u = x.doubleValue
    let v = y.doubleValue
    return u == v || isClose(u, v, rel: rel) ? [] : ["\(path): \(u) vs \(v)"]
  case (is NSNull, is NSNull):
    return []
  case (let x as String, let y as String):
    return x == y ? [] : ["\(path): '\(x)' vs '\(y)'"]
  default:
    return ["\(path): \(a) vs \(b)"]
  }
}

/// The engine's result encoded as the CLI encodes it, decoded as a JSON object.
func engineJSON<T: Encodable>(_ value: T) throws -> Any {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  return try JSONSerialization.jsonObject(with: try encoder.encode(value))
}

/// `scaleplan ARGS --json` decoded.
func cliJSON(_ args: [String]) throws -> Any {
  let run = try runBuiltScaleplan(args + ["--json"])
  #expect(run.status == 0, "\(run.stderr)")
  return try JSONSerialization.jsonObject(with: run.stdout)
}

@Suite struct CostTrainTests {
  let gpt3 = CostTrainRequest(
    params: 175e9, tokens: 300e9, gpu: "v100", mfu: 0.224, price: 1.5)

  @Test("GPT-3: 6·N·D = 3.15e23, H = C / (peak × MFU × 3600), $ = H × 1.5, by hand")
  func gpt3Lambda() throws {
    let r = try Engine().costTrain(gpt3)
    let c = 6 * 175e9 * 300e9  // 3.15e23
    #expect(c == 3.15e23)
    // V100: 125 TFLOP/s fp16 dense (NVIDIA V100 datasheet), 300 W TDP, 32 GB.
    let hours = 3.15e23 / (125e12 * 0.224 * 3600)  // 3.125M
    #expect(isClose(r.flops, 3.15e23, rel: 1e-12))
    #expect(isClose(r.acceleratorHours, 3.125e6, rel: 1e-9), "\(closeness(r.acceleratorHours, hours))")
    #expect(isClose(r.costUSD ?? 0, 4.6875e6, rel: 1e-9))
    #expect(isClose(r.acceleratorYears, 3.125e6 / 8766, rel: 1e-12))
    #expect(r.acceleratorName == "v100 fp16")
    #expect(r.mfuSource == "--mfu" && r.priceSource == "--price")
    // Memory: 16 bytes × 175e9 = 2.8 TB; ⌈2.8e12 / 32e9⌉ = 88.
    #expect(isClose(r.memoryBytes ?? 0, 2.8e12, rel: 1e-12))
    #expect(r.minAccelerators == 88)
    #expect(r.memoryIncludesActivations == false)
    // Energy: H × 300 W × overhead × PUE, overhead = server factor × average draw from
    // data/energy.csv (1.821 × 0.7), PUE 1.2; CO2 at 0.366 kg/kWh, in tonnes.
    let kwh = 3.125e6 * 300 / 1000 * (1.821 * 0.7) * 1.2
    #expect(isClose(r.energyKWh ?? 0, kwh, rel: 1e-9), "\(closeness(r.energyKWh ?? 0, kwh))")
    #expect(isClose(r.co2Tonnes ?? 0, kwh * 0.366 / 1000, rel: 1e-9))
    #expect(r.pueSource == "data/energy.csv default")
    #expect(r.wallClockDays == nil && r.clusterSize == nil)
  }

  @Test("Architecture: GPT-3's shape, C = (6·12·L·d² + 6·L·ctx·d)·D within 1e-4; App. F ratio")
  func architecture() throws {
    let req = CostTrainRequest(
      tokens: 300e9, gpu: "a100", gpus: 1024,
      architecture: ArchitectureSpec(
        layers: 96, dModel: 12288, heads: 96, vocab: 50257, context: 2048))
    let r = try Engine().costTrain(req)
    let L = 96.0
    let d = 12288.0
    let perToken = 6 * 12 * L * d * d + 6 * L * 2048 * d
    let c = perToken * 300e9
    #expect(isClose(r.flops, c, rel: 1e-4), "\(closeness(r.flops, c))")
    #expect(r.computeMethod == "architecture")
    // A100: 312 TFLOP/s bf16 dense (NVIDIA A100 datasheet); default MFU 0.4.
    #expect(r.peakFLOPS == 312e12)
    #expect(r.mfu == 0.4 && r.mfuSource == TrainingDefaults.mfuShortSource)
    let hours = r.flops / (312e12 * 0.4 * 3600)
    #expect(isClose(r.acceleratorHours, hours, rel: 1e-12))
    #expect(isClose(r.wallClockDays ?? 0, hours / 1024 / 24, rel: 1e-12))
    let exact = try #require(r.appendixFFlops)
    #expect(isClose(try #require(r.appendixFRatio), exact / r.flops, rel: 1e-12))
    // App. F counts embeddings and logits too: a little above the Kaplan count.
    #expect(exact > r.flops && exact < 1.1 * r.flops)
    #expect(r.memoryIncludesActivations)
  }

  @Test(
    "Each contradiction or range gives its sentence",
    arguments: [
      (
        CostTrainRequest(flops: 1e23, params: 1e9, gpu: "h100"),
        "Give exactly one of --flops, --params with --tokens, --model, or an architecture with --tokens."
      ),
      (
        CostTrainRequest(tokens: 1e9, model: "gpt3", gpu: "h100"),
        "--model brings its own token count; drop --tokens or use --params."
      ),
      (
        CostTrainRequest(params: 1e9, gpu: "h100"),
        "--params and an architecture need --tokens (e.g. --tokens 300B)."
      ),
      (
        CostTrainRequest(flops: 1e23, tokens: 1e9, gpu: "h100"),
        "--flops already fixes the compute; drop --tokens or give --params."
      ),
      (
        CostTrainRequest(
          tokens: 1e9, gpu: "h100", architecture: ArchitectureSpec(layers: 2, dModel: 64)),
        "An architecture needs at least --layers, --d-model, --heads and --vocab."
      ),
      (
        CostTrainRequest(flops: 1e23, gpu: "h100", gpus: 0),
        "--gpus must be a positive whole number, got 0."
      ),
      (
        CostTrainRequest(flops: 1e23, gpu: "h100", mfu: 1.5),
        "--mfu must be between 0 and 1, got 1.5."
      ),
      (
        CostTrainRequest(flops: 1e23, gpu: "h100", pue: 0.9),
        "--pue must be between 1 and 10, got 0.9."
      ),
      (
        CostTrainRequest(flops: -1, gpu: "h100"),
        "--flops must be greater than zero, got -1."
      ),
    ])
  func validation(_ c: (CostTrainRequest, String)) throws {
    #expect(throws: RequestError.invalid(c.1)) { try c.0.validate() }
    #expect(throws: RequestError.invalid(c.1)) { try Engine().costTrain(c.0) }
  }

  @Test(
    "Engine JSON equals `cost train --json`",
    .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not built"))
  func jsonMatchesCLI() throws {
    let engine = try engineJSON(try Engine().costTrain(gpt3).withoutExplanation())
    let cli = try cliJSON([
      "cost", "train", "--params", "175B", "--tokens", "300B", "--gpu", "v100", "--mfu",
      "0.224", "--price", "1.5",
    ])
    let diffs = sameJSON(engine, cli)
    #expect(diffs.isEmpty, "\(diffs)")
    let arch = try engineJSON(
      try Engine().costTrain(
        CostTrainRequest(
          tokens: 300e9, gpu: "a100", gpus: 1024,
          architecture: ArchitectureSpec(
            layers: 96, dModel: 12288, heads: 96, vocab: 50257, context: 2048))
      ).withoutExplanation())
    let archCLI = try cliJSON([
      "cost", "train", "--layers", "96", "--d-model", "12288", "--heads", "96", "--vocab",
      "50257", "--context", "2048", "--tokens", "300B", "--gpu", "a100", "--gpus", "1024",
    ])
    #expect(sameJSON(arch, archCLI).isEmpty, "\(sameJSON(arch, archCLI))")
  }
}
