// Trainer behaviour: loss at initialisation, memorising one batch, bit-identical curves for 1 and
// 2 threads, divergence and interruption, one-sentence errors, and the entropy floor.

import Foundation
import Testing

@testable import MiniGPT

let synthetic = CorpusSpec.synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0)

@Suite("Trainer")
struct TrainerTests {
  @Test func lossAtInitialisationIsLn256() throws {
    // Logits start at std ≈ 0.02·√C ≈ 0.1, so the expected loss is ln 256 + O(0.01).
    // Tolerance 0.05 nats.
    let trainer = try Trainer(
      model: GPTConfig(layers: 2, dModel: 32, heads: 4, context: 32),
      train: TrainConfig(batch: 8, tokens: 256, learningRate: 1e-3, evalWindows: 8),
      corpus: synthetic)
    let loss = trainer.validationLoss()
    #expect(abs(loss - log(256.0)) < 0.05, "initial loss \(loss), ln 256 = \(log(256.0))")
  }

  @Test func tinyModelMemorisesOneBatch() {
    // 1 layer, d 32: 150 AdamW steps (lr 1e-2, no decay) on one fixed batch of 4×8 random bytes.
    let g = GPTConfig(layers: 1, dModel: 32, heads: 2, context: 8)
    let net = GPTModel(config: g, maxBatch: 4, threads: 1, seed: 3)
    var rng = TestRNG(4)
    for i in 0..<32 {
      net.inputs[i] = Int32(rng.next() % 256)
      net.targets[i] = Int32(rng.next() % 256)
    }
    var loss = Double.nan
    for t in 1...150 {
      net.forward(B: 4)
      loss = net.meanLoss(count: 32)
      net.backward(B: 4)
      AdamW.update(
        params: net.params, grads: net.grads, m: net.m, v: net.v,
        chunks: AdamW.normChunks(layout: net.P),
        learningRate: 1e-2, beta1: 0.9, beta2: 0.95, weightDecay: 0, t: t, gradScale: 1,
        threads: 1)
    }
    #expect(loss < 0.05, "loss after 150 steps on one batch: \(loss)")
  }

  static func curveBits(
    threads: Int, model: GPTConfig = GPTConfig(layers: 2, dModel: 32, heads: 4, context: 32),
    batch: Int = 16, steps: Int = 12
  ) throws -> [UInt64] {
    let trainer = try Trainer(
      model: model,
      train: TrainConfig(
        batch: batch, tokens: batch * model.context * steps, learningRate: 3e-3,
        evalEvery: 6, evalWindows: 16, seed: 7, threads: threads),
      corpus: synthetic)
    let r = trainer.run { _ in true }
    return r.curve.flatMap { [$0.trainLoss.bitPattern, ($0.validationLoss ?? -1).bitPattern] }
  }

  @Test func sameSeedGivesIdenticalCurvesForOneAndTwoThreads() throws {
    let one = try Self.curveBits(threads: 1)
    let again = try Self.curveBits(threads: 1)
    let two = try Self.curveBits(threads: 2)
    #expect(one.count == 24)
    #expect(one == again)
    #expect(one == two)
  }

  @Test func identicalCurvesWhenTheGEMMSplitsAcrossThreads() throws {
    // d 128 with 2,048 rows per step: the large GEMMs (≈ 0.27 GFLOP) take the 2-thread path.
    let g = GPTConfig(layers: 1, dModel: 128, heads: 4, context: 64)
    let one = try Self.curveBits(threads: 1, model: g, batch: 32, steps: 3)
    let two = try Self.curveBits(threads: 2, model: g, batch: 32, steps: 3)
    #expect(one.count == 6)
    #expect(one == two)
  }

  @Test func nonFiniteLossStopsAsDiverged() throws {
    let trainer = try Trainer(
      model: GPTConfig(layers: 1, dModel: 16, heads: 2, context: 16),
      train: TrainConfig(batch: 4, tokens: 4 * 16 * 10, learningRate: 1e-3, evalWindows: 4),
      corpus: synthetic)
    var steps = 0
    let ok = trainer.run { _ in
      steps += 1
      if steps == 3 { trainer.net.params[trainer.net.P.qkvw] = .nan }  // poison after step 3
      return true
    }
    #expect(ok.status == .diverged)
    #expect(ok.divergedAtStep == 4)
    #expect(ok.curve.count == 3)
    #expect(ok.tokensTrained == 3 * 64)
    #expect(ok.finalTrainLoss?.isFinite == true)
  }

  @Test func progressReturningFalseInterrupts() throws {
    let trainer = try Trainer(
      model: GPTConfig(layers: 1, dModel: 16, heads: 2, context: 16),
      train: TrainConfig(
        batch: 4, tokens: 4 * 16 * 10, learningRate: 1e-3, evalEvery: 2, evalWindows: 4),
      corpus: synthetic)
    var evals = 0
    let r = trainer.run { p in
      if p.isEval { evals += 1 }
      return p.step < 5
    }
    #expect(r.status == .interrupted)
    #expect(r.curve.count == 5)
    #expect(evals == 2)
    #expect(r.finalValidationLoss != nil)
    #expect(
      r.flops == GPTConfig(layers: 1, dModel: 16, heads: 2, context: 16).trainingFLOPsPerToken * 320
    )
  }

  @Test func trainsOnAFileCorpus() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "minigpt-text-\(UInt64.random(in: 0...UInt64.max)).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    let text = String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 300)
    try Data(text.utf8).write(to: url)
    let trainer = try Trainer(
      model: GPTConfig(layers: 1, dModel: 16, heads: 2, context: 16),
      train: TrainConfig(
        batch: 4, tokens: 4 * 16 * 20, learningRate: 1e-2, evalEvery: 10, evalWindows: 8),
      corpus: .file(path: url.path))
    #expect(trainer.validationSkip == 0)
    let r = trainer.run { _ in true }
    #expect(r.status == .finished)
    #expect(r.curve.count == 20)
    #expect(r.corpusEntropy == nil && r.validationSampleEntropy == nil)
    let first = try #require(r.curve.first?.trainLoss)
    let last = try #require(r.finalValidationLoss)
    #expect(last < first, "validation \(last) after 20 steps, first train loss \(first)")
  }

  static func oneSentence(_ error: Error) -> Bool {
    let d = "\(error)"
    return d.hasSuffix(".") && !d.dropLast().contains(". ") && d.first?.isUppercase == true
  }

  @Test func badInputThrowsOneSentence() throws {
    let t = TrainConfig(batch: 2, tokens: 1000, learningRate: 1e-3)
    let cases: [(GPTConfig, CorpusSpec, String)] = [
      (GPTConfig(layers: 0, dModel: 16, heads: 2, context: 8), synthetic, "layers"),
      (GPTConfig(layers: 1, dModel: 30, heads: 4, context: 8), synthetic, "not divisible by heads"),
      (
        GPTConfig(layers: 1, dModel: 16, heads: 2, context: 8), .file(path: "/nonexistent/x.txt"),
        "Cannot read"
      ),
    ]
    for (g, c, phrase) in cases {
      do {
        _ = try Trainer(model: g, train: t, corpus: c)
        Issue.record("expected an error for \(g) \(c)")
      } catch {
        #expect("\(error)".lowercased().contains(phrase.lowercased()), "\(error)")
        #expect(Self.oneSentence(error), "\(error)")
      }
    }
    let dir = FileManager.default.temporaryDirectory
    let empty = dir.appendingPathComponent("minigpt-empty-\(UInt64.random(in: 0...UInt64.max)).txt")
    let short = dir.appendingPathComponent("minigpt-short-\(UInt64.random(in: 0...UInt64.max)).txt")
    defer {
      try? FileManager.default.removeItem(at: empty)
      try? FileManager.default.removeItem(at: short)
    }
    try Data().write(to: empty)
    try Data(repeating: 65, count: 500).write(to: short)  // validation split: 50 bytes
    let g = GPTConfig(layers: 1, dModel: 16, heads: 2, context: 64)
    #expect(throws: MiniGPTError.emptyCorpus(path: empty.path)) {
      try Trainer(model: g, train: t, corpus: .file(path: empty.path))
    }
    #expect(throws: MiniGPTError.corpusTooShort(split: "validation", bytes: 50, context: 64)) {
      try Trainer(model: g, train: t, corpus: .file(path: short.path))
    }
    #expect(Self.oneSentence(MiniGPTError.emptyCorpus(path: empty.path)))
    #expect(
      Self.oneSentence(MiniGPTError.corpusTooShort(split: "validation", bytes: 50, context: 64)))
  }
}
