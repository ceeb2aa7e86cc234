package com.netrunsystems.cache.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes what {@link SoakRun} measured: {@code soak.csv} in the output directory and
 * {@code docs/reliability-soak.csv}, the plot {@code docs/reliability-soak.png} (four XChart panels
 * drawn into one image) and the figures between {@code <!-- soak:begin -->} and
 * {@code <!-- soak:end -->} in {@code docs/reliability.md}, which it creates when missing.
 */
final class SoakReport {

    static final String BEGIN = "<!-- soak:begin -->";
    static final String END = "<!-- soak:end -->";

    /** One sample window: the counts are for the window, the gauges at its end. */
    record Sample(long second, double heapMb, int threads, long connections, long calls, long errors, long threw,
            long counterThrew, double longestMs, String faults, String longestCall) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%.1f,%d,%d,%d,%d,%d,%d,%.1f,%s,%s", second, heapMb, threads,
                    connections, calls, errors, threw, counterThrew, longestMs, faults, longestCall);
        }
    }

    private final SoakRun.Options options;
    private final List<Sample> samples;

    SoakReport(SoakRun.Options options, List<Sample> samples) {
        this.options = options;
        this.samples = samples;
    }

    /** Reads the samples of a {@code soak.csv} this class wrote, to render the report again. */
    static List<Sample> readCsv(Path csv) throws IOException {
        List<Sample> samples = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            samples.add(new Sample(Long.parseLong(f[0]), Double.parseDouble(f[1]), Integer.parseInt(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                    Long.parseLong(f[7]), Double.parseDouble(f[8]), f[9], f.length > 10 ? f[10] : ""));
        }
        return samples;
    }

    void write() throws IOException {
        Files.createDirectories(options.out);
        Files.createDirectories(options.docs);
        List<String> csv = new ArrayList<>();
        csv.add("second,heap_mb_after_gc,threads,connections,calls,errors,threw,counter_threw,longest_ms,faults,longest_call");
        samples.forEach(sample -> csv.add(sample.csv()));
        Files.write(options.out.resolve("soak.csv"), csv, StandardCharsets.UTF_8);
        Files.write(options.docs.resolve("reliability-soak.csv"), csv, StandardCharsets.UTF_8);
        plot(options.docs.resolve("reliability-soak.png"));
        Path md = options.docs.resolve("reliability.md");
        String text = Files.exists(md) ? Files.readString(md) : "# Reliability\n\n" + BEGIN + "\n" + END + "\n";
        Files.writeString(md, replaceSection(text, section()), StandardCharsets.UTF_8);
        System.out.println(section());
    }

    /** Replaces what stands between the markers, or appends the section when the markers are missing. */
    static String replaceSection(String text, String section) {
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            return text + "\n" + BEGIN + "\n" + section + END + "\n";
        }
        return text.substring(0, begin + BEGIN.length()) + "\n" + section + text.substring(end);
    }

    private String section() {
        List<Sample> steady = samples.subList(1, samples.size()); // the first is the start, before any load
        long calls = steady.stream().mapToLong(Sample::calls).sum();
        long errors = steady.stream().mapToLong(Sample::errors).sum();
        long threw = steady.stream().mapToLong(Sample::threw).sum();
        long counterThrew = steady.stream().mapToLong(Sample::counterThrew).sum();
        List<Sample> running = steady.subList(Math.min(1, steady.size()), steady.size()); // after the first window
        double longestFirst = steady.isEmpty() ? 0 : steady.get(0).longestMs();
        Sample slowest = running.stream().max(java.util.Comparator.comparingDouble(Sample::longestMs)).orElse(null);
        double longest = slowest == null ? 0 : slowest.longestMs();
        double longestQuiet = 0; // windows with no fault in them nor in the window before (a stall spills over)
        for (int i = 1; i < steady.size(); i++) {
            if (steady.get(i).faults().isEmpty() && steady.get(i - 1).faults().isEmpty()) {
                longestQuiet = Math.max(longestQuiet, steady.get(i).longestMs());
            }
        }
        Map<String, Integer> faults = new TreeMap<>();
        steady.forEach(s -> {
            for (String fault : s.faults().split("\\+")) {
                if (!fault.isEmpty()) {
                    faults.merge(fault, 1, Integer::sum);
                }
            }
        });
        int third = Math.max(1, steady.size() / 3);
        double heapFirst = median(steady.subList(0, third), Sample::heapMb);
        double heapLast = median(steady.subList(steady.size() - third, steady.size()), Sample::heapMb);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run %s, revision `%s`, %s: %s of load on %d threads, a fault every %s, "
                + "a sample every %s (socketTimeout %d ms).%n%n",
                options.date != null ? options.date
                        : ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                options.revision, options.machine, human(options.duration), options.threads, human(options.faultEvery),
                human(options.sampleEvery), SoakRun.SOCKET_TIMEOUT.toMillis()));
        md.append("| figure | first | last | min | max |\n|---|---|---|---|---|\n");
        gauge(md, "heap after GC (MB)", steady, Sample::heapMb);
        gauge(md, "live threads", steady, s -> s.threads());
        gauge(md, "client connections (CLIENT LIST, -1 while restarting)", steady, s -> s.connections());
        md.append(String.format(Locale.ROOT, "%nHeap after GC, median of the first third %.1f MB, of the last third "
                + "%.1f MB (%+.1f MB).%n%n", heapFirst, heapLast, heapLast - heapFirst));
        md.append("| total | value |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| faults injected | %s |%n", faults.isEmpty() ? "none" : faults));
        md.append(String.format(Locale.ROOT, "| calls | %,d (%,.0f/s) |%n", calls,
                calls / (double) Math.max(1, options.duration.toSeconds())));
        md.append(String.format(Locale.ROOT, "| errors counted by the caches (`stats().errors()`) | %,d |%n", errors));
        md.append(String.format(Locale.ROOT, "| exceptions from fail-open operations (must be 0) | %,d |%n", threw));
        md.append(String.format(Locale.ROOT, "| `CacheUnavailableException` from `increment` (allowed) | %,d |%n",
                counterThrew));
        md.append(String.format(Locale.ROOT, "| longest call, first window (connecting, JIT) | %.0f ms |%n",
                longestFirst));
        md.append(String.format(Locale.ROOT, "| longest call, any later window | %.0f ms%s |%n", longest,
                slowest == null || slowest.longestCall().isEmpty() ? "" : " (`" + slowest.longestCall() + "`, at "
                        + slowest.second() + " s" + (slowest.faults().isEmpty() ? "" : ", " + slowest.faults()) + ")"));
        md.append(String.format(Locale.ROOT, "| longest call, windows with no fault in them or the one before | %.0f ms |%n%n",
                longestQuiet));
        md.append("![Soak: heap after GC, threads, connections, errors and longest call per sample]"
                + "(reliability-soak.png)\n\nEvery sample: [reliability-soak.csv](reliability-soak.csv).\n");
        return md.toString();
    }

    private static void gauge(StringBuilder md, String name, List<Sample> samples, ToDoubleFunction<Sample> value) {
        double min = samples.stream().mapToDouble(value).min().orElse(0);
        double max = samples.stream().mapToDouble(value).max().orElse(0);
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", name,
                value.applyAsDouble(samples.get(0)), value.applyAsDouble(samples.get(samples.size() - 1)), min, max));
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] sorted = samples.stream().mapToDouble(value).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static String human(java.time.Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** Draws four panels (heap, threads and connections, errors, longest call) into one PNG. */
    private void plot(Path file) throws IOException {
        List<XYChart> charts = List.of(
                chart("Heap after GC (MB)", Map.of("heap after GC", Sample::heapMb)),
                chart("Threads and connections", Map.of("live threads", s -> s.threads(),
                        "client connections", s -> s.connections())),
                chart("Per sample: errors counted, fail-open exceptions", Map.of("errors counted", s -> s.errors(),
                        "fail-open threw", s -> s.threw())),
                chart("Longest call per sample (ms)", Map.of("longest call", Sample::longestMs)));
        int width = 600;
        int height = 320;
        BufferedImage image = new BufferedImage(width * 2, height * 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % 2) * width, (i / 2) * height, null);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private XYChart chart(String title, Map<String, ToDoubleFunction<Sample>> series) {
        XYChart chart = new XYChartBuilder().width(600).height(320).title(title).xAxisTitle("seconds").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(0.0); // from zero, so that flat looks flat
        double[] x = samples.stream().mapToDouble(Sample::second).toArray();
        new TreeMap<>(series).forEach((name, value) -> chart.addSeries(name, x,
                samples.stream().mapToDouble(value).toArray()).setMarker(SeriesMarkers.CIRCLE));
        return chart;
    }
}
