package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * One throwaway standalone {@code redis-server} process on a free port of 127.0.0.1, with its config, log and data in
 * its own temporary directory. It runs without persistence ({@code save ""}, {@code appendonly no}) and logs to
 * {@link #logFile()}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     String uri = redis.uri();          // redis://127.0.0.1:PORT
 *     redis.resetStats();
 *     // ... exercise the code under test ...
 *     assertThat(redis.commandStats()).containsEntry("mget", 1L);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Administrative calls ({@link #flushAll()}, {@link #commandStats()}, {@link #execute}) open a short
 * connection of their own, authenticated as the {@code default} user with {@link RedisServerOptions#requirePass()}.
 */
public final class RedisServer implements AutoCloseable {

    /** The only address servers bind to and clients should use. */
    public static final String HOST = "127.0.0.1";

    private static final System.Logger LOG = System.getLogger(RedisServer.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(5);
    private static final int FREE_PORT_ATTEMPTS = 5;

    private final RedisServerOptions options;
    private final RedisExecutables executables;
    private final Path directory;
    private final TlsMaterial tls;
    private final int port;
    private final RedisProcess process;
    private final RedisFaults faults = new RedisFaults(this);
    private boolean stopped;

    private RedisServer(RedisServerOptions options, RedisExecutables executables, Path directory, TlsMaterial tls,
                        int port) {
        this.options = options;
        this.executables = executables;
        this.directory = directory;
        this.tls = tls;
        this.port = port;
        List<String> command = List.of(executables.redisServer().toString(), configFile().toString());
        this.process = new RedisProcess("redis-server " + HOST + ":" + port, command, directory, logFile());
    }

    /** Starts a plain server on a free port and waits until it answers PING. */
    public static RedisServer start() {
        return start(RedisServerOptions.defaults());
    }

    /** Starts a server with {@code options} on a free port and waits until it answers PING. */
    public static RedisServer start(RedisServerOptions options) {
        return start(options, RedisExecutables.fromEnvironment(), 0);
    }

    /**
     * Starts a plain server on {@code port} and waits until it answers PING; retries while the port is briefly in use.
     * For tests of clients that were pointed at a port before anything listened there (see {@link #freePort()}).
     */
    public static RedisServer startOnPort(int port) {
        return startOnPort(RedisServerOptions.defaults(), port);
    }

    /** Starts a server with {@code options} on {@code port}; see {@link #startOnPort(int)}. */
    public static RedisServer startOnPort(RedisServerOptions options, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        return start(options, RedisExecutables.fromEnvironment(), port);
    }

    /**
     * A port of {@value #HOST} on which nothing listens right now (below 55000, never 6379): point a client at it to
     * test an unreachable server, then {@link #startOnPort(int) start one there}.
     */
    public static int freePort() {
        return FreePorts.pick();
    }

    /**
     * Starts a server, finding executables through {@code executables}, on {@code fixedPort} (retrying while that port
     * is briefly in use) or, when it is 0, on a free port (picking another one if it was taken meanwhile).
     */
    static RedisServer start(RedisServerOptions options, RedisExecutables executables, int fixedPort) {
        executables.redisServer();
        if (options.isTls()) {
            executables.redisCli();
        }
        Path directory = TempDirectories.create("netrun-redis-");
        try {
            TlsMaterial tls = options.isTls()
                    ? TlsMaterial.generate(directory.resolve("tls"), executables.openssl())
                    : null;
            for (int attempt = 1; ; attempt++) {
                int port = fixedPort > 0 ? fixedPort : FreePorts.pick();
                RedisServer server = new RedisServer(options, executables, directory, tls, port);
                RedisProcess.Launch launch = server.launch(fixedPort > 0);
                if (launch == RedisProcess.Launch.READY) {
                    LOG.log(Level.DEBUG, "Started redis-server on {0}:{1} (directory {2})", HOST, port, directory);
                    return server;
                }
                if (attempt >= FREE_PORT_ATTEMPTS) {
                    throw new RedisStartupException("redis-server found every picked port in use", server.process.logTail());
                }
            }
        } catch (RuntimeException e) {
            TempDirectories.deleteRecursively(directory);
            throw e;
        }
    }

    private RedisProcess.Launch launch(boolean retryWhilePortInUse) {
        writeConfig();
        return process.launchAndAwait(STARTUP_TIMEOUT, retryWhilePortInUse, this::answersPingFromOwnProcess);
    }

    /** Readiness: PING answers, and the answering server is our process (not some other server on the port). */
    private boolean answersPingFromOwnProcess() throws IOException {
        if (options.isTls() && !pingThroughRedisCli()) {
            return false;
        }
        try (RespConnection connection = openAdminConnection()) {
            if (!"PONG".equals(connection.call("PING"))) {
                return false;
            }
            String info = (String) connection.call("INFO", "server");
            return info.contains("process_id:" + process.pid() + "\r\n");
        }
    }

    private boolean pingThroughRedisCli() {
        List<String> command = new ArrayList<>(List.of(executables.redisCli().toString(),
                "--tls", "--cacert", signingCaCertificate().toString(), "-h", HOST, "-p", Integer.toString(port)));
        options.requirePass().ifPresent(password -> command.addAll(List.of("-a", password, "--no-auth-warning")));
        command.add("PING");
        ExternalCommand.Result result = ExternalCommand.run(command, directory, CLI_TIMEOUT);
        return result.succeeded() && result.output().trim().equals("PONG");
    }

    private void writeConfig() {
        List<String> lines = new ArrayList<>();
        lines.add("# generated by netrun-cache-test-support");
        lines.add("bind " + HOST);
        if (tls == null) {
            lines.add("port " + port);
        } else {
            boolean untrusted = options.isUntrustedTls();
            lines.add("port 0");
            lines.add("tls-port " + port);
            lines.add("tls-cert-file " + quote(untrusted ? tls.untrustedServerCertificate() : tls.serverCertificate()));
            lines.add("tls-key-file " + quote(untrusted ? tls.untrustedServerKey() : tls.serverKey()));
            lines.add("tls-ca-cert-file " + quote(signingCaCertificate()));
            lines.add("tls-auth-clients no");
        }
        lines.add("save \"\"");
        lines.add("appendonly no");
        lines.add("dir " + quote(directory));
        lines.add("logfile \"\"");
        lines.add("daemonize no");
        lines.add("enable-debug-command local");
        lines.add("enable-protected-configs local"); // CONFIG SET dir, for RedisFaults.persistenceFailure()
        if (options.clusterEnabled()) {
            lines.add("cluster-enabled yes");
            lines.add("cluster-config-file nodes-" + port + ".conf");
            lines.add("cluster-node-timeout 5000");
        }
        options.requirePass().ifPresent(password -> lines.add("requirepass " + quote(password)));
        options.aclUsers().forEach(user -> lines.add("user " + user));
        lines.addAll(options.extraConfig());
        try {
            Files.writeString(configFile(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + configFile(), e);
        }
    }

    static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private Path signingCaCertificate() {
        return options.isUntrustedTls() ? tls.untrustedCaCertificate() : tls.caCertificate();
    }

    /** Always {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** The port the server listens on; for a TLS server this is its TLS port (its plain port is disabled). */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, or for a TLS server the same as {@link #tlsUri()}. Carries no credentials. */
    public String uri() {
        return (tls == null ? "redis://" : "rediss://") + HOST + ":" + port;
    }

    /** The options this server was started with. */
    public RedisServerOptions options() {
        return options;
    }

    /** The temporary directory holding the config, log and data files (deleted by {@link #stop()}). */
    public Path directory() {
        return directory;
    }

    /** The file that receives the server's stdout and stderr. */
    public Path logFile() {
        return directory.resolve("redis.log");
    }

    /** The generated redis.conf. */
    public Path configFile() {
        return directory.resolve("redis.conf");
    }

    /** Whether this server speaks TLS. */
    public boolean isTls() {
        return tls != null;
    }

    /** The TLS port (same as {@link #port()}). */
    public int tlsPort() {
        requireTls();
        return port;
    }

    /** {@code rediss://127.0.0.1:PORT}. */
    public String tlsUri() {
        requireTls();
        return "rediss://" + HOST + ":" + port;
    }

    /**
     * PEM certificate of the CA clients should trust. For an {@link RedisServerOptions.Builder#untrustedTls()} server
     * this CA did <em>not</em> sign the server's certificate, so clients trusting it must refuse the connection.
     */
    public Path caCertificate() {
        requireTls();
        return tls.caCertificate();
    }

    /** PKCS12 truststore holding {@link #caCertificate()}, password {@value TlsMaterial#TRUSTSTORE_PASSWORD}. */
    public Path trustStore() {
        requireTls();
        return tls.trustStore();
    }

    /** All generated certificates, keys and truststores, including the untrusted CA. */
    public TlsMaterial tlsMaterial() {
        requireTls();
        return tls;
    }

    private void requireTls() {
        if (tls == null) {
            throw new IllegalStateException("This server was not started with TLS; use RedisServerOptions.builder().tls()");
        }
    }

    /**
     * The faults this server can be put in (paused, sleeping, memory full, unable to persist, clients killed); the same
     * instance on every call.
     */
    public RedisFaults faults() {
        return faults;
    }

    /** The OS process id of the running server. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Kills the process with SIGKILL (no shutdown, no save) and waits until it is gone; keeps the directory. */
    public synchronized void kill() {
        faults.processEnding();
        process.kill();
    }

    /**
     * Starts the server again on the same port with the same config (killing it first if it is running), retrying
     * while the port is briefly unavailable, and waits until it answers PING. A cluster node rejoins its cluster.
     */
    public synchronized void restart() {
        if (stopped) {
            throw new IllegalStateException("redis-server " + HOST + ":" + port + " was stopped and cannot be restarted");
        }
        faults.processEnding();
        process.kill();
        launch(true);
    }

    /** Stops the process and deletes its directory. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        faults.processEnding();
        process.stop();
        TempDirectories.deleteRecursively(directory);
        LOG.log(Level.DEBUG, "Stopped redis-server on {0}:{1}", HOST, port);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether the server answers PING right now. */
    public boolean ping() {
        try (RespConnection connection = openAdminConnection()) {
            return "PONG".equals(connection.call("PING"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Deletes every key in every database of this server ({@code FLUSHALL}). */
    public void flushAll() {
        execute("FLUSHALL");
    }

    /**
     * Calls per command since start or the last {@link #resetStats()}, from {@code INFO commandstats}: lower-case
     * command name (subcommands as {@code config|resetstat}) to call count, e.g. {@code get -> 3}, {@code mget -> 1}.
     * Includes the administrative commands this class sent (e.g. {@code ping}, {@code info}, {@code auth},
     * {@code config|resetstat}).
     */
    public Map<String, Long> commandStats() {
        return parseCommandStats((String) execute("INFO", "commandstats"));
    }

    /** Resets the statistics behind {@link #commandStats()} ({@code CONFIG RESETSTAT}). */
    public void resetStats() {
        execute("CONFIG", "RESETSTAT");
    }

    /**
     * Sends one command on a new connection and returns the reply: {@link String}, {@link Long}, {@link List} or
     * {@code null}.
     *
     * @throws IllegalStateException on an error reply (the message is the error text) or a connection failure
     */
    public Object execute(String... command) {
        try (RespConnection connection = openAdminConnection()) {
            return connection.call(command);
        } catch (IOException e) {
            throw new IllegalStateException("Could not send " + String.join(" ", command) + " to " + HOST + ":" + port
                    + ": " + e, e);
        }
    }

    RespConnection openAdminConnection() throws IOException {
        SSLContext sslContext = tls == null ? null : TlsMaterial.sslContextTrusting(signingCaCertificate());
        RespConnection connection = RespConnection.open(HOST, port, sslContext);
        try {
            if (options.requirePass().isPresent()) {
                connection.call("AUTH", options.requirePass().get());
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    static Map<String, Long> parseCommandStats(String info) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            int start = line.indexOf("calls=", colon);
            if (colon < 0 || start < 0) {
                continue;
            }
            int end = line.indexOf(',', start);
            String count = line.substring(start + "calls=".length(), end < 0 ? line.length() : end);
            calls.put(line.substring("cmdstat_".length(), colon).toLowerCase(Locale.ROOT), Long.parseLong(count));
        }
        return calls;
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + (isRunning() ? ", running" : ", not running") + "]";
    }
}
