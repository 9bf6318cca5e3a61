package dev.vdb.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a run with XChart, in the style of ann-benchmarks. Stateless. */
public final class Charts {

    private Charts() {}

    /** Recall (x) versus queries/s (log y), one line per engine. */
    public static void recallVsQps(List<EngineResult> results, String title, Path png) throws IOException {
        write(results, title, "queries/s (1 thread, log scale)", SweepPoint::qps, png);
    }

    /** Recall (x) versus p99 latency in microseconds (log y), one line per engine. */
    public static void recallVsP99(List<EngineResult> results, String title, Path png) throws IOException {
        write(results, title, "p99 latency, µs (log scale)", SweepPoint::p99Micros, png);
    }

    private static void write(List<EngineResult> results, String title, String yTitle,
                              ToDoubleFunction<SweepPoint> y, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
                .xAxisTitle("recall@k").yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (EngineResult r : results) {
            if (!r.ran() || r.sweep().isEmpty()) {
                continue;
            }
            double[] xs = r.sweep().stream().mapToDouble(SweepPoint::recall).toArray();
            double[] ys = r.sweep().stream().mapToDouble(y).toArray();
            XYSeries series = chart.addSeries(r.engine(), xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
            if (xs.length == 1) {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
