import Glibc

/// Writes every byte of `bytes` to `fd`, retrying after interruptions and short writes. Returns nil
/// once all is written, else the `errno` of the write that failed (the caller decides what a closed
/// reader means: the CLI ends quietly, the server's log carries on).
func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written >= 0 {
            offset += written
        } else if errno != EINTR {
            return errno
        }
    }
    return nil
}
