// Each layer's Float32 forward against a Double reference written here (independently of the
// kernels), and its backward against central finite differences of that Double reference.
// Objective J = Σ R ⊙ out with a fixed random R, so dOut = R.
// Tolerances: forward |Δ| ≤ 1e-5 + 1e-5·|ref|; gradients |Δ| ≤ 1e-4 + 1e-3·|fd| (Float32 kernels,
// finite differences with h = 1e-5 on the Double reference).

import Foundation
import Testing

@testable import MiniGPT

let fAtol = 1e-5, fRtol = 1e-5, gAtol = 1e-4, gRtol = 1e-3

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

// MARK: - Double references

func refLayerNorm(_ x: [Double], _ w: [Double], _ b: [Double], BT: Int, C: Int) -> [Double] {
  var out = [Double](repeating: 0, count: BT * C)
  for r in 0..<BT {
    let row = Array(x[(r * C)..<(r * C + C)])
    let mean = row.reduce(0, +) / Double(C)
    let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(C)
    for i in 0..<C {
      out[r * C + i] = (row[i] - mean) / (variance + 1e-5).squareRoot() * w[i] + b[i]
    }
  }
  return out
}

func refLinear(_ x: [Double], _ w: [Double], _ b: [Double]?, BT: Int, C: Int, OC: Int) -> [Double] {
  var out = [Double](repeating: 0, count: BT * OC)
  for r in 0..<BT {
    for o in 0..<OC {
      var s = b?[o] ?? 0
      for i in 0..<C { s += x[r * C + i] * w[o * C + i] }
      out[r * OC + o] = s
    }
  }
  return out
}

func refGELU(_ x: [Double]) -> [Double] { x.map { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) } }

func refAttention(_ qkv: [Double], B: Int, T: Int, C: Int, NH: Int) -> [Double] {
  let hs = C / NH
  var out = [Double](repeating: 0, count: B * T * C)
  for b in 0..<B {
    for h in 0..<NH {
      for t in 0..<T {
        var scores = [Double]()
        for u in 0...t {
          var s = 0.0
          for d in 0..<hs {
            s += qkv[(b * T + t) * 3 * C + h * hs + d] * qkv[(b * T + u) * 3 * C + C + h * hs + d]
          }
          scores.append(s / Double(hs).squareRoot())
        }
        let m = scores.max() ?? 0
        let e = scores.map { exp($0 - m) }
        let z = e.reduce(0, +)
        for d in 0..<hs {
          var y = 0.0
          for u in 0...t { y += e[u] / z * qkv[(b * T + u) * 3 * C + 2 * C + h * hs + d] }
          out[(b * T + t) * C + h * hs + d] = y
        }
      }
    }
  }
  return out
}

func refCrossEntropy(_ z: [Double], _ targets: [Int32], BT: Int, V: Int) -> [Double] {
  (0..<BT).map { r in
    let row = z[(r * V)..<(r * V + V)]
    let m = row.max() ?? 0
    let lse = m + log(row.map { exp($0 - m) }.reduce(0, +))
    return lse - z[r * V + Int(targets[r])]
  }
}

// MARK: - Tests

@Suite("Layer backward passes match Double finite differences")
struct KernelGradientTests {
  @Test func layerNorm() {
    let BT = 3, C = 7
    var rng = TestRNG(1)
    let x = rng.array(BT * C, scale: 2), w = rng.array(C), b = rng.array(C), R = rng.array(BT * C)
    var out = [Float](repeating: 0, count: BT * C)
    var mean = [Float](repeating: 0, count: BT), rstd = mean
    var dx = [Float](repeating: 0, count: BT * C), dw = [Float](repeating: 0, count: C), db = dw
    var scratch = [Float](repeating: 0, count: LayerNorm.scratchCount(BT: BT, C: C))
    let xf = x.map(Float.init), wf = w.map(Float.init), bf = b.map(Float.init),
      Rf = R.map(Float.init)
    LayerNorm.forward(
      out: &out, mean: &mean, rstd: &rstd, input: xf, weight: wf, bias: bf, BT: BT, C: C, threads: 1
    )
    LayerNorm.backward(
      dInput: &dx, dWeight: &dw, dBias: &db, dOut: Rf, input: xf, weight: wf, mean: mean,
      rstd: rstd, BT: BT, C: C, scratch: &scratch, threads: 1)
    expectForward(
      "LayerNorm out", out, refLayerNorm(x, w, b, BT: BT, C: C), atol: fAtol, rtol: fRtol)
    expectGradients(
      "dx", analytic: dx,
      numeric: finiteDifferences(x) { dot(R, refLayerNorm($0, w, b, BT: BT, C: C)) },
      atol: gAtol, rtol: gRtol)
    expectGradients(
      "dw", analytic: dw,
      numeric: finiteDifferences(w) { dot(R, refLayerNorm(x, $0, b, BT: BT, C: C)) },
      atol: gAtol, rtol: gRtol)
    expectGradients(
      "db", analytic: db,
      numeric: finiteDifferences(b) { dot(R, refLayerNorm(x, w, $0, BT: BT, C: C)) },
      atol: gAtol, rtol: gRtol)
  }

  @Test func linear() {
    let BT = 70, C = 5, OC = 3  // 70 rows: two 64-row chunks in the bias reduction
    var rng = TestRNG(2)
    let x = rng.array(BT * C), w = rng.array(OC * C), b = rng.array(OC), R = rng.array(BT * OC)
    var out = [Float](repeating: 0, count: BT * OC)
    var dx = [Float](repeating: 0, count: BT * C), dw = [Float](repeating: 0, count: OC * C)
    var db = [Float](repeating: 0, count: OC)
    var scratch = [Float](repeating: 0, count: Linear.scratchCount(BT: BT, OC: OC))
    let xf = x.map(Float.init), wf = w.map(Float.init), bf = b.map(Float.init),
      Rf = R.map(Float.init)
    Linear.forward(out: &out, inp: xf, weight: wf, bias: bf, BT: BT, C: C, OC: OC, threads: 1)
    Linear.backward(
      dInp: &dx, dWeight: &dw, dBias: &db, dOut: Rf, inp: xf, weight: wf, BT: BT, C: C, OC: OC,
      scratch: &scratch, threads: 2)
    expectForward(
      "Linear out", out, refLinear(x, w, b, BT: BT, C: C, OC: OC), atol: fAtol, rtol: fRtol)
    expectGradients(
      "dx", analytic: dx,
      numeric: finiteDifferences(x) { dot(R, refLinear($0, w, b, BT: BT, C: C, OC: OC)) },
      atol: gAtol, rtol: gRtol)
    expectGradients(
      "dw", analytic: dw,
      numeric: finiteDifferences(w) { dot(R, refLinear(x, $0, b, BT: BT, C: C, OC: OC)) },
      atol: gAtol, rtol: gRtol)
    expectGradients(
      "db", analytic: db,
      numeric: finiteDifferences(b) { dot(R, refLinear(x, w, $0, BT: BT, C: C, OC: OC)) },
      atol: gAtol, rtol: gRtol)
    // With a residual input: out = residual + x·Wᵀ + b.
    let res = rng.array(BT * OC)
    var out2 = [Float](repeating: 0, count: BT * OC)
    Linear.forward(
      out: &out2, inp: xf, weight: wf, bias: bf, residual: res.map(Float.init), BT: BT, C: C,
      OC: OC, threads: 2)
    let want = zip(refLinear(x, w, b, BT: BT, C: C, OC: OC), res).map { $0 + $1 }
    expectForward("Linear + residual", out2, want, atol: fAtol, rtol: fRtol)
  }

  @Test func gelu() {
    let N = 37  // two full 16-lane blocks and a tail
    var rng = TestRNG(3)
    var x = rng.array(N, scale: 5)
    x[3] = 0
    x[20] = 4e-4  // the |x| < 1e-3 branch, vector and scalar tail
    x[36] = -2e-4
    let R = rng.array(N)
    var out = [Float](repeating: 0, count: N), dx = [Float](repeating: 0, count: N)
    let xf = x.map(Float.init)
    GELU.forward(out: &out, input: xf, N: N, threads: 1)
    GELU.backward(dInput: &dx, input: xf, output: out, dOut: R.map(Float.init), N: N, threads: 1)
    expectForward("GELU", out, refGELU(x), atol: fAtol, rtol: fRtol)
    expectGradients(
      "dx", analytic: dx, numeric: finiteDifferences(x) { dot(R, refGELU($0)) }, atol: gAtol,
      rtol: gRtol)
  }

  /// hs = 3 (scalar paths) and hs = 18 (one 16-channel register block plus a tail), T = 11
  /// (not a multiple of the 8-wide score blocks).
  @Test(arguments: [[2, 5, 6, 2], [1, 11, 36, 2]])
  func attention(_ shape: [Int]) {
    let B = shape[0], T = shape[1], C = shape[2], NH = shape[3]
    var rng = TestRNG(4)
    let qkv = rng.array(B * T * 3 * C, scale: 1.5), R = rng.array(B * T * C)
    var out = [Float](repeating: 0, count: B * T * C)
    var lse = [Float](repeating: 0, count: B * NH * T)
    var dqkv = [Float](repeating: .nan, count: B * T * 3 * C)
    var scratch = [Float](repeating: 0, count: Attention.scratchCount(T: T, hs: C / NH, threads: 2))
    let qf = qkv.map(Float.init)
    Attention.forward(
      out: &out, lse: &lse, qkv: qf, B: B, T: T, C: C, NH: NH, scratch: &scratch, threads: 2)
    Attention.backward(
      dqkv: &dqkv, dOut: R.map(Float.init), qkv: qf, out: out, lse: lse, B: B, T: T, C: C,
      NH: NH, scratch: &scratch, threads: 2)
    expectForward(
      "Attention", out, refAttention(qkv, B: B, T: T, C: C, NH: NH), atol: fAtol, rtol: fRtol)
    expectGradients(
      "dqkv", analytic: dqkv,
      numeric: finiteDifferences(qkv) { dot(R, refAttention($0, B: B, T: T, C: C, NH: NH)) },
      atol: gAtol, rtol: gRtol)
  }

  @Test func attentionIsCausal() {
    // Changing the last time step's q, k, v must leave every earlier output unchanged.
    let B = 1, T = 6, C = 4, NH = 1
    var rng = TestRNG(5)
    var qkv = rng.array(B * T * 3 * C).map(Float.init)
    var scratch = [Float](repeating: 0, count: Attention.scratchCount(T: T, hs: C, threads: 1))
    var lse = [Float](repeating: 0, count: T)
    var before = [Float](repeating: 0, count: T * C), after = before
    Attention.forward(
      out: &before, lse: &lse, qkv: qkv, B: B, T: T, C: C, NH: NH, scratch: &scratch, threads: 1)
    for i in ((T - 1) * 3 * C)..<(T * 3 * C) { qkv[i] += 3 }
    Attention.forward(
      out: &after, lse: &lse, qkv: qkv, B: B, T: T, C: C, NH: NH, scratch: &scratch, threads: 1)
    #expect(Array(before[0..<((T - 1) * C)]) == Array(after[0..<((T - 1) * C)]))
    #expect(before[(T - 1) * C] != after[(T - 1) * C])
  }

  @Test func softmaxCrossEntropy() {
    let BT = 3, V = 21  // one full 16-lane block and a tail
    var rng = TestRNG(6)
    let z = rng.array(BT * V, scale: 4)
    let targets: [Int32] = [0, 7, 20]
    var losses = [Float](repeating: 0, count: BT)
    var buf = z.map(Float.init)
    SoftmaxCrossEntropy.forward(
      losses: &losses, logits: &buf, targets: targets, BT: BT, V: V, threads: 1)
    expectForward(
      "losses", losses, refCrossEntropy(z, targets, BT: BT, V: V), atol: fAtol, rtol: fRtol)
    SoftmaxCrossEntropy.backward(
      dLogits: &buf, targets: targets, dLoss: 1 / Float(BT), BT: BT, V: V, threads: 1)
    expectGradients(
      "dlogits", analytic: buf,
      numeric: finiteDifferences(z) {
        refCrossEntropy($0, targets, BT: BT, V: V).reduce(0, +) / Double(BT)
      }, atol: gAtol, rtol: gRtol)
  }

  @Test func embedding() {
    let B = 2, T = 3, C = 20, V = 5
    var rng = TestRNG(7)
    let wte = rng.array(V * C), wpe = rng.array(T * C), R = rng.array(B * T * C)
    let tokens: [Int32] = [4, 1, 4, 0, 4, 2]
    func ref(_ wte: [Double], _ wpe: [Double]) -> [Double] {
      (0..<(B * T * C)).map { i in
        let r = i / C, c = i % C
        return wte[Int(tokens[r]) * C + c] + wpe[(r % T) * C + c]
      }
    }
    var out = [Float](repeating: 0, count: B * T * C)
    Embedding.forward(
      out: &out, tokens: tokens, wte: wte.map(Float.init), wpe: wpe.map(Float.init), B: B, T: T,
      C: C, threads: 2)
    expectForward("embedding", out, ref(wte, wpe), atol: fAtol, rtol: fRtol)
    var dwte = [Float](repeating: 0, count: V * C), dwpe = [Float](repeating: .nan, count: T * C)
    Embedding.backward(
      dwte: &dwte, dwpe: &dwpe, dOut: R.map(Float.init), tokens: tokens, B: B, T: T, C: C,
      threads: 2)
    expectGradients(
      "dwte", analytic: dwte, numeric: finiteDifferences(wte) { dot(R, ref($0, wpe)) },
      atol: gAtol, rtol: gRtol)
    expectGradients(
      "dwpe", analytic: dwpe, numeric: finiteDifferences(wpe) { dot(R, ref(wte, $0)) },
      atol: gAtol, rtol: gRtol)
  }
}
