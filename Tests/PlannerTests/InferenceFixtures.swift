// Accelerators built from FACTS §A1 figures (dense peaks, GB = 1e9 bytes) for inference tests,
// so the tests do not depend on the catalog files.

import Planner

enum Fixture {
  /// NVIDIA A100 SXM 80GB: 80 GB, 2.039 TB/s, 312 TFLOP/s BF16, 624 TOPS INT8, 400 W (FACTS §A1).
  static let a100 = Accelerator(
    id: "a100-80gb", name: "A100 SXM 80GB", vendor: "NVIDIA", release: "2020", memoryGB: 80,
    bandwidthTBps: 2.039, peakTFLOPS: [.fp32: 19.5, .tf32: 156, .bf16: 312, .int8: 624],
    tdpWatts: 400, priceUSDPerHour: nil, priceDate: nil, priceSource: nil, source: "FACTS §A1")
  /// NVIDIA H100 SXM: 80 GB, 3.35 TB/s, 989.4 BF16, 1,978.9 FP8/INT8, 700 W (FACTS §A1);
  /// $2.49/h Lambda on-demand (FACTS §A2).
  static let h100 = Accelerator(
    id: "h100", name: "H100 SXM", vendor: "NVIDIA", release: "2022", memoryGB: 80,
    bandwidthTBps: 3.35,
    peakTFLOPS: [.fp32: 66.9, .tf32: 494.7, .bf16: 989.4, .fp8: 1978.9, .int8: 1978.9],
    tdpWatts: 700, priceUSDPerHour: 2.49, priceDate: "2025", priceSource: "Lambda (FACTS §A2)",
    source: "FACTS §A1")
  /// A 48 GB card: QLoRA's "single 48 GB GPU" (only the memory matters for these tests).
  static let card48 = Accelerator(
    id: "48gb", name: "48 GB GPU", vendor: "—", release: "—", memoryGB: 48, bandwidthTBps: 0.768,
    peakTFLOPS: [.bf16: 150], tdpWatts: 300, priceUSDPerHour: nil, priceDate: nil,
    priceSource: nil, source: "test fixture: memory from QLoRA abstract")

  /// Ideal efficiencies: roofline bounds "before efficiency".
  static let ideal = InferenceAssumptions(
    bandwidthEfficiency: 1, prefillMFU: 1, decodeMFU: 1, memoryOverheadFraction: 0,
    utilisation: 1, pue: 1)
}
