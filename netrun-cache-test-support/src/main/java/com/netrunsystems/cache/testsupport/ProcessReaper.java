package com.netrunsystems.cache.testsupport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one piece of static state in this module: the processes started here that are still running, so that a JVM
 * shutdown hook can kill them if a test run ends (or crashes) without closing its servers.
 */
final class ProcessReaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "netrun-redis-process-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(Process process) {
        LIVE.add(process);
    }

    static void unregister(Process process) {
        LIVE.remove(process);
    }

    private static void killAll() {
        for (Process process : LIVE) {
            process.destroyForcibly();
        }
    }
}
