// Sources/KernelsShared is the one source of MiniGPT's kernels; no target owns it. KernelsPortable,
// KernelsAVX2 and KernelsAVX512 each hold their own ISA.swift (what the instruction set has) and
// `Shared`, a link to this folder, so the same files are compiled three times with three
// instruction sets (SwiftPM refuses to list one file in two targets). MiniGPT's `KernelSet`
// protocol names every public function below, and MiniGPT picks one build at run time from the
// CPU's features.

/// This build's kernels: the blocked SGEMM (Gemm.swift) and the other inner loops
/// (NNKernels.swift), as static functions.
public enum Kernels: Sendable {}
