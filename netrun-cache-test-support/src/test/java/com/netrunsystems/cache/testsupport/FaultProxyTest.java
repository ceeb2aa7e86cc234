package com.netrunsystems.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netrunsystems.cache.testsupport.FaultProxy.Direction;
import com.netrunsystems.cache.testsupport.FaultProxy.NewConnections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    /** How long a test waits to conclude that nothing arrives: long enough for loopback, short enough for the suite. */
    private static final Duration SILENCE = Duration.ofMillis(300);
    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(5);

    private static RedisServer redis;
    private FaultProxy proxy;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startProxy() {
        redis.flushAll();
        proxy = FaultProxy.start(redis);
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void connect_noFault_forwardsCommandsAndReplies() throws IOException {
        try (Client client = new Client(proxy)) {
            assertThat(client.call(ARRIVES_WITHIN, "SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(client.call(ARRIVES_WITHIN, "GET", "k")).isEqualTo("$1\r\nv\r\n");
        }
        assertThat(proxy.connections()).hasSize(1);
        assertThat(proxy.port()).isNotEqualTo(redis.port());
    }

    @Test
    void latency_allConnections_delaysEachDirection() throws IOException {
        try (Client client = new Client(proxy)) {
            client.call(ARRIVES_WITHIN, "PING"); // connected before the clock starts
            proxy.latency(Duration.ofMillis(150));

            long started = System.nanoTime();
            assertThat(client.call(ARRIVES_WITHIN, "PING")).isEqualTo("+PONG\r\n");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(millis).as("round trip through 150 ms each way").isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void latency_oneConnection_leavesTheOthersFast() throws IOException {
        try (Client slow = new Client(proxy); Client fast = new Client(proxy)) {
            slow.call(ARRIVES_WITHIN, "PING");
            fast.call(ARRIVES_WITHIN, "PING");
            proxy.connection(0).latency(Duration.ofSeconds(2));

            assertThat(fast.call(SILENCE, "PING")).isEqualTo("+PONG\r\n");
            assertThat(slow.call(SILENCE, "PING")).as("no reply within %s", SILENCE).isEmpty();
            assertThat(slow.read(ARRIVES_WITHIN)).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void stall_bothDirectionsOfOneConnection_holdsItsCommandsUntilResumedWhileOthersAnswer() throws IOException {
        try (Client stalled = new Client(proxy); Client other = new Client(proxy)) {
            stalled.call(ARRIVES_WITHIN, "PING");
            other.call(ARRIVES_WITHIN, "PING");
            ProxiedConnection connection = proxy.connection(0);
            connection.stall(Direction.BOTH);

            assertThat(stalled.call(SILENCE, "SET", "stalled", "1")).isEmpty();
            assertThat(other.call(ARRIVES_WITHIN, "EXISTS", "stalled")).as("the server never got the SET").isEqualTo(":0\r\n");
            assertThat(connection.isOpen()).isTrue();

            connection.resume();

            assertThat(stalled.read(ARRIVES_WITHIN)).isEqualTo("+OK\r\n");
            assertThat(other.call(ARRIVES_WITHIN, "EXISTS", "stalled")).isEqualTo(":1\r\n");
        }
    }

    @Test
    void stall_serverToClient_serverRunsTheCommandButTheReplyWaits() throws IOException {
        try (Client stalled = new Client(proxy); Client other = new Client(proxy)) {
            stalled.call(ARRIVES_WITHIN, "PING");
            proxy.connection(0).stall(Direction.SERVER_TO_CLIENT);

            assertThat(stalled.call(SILENCE, "SET", "half", "1")).isEmpty();
            assertThat(other.call(ARRIVES_WITHIN, "EXISTS", "half")).isEqualTo(":1\r\n");

            proxy.resume();

            assertThat(stalled.read(ARRIVES_WITHIN)).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void stall_allConnectionsClientToServer_appliesToConnectionsOpenedLater() throws IOException {
        proxy.stall(Direction.CLIENT_TO_SERVER);
        try (Client client = new Client(proxy)) {
            assertThat(client.call(SILENCE, "PING")).isEmpty();

            proxy.resume();

            assertThat(client.read(ARRIVES_WITHIN)).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void drop_oneConnection_clientSeesEndOfStreamAndServerForgetsIt() throws IOException {
        try (Client client = new Client(proxy)) {
            client.call(ARRIVES_WITHIN, "CLIENT", "SETNAME", "dropped");
            ProxiedConnection connection = proxy.connection(0);

            connection.drop();

            assertThat(client.readToEnd(ARRIVES_WITHIN)).isTrue();
            assertThat(connection.isOpen()).isFalse();
            Polling.await(ARRIVES_WITHIN, "the server to forget the dropped client",
                    () -> !((String) redis.execute("CLIENT", "LIST")).contains("name=dropped"));
        }
    }

    @Test
    void reset_oneConnection_clientSeesConnectionReset() throws IOException {
        try (Client client = new Client(proxy)) {
            client.call(ARRIVES_WITHIN, "PING");

            proxy.connection(0).reset();

            assertThatThrownBy(() -> {
                client.send("PING");
                client.readToEnd(ARRIVES_WITHIN);
                client.send("PING"); // a write after the RST fails if the read did not
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void awaitConnection_subscriberAmongOthers_findsItThroughClientList() throws IOException {
        try (Client commands = new Client(proxy); Client subscriber = new Client(proxy)) {
            commands.call(ARRIVES_WITHIN, "PING");
            assertThat(subscriber.call(ARRIVES_WITHIN, "SUBSCRIBE", "news")).startsWith("*3\r\n");

            ProxiedConnection found = proxy.awaitConnection(redis, FaultProxy::isSubscriber, ARRIVES_WITHIN);

            assertThat(found.index()).isEqualTo(1);
            assertThat(found.clientPort()).isEqualTo(subscriber.localPort());
            found.stall(Direction.BOTH);
            redis.execute("PUBLISH", "news", "hello");
            assertThat(subscriber.read(SILENCE)).as("a stalled subscriber receives nothing").isEmpty();
            found.resume();
            assertThat(subscriber.read(ARRIVES_WITHIN)).contains("hello");
        }
    }

    @Test
    void newConnections_reset_refusesNewOnesAndKeepsExistingOnes() throws IOException {
        try (Client existing = new Client(proxy)) {
            existing.call(ARRIVES_WITHIN, "PING");
            proxy.newConnections(NewConnections.RESET);

            assertThatThrownBy(() -> { // the connect itself may see the RST
                try (Client refused = new Client(proxy)) {
                    refused.send("PING");
                    refused.readToEnd(ARRIVES_WITHIN);
                    refused.send("PING");
                }
            }).isInstanceOf(IOException.class);
            assertThat(existing.call(ARRIVES_WITHIN, "PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void newConnections_hold_acceptsButForwardsOnlyOnceAcceptedAgain() throws IOException {
        proxy.newConnections(NewConnections.HOLD);
        try (Client held = new Client(proxy)) {
            assertThat(held.call(SILENCE, "PING")).isEmpty();
            assertThat(proxy.connections()).isEmpty();

            proxy.newConnections(NewConnections.ACCEPT);

            assertThat(held.read(ARRIVES_WITHIN)).isEqualTo("+PONG\r\n");
            assertThat(proxy.connections()).hasSize(1);
        }
    }

    /** A raw RESP client with a read timeout per call, to tell "no reply yet" from a reply. */
    private static final class Client implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;

        Client(FaultProxy proxy) throws IOException {
            socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), 1_000);
            in = socket.getInputStream();
        }

        int localPort() {
            return socket.getLocalPort();
        }

        void send(String... command) throws IOException {
            StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
            for (String argument : command) {
                request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(argument).append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        /** Sends a command and returns what arrives within {@code wait} (empty if nothing does). */
        String call(Duration wait, String... command) throws IOException {
            send(command);
            return read(wait);
        }

        /** Returns the bytes that arrive within {@code wait}, from the first one until a short pause; empty if none. */
        String read(Duration wait) throws IOException {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            socket.setSoTimeout((int) wait.toMillis());
            try {
                int first = in.read();
                if (first < 0) {
                    return "";
                }
                received.write(first);
                socket.setSoTimeout(50);
                byte[] buffer = new byte[4096];
                int read;
                while ((read = in.read(buffer)) > 0) {
                    received.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException e) {
                // nothing more for now
            }
            return received.toString(StandardCharsets.UTF_8);
        }

        /** Reads until the end of the stream within {@code wait}; returns whether it ended. */
        boolean readToEnd(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                while (in.read() >= 0) {
                    // skip
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
