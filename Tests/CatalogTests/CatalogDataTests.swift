// The bundled catalogs load, hold every row of the published tables they transcribe, and carry
// the published figures. Expected values below are typed from the sources named in each row,
// not read back from the CSV, so a mistyped cell fails here.

import Foundation
import Planner
import TestSupport
import Testing

@testable import Catalog

@Suite("Bundled catalogs")
struct CatalogDataTests {
  let catalog: CatalogSet

  init() throws { catalog = try CatalogSet.load() }

  @Test("every file loads with the expected row counts")
  func rowCounts() {
    // The vendor datasheets give 15 chips; the V100 row (16 / 32 GB) becomes two, and the RTX A6000 (QLoRA's
    // 48 GB GPU, looked up separately) is added: 17.
    #expect(catalog.acceleratorRecords.count == 17)
    // The price sources give 15 offerings; MI300X's disagreeing listings become 2 rows and the "assumed rental
    // rates" row becomes 3 (A100, H800, H100): 18.
    #expect(catalog.prices.count == 18)
    // Models: GPT-2, GPT-3, Gopher, Chinchilla, PaLM, BLOOM, LLaMA ×4, Llama 2 ×4 (incl. 34B),
    // Mistral, Falcon, GPT-4, Gemini Ultra, Llama 3 ×2, Llama 3.1 ×3, DeepSeek-V3, 3 others: 27.
    #expect(catalog.modelRecords.count == 27)
    // Undisclosed parameter counts: Gemini Ultra, GPT-4o, Claude 3.5 Sonnet, Claude 3 Opus.
    #expect(catalog.models.count == 23)
    // Energy rows (data/energy.csv): electricity 6, PUE 1 + 9, PUE 1.2 (§E2), server power 1275 W,
    // its derived overhead factor, draw 0.7, measured power 4, grid CO2 2 (EIA): 26.
    #expect(catalog.energy.count == 26)
  }

  @Test("every datasheet accelerator is present under its documented id")
  func acceleratorIDs() throws {
    for id in [
      "v100", "v100-16gb", "a100-40gb", "a100-80gb", "h100", "h200", "b200", "b200-nvl72",
      "mi250x", "mi300x", "tpu-v4", "tpu-v5e", "tpu-v5p", "inferentia2", "gaudi2", "gaudi3",
      "rtx-a6000",
    ] {
      #expect(throws: Never.self) { try catalog.accelerator(id) }
    }
  }

  @Test("H100 SXM figures match NVIDIA's datasheet")
  func h100() throws {
    let h = try catalog.accelerator("h100")
    #expect(h.peakTFLOPS[.bf16] == 989.4)
    #expect(h.peakTFLOPS[.fp8] == 1978.9)
    #expect(h.peakTFLOPS[.tf32] == 494.7)
    #expect(h.peakTFLOPS[.fp32] == 66.9)
    #expect(h.bandwidthTBps == 3.35)
    #expect(h.memoryGB == 80)
    #expect(h.tdpWatts == 700)
    #expect(h.peakFLOPS(.bf16) == 989.4e12)
  }

  @Test("A100, V100, MI300X, TPU v4 and A6000 spot checks")
  func otherAccelerators() throws {
    let a = try catalog.accelerator("a100")
    #expect(a.id == "a100-80gb")
    #expect(a.bandwidthTBps == 2.039)
    #expect(a.peakTFLOPS[.bf16] == 312)
    #expect(try catalog.accelerator("a100-40gb").bandwidthTBps == 1.555)
    let v = try catalog.accelerator("V100")
    #expect(v.peakTFLOPS[.bf16] == nil)  // no BF16 on V100
    #expect(v.peakFLOPS(.bf16) == 125e12)  // 16-bit work falls back to the FP16 tensor peak
    #expect(v.memoryGB == 32)
    #expect(try catalog.accelerator("mi300x").peakTFLOPS[.bf16] == 1307.4)
    let tpu = try catalog.acceleratorRecord("tpu-v4")
    #expect(tpu.accelerator.tdpWatts == nil)
    #expect(tpu.measuredPowerWatts == 170)
    let a6000 = try catalog.accelerator("a6000")
    #expect(a6000.memoryGB == 48)
    #expect(a6000.bandwidthTBps == 0.768)
    #expect(a6000.tdpWatts == 300)
  }

  @Test("disagreeing sources are kept as alternatives (sources disagree)")
  func alternatives() throws {
    let b200 = try catalog.acceleratorRecord("b200")
    #expect(b200.accelerator.memoryGB == 180)
    let mem = b200.alternatives.filter { $0.column == "memory_gb" }.map(\.value)
    #expect(mem.contains(192) && mem.contains(179))
    let gpt3 = try catalog.modelRecord("gpt3")
    let costs = gpt3.alternatives.filter { $0.column == "cost_usd" }.map(\.value)
    #expect(costs.contains(4_324_883) && costs.contains(12e6) && costs.contains(1.9e6))
    let gemini = try catalog.modelRecord("gemini-ultra")
    let flops = gemini.alternatives.filter { $0.column == "training_flops" }.map(\.value)
    #expect(Set(flops) == [9e25, 7.7e25, 7e25])
    #expect(gemini.trainingFLOPs == 5e25)
  }

  @Test("default prices: Lambda H100 $2.49, reconstructed V100 $1.50")
  func defaultPrices() throws {
    let h = try #require(try catalog.defaultPrice(for: "h100"))
    #expect(h.usdPerChipHour == 2.49)
    #expect(try catalog.accelerator("h100").priceUSDPerHour == 2.49)
    let v = try #require(try catalog.defaultPrice(for: "v100"))
    #expect(v.usdPerChipHour == 1.50)
    #expect(v.tag == "U")
    let a = try #require(try catalog.defaultPrice(for: "a100-80gb"))
    #expect(a.rangeLow == 1.49 && a.rangeHigh == 2.49)
    #expect(try catalog.defaultPrice(for: "b200") == nil)
    // The AWS p5 on-demand list price, kept but not the default: $98.32 per 8 GPUs.
    let p5 = try catalog.prices(for: "h100").first { $0.usdPerInstanceHour == 98.32 }
    #expect(p5?.usdPerChipHour == 12.29)
  }

  @Test("every price and model accelerator reference resolves")
  func references() throws {
    for p in catalog.prices { if let id = p.acceleratorID { _ = try catalog.accelerator(id) } }
    for m in catalog.modelRecords {
      if let id = m.acceleratorID { _ = try catalog.accelerator(id) }
    }
  }

  @Test("GPT-3 and Chinchilla figures match Brown et al. 2020 and Hoffmann et al. 2022")
  func gpt3AndChinchilla() throws {
    let g = try catalog.model("gpt-3")
    #expect(g.id == "gpt3")
    #expect(g.params == 175e9)
    #expect(g.tokens == 300e9)
    #expect(g.trainingFLOPs == 3.14e23)
    #expect(g.layers == 96 && g.heads == 96 && g.dModel == 12288)
    let c = try catalog.model("Chinchilla")
    #expect(c.params == 70e9 && c.tokens == 1.4e12 && c.trainingFLOPs == 5.76e23)
    // 3,640 PF-days × 8.64e19 FLOP/PF-day = 3.145e23 (Brown et al. 2020 Table D.1): within 0.2 %.
    #expect(isClose(g.trainingFLOPs ?? 0, 3640 * 8.64e19, rel: 2e-3))
  }

  @Test("Llama 3.1 405B and DeepSeek-V3 match the Llama 3 paper, DeepSeek-V3 report and Meta's SKU list")
  func llamaAndDeepSeek() throws {
    let l = try catalog.model("llama3.1-405b")
    #expect(l.trainingFLOPs == 3.8e25)
    #expect(l.tokens == 15.6e12)
    #expect(l.layers == 126 && l.dModel == 16384 && l.heads == 128 && l.kvHeads == 8)
    #expect(l.vocab == 128_256 && l.context == 131_072)
    // 6ND = 6 × 405.85e9 × 15.6e12 = 3.80e25 (data/models.csv notes 3.79e25 [D]); within 1 %.
    #expect(isClose(6 * l.params * (l.tokens ?? 0), 3.8e25, rel: 0.01))
    let r = try catalog.modelRecord("llama3.1-405b")
    #expect(r.acceleratorHours == 30.84e6)
    let d = try catalog.model("deepseek-v3")
    #expect(d.params == 671e9 && d.activeParams == 37e9 && d.tokens == 14.8e12)
    #expect(try catalog.modelRecord("deepseek-v3").costUSD == 5.576e6)
    let l70 = try catalog.model("llama2-70b")
    #expect(l70.kvHeads == 8 && l70.heads == 64)
    let l7 = try catalog.model("llama2-7b")
    #expect(l7.kvHeads == 32 && l7.layers == 32 && l7.dModel == 4096)
    // Llama 2 paper Table 1 and §2.2: 4k context, 32k vocabulary; LLaMA 1: 2k context.
    #expect(l7.context == 4096 && l7.vocab == 32000)
    #expect(try catalog.model("llama-65b").context == 2048)
    let gpt4 = try catalog.model("gpt4")
    #expect(gpt4.params == 1.8e12 && gpt4.activeParams == 277e9)
    #expect(gpt4.tokens == 13e12 && gpt4.trainingFLOPs == 2.1e25)
  }

  @Test("KV cache per token from the catalog architectures matches the KV-cache arithmetic")
  func kvCache() throws {
    // 2 (K, V) × layers × kv_heads × d_head × 2 bytes (BF16).
    func kvBytes(_ id: String) throws -> Double {
      let m = try catalog.model(id)
      let layers = try #require(m.layers)
      let heads = try #require(m.heads)
      let kv = try #require(m.kvHeads)
      let d = try #require(m.dModel)
      return Double(2 * layers * kv * (d / heads) * 2)
    }
    #expect(try kvBytes("gpt3") == 4.5 * 1_048_576)  // 4.5 MiB
    #expect(try kvBytes("llama2-7b") == 512 * 1024)  // 512 KiB
    #expect(try kvBytes("llama3.1-8b") == 128 * 1024)  // 128 KiB
    #expect(try kvBytes("llama3.1-70b") == 320 * 1024)  // 320 KiB
    #expect(try kvBytes("llama3.1-405b") == 504 * 1024)  // 504 KiB
  }

  @Test("energy defaults and values match Patterson et al. 2021, Epoch AI and the EIA")
  func energy() throws {
    #expect(try catalog.energyDefault("pue").value == 1.2)
    #expect(try catalog.energyValue("pue", variant: "industry-average-2023").value == 1.58)
    #expect(try catalog.energyValue("pue", variant: "google-palm").value == 1.08)
    #expect(try catalog.energyDefault("server_power_w").value == 1275)
    #expect(try catalog.energyDefault("average_draw_factor").value == 0.7)
    #expect(try catalog.energyDefault("electricity_usd_per_kwh").value == 0.0806)
    // 1,275 W / 700 W H100 TDP (Epoch AI's DGX H100 figure, data/energy.csv; data/accelerators.csv) = 1.821.
    let overhead = try catalog.energyDefault("server_overhead_factor").value
    #expect(isClose(overhead, 1275.0 / 700.0, rel: 1e-3))
    // Epoch's per-GPU draw: 1,275 W × 0.7 × PUE 1.2 = 1,071 W (Epoch AI's ChatGPT-energy estimate).
    let w =
      try catalog.energyDefault("server_power_w").value
      * catalog.energyDefault("average_draw_factor").value * catalog.energyDefault("pue").value
    #expect(isClose(w, 1071, rel: 1e-3))
    // EIA 2023: 1,532 Mt CO2 / 4,183 TWh = 0.366 kg/kWh, which EIA rounds to 0.81 lb/kWh.
    let co2 = try catalog.energyDefault("grid_co2_kg_per_kwh").value
    #expect(isClose(co2, 0.81 * 0.45359237, rel: 0.01))
  }

  @Test("every energy quantity but the measured powers has exactly one default")
  func oneDefaultEach() throws {
    for q in catalog.energyQuantities where q != "measured_power_w" {
      #expect(catalog.energy.filter { $0.quantity == q && $0.isDefault }.count == 1, "\(q)")
    }
    #expect(throws: CatalogError.missingValue(
      kind: "energy quantity", name: "measured_power_w", field: "default value")) {
      try catalog.energyDefault("measured_power_w")
    }
  }
}
