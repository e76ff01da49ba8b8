// The synthetic corpus's entropy: published word entropies (shared/SYNTHETIC-CORPUS.md, Generator
// table, which do not depend on the lexicon's random words), a hand-computed K = 2 case, and
// Monte-Carlo estimates from generated text. Plus the file corpus's split.

import Foundation
import Randomness
import Testing

@testable import MiniGPT

@Suite("Synthetic and file corpora")
struct CorpusTests {
  /// (K, s, H(word) nats) from shared/SYNTHETIC-CORPUS.md's table (3 decimals, so ±5e-4).
  static let published: [(Int, Double, Double)] = [
    (1_000, 1.0, 5.191), (1_000, 1.2, 4.228), (1_000, 1.5, 2.918),
    (10_000, 1.0, 6.607), (10_000, 1.2, 4.986), (10_000, 1.5, 3.098),
  ]

  @Test("Word entropy matches the published table", arguments: 0..<6)
  func wordEntropyMatchesTable(_ row: Int) throws {
    let (k, s, h) = Self.published[row]
    let lex = try SyntheticLexicon(size: k, exponent: s, seed: 0)
    #expect(abs(lex.wordEntropy - h) <= 5e-4, "K \(k), s \(s): \(lex.wordEntropy) vs \(h)")
    // E[len+1] depends on which lengths land on top ranks; the table's values lie in 7.5…8.6.
    #expect(lex.meanBytesPerWord > 6.5 && lex.meanBytesPerWord < 9.5)
  }

  @Test func twoWordLexiconByHand() throws {
    // K = 2, s = 1: p = (2/3, 1/3); H(p) = ln 3 − (2/3) ln 2; rate = H(p) / Σ p (len + 1).
    let lex = try SyntheticLexicon(size: 2, exponent: 1, seed: 5)
    let l1 = Double(lex.words[0].count), l2 = Double(lex.words[1].count)
    let hp = log(3.0) - 2.0 / 3.0 * log(2.0)
    let rate = hp / (2.0 / 3.0 * (l1 + 1) + 1.0 / 3.0 * (l2 + 1))
    #expect(abs(lex.entropyRate - rate) < 1e-12)
    #expect(lex.words[0] != lex.words[1])
    #expect(
      lex.words.allSatisfy {
        (2...10).contains($0.count) && $0.allSatisfy { (97...122).contains($0) }
      })
  }

  @Test func monteCarloEntropyMatchesClosedForm() throws {
    // Generate text, split it at spaces, and estimate H(p) and E[len+1] from the words seen.
    let lex = try SyntheticLexicon(size: 300, exponent: 1.2, seed: 9)
    var stream = SyntheticStream(lexicon: lex, rng: Xoshiro256StarStar(seed: 3, hashingStream: 1))
    var prob: [[UInt8]: Double] = [:]
    for (k, w) in lex.words.enumerated() { prob[w] = lex.probabilities[k] }
    var word: [UInt8] = []
    var nll: [Double] = []
    var bytes = 0
    while nll.count < 200_000 {
      let b = stream.nextByte()
      bytes += 1
      if b == 32 {
        nll.append(-log(prob[word] ?? 0))
        word.removeAll(keepingCapacity: true)
      } else {
        word.append(b)
      }
    }
    let mean = nll.reduce(0, +) / Double(nll.count)
    let sd = (nll.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(nll.count)).squareRoot()
    let se = sd / Double(nll.count).squareRoot()
    #expect(
      abs(mean - lex.wordEntropy) < 4 * se, "H(p): MC \(mean) ± \(se), exact \(lex.wordEntropy)")
    let bytesPerWord = Double(bytes) / Double(nll.count)
    #expect(abs(bytesPerWord - lex.meanBytesPerWord) < 0.02 * lex.meanBytesPerWord)
    let rateMC = nll.reduce(0, +) / Double(bytes)
    #expect(
      abs(rateMC - lex.entropyRate) < 0.02 * lex.entropyRate,
      "rate MC \(rateMC) vs \(lex.entropyRate)")
  }

  @Test func trueModelByteLikelihoodsMultiplyToWordProbabilities() throws {
    // Π over a word's bytes (and its space) of m(uc)/m(u) telescopes to p(word), so per-byte
    // true NLLs summed over whole words equal Σ −ln p(word): a check of the prefix masses.
    let lex = try SyntheticLexicon(size: 500, exponent: 1.5, seed: 4)
    var stream = SyntheticStream(lexicon: lex, rng: Xoshiro256StarStar(seed: 8, hashingStream: 2))
    var text: [UInt8] = [32]  // start at a word boundary
    for _ in 0..<20_000 { text.append(stream.nextByte()) }
    let lastSpace = text.lastIndex(of: 32) ?? 0
    var byteSum = 0.0
    for t in 0..<lastSpace { byteSum += lex.trueNegLogLikelihood(text[...], at: t) ?? .nan }
    var prob: [[UInt8]: Double] = [:]
    for (k, w) in lex.words.enumerated() { prob[w] = lex.probabilities[k] }
    let words = text[1...lastSpace].split(separator: 32, omittingEmptySubsequences: true)
    let wordSum = words.reduce(0.0) { $0 - log(prob[Array($1)] ?? 0) }
    #expect(abs(byteSum - wordSum) < 1e-8 * wordSum, "bytes \(byteSum), words \(wordSum)")
  }

  @Test func validationTextDiffersFromTrainingText() throws {
    let spec = CorpusSpec.synthetic(lexiconSize: 1000, zipfExponent: 1.5, seed: 0)
    let corpus = try Corpus(spec: spec, context: 32, windows: 4, seed: 1)
    var inputs = [Int32](repeating: 0, count: 4 * 32), targets = inputs
    corpus.nextBatch(inputs: &inputs, targets: &targets, B: 4)
    let val = corpus.validation.prefix(32).map { Int32($0) }
    #expect(Array(inputs.prefix(32)) != val)
    #expect(Array(inputs[1..<32]) == Array(targets[0..<31]))
    #expect(corpus.validationSkip == 16)
    let sample = corpus.validationSampleEntropy() ?? .nan
    #expect(sample > 0 && sample < 3)
  }

  @Test func fileCorpusHoldsOutEveryTenthChunk() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "minigpt-corpus-\(UInt64.random(in: 0...UInt64.max)).bin")
    defer { try? FileManager.default.removeItem(at: url) }
    // 50 KiB: chunks of 4 KiB; chunk 9 (bytes 36,864…40,959) is the only validation chunk.
    let bytes = (0..<51_200).map { UInt8(($0 / 4096) % 256) }
    try Data(bytes).write(to: url)
    let corpus = try Corpus(spec: .file(path: url.path), context: 8, windows: 3, seed: 1)
    #expect(corpus.validation.count == 27)
    #expect(corpus.validation.allSatisfy { $0 == 9 })
    var inputs = [Int32](repeating: 0, count: 64 * 8), targets = inputs
    corpus.nextBatch(inputs: &inputs, targets: &targets, B: 64)
    #expect(!inputs.contains(9))
  }
}
