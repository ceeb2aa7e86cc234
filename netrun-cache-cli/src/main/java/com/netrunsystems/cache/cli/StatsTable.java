package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.CacheStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link CacheStats} snapshot as an aligned two-column table, one statistic a row; counts
 * with thousands separators ({@code 1,234,567}).
 * Stateless and thread-safe.
 */
final class StatsTable {

    static final String METRIC_HEADER = "Metric";
    static final String VALUE_HEADER = "Value";

    private StatsTable() {
    }

    /** Prints {@code stats} to {@code out}, each line starting with {@code indent}. */
    static void print(PrintWriter out, CacheStats stats, String indent) {
        List<String[]> rows = rows(stats);
        int labelWidth = METRIC_HEADER.length();
        int valueWidth = VALUE_HEADER.length();
        for (String[] row : rows) {
            labelWidth = Math.max(labelWidth, row[0].length());
            valueWidth = Math.max(valueWidth, row[1].length());
        }
        String format = indent + "%-" + labelWidth + "s  %s%n";
        out.printf(Locale.ROOT, format, METRIC_HEADER, VALUE_HEADER);
        out.printf(Locale.ROOT, format, "-".repeat(labelWidth), "-".repeat(valueWidth));
        for (String[] row : rows) {
            out.printf(Locale.ROOT, format, row[0], row[1]);
        }
    }

    /** Returns {@code value} with thousands separators, {@code 1,234,567}, whatever the default locale. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Returns the rows, label then value, in the order the Python package's {@code CacheStats} lists them. */
    static List<String[]> rows(CacheStats stats) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Namespace", stats.namespace()});
        rows.add(new String[] {"Backend", stats.backend()});
        rows.add(new String[] {"Hits", count(stats.hits())});
        rows.add(new String[] {"Misses", count(stats.misses())});
        rows.add(new String[] {"Total requests", count(stats.totalRequests())});
        rows.add(new String[] {"Hit rate", String.format(Locale.ROOT, "%.2f %%", stats.hitRatePercent())});
        rows.add(new String[] {"Cached keys", count(stats.cachedKeys())});
        rows.add(new String[] {"Evictions", count(stats.evictions())});
        rows.add(new String[] {"Errors", count(stats.errors())});
        rows.add(new String[] {"Loads", count(stats.loads())});
        rows.add(new String[] {"Load failures", count(stats.loadFailures())});
        rows.add(new String[] {"Connected", stats.connected() ? "yes" : "no"});
        return rows;
    }
}
