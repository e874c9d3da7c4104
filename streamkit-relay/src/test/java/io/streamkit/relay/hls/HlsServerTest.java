package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.StreamKit;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.RecordingSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@link HlsServer} fed by a synthetic stream published in real time, queried with
 * {@link HttpClient} (and a raw socket for what HTTP clients will not send): status codes,
 * content types, caching and CORS headers, on-demand start, blocking reload over HTTP, the end
 * of a stream, idle stop and always-on packaging.
 */
class HlsServerTest {
    private static final Duration T = Duration.ofSeconds(20);
    /** Short segments so that tests run fast: 0.5 s GOPs and segments. */
    private static final HlsOptions FAST = HlsOptions.defaults().withSegmentDuration(Duration.ofMillis(500));

    private StreamKit kit;
    private HlsServer server;
    private HttpClient http;
    private String base;
    private final List<SyntheticMedia> sources = new ArrayList<>();
    private final List<Feed> feeds = new ArrayList<>();

    /** Sends a synthetic stream to a publisher in real time from its own thread. */
    private static final class Feed implements AutoCloseable {
        private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hls-feed");
            t.setDaemon(true);
            return t;
        });
        private final Publisher publisher;

        Feed(Publisher publisher, SyntheticMedia src) {
            this.publisher = publisher;
            long start = System.nanoTime();
            exec.scheduleAtFixedRate(() -> src.send(publisher, TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - start)), 0, 10, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            exec.shutdown();
            try {
                exec.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            publisher.close();
        }
    }

    @BeforeEach
    void setUp() {
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void tearDown() {
        feeds.forEach(Feed::close);
        kit.close();
        for (SyntheticMedia s : sources) {
            RecordingSink.await(Duration.ofSeconds(5), () -> s.media.live() == 0, "every payload released");
        }
    }

    private void startServer(HlsOptions options) {
        server = HlsServer.builder(kit).host("127.0.0.1").port(0).options(options).build().start();
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    private void publish(String path) {
        SyntheticMedia src = new SyntheticMedia(30, 15, true, true, 0);
        sources.add(src);
        Publisher p = kit.stream(path).publish(src.tracks(), PublishPolicy.REJECT, "test");
        feeds.add(new Feed(p, src));
    }

    private HttpResponse<byte[]> send(String method, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(T).method(method,
                HttpRequest.BodyPublishers.noBody()).build();
        return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return send("GET", path);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static void assertOk(HttpResponse<byte[]> r, String type) {
        assertEquals(200, r.statusCode(), () -> r.uri() + ": " + text(r));
        assertEquals(type, header(r, "content-type"), r.uri().toString());
        assertEquals("*", header(r, "access-control-allow-origin"));
        assertTrue(header(r, "access-control-expose-headers").contains("Content-Length"));
        assertEquals(String.valueOf(r.body().length), header(r, "content-length"));
        assertTrue(header(r, "date") != null, "a Date header");
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String reason) {
        assertEquals(status, r.statusCode(), () -> r.uri() + ": " + text(r));
        assertEquals("text/plain; charset=utf-8", header(r, "content-type"));
        assertEquals("*", header(r, "access-control-allow-origin"));
        assertTrue(text(r).startsWith(status + " "), text(r));
        assertTrue(text(r).contains(reason), "'" + reason + "' in " + text(r));
    }

    @Test
    void servesAStreamOnDemand() throws Exception {
        startServer(FAST);
        publish("live/show");
        assertTrue(server.stats("live/show").isEmpty(), "nothing packaged before a request");
        HttpResponse<byte[]> index = get("/live/show/index.m3u8"); // waits for the first segment
        assertOk(index, "application/vnd.apple.mpegurl");
        assertEquals("no-cache", header(index, "cache-control"));
        M3u8 multivariant = M3u8.parse(text(index));
        assertEquals("avc1.64001e,mp4a.40.2", multivariant.one("EXT-X-STREAM-INF").attribute("CODECS"));
        assertEquals(List.of("stream.m3u8"), multivariant.uris);

        HttpResponse<byte[]> media = get("/live/show/stream.m3u8");
        assertOk(media, "application/vnd.apple.mpegurl");
        M3u8 m = M3u8.parse(text(media));
        String mapUri = m.one("EXT-X-MAP").attribute("URI");
        HttpResponse<byte[]> init = get("/live/show/" + mapUri);
        assertOk(init, "video/mp4");
        Set<Integer> ids = Fmp4Structure.checkInit(Unpooled.wrappedBuffer(init.body()));
        int seq = 0;
        for (String uri : m.uris) {
            HttpResponse<byte[]> seg = get("/live/show/" + uri);
            assertOk(seg, "video/mp4");
            assertTrue(header(seg, "cache-control").contains("max-age="), "segments are cacheable");
            seq = Fmp4Structure.checkFragments(Unpooled.wrappedBuffer(seg.body()), ids, seq);
        }
        HttpResponse<byte[]> head = send("HEAD", "/live/show/" + m.uris.get(0));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(get("/live/show/" + m.uris.get(0)).body().length), header(head,
                "content-length"));
        HlsStats stats = server.stats("live/show").orElseThrow();
        assertTrue(stats.requests() >= 4 + m.uris.size(), "requests counted: " + stats);
        assertTrue(stats.segments() >= 1 && stats.bytes() > 0, stats.toString());
        HlsServerStats all = server.stats();
        assertEquals(1, all.streams().size());
        assertTrue(all.bytesOut() > 0 && all.requests() > 0, all.toString());
    }

    @Test
    void errorsAreAnsweredWithAReason() throws Exception {
        startServer(FAST);
        publish("live/show");
        assertError(get("/live/nope/index.m3u8"), 404, "no live stream at live/nope");
        assertOk(get("/live/show/stream.m3u8"), "application/vnd.apple.mpegurl");
        assertError(get("/live/show/seg999999.m4s"), 404, "segment 999999");
        assertError(get("/live/show/part0.0.m4s"), 404, "low-latency");
        assertError(get("/live/show/notes.txt"), 404, "unknown file");
        assertError(get("/live/show/seg0.ts"), 404, ".m4s");
        assertError(get("/live/show/init7.mp4"), 404, "initialization segment 7");
        assertError(get("/live/%2e%2e/secret/index.m3u8"), 400, "'..'");
        assertError(get("/live/show/stream.m3u8?_HLS_msn=abc"), 400, "_HLS_msn");
        HttpResponse<byte[]> post = send("POST", "/live/show/index.m3u8");
        assertError(post, 405, "POST");
        assertEquals("GET, HEAD, OPTIONS", header(post, "allow"));
        assertEquals(405, send("DELETE", "/live/show/index.m3u8").statusCode());

        HttpRequest preflight = HttpRequest.newBuilder(URI.create(base + "/live/show/index.m3u8")).timeout(T).method(
                "OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Access-Control-Request-Method", "GET").build();
        HttpResponse<byte[]> options = http.send(preflight, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(204, options.statusCode());
        assertEquals("*", header(options, "access-control-allow-origin"));
        assertEquals("GET, HEAD, OPTIONS", header(options, "access-control-allow-methods"));
        assertTrue(header(options, "access-control-max-age") != null);
        assertTrue(header(options, "content-length") == null, "no Content-Length on 204");

        // what HTTP clients normalise away or refuse to send: raw requests
        assertTrue(raw("GET /live/../show/index.m3u8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith(
                "HTTP/1.1 400"));
        assertTrue(raw("GET /live/" + "a".repeat(3000) + "/index.m3u8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .startsWith("HTTP/1.1 414"));
        kit.stream("live/vp8").publish(List.of(TrackInfo.builder(0, Codec.VP8).build()), PublishPolicy.REJECT, "vp8");
        assertError(get("/live/vp8/index.m3u8"), 404, "VP8");
        assertTrue(server.stats().errors() >= 10);
    }

    /** Sends raw bytes and returns everything the server answers until it closes. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        startServer(FAST.withLowLatency(true).withPartDuration(Duration.ofMillis(100)));
        publish("live/pipe");
        M3u8 m = M3u8.parse(text(get("/live/pipe/stream.m3u8")));
        String hint = m.one("EXT-X-PRELOAD-HINT").attribute("URI");
        // the first request waits for a part; the two after it must not overtake it
        String req = "GET /live/pipe/" + hint + " HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /live/nothing/index.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /live/pipe/stream.m3u8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String answer = raw(req);
        List<String> statuses = new ArrayList<>();
        Matcher s = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(answer);
        while (s.find()) {
            statuses.add(s.group(1));
        }
        assertEquals(List.of("200", "404", "200"), statuses, answer);
        assertTrue(answer.indexOf("video/mp4") < answer.indexOf("text/plain"), "in order");
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        startServer(FAST);
        publish("live/ka");
        assertEquals(200, get("/live/ka/index.m3u8").statusCode());
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write("GET /live/ka/stream.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200"), head);
                Matcher len = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
                assertTrue(len.find(), head);
                in.readNBytes(Integer.parseInt(len.group(1)));
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        throw new IOException("connection closed in the headers: " + b);
    }

    @Test
    void mpegTsSegments() throws Exception {
        startServer(FAST.withFormat(HlsFormat.MPEG_TS));
        publish("live/ts");
        M3u8 m = M3u8.parse(text(get("/live/ts/stream.m3u8")));
        assertEquals("3", m.one("EXT-X-VERSION").value());
        assertFalse(m.has("EXT-X-MAP"));
        for (String uri : m.uris) {
            assertTrue(uri.endsWith(".ts"), uri);
            HttpResponse<byte[]> seg = get("/live/ts/" + uri);
            assertOk(seg, "video/mp2t");
            assertEquals(0, seg.body().length % 188);
            assertEquals(0x47, seg.body()[0] & 0xFF);
        }
        assertEquals(404, get("/live/ts/init.mp4").statusCode());
    }

    @Test
    void lowLatencyOverHttp() throws Exception {
        startServer(FAST.withLowLatency(true).withPartDuration(Duration.ofMillis(100)));
        publish("live/ll");
        M3u8 m = M3u8.parse(text(get("/live/ll/stream.m3u8")));
        assertEquals("YES", m.one("EXT-X-SERVER-CONTROL").attribute("CAN-BLOCK-RELOAD"));
        String hint = m.one("EXT-X-PRELOAD-HINT").attribute("URI");
        Matcher h = Pattern.compile("part(\\d+)\\.(\\d+)\\.m4s").matcher(hint);
        assertTrue(h.matches(), hint);
        long msn = Long.parseLong(h.group(1));
        int part = Integer.parseInt(h.group(2));
        // a blocking reload for the hinted part and the hinted part itself, at the same time
        CompletableFuture<HttpResponse<byte[]>> reload = http.sendAsync(HttpRequest.newBuilder(URI.create(base
                + "/live/ll/stream.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part)).timeout(T).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> hinted = get("/live/ll/" + hint);
        assertOk(hinted, "video/mp4");
        HttpResponse<byte[]> blocked = reload.get(10, TimeUnit.SECONDS);
        assertOk(blocked, "application/vnd.apple.mpegurl");
        M3u8 after = M3u8.parse(text(blocked));
        assertTrue(after.all("EXT-X-PART").stream().anyMatch(t -> t.attribute("URI").equals(hint)) || after.uris
                .contains("seg" + msn + ".m4s"), "the reload holds the asked part:\n" + text(blocked));
        assertArrayEquals(hinted.body(), get("/live/ll/" + hint).body(), "a part does not change");
        Fmp4Structure.checkFragments(Unpooled.wrappedBuffer(hinted.body()), Set.of(1, 2), 0);
        assertError(get("/live/ll/stream.m3u8?_HLS_msn=" + (msn + 10)), 400, "more than two segments ahead");
    }

    @Test
    void unpublishedStreamEndsItsPlaylistAndANewPublisherStartsOver() throws Exception {
        startServer(FAST);
        publish("live/end");
        M3u8 first = M3u8.parse(text(get("/live/end/stream.m3u8")));
        assertFalse(first.has("EXT-X-ENDLIST"));
        feeds.remove(0).close(); // the publisher leaves; the kit has no grace period
        RecordingSink.await(T, () -> {
            try {
                return text(get("/live/end/stream.m3u8")).contains("#EXT-X-ENDLIST");
            } catch (Exception e) {
                return false;
            }
        }, "EXT-X-ENDLIST");
        long last = server.stats("live/end").orElseThrow().lastSequenceNumber();
        assertTrue(server.stats("live/end").orElseThrow().ended());
        publish("live/end");
        M3u8 again = M3u8.parse(text(get("/live/end/stream.m3u8")));
        assertFalse(again.has("EXT-X-ENDLIST"), "a new packager for the new publisher");
        assertTrue(again.number("EXT-X-MEDIA-SEQUENCE") > last, "sequence numbers continue: names are not reused");
    }

    @Test
    void idlePackagerStopsAndAlwaysOnPackagesAtOnce() throws Exception {
        startServer(FAST.withIdleTimeout(Duration.ofSeconds(1)));
        publish("live/idle");
        assertEquals(200, get("/live/idle/index.m3u8").statusCode());
        assertTrue(server.stats("live/idle").isPresent());
        RecordingSink.await(T, () -> server.stats("live/idle").isEmpty(), "the idle packager to stop");
        server.close();

        startServer(FAST.withAlwaysOn(true));
        publish("live/always");
        RecordingSink.await(T, () -> server.stats("live/always").map(s -> s.segments() > 0).orElse(false),
                "packaging without a request");
        assertEquals(0, server.stats("live/always").orElseThrow().requests());
    }
}
