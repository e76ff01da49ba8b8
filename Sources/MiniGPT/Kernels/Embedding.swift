// Token + position embedding: out[b, t] = wte[token[b, t]] + wpe[t].
// Legend: B = batch, T = time, C = channels. Backward adds dOut rows into dwte at each token and
// sums them over the batch into dwpe; workers own disjoint column slices and walk the rows in
// order, so the sums do not depend on the thread count.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

enum Embedding {
  @inline(never)
  static func forward(
    out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, wte: UnsafePointer<Float>,
    wpe: UnsafePointer<Float>, B: Int, T: Int, C: Int, threads: Int
  ) {
    Parallel.forEach(B * T, threads: threads, minItems: 512) { rows, _ in
      for r in rows {
        let o = out + r * C
        let e = wte + Int(tokens[r]) * C
        let p = wpe + (r % T) * C
        for i in 0..<C { o[i] = e[i] + p[i] }
      }
    }
  }

  /// Adds into `dwte` (which already holds the tied head's gradient); overwrites `dwpe`.
  @inline(never)
  static func backward(
    dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>,
    dOut: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, B: Int, T: Int, C: Int,
    threads: Int
  ) {
    let slices = (C + 15) / 16
    Parallel.forEach(slices, threads: threads, minItems: 1) { range, _ in
      let c0 = range.lowerBound * 16
      let c1 = min(C, range.upperBound * 16)
      for t in 0..<T {
        let p = dwpe + t * C
        for i in c0..<c1 { p[i] = 0 }
      }
      for r in 0..<(B * T) {
        let g = dOut + r * C
        let e = dwte + Int(tokens[r]) * C
        let p = dwpe + (r % T) * C
        for i in c0..<c1 {
          e[i] += g[i]
          p[i] += g[i]
        }
      }
    }
  }
}
