package io.kubetwin.client;

import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.Kubeconfig;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;

/**
 * Bytes sent as they are over TLS, for what {@link ApiClient} (java.net.http) refuses to send: malformed request
 * lines and escapes, lower-case methods, HTTP/1.0, a missing or doubled Host header, header lines it rejects. The TLS
 * identity is a kubeconfig's (its CA and client certificate, presented whatever issuers the server lists, as
 * {@link ApiClient} does); nothing is added to the bytes. One request per connection: the first response is read
 * (by Content-Length, chunked, or up to the close) and the connection is closed. Stateless and thread-safe.
 */
public final class RawHttp {
    private RawHttp() {}

    /**
     * One answer: the status line as sent ({@code HTTP/1.1 400 Bad Request: missing required Host header}) and the
     * response, with {@link ApiClient.Response#millis()} from the first byte written to the last read.
     */
    public record Answer(String statusLine, ApiClient.Response response) {}

    /**
     * Writes {@code request} (ISO-8859-1: one byte per char) to the kubeconfig's server and reads one response. A
     * server that closes without an answer, or does not answer within {@code timeout}, is an
     * {@link UncheckedIOException} whose message says which.
     */
    public static Answer send(Kubeconfig kubeconfig, String request, Duration timeout) {
        URI server = URI.create(kubeconfig.server());
        int port = server.getPort() < 0 ? 443 : server.getPort();
        var context = KeyStores.clientContext(kubeconfig);
        long start = System.nanoTime();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(server.getHost(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            boolean head = request.regionMatches(true, 0, "HEAD ", 0, 5);
            return read(socket.getInputStream(), head, start);
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static Answer read(InputStream in, boolean head, long start) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new EOFException("connection closed without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        int code = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        byte[] body;
        String length = first(headers, "content-length");
        if (head || code == 204 || code == 304 || code / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
            body = chunked(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = in.readAllBytes();
        }
        var response = new ApiClient.Response(
                code, new String(body, StandardCharsets.UTF_8), headers, (System.nanoTime() - start) / 1_000_000);
        return new Answer(statusLine, response);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return out.toByteArray();
            }
            int n = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
            if (n == 0) {
                while (true) { // trailers up to the empty line
                    String trailer = line(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return out.toByteArray();
                    }
                }
            }
            out.write(in.readNBytes(n));
            line(in);
        }
    }

    /** One line without its CRLF (or LF), null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
