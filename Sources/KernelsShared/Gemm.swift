// Blocked SGEMM for MiniGPT: C = op(A)·op(B) (+ C), row-major Float32, pure Swift, no BLAS.
// The layout is BLIS's (Van Zee & van de Geijn 2015, §3; Goto & van de Geijn 2008): loops
// jc (NC columns) → pc (KC of k) → ic (MC rows) → jr (NR-wide panels) → ir (6-row tiles) →
// micro-kernel.
// B is packed into k-major panels NR wide (zero-padded; Bᵀ through 16×16 register transposes)
// unless it can be read in place cheaply; rows of A are read in place (for transA the 6 values a
// tile needs at each k are adjacent), except that a transposed A with a long row stride is packed
// into 6-row k-major panels per MC×KC block.
// Like every file of Sources/KernelsShared, this one is compiled into KernelsPortable, KernelsAVX2
// and KernelsAVX512, each with its own instruction set; the target's ISA.swift says whether
// multiply-add is fused (`ISA.fusedMultiplyAdd`) and how wide the micro-tile is (`ISA.panelWidth`).
//
// Determinism: every element of C is computed the same way whatever the thread count. K blocks
// are fixed (KC), each block's products are summed in k order in one accumulator, and blocks are
// added to C in order. Threads only partition the output (whole 6-row tiles or whole panels), and
// edge tiles go through a scratch tile with the same arithmetic as full tiles.

import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Rows of C per micro-tile.
let tileRows = 6
/// K block: products are summed over at most this many k before being added to C.
let blockK = 512
/// Rows of A per block (a multiple of `tileRows`).
let blockM = 144
/// Columns of B per block (a multiple of every build's `ISA.panelWidth`).
let blockN = 4096
/// Below this many flops (2·M·N·K) one thread is used: waking a second costs more than it saves.
let parallelThresholdFLOPs = 50_000_000

extension Kernels {
  /// Computes `C = op(A)·op(B)`, or `C += op(A)·op(B)` when `accumulate` is true, or
  /// `C = (residual + bias) + op(A)·op(B)` when a residual and/or a bias is given.
  ///
  /// Row-major: `op(A)` is M×K, `op(B)` is K×N, `C` is M×N with leading dimension `ldc`.
  /// With `transA`, `A` is stored K×M (leading dimension `lda`); with `transB`, `B` is stored N×K.
  /// `bias` (N floats) is added to every row and `residual` (M×N, leading dimension `ldr`) element
  /// by element, in the same store as the product (no separate pass over C); neither may be
  /// combined with `accumulate`. `residual` may be `C` itself only if `ldr == ldc`.
  /// `threads` is a hint (1 or 2); results are bit-identical for any thread count.
  /// `C` must not overlap `A` or `B`. Shapes and leading dimensions are checked with preconditions.
  public static func sgemm(
    transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
    A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
    C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int,
    bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, ldr: Int = 0
  ) {
    precondition(M >= 0 && N >= 0 && K >= 0, "sgemm: negative dimension")
    precondition(lda >= max(1, transA ? M : K), "sgemm: lda too small")
    precondition(ldb >= max(1, transB ? K : N), "sgemm: ldb too small")
    precondition(ldc >= max(1, N), "sgemm: ldc too small")
    precondition(residual == nil || ldr >= N, "sgemm: ldr too small")
    precondition(!accumulate || (bias == nil && residual == nil), "sgemm: accumulate with a seed")
    if M == 0 || N == 0 { return }
    if K == 0 {
      if !accumulate {
        for i in 0..<M {
          for j in 0..<N {
            C[i * ldc + j] = (residual.map { $0[i * ldr + j] } ?? 0) + (bias.map { $0[j] } ?? 0)
          }
        }
      }
      return
    }
    let split = planSplit(transA: transA, M: M, N: N, K: K, threads: threads)
    if split.parts == 1 {
      blockedGemm(
        transA: transA, transB: transB, M: M, N: N, K: K, A: A, lda: lda, B: B, ldb: ldb,
        C: C, ldc: ldc, accumulate: accumulate, bias: bias, residual: residual, ldr: ldr)
      return
    }
    // Each part is an independent sub-problem with its own packing buffers (no barrier needed).
    nonisolated(unsafe) let a = A, b = B, c = C, bs = bias, rs = residual
    let parts = split.parts, byRows = split.byRows
    let unit = byRows ? tileRows : ISA.panelWidth
    let units = ((byRows ? M : N) + unit - 1) / unit
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      let lo = min((units * part / parts) * unit, byRows ? M : N)
      let hi = min((units * (part + 1) / parts) * unit, byRows ? M : N)
      if lo >= hi { return }
      if byRows {
        blockedGemm(
          transA: transA, transB: transB, M: hi - lo, N: N, K: K,
          A: transA ? a + lo : a + lo * lda, lda: lda, B: b, ldb: ldb,
          C: c + lo * ldc, ldc: ldc, accumulate: accumulate, bias: bs,
          residual: rs.map { $0 + lo * ldr }, ldr: ldr)
      } else {
        blockedGemm(
          transA: transA, transB: transB, M: M, N: hi - lo, K: K,
          A: a, lda: lda, B: transB ? b + lo * ldb : b + lo, ldb: ldb,
          C: c + lo, ldc: ldc, accumulate: accumulate, bias: bs.map { $0 + lo },
          residual: rs.map { $0 + lo }, ldr: ldr)
      }
    }
  }

  /// How `sgemm` would divide a product between threads: `"single"`, `"rows"` or `"columns"`.
  ///
  /// For tests and benchmarks; the split never changes the result.
  public static func sgemmThreadSplit(
    transA: Bool, M: Int, N: Int, K: Int, threads: Int
  ) -> String {
    let split = planSplit(transA: transA, M: M, N: N, K: K, threads: threads)
    return split.parts == 1 ? "single" : (split.byRows ? "rows" : "columns")
  }

  /// The micro-tile of this build: rows × columns of C kept in registers.
  public static func sgemmMicroTile() -> (rows: Int, columns: Int) { (tileRows, ISA.panelWidth) }
}

/// Chooses the number of parts and whether to cut C into row bands or column bands.
///
/// Cost model per thread, in multiply-adds: the tile work it computes (padded to whole tiles)
/// plus the elements of B it packs, weighted by `packCost` (a packed element costs about as much
/// time as 16 multiply-adds on the SIMD kernel). Row bands pack all of B in every thread; column
/// bands pack only their own panels but read all of A, which costs as much as packing when A is
/// transposed (strided reads or packing) and little otherwise. Ties go to rows. Measured: for
/// Aᵀ·B with 768×256×2048, rows ran at 132 GFLOP per CPU-second and columns at 95–115.
func planSplit(transA: Bool, M: Int, N: Int, K: Int, threads: Int) -> (parts: Int, byRows: Bool) {
  let t = max(1, min(threads, 64))
  if t == 1 || 2.0 * Double(M) * Double(N) * Double(K) < Double(parallelThresholdFLOPs) {
    return (1, true)
  }
  let packCost = 16.0
  let rowTiles = (M + tileRows - 1) / tileRows
  let panels = (N + ISA.panelWidth - 1) / ISA.panelWidth
  let rowParts = min(t, rowTiles)
  let colParts = min(t, panels)
  let k = Double(K)
  let rowsBusiest = Double(((rowTiles + rowParts - 1) / rowParts) * tileRows)
  let colsBusiest = Double(((panels + colParts - 1) / colParts) * ISA.panelWidth)
  let allCols = Double(panels * ISA.panelWidth)
  let allRows = Double(rowTiles * tileRows)
  let rowCost = rowsBusiest * allCols * k + packCost * k * allCols
  let readA = transA ? packCost : 1
  let colCost = allRows * colsBusiest * k + packCost * k * colsBusiest + readA * k * Double(M)
  if rowParts < 2 && colParts < 2 { return (1, true) }
  if colParts < 2 || (rowParts >= 2 && rowCost <= colCost) { return (rowParts, true) }
  return (colParts, false)
}

/// Whether to read B in place rather than pack it (B not transposed), and the same for A (A
/// transposed, so the 6 values a tile needs at each k are adjacent).
///
/// Packing costs about a load and a store per element and makes each panel contiguous; reading
/// in place saves that cost but strides through memory by the leading dimension, and strides of
/// 2–4 KiB send successive k rows to the same few L1 sets. Measured on the AVX-512 build (process
/// CPU time, 1 thread): B in place is faster while its stride is at most 128 floats or few row
/// tiles reuse each panel (M ≤ 96); Aᵀ in place is faster up to a stride of 256–320 floats
/// (64×64×2048: 165 against 83 GFLOP/s packed), about equal at 384, and slower from 512 on
/// (512³: 132 against 151; 768×256×2048: 136 against 148).
func packingPlan(transA: Bool, transB: Bool, M: Int, lda: Int, ldb: Int)
  -> (directA: Bool, directB: Bool)
{
  let directB = !transB && (ldb <= 128 || M <= 96)
  let directA = transA && lda < 384
  return (directA, directB)
}

/// One thread's blocked product over the whole of the given sub-problem.
func blockedGemm(
  transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
  A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
  C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
  bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, ldr: Int
) {
  let nr = ISA.panelWidth
  let plan = packingPlan(transA: transA, transB: transB, M: M, lda: lda, ldb: ldb)
  let kcMax = min(K, blockK)
  let ncMax = plan.directB ? nr : min((N + nr - 1) / nr * nr, blockN)
  let roundedM = (M + tileRows - 1) / tileRows * tileRows
  // Workspace: packed B block (or its one edge panel), packed A block (transA only), one scratch
  // tile, one panel width of zeros (the seed of unseeded rows or columns); 64-byte aligned.
  let bFloats = kcMax * ncMax
  let aFloats = transA && !plan.directA ? kcMax * min(roundedM, blockM) : 0
  let tileFloats = tileRows * nr
  let total = bFloats + aFloats + tileFloats + nr
  let bPack = threadWorkspace(floats: total)
  let aPack = bPack + bFloats
  let tile = aPack + aFloats
  let zeros = tile + tileFloats
  zeros.update(repeating: 0, count: nr)
  let seededFirst = residual != nil || bias != nil

  for jc in stride(from: 0, to: N, by: blockN) {
    let nb = min(blockN, N - jc)
    let panels = (nb + nr - 1) / nr
    // A ragged last panel exactly as wide as a narrow kernel (16 or 32 columns of the AVX-512
    // build) is read in place when B is; any other ragged panel is packed, zero-padded.
    let lastW = nb - (panels - 1) * nr
    let packLast = plan.directB && lastW != nr && kernelWidth(lastW, nr) != lastW
    for pc in stride(from: 0, to: K, by: blockK) {
      let kb = min(blockK, K - pc)
      // "beta = 0" on the first K block: store (or store the seed plus the product) instead of
      // zeroing C first; later blocks add into C.
      let add = accumulate || pc > 0
      if plan.directB {
        if packLast {
          let j = (panels - 1) * nr
          packB(B + pc * ldb + jc + j, ldb, kb, nb - j, nr, bPack)
        }
      } else if transB {
        packBTransposed(B + jc * ldb + pc, ldb, kb, nb, nr, bPack)
      } else {
        packB(B + pc * ldb + jc, ldb, kb, nb, nr, bPack)
      }
      for ic in stride(from: 0, to: M, by: blockM) {
        let mb = min(blockM, M - ic)
        if transA && !plan.directA { packATransposed(A + pc * lda + ic, lda, kb, mb, aPack) }
        for p in 0..<panels {
          let jr = p * nr
          let ncols = min(nr, nb - jr)
          let panel: UnsafeRawPointer
          let bs: Int
          if !plan.directB {
            panel = UnsafeRawPointer(bPack + p * kb * nr)
            bs = nr * 4
          } else if ncols == nr || !packLast {
            panel = UnsafeRawPointer(B + pc * ldb + jc + jr)
            bs = ldb * 4
          } else {
            panel = UnsafeRawPointer(bPack)
            bs = nr * 4
          }
          let width = kernelWidth(ncols, nr)
          for ir in stride(from: 0, to: mb, by: tileRows) {
            let mr = min(tileRows, mb - ir)
            let a: UnsafePointer<Float>
            let rs: Int
            let ks: Int
            if !transA {
              a = A + (ic + ir) * lda + pc
              rs = lda
              ks = 1
            } else if plan.directA {
              a = A + pc * lda + ic + ir
              rs = 1
              ks = lda
            } else {
              a = UnsafePointer(aPack + (ir / tileRows) * kb * tileRows)
              rs = 1
              ks = tileRows
            }
            let c = C + (ic + ir) * ldc + jc + jr
            // The seed of this tile: C itself when adding, else residual and/or bias (zeros
            // standing in for the missing one), else nothing.
            var s: UnsafePointer<Float>? = nil
            var sld = 0
            var sb = UnsafePointer(zeros)
            if add {
              s = UnsafePointer(c)
              sld = ldc
            } else if seededFirst {
              if let residual {
                s = residual + (ic + ir) * ldr + jc + jr
                sld = ldr
              } else {
                s = UnsafePointer(zeros)
              }
              if let bias { sb = bias + jc + jr }
            }
            if mr == tileRows && ncols == width {
              // Whole tile (or a whole narrow edge tile): the kernel stores into C directly.
              runKernel(width, kb, a, rs, ks, mr, panel, bs, c, ldc, s, sld, sb)
            } else {
              // Edge tile: computed into the scratch tile with the same operations, then copied.
              runKernel(width, kb, a, rs, ks, mr, panel, bs, tile, nr, nil, 0, sb)
              for r in 0..<mr {
                copyRow(ncols, c + r * ldc, tile + r * nr, s.map { $0 + r * sld }, sb)
              }
            }
          }
        }
      }
    }
  }
}

/// Runs the micro-kernel of this build that is `width` columns wide (the full `ISA.panelWidth`,
/// or a narrow AVX-512 one); `s`, `sld` (in floats) and `sb` are the seed as in the kernels.
@inline(__always)
func runKernel(
  _ width: Int, _ kc: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ ks: Int, _ mr: Int,
  _ b: UnsafeRawPointer, _ bs: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
  _ s: UnsafePointer<Float>?, _ sld: Int, _ sb: UnsafePointer<Float>
) {
  let sr = s.map { UnsafeRawPointer($0) }
  let sbr = UnsafeRawPointer(sb)
  if width == ISA.panelWidth {
    kernel(kc, a, rs, ks, mr, b, bs, c, ldc, sr, sld &* 4, sbr)
  } else if width == 16 {
    kernel6x16z(kc, a, rs, ks, mr, b, bs, c, ldc, sr, sld &* 4, sbr)
  } else {
    kernel6x32(kc, a, rs, ks, mr, b, bs, c, ldc, sr, sld &* 4, sbr)
  }
}

/// `dst[j] = (s[j] + b[j]) + src[j]` (or `src[j]` when `s` is nil) for j < n: an edge tile's
/// row, with the kernels' per-element operations.
@inline(__always)
func copyRow(
  _ n: Int, _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>,
  _ s: UnsafePointer<Float>?, _ b: UnsafePointer<Float>
) {
  typealias V = SIMD16<Float>
  var j = 0
  if let s {
    while j + 16 <= n {
      let seed = UnsafeRawPointer(s + j).loadUnaligned(as: V.self)
        + UnsafeRawPointer(b + j).loadUnaligned(as: V.self)
      let v = seed + UnsafeRawPointer(src + j).loadUnaligned(as: V.self)
      UnsafeMutableRawPointer(dst + j).storeBytes(of: v, as: V.self)
      j += 16
    }
    while j < n {
      dst[j] = (s[j] + b[j]) + src[j]
      j += 1
    }
  } else {
    dst.update(from: src, count: n)
  }
}

/// The calling thread's GEMM workspace, at least `floats` floats, 64-byte aligned.
///
/// Kept per thread (a POSIX thread-specific pointer, freed when the thread exits) and grown on
/// demand, so the many small products of a training step (attention bands, row bands) do not
/// each go through malloc and free; `blockedGemm` never runs nested on one thread, so one buffer
/// per thread suffices. Layout of the block: a 64-byte header holding the capacity, then data.
func threadWorkspace(floats: Int) -> UnsafeMutablePointer<Float> {
  let key = workspaceKey
  if let block = pthread_getspecific(key) {
    let capacity = block.load(as: Int.self)
    if capacity >= floats { return (block + 64).assumingMemoryBound(to: Float.self) }
    free(block)
  }
  let capacity = max(floats, 16_384)
  var block: UnsafeMutableRawPointer? = nil
  guard posix_memalign(&block, 64, 64 + capacity * 4) == 0, let block else {
    preconditionFailure("sgemm: out of memory for a \(capacity)-float workspace")
  }
  block.storeBytes(of: capacity, as: Int.self)
  pthread_setspecific(key, block)
  return (block + 64).bindMemory(to: Float.self, capacity: capacity)
}

/// The thread-specific key of `threadWorkspace` (created once, on first use).
let workspaceKey: pthread_key_t = {
  var key = pthread_key_t()
  let status = pthread_key_create(&key) { block in free(block) }
  precondition(status == 0, "sgemm: pthread_key_create failed")
  return key
}()

/// Runs this build's full-width micro-kernel on one tile.
@inline(__always)
func kernel(
  _ kc: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ ks: Int, _ mr: Int,
  _ b: UnsafeRawPointer, _ bs: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
  _ s: UnsafeRawPointer?, _ sls: Int, _ sb: UnsafeRawPointer
) {
  switch ISA.panelWidth {
  case 64: kernel6x64(kc, a, rs, ks, mr, b, bs, c, ldc, s, sls, sb)
  case 16: kernel6x16(kc, a, rs, ks, mr, b, bs, c, ldc, s, sls, sb)
  default: kernel6x8(kc, a, rs, ks, mr, b, bs, c, ldc, s, sls, sb)
  }
}

/// Columns of a panel with `w` valid columns that the micro-kernel reads: the narrow AVX-512
/// kernels (16 or 32 columns) read no further, so only that much needs zero padding.
@inline(__always)
func kernelWidth(_ w: Int, _ nr: Int) -> Int {
  nr == 64 ? (w <= 16 ? 16 : (w <= 32 ? 32 : 64)) : nr
}

/// Packs `B[0..<kb, 0..<nb]` (row-major, leading dimension `ldb`) into k-major panels `nr` wide:
/// panel p holds `dst[p·kb·nr + k·nr + j] = B[k, p·nr + j]`, zero past column `nb` (up to the
/// kernel's width).
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
        for j in w..<kernelWidth(w, nr) { d[j] = 0 }
      }
    }
  }
}

/// Packs op(B) = Bᵀ where `B` is stored N×K: `dst[p·kb·nr + k·nr + j] = B[p·nr + j, k]`.
///
/// Full 16×16 blocks are transposed in registers (`transpose16`); the ragged rest is copied one
/// element at a time, in 16-k slices so the scattered writes stay in L1.
func packBTransposed(
  _ B: UnsafePointer<Float>, _ ldb: Int, _ kb: Int, _ nb: Int, _ nr: Int,
  _ dst: UnsafeMutablePointer<Float>
) {
  let panels = (nb + nr - 1) / nr
  let slice = 16
  let fastK = nr % 16 == 0 ? kb / 16 * 16 : 0
  for p in 0..<panels {
    let w = min(nr, nb - p * nr)
    let d = dst + p * kb * nr
    let fastJ = nr % 16 == 0 ? w / 16 * 16 : 0
    for k0 in stride(from: 0, to: fastK, by: 16) {
      for j0 in stride(from: 0, to: fastJ, by: 16) {
        transpose16(B + (p * nr + j0) * ldb + k0, ldb, d + k0 * nr + j0, nr)
      }
    }
    for k0 in stride(from: 0, to: kb, by: slice) {
      let k1 = min(kb, k0 + slice)
      let jStart = k0 < fastK ? fastJ : 0
      for j in jStart..<w {
        let s = B + (p * nr + j) * ldb
        for k in k0..<k1 { d[k * nr + j] = s[k] }
      }
      for j in w..<kernelWidth(w, nr) {
        for k in k0..<k1 { d[k * nr + j] = 0 }
      }
    }
  }
}

/// Writes the transpose of the 16×16 block at `src` (row stride `lds`) to `dst` (row stride
/// `ldd`): `dst[k·ldd + j] = src[j·lds + k]`.
///
/// Four rounds of the perfect unshuffle (even lanes of a row pair, then odd lanes) rotate the
/// 8-bit element index by 4 bits, which swaps row and column.
@inline(__always)
func transpose16(
  _ src: UnsafePointer<Float>, _ lds: Int, _ dst: UnsafeMutablePointer<Float>, _ ldd: Int
) {
  typealias V = SIMD16<Float>
  let s = UnsafeRawPointer(src)
  var r0 = s.loadUnaligned(as: V.self)
  var r1 = (s + 1 &* lds &* 4).loadUnaligned(as: V.self)
  var r2 = (s + 2 &* lds &* 4).loadUnaligned(as: V.self)
  var r3 = (s + 3 &* lds &* 4).loadUnaligned(as: V.self)
  var r4 = (s + 4 &* lds &* 4).loadUnaligned(as: V.self)
  var r5 = (s + 5 &* lds &* 4).loadUnaligned(as: V.self)
  var r6 = (s + 6 &* lds &* 4).loadUnaligned(as: V.self)
  var r7 = (s + 7 &* lds &* 4).loadUnaligned(as: V.self)
  var r8 = (s + 8 &* lds &* 4).loadUnaligned(as: V.self)
  var r9 = (s + 9 &* lds &* 4).loadUnaligned(as: V.self)
  var r10 = (s + 10 &* lds &* 4).loadUnaligned(as: V.self)
  var r11 = (s + 11 &* lds &* 4).loadUnaligned(as: V.self)
  var r12 = (s + 12 &* lds &* 4).loadUnaligned(as: V.self)
  var r13 = (s + 13 &* lds &* 4).loadUnaligned(as: V.self)
  var r14 = (s + 14 &* lds &* 4).loadUnaligned(as: V.self)
  var r15 = (s + 15 &* lds &* 4).loadUnaligned(as: V.self)
  for _ in 0..<4 {
    let z0 = SIMD32(lowHalf: r0, highHalf: r1), z1 = SIMD32(lowHalf: r2, highHalf: r3)
    let z2 = SIMD32(lowHalf: r4, highHalf: r5), z3 = SIMD32(lowHalf: r6, highHalf: r7)
    let z4 = SIMD32(lowHalf: r8, highHalf: r9), z5 = SIMD32(lowHalf: r10, highHalf: r11)
    let z6 = SIMD32(lowHalf: r12, highHalf: r13), z7 = SIMD32(lowHalf: r14, highHalf: r15)
    r0 = z0.evenHalf; r1 = z1.evenHalf; r2 = z2.evenHalf; r3 = z3.evenHalf
    r4 = z4.evenHalf; r5 = z5.evenHalf; r6 = z6.evenHalf; r7 = z7.evenHalf
    r8 = z0.oddHalf; r9 = z1.oddHalf; r10 = z2.oddHalf; r11 = z3.oddHalf
    r12 = z4.oddHalf; r13 = z5.oddHalf; r14 = z6.oddHalf; r15 = z7.oddHalf
  }
  let d = UnsafeMutableRawPointer(dst)
  let row = ldd &* 4
  d.storeBytes(of: r0, as: V.self); (d + row).storeBytes(of: r1, as: V.self)
  (d + 2 &* row).storeBytes(of: r2, as: V.self); (d + 3 &* row).storeBytes(of: r3, as: V.self)
  (d + 4 &* row).storeBytes(of: r4, as: V.self); (d + 5 &* row).storeBytes(of: r5, as: V.self)
  (d + 6 &* row).storeBytes(of: r6, as: V.self); (d + 7 &* row).storeBytes(of: r7, as: V.self)
  (d + 8 &* row).storeBytes(of: r8, as: V.self); (d + 9 &* row).storeBytes(of: r9, as: V.self)
  (d + 10 &* row).storeBytes(of: r10, as: V.self); (d + 11 &* row).storeBytes(of: r11, as: V.self)
  (d + 12 &* row).storeBytes(of: r12, as: V.self); (d + 13 &* row).storeBytes(of: r13, as: V.self)
  (d + 14 &* row).storeBytes(of: r14, as: V.self); (d + 15 &* row).storeBytes(of: r15, as: V.self)
}

/// Packs rows of op(A) = Aᵀ (A stored K×M) into 6-row k-major panels:
/// `dst[q·kb·6 + k·6 + r] = A[k, 6q + r]`, zero past row `mb`.
///
/// Works in slices of 16 k so the source rows and the written panel pieces stay in L1.
func packATransposed(
  _ A: UnsafePointer<Float>, _ lda: Int, _ kb: Int, _ mb: Int, _ dst: UnsafeMutablePointer<Float>
) {
  let tiles = (mb + tileRows - 1) / tileRows
  let full = mb / tileRows
  let slice = 16
  for k0 in stride(from: 0, to: kb, by: slice) {
    let k1 = min(kb, k0 + slice)
    for q in 0..<full {
      // 6 floats per k as one 4-float and one 2-float move, unchecked index arithmetic.
      var d = UnsafeMutableRawPointer(dst + q &* kb &* tileRows + k0 &* tileRows)
      var sk = UnsafeRawPointer(A + q &* tileRows + k0 &* lda)
      let step = lda &* 4
      for _ in k0..<k1 {
        d.storeBytes(of: sk.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
        d.storeBytes(
          of: sk.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self), toByteOffset: 16,
          as: SIMD2<Float>.self)
        d += tileRows &* 4
        sk += step
      }
    }
    if full < tiles {
      let d = dst + full * kb * tileRows
      for k in k0..<k1 {
        for r in 0..<tileRows {
          let i = full * tileRows + r
          d[k * tileRows + r] = i < mb ? A[k * lda + i] : 0
        }
      }
    }
  }
}
