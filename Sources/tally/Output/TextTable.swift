import TallyPresentation

/// Plain text tables whose columns stay aligned with Chinese text (two columns per CJK character).
enum TextTable {
    /// Renders a header and rows; `rightAligned` lists the columns aligned right (numbers).
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var widths = header.map(DisplayWidth.of)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                DisplayWidth.fit(cell, to: widths[min(index, widths.count - 1)], alignRight: rightAligned.contains(index))
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}
