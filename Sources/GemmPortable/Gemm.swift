// Blocked SGEMM for MiniGPT: C = op(A)·op(B) (+ C), row-major Float32, pure Swift, no BLAS.
// The layout is BLIS's (Van Zee & van de Geijn 2015, §3; Goto & van de Geijn 2008): loops
// jc (NC columns) → pc (KC of k) → ic (MC rows) → jr (NR-wide panels) → ir (6-row tiles) →
// micro-kernel.
// Only B is packed (k-major panels NR wide, zero-padded); rows of A are read in place, except for
// transA, where each MC×KC block of A is copied into 6-row k-major panels. Measured design choices
// are in shared/SWIFT-NOTES.md §2. This file is compiled three times (GemmPortable, GemmAVX2,
// GemmAVX512 symlink it) with different instruction sets; `GEMM_FMA` is defined where FMA exists
// and each target's GemmISA.swift sets `panelWidth`.
//
// Determinism: every element of C is computed the same way whatever the thread count. K blocks
// are fixed (KC), each block's products are summed in k order in one accumulator, and blocks are
// added to C in order. Threads only partition the output (whole 6-row tiles or whole panels), and
// edge tiles go through a scratch tile with the same arithmetic as full tiles.

import Dispatch

/// Rows of C per micro-tile.
let tileRows = 6
/// K block: products are summed over at most this many k before being added to C.
let blockK = 512
/// Rows of A per block (a multiple of `tileRows`).
let blockM = 144
/// Columns of B per block (a multiple of every `panelWidth`).
let blockN = 4096
/// Below this many flops (2·M·N·K) one thread is used: waking a second costs more than it saves.
let parallelThresholdFLOPs = 50_000_000

/// Computes `C = op(A)·op(B)`, or `C += op(A)·op(B)` when `accumulate` is true.
///
/// Row-major: `op(A)` is M×K, `op(B)` is K×N, `C` is M×N with leading dimension `ldc`.
/// With `transA`, `A` is stored K×M (leading dimension `lda`); with `transB`, `B` is stored N×K.
/// `threads` is a hint (1 or 2); results are bit-identical for any thread count.
/// `C` must not overlap `A` or `B`. Shapes and leading dimensions are checked with preconditions.
public func sgemm(
  transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
  A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
  C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int
) {
  precondition(M >= 0 && N >= 0 && K >= 0, "sgemm: negative dimension")
  precondition(lda >= max(1, transA ? M : K), "sgemm: lda too small")
  precondition(ldb >= max(1, transB ? K : N), "sgemm: ldb too small")
  precondition(ldc >= max(1, N), "sgemm: ldc too small")
  if M == 0 || N == 0 { return }
  if K == 0 {
    if !accumulate { for i in 0..<M { (C + i * ldc).update(repeating: 0, count: N) } }
    return
  }
  let split = planSplit(M: M, N: N, K: K, threads: threads)
  if split.parts == 1 {
    blockedGemm(
      transA: transA, transB: transB, M: M, N: N, K: K, A: A, lda: lda, B: B, ldb: ldb,
      C: C, ldc: ldc, accumulate: accumulate)
    return
  }
  // Each part is an independent sub-problem with its own packing buffers (no barrier needed).
  nonisolated(unsafe) let a = A, b = B, c = C
  let parts = split.parts, byRows = split.byRows
  let unit = byRows ? tileRows : panelWidth
  let units = ((byRows ? M : N) + unit - 1) / unit
  DispatchQueue.concurrentPerform(iterations: parts) { part in
    let lo = min((units * part / parts) * unit, byRows ? M : N)
    let hi = min((units * (part + 1) / parts) * unit, byRows ? M : N)
    if lo >= hi { return }
    if byRows {
      blockedGemm(
        transA: transA, transB: transB, M: hi - lo, N: N, K: K,
        A: transA ? a + lo : a + lo * lda, lda: lda, B: b, ldb: ldb,
        C: c + lo * ldc, ldc: ldc, accumulate: accumulate)
    } else {
      blockedGemm(
        transA: transA, transB: transB, M: M, N: hi - lo, K: K,
        A: a, lda: lda, B: transB ? b + lo * ldb : b + lo, ldb: ldb,
        C: c + lo, ldc: ldc, accumulate: accumulate)
    }
  }
}

/// How `sgemm` would divide a product between threads: `"single"`, `"rows"` or `"columns"`.
///
/// For tests and benchmarks; the split never changes the result.
public func sgemmThreadSplit(M: Int, N: Int, K: Int, threads: Int) -> String {
  let split = planSplit(M: M, N: N, K: K, threads: threads)
  return split.parts == 1 ? "single" : (split.byRows ? "rows" : "columns")
}

/// The micro-tile of this build: rows × columns of C kept in registers.
public func sgemmMicroTile() -> (rows: Int, columns: Int) { (tileRows, panelWidth) }

/// Chooses the number of parts and whether to cut C into row bands or column bands.
///
/// Cost model per thread, in multiply-adds: the tile work it computes (padded to whole tiles)
/// plus the elements of B it packs, weighted by `packCost` (a packed element costs about as much
/// time as 16 multiply-adds on the SIMD kernel). Row bands pack all of B in every thread; column
/// bands pack only their own panels but read all of A. Ties go to rows.
func planSplit(M: Int, N: Int, K: Int, threads: Int) -> (parts: Int, byRows: Bool) {
  let t = max(1, min(threads, 64))
  if t == 1 || 2.0 * Double(M) * Double(N) * Double(K) < Double(parallelThresholdFLOPs) {
    return (1, true)
  }
  let packCost = 16.0
  let rowTiles = (M + tileRows - 1) / tileRows
  let panels = (N + panelWidth - 1) / panelWidth
  let rowParts = min(t, rowTiles)
  let colParts = min(t, panels)
  let k = Double(K)
  let rowsBusiest = Double(((rowTiles + rowParts - 1) / rowParts) * tileRows)
  let colsBusiest = Double(((panels + colParts - 1) / colParts) * panelWidth)
  let allCols = Double(panels * panelWidth)
  let allRows = Double(rowTiles * tileRows)
  let rowCost = rowsBusiest * allCols * k + packCost * k * allCols
  let colCost = allRows * colsBusiest * k + packCost * k * colsBusiest + k * Double(M)
  if rowParts < 2 && colParts < 2 { return (1, true) }
  if colParts < 2 || (rowParts >= 2 && rowCost <= colCost) { return (rowParts, true) }
  return (colParts, false)
}

/// One thread's blocked product over the whole of the given sub-problem.
func blockedGemm(
  transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
  A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
  C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  let nr = panelWidth
  let kcMax = min(K, blockK)
  let ncMax = min((N + nr - 1) / nr * nr, blockN)
  let mcMax = min((M + tileRows - 1) / tileRows * tileRows, blockM)
  // Workspace: packed B block, packed A block (transA only), one scratch tile; 64-byte aligned.
  let bFloats = kcMax * ncMax
  let aFloats = transA ? kcMax * mcMax : 0
  let tileFloats = tileRows * nr
  let raw = UnsafeMutableRawPointer.allocate(
    byteCount: (bFloats + aFloats + tileFloats) * 4, alignment: 64)
  defer { raw.deallocate() }
  let bPack = raw.bindMemory(to: Float.self, capacity: bFloats + aFloats + tileFloats)
  let aPack = bPack + bFloats
  let tile = aPack + aFloats

  for jc in stride(from: 0, to: N, by: blockN) {
    let nb = min(blockN, N - jc)
    let panels = (nb + nr - 1) / nr
    for pc in stride(from: 0, to: K, by: blockK) {
      let kb = min(blockK, K - pc)
      // "beta = 0" on the first K block: store instead of zeroing C first (SWIFT-NOTES §2.3).
      let add = accumulate || pc > 0
      if transB {
        packBTransposed(B + jc * ldb + pc, ldb, kb, nb, nr, bPack)
      } else {
        packB(B + pc * ldb + jc, ldb, kb, nb, nr, bPack)
      }
      for ic in stride(from: 0, to: M, by: blockM) {
        let mb = min(blockM, M - ic)
        if transA { packATransposed(A + pc * lda + ic, lda, kb, mb, aPack) }
        for p in 0..<panels {
          let jr = p * nr
          let ncols = min(nr, nb - jr)
          let panel = UnsafeRawPointer(bPack + p * kb * nr)
          for ir in stride(from: 0, to: mb, by: tileRows) {
            let mr = min(tileRows, mb - ir)
            let a: UnsafePointer<Float>
            let rs: Int
            let ks: Int
            if transA {
              a = UnsafePointer(aPack + (ir / tileRows) * kb * tileRows)
              rs = 1
              ks = tileRows
            } else {
              a = A + (ic + ir) * lda + pc
              rs = lda
              ks = 1
            }
            let c = C + (ic + ir) * ldc + jc + jr
            if mr == tileRows && ncols == nr {
              kernel(kb, a, rs, ks, mr, panel, c, ldc, add)
            } else {
              kernel(kb, a, rs, ks, mr, panel, tile, nr, false)
              for r in 0..<mr {
                let src = tile + r * nr
                let dst = c + r * ldc
                if add {
                  for j in 0..<ncols { dst[j] = dst[j] + src[j] }
                } else {
                  for j in 0..<ncols { dst[j] = src[j] }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Runs this build's micro-kernel on one tile.
@inline(__always)
func kernel(
  _ kc: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ ks: Int, _ mr: Int,
  _ b: UnsafeRawPointer, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ add: Bool
) {
  switch panelWidth {
  case 64: kernel6x64(kc, a, rs, ks, mr, b, c, ldc, add)
  case 16: kernel6x16(kc, a, rs, ks, mr, b, c, ldc, add)
  default: kernel6x8(kc, a, rs, ks, mr, b, c, ldc, add)
  }
}

/// Packs `B[0..<kb, 0..<nb]` (row-major, leading dimension `ldb`) into k-major panels `nr` wide:
/// panel p holds `dst[p·kb·nr + k·nr + j] = B[k, p·nr + j]`, zero past column `nb`.
func packB(
  _ B: UnsafePointer<Float>, _ ldb: Int, _ kb: Int, _ nb: Int, _ nr: Int,
  _ dst: UnsafeMutablePointer<Float>
) {
  let panels = (nb + nr - 1) / nr
  for k in 0..<kb {
    let src = B + k * ldb
    for p in 0..<panels {
      let d = dst + p * kb * nr + k * nr
      let s = src + p * nr
      let w = min(nr, nb - p * nr)
      if w == nr {
        d.update(from: s, count: nr)
      } else {
        for j in 0..<w { d[j] = s[j] }
        for j in w..<nr { d[j] = 0 }
      }
    }
  }
}

/// Packs op(B) = Bᵀ where `B` is stored N×K: `dst[p·kb·nr + k·nr + j] = B[p·nr + j, k]`.
///
/// Works in 64-k slices so the scattered writes of one panel slice stay in L1.
func packBTransposed(
  _ B: UnsafePointer<Float>, _ ldb: Int, _ kb: Int, _ nb: Int, _ nr: Int,
  _ dst: UnsafeMutablePointer<Float>
) {
  let panels = (nb + nr - 1) / nr
  let slice = 64
  for p in 0..<panels {
    let w = min(nr, nb - p * nr)
    let d = dst + p * kb * nr
    for k0 in stride(from: 0, to: kb, by: slice) {
      let k1 = min(kb, k0 + slice)
      for j in 0..<w {
        let s = B + (p * nr + j) * ldb
        for k in k0..<k1 { d[k * nr + j] = s[k] }
      }
      for j in w..<nr {
        for k in k0..<k1 { d[k * nr + j] = 0 }
      }
    }
  }
}

/// Packs rows of op(A) = Aᵀ (A stored K×M) into 6-row k-major panels:
/// `dst[q·kb·6 + k·6 + r] = A[k, 6q + r]`, zero past row `mb`.
func packATransposed(
  _ A: UnsafePointer<Float>, _ lda: Int, _ kb: Int, _ mb: Int, _ dst: UnsafeMutablePointer<Float>
) {
  let tiles = (mb + tileRows - 1) / tileRows
  let full = mb / tileRows
  for k in 0..<kb {
    let s = A + k * lda
    for q in 0..<full {
      let d = dst + q * kb * tileRows + k * tileRows
      let sq = s + q * tileRows
      d[0] = sq[0]; d[1] = sq[1]; d[2] = sq[2]; d[3] = sq[3]; d[4] = sq[4]; d[5] = sq[5]
    }
    if full < tiles {
      let d = dst + full * kb * tileRows + k * tileRows
      for r in 0..<tileRows {
        let i = full * tileRows + r
        d[r] = i < mb ? s[i] : 0
      }
    }
  }
}
