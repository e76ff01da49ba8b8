// Training cost against the published GPT-3 reconstruction (FACTS §1 claim 1): 3.14e23 FLOP at
// 28 TFLOP/s sustained (V100 125 TFLOP/s × MFU 0.224) and $1.50/h → ≈ 355 GPU-years, ≈ $4.67M.

import Foundation
import Planner
import TestSupport
import Testing

@Suite("Training cost")
struct TrainingCostTests {
  let v100 = TrainingSetup(
    acceleratorName: "V100", peakFLOPS: 125e12, mfu: 0.224, pricePerHour: 1.50, chipWatts: 300,
    pue: 1.10, clusterSize: 10_000, memoryBytesPerAccelerator: 32e9)

  @Test("GPT-3: ≈ 355 GPU-years (0.5%) and $4.6–4.7M")
  func gpt3() throws {
    let e = try estimateTrainingCost(flops: 3.14e23, setup: v100)
    let years = e.acceleratorHours / 8766
    #expect(isClose(years, 355.4, rel: 0.005), "\(closeness(years, 355.4, "GPU-years"))")
    let dollars = try #require(e.costUSD)
    #expect(dollars > 4.6e6 && dollars < 4.7e6, "cost \(dollars)")
    // 10,000 V100 → 13.0 days (Patterson's 14.8 d reflects lower utilisation).
    let days = try #require(e.wallClockDays)
    #expect(isClose(days, 355.4 * 365.25 / 10_000, rel: 0.005))
  }

  @Test("Price and MFU reach the result: 2× price → 2× dollars; 2× MFU → ½ hours")
  func overridesReachResult() throws {
    var s = v100
    let base = try estimateTrainingCost(flops: 1e23, setup: s)
    s.pricePerHour = 3.0
    let doubled = try estimateTrainingCost(flops: 1e23, setup: s)
    #expect(isClose(try #require(doubled.costUSD), 2 * (try #require(base.costUSD)), rel: 1e-12))
    s.mfu = 0.448
    let faster = try estimateTrainingCost(flops: 1e23, setup: s)
    #expect(isClose(faster.acceleratorHours, base.acceleratorHours / 2, rel: 1e-12))
  }

  @Test("Energy = H × W × overhead × PUE (GPT-3's PUE 1.10); CO2 = energy × grid (by hand)")
  func energy() throws {
    let e = try estimateTrainingCost(flops: 3.14e23, setup: v100)
    let kwh = e.acceleratorHours * 0.300 * 1.275 * 1.10
    #expect(isClose(try #require(e.energyKWh), kwh, rel: 1e-12))
    #expect(isClose(try #require(e.co2Kg), kwh * 0.366, rel: 1e-12))
    // Same order as Patterson et al.'s 1,287 MWh for GPT-3 (330 W measured system power,
    // 14.8 days): within 25%.
    #expect(isClose(kwh / 1000, 1287, rel: 0.25), "\(kwh / 1000) MWh")
  }

  @Test("Memory: 16 bytes/param; 175B → 2.8 TB → ≥ 88 V100-32GB")
  func memory() throws {
    let m = TrainingMemory.adamMixedPrecision(totalParams: 175e9)
    let e = try estimateTrainingCost(flops: 3.14e23, setup: v100, memory: m)
    #expect(e.memoryBytes == 2.8e12)
    #expect(e.minAccelerators == 88)
  }

  @Test("Bad inputs throw: zero, negative, NaN compute; MFU above 1; PUE below 1")
  func badInputs() {
    for c in [0.0, -1, .nan, .infinity] {
      #expect(throws: QuantityError.self) { try estimateTrainingCost(flops: c, setup: v100) }
    }
    var s = v100
    s.mfu = 1.5
    #expect(throws: QuantityError.self) { try estimateTrainingCost(flops: 1e20, setup: s) }
    s = v100
    s.pue = 0.9
    #expect(throws: QuantityError.self) { try estimateTrainingCost(flops: 1e20, setup: s) }
  }
}
