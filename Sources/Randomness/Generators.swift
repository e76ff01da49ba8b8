// Seeded pseudo-random numbers: the one SplitMix64 and the one xoshiro256** of the package.
// SplitMix64: Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014
// (constants as in Vigna's splitmix64.c). xoshiro256**: Blackman & Vigna, "Scrambled linear
// pseudorandom number generators", ACM TOMS 47(4), 2021 (xoshiro256starstar.c), its state filled
// from SplitMix64 as the authors recommend. Unbounded integers below n: Lemire, "Fast random
// integer generation in an interval", ACM TOMACS 29(1), 2019. No global state.

/// SplitMix64: a 64-bit generator, used to expand one seed into well-mixed state words.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64
  /// Creates the generator from a seed (any value, including 0).
  @inlinable public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inlinable public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A Float uniform in [-1, 1): the top 24 bits k as k/2²³ − 1 (test and benchmark operands).
  @inlinable public mutating func nextSymmetricFloat24() -> Float {
    Float(next() >> 40) / Float(1 << 23) - 1
  }
}

/// xoshiro256**: the package's deterministic generator (same seed → same stream everywhere).
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
  @usableFromInline var s0, s1, s2, s3: UInt64
  /// The spare standard normal of the last pair drawn by `nextNormalCachingPair()`.
  @usableFromInline var spareNormal: Double?

  /// Fills the four state words with four outputs of SplitMix64(seed) (Blackman & Vigna's
  /// recommendation). They are never all zero (SplitMix64's output function is a bijection of
  /// distinct states, so at most one of four outputs is 0); the guard only documents that.
  @inlinable public init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    s0 = sm.next()
    s1 = sm.next()
    s2 = sm.next()
    s3 = sm.next()
    if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    spareNormal = nil
  }

  /// A named sub-stream of `seed`, hashed: one SplitMix64 output of seed ⊕ stream·0xD1B54A32D192ED03
  /// becomes the seed of `init(seed:)` (MiniGPT: stream 0 lexicon, 1 training text, 2 validation).
  @inlinable public init(seed: UInt64, hashingStream stream: UInt64) {
    var sm = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    self.init(seed: sm.next())
  }

  /// A sub-stream of `seed`, xored: SplitMix64 starts at seed ⊕ stream·0x9E3779B97F4A7C15 ⊕
  /// 0xD1B54A32D192ED03 and its first four outputs are the state (Fitting's bootstrap, one stream
  /// per resample). Not the same stream as `init(seed:)` even for stream 0.
  @inlinable public init(seed: UInt64, xoringStream stream: UInt64) {
    var sm = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    s0 = sm.next()
    s1 = sm.next()
    s2 = sm.next()
    s3 = sm.next()
    spareNormal = nil
  }

  @inline(__always) @usableFromInline static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }

  /// The next 64 random bits.
  @inlinable public mutating func next() -> UInt64 {
    let result = Self.rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = Self.rotl(s3, 45)
    return result
  }

  /// A standard normal by Box–Muller (Box & Muller 1958) with u1 = 1 − u ∈ (0, 1] and
  /// u2 = u ∈ [0, 1); returns r·cos θ and keeps r·sin θ for the next call (Planner's projections).
  @inlinable public mutating func nextNormalCachingPair() -> Double {
    if let z = spareNormal {
      spareNormal = nil
      return z
    }
    let u1 = 1 - nextUnitDouble()
    let u2 = nextUnitDouble()
    let r = (-2 * _log(u1)).squareRoot()
    let theta = 2 * Double.pi * u2
    spareNormal = r * _sin(theta)
    return r * _cos(theta)
  }
}

extension RandomNumberGenerator {
  /// A uniform Double in [0, 1) with 53 random bits: (x >> 11)·2⁻⁵³ (Vigna, "xoshiro/xoroshiro
  /// generators and the PRNG shootout", §"Generating uniform doubles in the unit interval").
  @inlinable public mutating func nextUnitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform integer in 0..<n (n > 0): Lemire's multiply-shift with rejection (unbiased).
  @inlinable public mutating func nextInt(below n: Int) -> Int {
    precondition(n > 0)
    let bound = UInt64(n)
    var m = next().multipliedFullWidth(by: bound)
    if m.low < bound {
      let threshold = (0 &- bound) % bound
      while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
    }
    return Int(m.high)
  }

  /// A standard normal by Box–Muller (Box & Muller 1958), u1 uniform in [0, 1) with 0 redrawn,
  /// u2 uniform in [0, 1); returns √(−2 ln u1)·cos 2πu2 and discards the sine (MiniGPT's weight
  /// initialisation: the stream does not depend on call parity).
  @inlinable public mutating func nextNormalRejectingZero() -> Double {
    var u1 = nextUnitDouble()
    while u1 <= 0 { u1 = nextUnitDouble() }
    let u2 = nextUnitDouble()
    return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
  }

  /// A standard normal by Box–Muller (Box & Muller 1958), u1 at the midpoint (k + ½)/2⁵³ ∈ (0, 1)
  /// of the 53-bit cell k, u2 = k′/2⁵³ ∈ [0, 1); returns √(−2 ln u1)·cos 2πu2 and discards the
  /// sine (Fitting's synthetic data, Planner's allocation intervals).
  @inlinable public mutating func nextNormalMidpoint() -> Double {
    let u1 = (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    let u2 = Double(next() >> 11) / 9_007_199_254_740_992.0
    return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
  }
}
