// libm entry points for the inlinable samplers (Foundation's log, sin, cos are these functions).
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@inlinable func _log(_ x: Double) -> Double { log(x) }
@inlinable func _sin(_ x: Double) -> Double { sin(x) }
@inlinable func _cos(_ x: Double) -> Double { cos(x) }
