import Foundation

/// Keys pressed in the terminal, read in raw mode on a thread of their own (the terminal's mode is
/// restored by `stop()`, or when `onKey` answers false: the process then exits). Arrow keys
/// arrive as "left"/"right".
final class KeyReader: Sendable {
    /// The terminal's mode before raw mode, restored by `stop()`.
    private let saved: termios
    private let active: Bool

    /// Starts reading when standard input is a terminal; `onKey` runs on the reader's thread.
    init(onKey: @escaping @Sendable (String) -> Bool) {
        var current = termios()
        active = isatty(0) == 1 && tcgetattr(0, &current) == 0
        saved = current
        guard active else { return }
        var raw = current
        let before = current
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(0, TCSANOW, &raw)
        Thread.detachNewThread {
            var pending: [UInt8] = []
            var byte: UInt8 = 0
            while read(0, &byte, 1) == 1 {
                pending.append(byte)
                if pending == [0x1B] || pending == [0x1B, 0x5B] { continue }
                let key = switch pending {
                case [0x1B, 0x5B, 0x43]: "right"
                case [0x1B, 0x5B, 0x44]: "left"
                default: String(decoding: pending, as: UTF8.self)
                }
                pending.removeAll()
                if !onKey(key) {
                    var restore = before
                    tcsetattr(0, TCSANOW, &restore)
                    Console.write("\n")
                    exit(0)
                }
            }
        }
    }

    /// Puts the terminal back as it was.
    func stop() {
        guard active else { return }
        var restore = saved
        tcsetattr(0, TCSANOW, &restore)
    }
}
