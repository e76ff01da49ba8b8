// Training text: (a) a synthetic Zipf-lexicon corpus (K distinct random words, p_k ∝ k^−s, i.i.d.),
// whose exact entropy rate is known, and (b) the bytes of any file.
// (a) A seeded lexicon of K distinct lowercase words (length uniform in 2…10, letters uniform,
// duplicates redrawn); rank k has probability p_k ∝ k^(−s); words are drawn i.i.d., each
// followed by one space. Since words are distinct and space-free, bytes map one-to-one onto
// words, so the entropy rate is H = H(p) / Σ_k p_k(len_k + 1) nats per byte (the entropy of
// a renewal process).
// Under the true model, p(next byte c | current word prefix u) = m(uc)/m(u) and
// p(space | u) = p(u)/m(u), m(u) = Σ of p over words starting with u; scoring the validation text
// this way gives its sample entropy H_val.
// (b) Bytes are tokens; with chunks of 4 KiB (smaller for files under 40 KiB: size/10), every 10th
// chunk goes to validation and the rest to training.

import Foundation
import Randomness

/// The seeded Zipf lexicon and its exact entropy rate.
public struct SyntheticLexicon: Sendable {
  /// Words in rank order (rank 1 first), lowercase ASCII bytes.
  public let words: [[UInt8]]
  /// p_k ∝ k^(−s), in rank order, summing to 1.
  public let probabilities: [Double]
  /// H(p) = −Σ p_k ln p_k, nats per word.
  public let wordEntropy: Double
  /// E[len + 1] = Σ p_k (len_k + 1), bytes per word including its space.
  public let meanBytesPerWord: Double
  /// Exact entropy rate H(p) / E[len + 1] in nats per byte: the word entropy over the mean bytes per word (a
  /// word and its space), exact because words are distinct and contain no space.
  public var entropyRate: Double { wordEntropy / meanBytesPerWord }

  /// Cumulative probabilities for sampling (last entry forced to 1).
  let cumulative: [Double]
  /// Words sorted by bytes, with prefix sums of their probabilities, for prefix masses.
  let sortedWords: [[UInt8]]
  let sortedMass: [Double]
  let wordProbability: [[UInt8]: Double]

  /// Builds the lexicon for `size` words and exponent `exponent` from `seed`.
  /// - Throws: `MiniGPTError.invalid` if size is not in 1…1,000,000 or the exponent is not a
  ///   finite number ≥ 0.
  public init(size: Int, exponent: Double, seed: UInt64) throws {
    guard (1...1_000_000).contains(size) else {
      throw MiniGPTError.invalid(
        "lexicon size must be between 1 and 1,000,000 words, got \(size)")
    }
    guard exponent.isFinite, exponent >= 0 else {
      throw MiniGPTError.invalid(
        "Zipf exponent must be a finite number of 0 or more, got \(exponent)")
    }
    var rng = Xoshiro256StarStar(seed: seed, hashingStream: 0)
    var seen = Set<[UInt8]>()
    var words: [[UInt8]] = []
    words.reserveCapacity(size)
    while words.count < size {
      let len = 2 + rng.nextInt(below: 9)
      var w = [UInt8](repeating: 0, count: len)
      for i in 0..<len { w[i] = 97 + UInt8(rng.nextInt(below: 26)) }
      if seen.insert(w).inserted { words.append(w) }
    }
    var p = (1...size).map { pow(Double($0), -exponent) }
    let z = p.reduce(0, +)
    for i in p.indices { p[i] /= z }
    var h = 0.0
    var bytes = 0.0
    var cum: [Double] = []
    cum.reserveCapacity(size)
    var c = 0.0
    for (k, pk) in p.enumerated() {
      if pk > 0 { h -= pk * log(pk) }
      bytes += pk * Double(words[k].count + 1)
      c += pk
      cum.append(c)
    }
    cum[size - 1] = 1
    self.words = words
    probabilities = p
    wordEntropy = h
    meanBytesPerWord = bytes
    cumulative = cum
    let order = words.indices.sorted { words[$0].lexicographicallyPrecedes(words[$1]) }
    sortedWords = order.map { words[$0] }
    var mass = [0.0]
    for i in order { mass.append(mass[mass.count - 1] + p[i]) }
    sortedMass = mass
    var table: [[UInt8]: Double] = [:]
    for (k, w) in words.enumerated() { table[w] = p[k] }
    wordProbability = table
  }

  /// A rank (0-based) drawn from p by binary search in the cumulative table.
  func sampleRank(_ rng: inout Xoshiro256StarStar) -> Int {
    let u = rng.nextUnitDouble()
    var lo = 0
    var hi = cumulative.count - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  /// m(u): total probability of the words that start with `prefix`.
  func prefixMass(_ prefix: ArraySlice<UInt8>) -> Double {
    func compare(_ w: [UInt8]) -> Int {  // prefix of w vs `prefix`: −1, 0, +1
      var i = 0
      var j = prefix.startIndex
      while j < prefix.endIndex {
        if i >= w.count { return -1 }
        if w[i] != prefix[j] { return w[i] < prefix[j] ? -1 : 1 }
        i += 1
        j += 1
      }
      return 0
    }
    var lo = 0
    var hi = sortedWords.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if compare(sortedWords[mid]) < 0 { lo = mid + 1 } else { hi = mid }
    }
    let first = lo
    hi = sortedWords.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if compare(sortedWords[mid]) <= 0 { lo = mid + 1 } else { hi = mid }
    }
    return sortedMass[lo] - sortedMass[first]
  }

  /// −ln p(text[t+1] | text[0…t]) under the true model, or nil when text[0…t] holds no space
  /// (the current word's start is unknown).
  func trueNegLogLikelihood(_ text: ArraySlice<UInt8>, at t: Int) -> Double? {
    var j = t
    while j >= text.startIndex, text[j] != 32 { j -= 1 }
    guard j >= text.startIndex else { return nil }
    let u = text[(j + 1)..<(t + 1)]
    let mu = prefixMass(u)
    let next = text[t + 1]
    let num: Double
    if next == 32 {
      num = wordProbability[Array(u)] ?? 0
    } else {
      var uc = Array(u)
      uc.append(next)
      num = prefixMass(uc[...])
    }
    return -log(num / mu)
  }
}

/// An endless i.i.d. word stream from a lexicon (no allocation per word).
struct SyntheticStream {
  let lexicon: SyntheticLexicon
  var rng: Xoshiro256StarStar
  var rank = 0
  /// Bytes of the current word (plus its space) already emitted; starts "exhausted".
  var position = Int.max

  init(lexicon: SyntheticLexicon, rng: Xoshiro256StarStar) {
    self.lexicon = lexicon
    self.rng = rng
  }

  mutating func nextByte() -> UInt8 {
    if position > lexicon.words[rank].count {
      rank = lexicon.sampleRank(&rng)
      position = 0
    }
    defer { position += 1 }
    let w = lexicon.words[rank]
    return position < w.count ? w[position] : 32
  }
}

/// The text a trainer reads: training windows on demand and a fixed set of validation windows.
final class Corpus {
  enum Source {
    case synthetic(SyntheticStream)
    case file(train: [UInt8], rng: Xoshiro256StarStar)
  }
  var source: Source
  let context: Int
  /// Validation windows of context + 1 bytes, concatenated.
  let validation: [UInt8]
  let validationWindowCount: Int
  /// First scored position of each validation window.
  let validationSkip: Int
  let lexicon: SyntheticLexicon?

  /// Scored validation positions per window: for synthetic text positions ≥ min(16, ctx/2)
  /// (from 16 on, every context holds a word boundary, so the Bayes loss equals H); for files
  /// all positions.
  static func skip(spec: CorpusSpec, context: Int) -> Int {
    if case .synthetic = spec { return min(16, context / 2) }
    return 0
  }

  /// - Throws: `MiniGPTError` for an unreadable or empty file, a split shorter than ctx + 1, or
  ///   a bad lexicon.
  init(spec: CorpusSpec, context: Int, windows: Int, seed: UInt64) throws {
    self.context = context
    validationWindowCount = windows
    validationSkip = Corpus.skip(spec: spec, context: context)
    let W = context + 1
    switch spec {
    case .synthetic(let size, let exponent, let lexiconSeed):
      let lex = try SyntheticLexicon(size: size, exponent: exponent, seed: lexiconSeed)
      lexicon = lex
      var val = SyntheticStream(lexicon: lex, rng: Xoshiro256StarStar(seed: lexiconSeed, hashingStream: 2))
      validation = (0..<(windows * W)).map { _ in val.nextByte() }
      source = .synthetic(
        SyntheticStream(lexicon: lex, rng: Xoshiro256StarStar(seed: lexiconSeed ^ seed, hashingStream: 1)))
    case .file(let path):
      lexicon = nil
      let data: Data
      do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw MiniGPTError.unreadableCorpus(path: path, reason: Corpus.reason(error))
      }
      guard !data.isEmpty else { throw MiniGPTError.emptyCorpus(path: path) }
      let bytes = [UInt8](data)
      let chunk = max(1, min(4096, bytes.count / 10))
      var train: [UInt8] = []
      var held: [UInt8] = []
      var start = 0
      var index = 0
      while start < bytes.count {
        let end = min(bytes.count, start + chunk)
        if index % 10 == 9 { held += bytes[start..<end] } else { train += bytes[start..<end] }
        start = end
        index += 1
      }
      guard train.count >= W else {
        throw MiniGPTError.corpusTooShort(split: "training", bytes: train.count, context: context)
      }
      guard held.count >= W else {
        throw MiniGPTError.corpusTooShort(split: "validation", bytes: held.count, context: context)
      }
      // Validation windows evenly spaced over the held-out split (deterministic, no RNG).
      var val: [UInt8] = []
      val.reserveCapacity(windows * W)
      let span = held.count - W
      for i in 0..<windows {
        let o = windows == 1 ? 0 : span * i / (windows - 1)
        val += held[o..<(o + W)]
      }
      validation = val
      source = .file(train: train, rng: Xoshiro256StarStar(seed: seed, hashingStream: 1))
    }
  }

  /// A short, period-free reason for a read failure (the POSIX message when there is one).
  static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    return ns.localizedDescription.replacingOccurrences(of: ".", with: "")
  }

  /// Fills `B` training windows: inputs = window[0..<T], targets = window[1...T]. Synthetic text
  /// is consumed as consecutive fresh windows (no byte is ever reused); file windows start at
  /// uniformly random offsets of the training split.
  func nextBatch(inputs: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>, B: Int)
  {
    let T = context
    switch source {
    case .synthetic(var stream):
      for b in 0..<B {
        var prev = stream.nextByte()
        for t in 0..<T {
          let next = stream.nextByte()
          inputs[b * T + t] = Int32(prev)
          targets[b * T + t] = Int32(next)
          prev = next
        }
      }
      source = .synthetic(stream)
    case .file(let train, var rng):
      for b in 0..<B {
        let o = rng.nextInt(below: train.count - T)
        for t in 0..<T {
          inputs[b * T + t] = Int32(train[o + t])
          targets[b * T + t] = Int32(train[o + t + 1])
        }
      }
      source = .file(train: train, rng: rng)
    }
  }

  /// Sample entropy of the scored validation positions under the true model (synthetic only).
  func validationSampleEntropy() -> Double? {
    guard let lexicon else { return nil }
    let W = context + 1
    var total = 0.0
    var n = 0
    for w in 0..<validationWindowCount {
      let window = validation[(w * W)..<(w * W + W)]
      for t in validationSkip..<context {
        if let nll = lexicon.trueNegLogLikelihood(window, at: w * W + t) {
          total += nll
          n += 1
        }
      }
    }
    return n > 0 ? total / Double(n) : nil
  }
}

extension CorpusSpec {
  /// First scored position of each validation window: 16 on synthetic text (every scored byte
  /// then has a word boundary in its context, so the Bayes-optimal loss is the entropy rate;
  /// the longest word is 10 letters), 0 on a text file.
  public func scoredFrom(context: Int) -> Int { Corpus.skip(spec: self, context: context) }
}
