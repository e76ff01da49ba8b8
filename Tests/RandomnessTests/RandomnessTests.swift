// The generators against published and independent reference values, the quantile against numpy,
// and the normal samplers' first two moments.

import Randomness
import Testing

@Suite("Randomness")
struct RandomnessTests {
  @Test("SplitMix64 reproduces the reference stream for seed 1234567")
  func splitMixReference() {
    // Reference output of Vigna's splitmix64.c (prng.di.unimi.it) for x = 1234567.
    var g = SplitMix64(seed: 1_234_567)
    let expected: [UInt64] = [
      6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
      4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
    ]
    #expect((0..<5).map { _ in g.next() } == expected)
  }
}
