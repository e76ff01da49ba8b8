// The learning-rate schedule of shared/SYNTHETIC-CORPUS.md: warm-up max(10, min(100, steps/20)),
// then cosine to 10 % of the peak at the last step.

import Testing

@testable import MiniGPT

@Suite("Learning-rate schedule")
struct ScheduleTests {
  @Test func warmupRule() {
    let t = TrainConfig(batch: 1, tokens: 1, learningRate: 1)
    #expect(t.resolvedWarmup(steps: 100) == 10)
    #expect(t.resolvedWarmup(steps: 1000) == 50)
    #expect(t.resolvedWarmup(steps: 5000) == 100)
    var u = t
    u.warmupSteps = 7
    #expect(u.resolvedWarmup(steps: 5000) == 7)
  }

  @Test func shape() {
    let s = LearningRateSchedule(peak: 2e-3, warmup: 10, steps: 200, minFraction: 0.1)
    #expect(abs(s.rate(at: 0) - 2e-4) < 1e-15)
    #expect(abs(s.rate(at: 9) - 2e-3) < 1e-15)
    #expect(abs(s.rate(at: 10) - 2e-3) < 1e-15)
    #expect(abs(s.rate(at: 199) - 2e-4) < 1e-15)
    // Midway through the cosine (step 10 + 189/2) the rate is the mean of peak and floor.
    let mid = LearningRateSchedule(peak: 1, warmup: 10, steps: 201, minFraction: 0.1)
    #expect(abs(mid.rate(at: 105) - 0.55) < 1e-12)
    for i in 10..<199 { #expect(s.rate(at: i + 1) <= s.rate(at: i)) }
  }
}
