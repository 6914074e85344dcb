import Foundation

/// A horizontal bar chart as inline SVG (no script, no network), for the HTML export (internal:
/// only the export draws one).
struct SVGBarChart: Sendable {
    var bars: [Bar]
    /// The value of a full bar; bars are drawn in proportion to it.
    var maximum: Decimal
    /// An optional vertical marker (e.g. elapsed time) in the same scale.
    var marker: (value: Decimal, label: String)?

    /// The `<svg>` element.
    func render() -> String {
        // Columns sized to their longest text (about 7 px per column at 13 px), so long English
        // labels and figures never run into the bars or each other.
        let labelWidth = Double(max(120, (bars.map { DisplayWidth.of($0.label) }.max() ?? 0) * 7 + 16))
        let textWidth = Double(max(120, (bars.map { DisplayWidth.of($0.text) }.max() ?? 0) * 7 + 12))
        let barWidth = 420.0, rowHeight = 26.0, top = marker == nil ? 8.0 : 24.0
        let height = top + Double(bars.count) * rowHeight + 8
        let scale = maximum > 0 ? maximum : 1
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + barWidth + textWidth))\" height=\"\(Int(height))\" role=\"img\">"
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowHeight
            let fraction = min(max(NSDecimalNumber(decimal: bar.value / scale).doubleValue, 0), 1)
            svg += "<text x=\"\(Int(labelWidth - 8))\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\">\(HTMLExport.escape(bar.label))</text>"
            svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(y + 4)\" width=\"\(Int(barWidth))\" height=\"18\" fill=\"#eee\"/>"
            svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(y + 4)\" width=\"\(String(format: "%.1f", barWidth * fraction))\" height=\"18\" fill=\"\(bar.color)\"/>"
            svg += "<text x=\"\(Int(labelWidth + barWidth + 6))\" y=\"\(y + 17)\" font-size=\"13\">\(HTMLExport.escape(bar.text))</text>"
        }
        if let marker {
            let fraction = min(max(NSDecimalNumber(decimal: marker.value / scale).doubleValue, 0), 1)
            let x = labelWidth + barWidth * fraction
            svg += "<line x1=\"\(String(format: "%.1f", x))\" y1=\"14\" x2=\"\(String(format: "%.1f", x))\" y2=\"\(Int(height))\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>"
            svg += "<text x=\"\(String(format: "%.1f", x))\" y=\"11\" text-anchor=\"middle\" font-size=\"11\">\(HTMLExport.escape(marker.label))</text>"
        }
        return svg + "</svg>"
    }
}

extension SVGBarChart {
    /// One labelled bar: its label, its value in the chart's scale, the figure printed beside it,
    /// and its fill colour.
    struct Bar: Sendable {
        var label: String
        var value: Decimal
        var text: String
        var color: String
    }
}
