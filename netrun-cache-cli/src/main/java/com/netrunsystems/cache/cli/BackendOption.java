package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.CacheBackend;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses and lists the values of a {@code --backend} option as the seed spells them
 * ({@code memory}, {@code redis}, {@code multi_layer}, any case). Shared by every subcommand that
 * takes a backend. Stateless and thread-safe.
 */
final class BackendOption {

    private BackendOption() {
    }

    /** Converts {@code memory|redis|multi_layer} to a {@link CacheBackend}, with a message listing them otherwise. */
    static final class Converter implements ITypeConverter<CacheBackend> {
        @Override
        public CacheBackend convert(String value) {
            try {
                return CacheBackend.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The accepted names, for {@code ${COMPLETION-CANDIDATES}} in the help and for shell completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(CacheBackend.values()).map(CacheBackend::wireName).iterator();
        }
    }
}
