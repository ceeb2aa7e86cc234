package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StatsTableTest {

    @Test
    void print_largeCounts_haveThousandsSeparatorsWhateverTheLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // would print 1.234.567 if the table used the default locale
        try {
            CacheStats stats = CacheStats.of("ns", CacheBackend.REDIS, true, 1_234_567, 89, 12_345, 1_000, 0, 42, 0, 0, 0);
            StringWriter text = new StringWriter();
            StatsTable.print(new PrintWriter(text, true), stats, "");

            assertThat(text.toString())
                    .containsPattern("Hits +1,234,567\n")
                    .containsPattern("Misses +89\n")
                    .containsPattern("Total requests +1,234,656\n")
                    .containsPattern("Cached keys +12,345\n")
                    .containsPattern("Evictions +1,000\n");
        } finally {
            Locale.setDefault(before);
        }
    }
}
