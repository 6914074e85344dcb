import Foundation

/// The terminal's size in columns and rows (standard output), or nil when it is not a terminal.
enum TerminalSize {
    static func current() -> (columns: Int, rows: Int)? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }
}
