// LayerNorm (Ba, Kiros & Hinton 2016) over the last dimension, eps = 1e-5 as torch.nn.LayerNorm.
// Legend: BT = rows (batch × time), C = channels. out = (x − mean)·rstd·w + b, rstd = 1/√(var+eps),
// var the biased (population) variance. mean and rstd are saved per row for the backward pass.
// Backward (llm.c layernorm_backward): with n = (x−mean)·rstd and g = dOut·w,
// dx = rstd·(g − mean(g) − n·mean(g·n)); dw = Σ dOut·n and db = Σ dOut over rows, as partial sums
// over fixed 64-row chunks combined in order (bit-identical for any thread count).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

enum LayerNorm {
  static let eps: Float = 1e-5

  /// Floats of scratch `backward` needs.
  static func scratchCount(BT: Int, C: Int) -> Int {
    (BT + Linear.chunkRows - 1) / Linear.chunkRows * 2 * C
  }

  @inline(never)
  static func forward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, BT: Int, C: Int, threads: Int
  ) {
    Parallel.forEach(BT, threads: threads, minItems: 128) { rows, _ in
      for r in rows {
        let x = input + r * C
        let m = VectorMath.sum(C, x) / Float(C)
        var acc = F4(repeating: 0)
        var i = 0
        while i + 4 <= C {
          let d = VectorMath.load4(x, i) - m
          acc += d * d
          i += 4
        }
        var v = (acc[0] + acc[1]) + (acc[2] + acc[3])
        while i < C {
          v += (x[i] - m) * (x[i] - m)
          i += 1
        }
        let rs = 1 / (v / Float(C) + eps).squareRoot()
        let o = out + r * C
        for i in 0..<C { o[i] = (x[i] - m) * rs * weight[i] + bias[i] }
        mean[r] = m
        rstd[r] = rs
      }
    }
  }

  /// Adds the input gradient into `dInput`; overwrites `dWeight` and `dBias`.
  @inline(never)
  static func backward(
    dInput: UnsafeMutablePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
    dBias: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
    BT: Int, C: Int, scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let R = Linear.chunkRows
    let chunks = (BT + R - 1) / R
    Parallel.forEach(chunks, threads: threads, minItems: 2) { range, _ in
      for c in range {
        let pw = scratch + c * 2 * C
        let pb = pw + C
        for i in 0..<C {
          pw[i] = 0
          pb[i] = 0
        }
        for r in (c * R)..<min(BT, c * R + R) {
          let x = input + r * C
          let g = dOut + r * C
          let dx = dInput + r * C
          let m = mean[r]
          let rs = rstd[r]
          for i in 0..<C {
            pw[i] += g[i] * ((x[i] - m) * rs)
            pb[i] += g[i]
          }
          var a1 = F4(repeating: 0)
          var a2 = F4(repeating: 0)
          var i = 0
          while i + 4 <= C {
            let gi = VectorMath.load4(g, i) * VectorMath.load4(weight, i)
            a1 += gi
            a2 += gi * ((VectorMath.load4(x, i) - m) * rs)
            i += 4
          }
          var gMean = (a1[0] + a1[1]) + (a1[2] + a1[3])
          var gnMean = (a2[0] + a2[1]) + (a2[2] + a2[3])
          while i < C {
            let gi = g[i] * weight[i]
            gMean += gi
            gnMean += gi * ((x[i] - m) * rs)
            i += 1
          }
          gMean /= Float(C)
          gnMean /= Float(C)
          for i in 0..<C {
            let n = (x[i] - m) * rs
            dx[i] += (g[i] * weight[i] - gMean - n * gnMean) * rs
          }
        }
      }
    }
    for i in 0..<C {
      dWeight[i] = scratch[i]
      dBias[i] = scratch[C + i]
    }
    for c in 1..<max(1, chunks) {
      let pw = scratch + c * 2 * C
      for i in 0..<C {
        dWeight[i] += pw[i]
        dBias[i] += pw[C + i]
      }
    }
  }
}
