package com.netrunsystems.cache.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal RESP2 client over one socket (optionally TLS), enough for the administrative commands this module sends
 * (PING, AUTH, INFO, FLUSHALL, CLUSTER INFO, SENTINEL ...). Replies map to {@link String} (simple and bulk strings),
 * {@link Long} (integers), {@link List} (arrays) and {@code null}; an error reply throws
 * {@link IllegalStateException} carrying the error text.
 */
final class RespConnection implements Closeable {

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port}, over TLS when {@code tls} is not null. */
    static RespConnection open(String host, int port, SSLContext tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            plain.setSoTimeout(READ_TIMEOUT_MILLIS);
            if (tls == null) {
                return new RespConnection(plain);
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            secure.setUseClientMode(true);
            secure.startHandshake();
            return new RespConnection(secure);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Sends one command and returns its decoded reply. */
    Object call(String... arguments) throws IOException {
        send(arguments);
        return readReply();
    }

    /** Sends one command without reading its reply; {@link #readReply()} reads it. */
    void send(String... arguments) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        writeLine(request, "*" + arguments.length);
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            writeLine(request, "$" + bytes.length);
            request.write(bytes);
            writeLine(request, "");
        }
        out.write(request.toByteArray());
        out.flush();
    }

    private static void writeLine(ByteArrayOutputStream target, String line) {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        target.write(bytes, 0, bytes.length);
    }

    /** Reads and decodes one reply. */
    Object readReply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Connection closed by server");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                if (bytes.length < length) {
                    throw new EOFException("Connection closed inside a bulk string");
                }
                readLine();
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    try {
                        elements.add(readReply());
                    } catch (IllegalStateException errorElement) {
                        elements.add(errorElement.getMessage());
                    }
                }
                return elements;
            }
            default:
                throw new IOException("Unexpected RESP type byte '" + (char) type + "'");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("Connection closed inside a reply line");
            }
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
