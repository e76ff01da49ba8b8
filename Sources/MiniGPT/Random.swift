// Deterministic pseudo-random numbers for initialisation, corpus generation and window sampling.
// SplitMix64 (Steele, Lea & Flood 2014) seeds xoshiro256** (Blackman & Vigna 2018, "Scrambled
// linear pseudorandom number generators"); both are tiny, fast and fully specified, so a seed gives
// the same stream on every machine. No global state: each consumer owns its generator.

import Foundation

/// SplitMix64: a 64-bit generator used to expand one seed into well-mixed state words.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// xoshiro256**: the generator every MiniGPT component draws from.
struct Xoshiro256: RandomNumberGenerator {
  var s0, s1, s2, s3: UInt64

  /// Seeds the four state words from SplitMix64(seed), as the authors recommend.
  init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    s0 = sm.next()
    s1 = sm.next()
    s2 = sm.next()
    s3 = sm.next()
  }

  /// A generator for a named sub-stream of `seed` (e.g. stream 1 = training text, 2 = validation).
  init(seed: UInt64, stream: UInt64) {
    var sm = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    self.init(seed: sm.next())
  }

  mutating func next() -> UInt64 {
    let result = ((s1 &* 5) <<< 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3 <<< 45
    return result
  }

  /// A uniform double in [0, 1) with 53 random bits.
  mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform integer in 0..<n (n > 0), by Lemire's multiply-shift with rejection (unbiased).
  mutating func nextInt(below n: Int) -> Int {
    precondition(n > 0)
    let bound = UInt64(n)
    var m = next().multipliedFullWidth(by: bound)
    if m.low < bound {
      let threshold = (0 &- bound) % bound
      while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
    }
    return Int(m.high)
  }

  /// A standard normal deviate by the Box–Muller transform (one of the pair is used, for
  /// simplicity and a stream that does not depend on call parity).
  mutating func nextGaussian() -> Double {
    var u1 = nextDouble()
    while u1 <= 0 { u1 = nextDouble() }
    let u2 = nextDouble()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}

infix operator <<< : BitwiseShiftPrecedence
@inline(__always) func <<< (x: UInt64, k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
