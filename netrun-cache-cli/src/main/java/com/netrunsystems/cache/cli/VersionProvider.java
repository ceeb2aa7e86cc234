package com.netrunsystems.cache.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Prints the netrun-cache version, read from {@code version.properties} (filled in by the build),
 * and the JVM that runs it. Stateless and thread-safe.
 */
final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "version.properties";

    /** Returns the project version, or {@code "unknown"} when the build did not record one. */
    static String projectVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "netrun-cache " + projectVersion(),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
            "OS: ${os.name} ${os.version} ${os.arch}"
        };
    }
}
