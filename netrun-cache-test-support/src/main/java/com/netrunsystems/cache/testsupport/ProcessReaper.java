package com.netrunsystems.cache.testsupport;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one piece of static state in this module: the processes started here that are still running and the temporary
 * directories not yet deleted, so that a JVM shutdown hook can kill and delete them if a test run ends (or crashes)
 * without closing its servers. Thread-safe.
 */
final class ProcessReaper {

    private static final Set<Process> LIVE_PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> LIVE_DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::reap, "netrun-redis-process-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(Process process) {
        LIVE_PROCESSES.add(process);
    }

    static void unregister(Process process) {
        LIVE_PROCESSES.remove(process);
    }

    static void registerDirectory(Path directory) {
        LIVE_DIRECTORIES.add(directory);
    }

    static void unregisterDirectory(Path directory) {
        LIVE_DIRECTORIES.remove(directory);
    }

    private static void reap() {
        for (Process process : LIVE_PROCESSES) {
            process.destroyForcibly();
        }
        for (Process process : LIVE_PROCESSES) {
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Path directory : LIVE_DIRECTORIES) {
            TempDirectories.deleteRecursively(directory);
        }
    }
}
