import Glibc

/// A monotonic clock in nanoseconds, cheap enough to read on every call and comparable across
/// the tasks and threads of one process.
enum Monotonic {
    static func nanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
