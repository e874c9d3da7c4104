package io.streamkit.relay.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamkit.api.StreamKit;
import io.streamkit.relay.control.auth.Base32;
import io.streamkit.relay.control.auth.Totp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API, roles, validation, 2FA, audit, WebSocket and persistence across a restart. */
class RestreamerApiTest {
    static final String ADMIN = "admin@example.com";
    static final String PASSWORD = "correct-horse-battery";

    @TempDir
    Path dir;
    StreamKit kit;
    Restreamer restreamer;
    ApiClient api;

    @BeforeEach
    void start() {
        kit = StreamKit.builder().build();
        restreamer = startRestreamer(kit, dir);
        api = new ApiClient(restreamer.httpAddress().getPort());
    }

    static Restreamer startRestreamer(StreamKit kit, Path dir) {
        return Restreamer.builder(kit).host("127.0.0.1").httpPort(0).rtmpPort(0).srtPort(0).dataDir(dir)
                .passwordIterations(1000).initialAdmin(ADMIN, PASSWORD).start();
    }

    @AfterEach
    void stop() throws Exception {
        restreamer.closeAsync().get(10, TimeUnit.SECONDS);
        kit.close();
    }

    @Test
    void requestsWithoutTokenAreRefused() throws Exception {
        ApiClient.Res r = api.get("/api/v1/inputs");
        assertEquals(401, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(401, r.body().get("status").asInt());
        assertTrue(r.body().get("detail").asText().contains("bearer"), r.raw());
        api.token = "garbage.token";
        assertEquals(401, api.get("/api/v1/inputs").status());
    }

    @Test
    void wrongPasswordIsRefusedAndLocksOutAfterRepeatedFailures() throws Exception {
        for (int i = 0; i < 5; i++) {
            ApiClient.Res r = api.post("/api/v1/auth/login", "{\"email\":\"" + ADMIN
                    + "\",\"password\":\"wrong-password-123\"}");
            assertEquals(401, r.status(), r.raw());
        }
        ApiClient.Res locked = api.post("/api/v1/auth/login", "{\"email\":\"" + ADMIN + "\",\"password\":\""
                + PASSWORD + "\"}");
        assertEquals(429, locked.status(), locked.raw());
        api.token = null;
        // the audit log has the failures (seen by an admin once the lock-out ends: use the store)
        assertTrue(restreamer.store().audit(io.streamkit.relay.control.model.AuditQuery.latest(20)).stream()
                .filter(e -> e.action().equals("user.login.failed")).count() >= 5);
    }

    @Test
    void inputCrudWithValidationAndAudit() throws Exception {
        api.login(ADMIN, PASSWORD);
        ApiClient.Res bad = api.post("/api/v1/inputs",
                "{\"name\":\"\",\"kind\":\"SRT\",\"latencyMs\":5000,\"passphrase\":\"short\"}");
        assertEquals(400, bad.status(), bad.raw());
        JsonNode errors = bad.body().get("errors");
        assertEquals(3, errors.size(), bad.raw());
        assertTrue(bad.raw().contains("between 80 and 1000"), bad.raw());
        assertTrue(bad.raw().contains("10 to 79 characters"), bad.raw());

        ApiClient.Res unknown = api.post("/api/v1/inputs", "{\"name\":\"a\",\"kind\":\"RTMP\",\"colour\":\"red\"}");
        assertEquals(400, unknown.status());
        assertEquals("colour", unknown.body().get("errors").get(0).get("field").asText(), unknown.raw());

        ApiClient.Res badKind = api.post("/api/v1/inputs", "{\"name\":\"a\",\"kind\":\"HLS\"}");
        assertEquals(400, badKind.status());
        assertTrue(badKind.raw().contains("RTMP"), badKind.raw());

        ApiClient.Res malformed = api.post("/api/v1/inputs", "{\"name\":");
        assertEquals(400, malformed.status());
        assertTrue(malformed.raw().contains("malformed JSON"), malformed.raw());
        assertEquals(0, api.get("/api/v1/inputs").body().size(), "a bad request changes nothing");

        ApiClient.Res created = api.post("/api/v1/inputs", "{\"name\":\"Studio A\",\"kind\":\"SRT\",\"latencyMs\":"
                + "300,\"passphrase\":\"0123456789abc\",\"pbKeyLen\":32}");
        assertEquals(201, created.status(), created.raw());
        String id = created.body().get("id").asText();
        String key = created.body().get("streamKey").asText();
        assertEquals(24, key.length());
        assertEquals(300, created.body().get("latencyMs").asInt());

        ApiClient.Res dup = api.post("/api/v1/inputs", "{\"name\":\"studio a\",\"kind\":\"RTMP\"}");
        assertEquals(409, dup.status(), dup.raw());

        ApiClient.Res kindChange = api.call("PATCH", "/api/v1/inputs/" + id, "{\"kind\":\"RTMP\"}");
        assertEquals(400, kindChange.status());
        assertTrue(kindChange.raw().contains("cannot change"), kindChange.raw());

        ApiClient.Res patched = api.call("PATCH", "/api/v1/inputs/" + id, "{\"latencyMs\":120}");
        assertEquals(200, patched.status(), patched.raw());
        assertEquals(120, patched.body().get("latencyMs").asInt());

        ApiClient.Res regen = api.post("/api/v1/inputs/" + id + "/regenerate-key", null);
        assertNotEquals(key, regen.body().get("streamKey").asText());

        ApiClient.Res output = api.post("/api/v1/inputs/" + id + "/outputs",
                "{\"name\":\"YouTube\",\"url\":\"rtmp://127.0.0.1:1/live2/secretkey\",\"enabled\":false}");
        assertEquals(201, output.status(), output.raw());
        String oid = output.body().get("id").asText();
        ApiClient.Res badUrl = api.post("/api/v1/inputs/" + id + "/outputs", "{\"name\":\"X\",\"url\":\"http://a\"}");
        assertEquals(400, badUrl.status());
        assertTrue(badUrl.raw().contains("rtmp://, rtmps:// or srt://"), badUrl.raw());

        ApiClient.Res status = api.get("/api/v1/inputs/" + id + "/outputs/" + oid + "/status");
        assertEquals("STOPPED", status.body().get("state").asText(), status.raw());
        ApiClient.Res enabled = api.post("/api/v1/inputs/" + id + "/outputs/" + oid + "/enable", null);
        assertTrue(enabled.body().get("enabled").asBoolean());
        ApiClient.Res waiting = api.get("/api/v1/inputs/" + id + "/outputs/" + oid + "/status");
        assertEquals("WAITING", waiting.body().get("state").asText(), "the input is not live yet: "
                + waiting.raw());

        JsonNode audit = api.get("/api/v1/audit?limit=50").body();
        String actions = audit.toString();
        for (String a : new String[]{"input.create", "input.update", "input.key.regenerate", "output.create",
                "output.enable", "user.login"}) {
            assertTrue(actions.contains("\"" + a + "\""), a + " in " + actions);
        }
        assertFalse(actions.contains("secretkey"), "URLs are redacted in the audit log");
        assertFalse(actions.contains("0123456789abc"), "no passphrase in the audit log");
        assertEquals(400, api.get("/api/v1/audit?limit=0").status());
        assertEquals(400, api.get("/api/v1/audit?colour=1").status());

        assertEquals(204, api.call("DELETE", "/api/v1/inputs/" + id, null).status());
        assertEquals(404, api.get("/api/v1/inputs/" + id).status());
        assertEquals(404, api.get("/api/v1/inputs/" + id + "/outputs/" + oid).status());
    }

    @Test
    void rolesAreEnforced() throws Exception {
        api.login(ADMIN, PASSWORD);
        assertEquals(201, api.post("/api/v1/users", "{\"email\":\"tech@example.com\",\"password\":\"tech-password-1\","
                + "\"role\":\"TECHNICIAN\"}").status());
        assertEquals(201, api.post("/api/v1/users", "{\"email\":\"view@example.com\",\"password\":\"view-password-1\","
                + "\"role\":\"VIEWER\"}").status());
        ApiClient.Res weak = api.post("/api/v1/users", "{\"email\":\"x@example.com\",\"password\":\"short\","
                + "\"role\":\"VIEWER\"}");
        assertEquals(400, weak.status());
        assertEquals("password", weak.body().get("errors").get(0).get("field").asText());

        ApiClient tech = new ApiClient(restreamer.httpAddress().getPort());
        tech.login("tech@example.com", "tech-password-1");
        ApiClient.Res in = tech.post("/api/v1/inputs", "{\"name\":\"cam\",\"kind\":\"RTMP\"}");
        assertEquals(201, in.status(), in.raw());
        assertEquals(403, tech.get("/api/v1/users").status());
        assertEquals(403, tech.get("/api/v1/audit").status());

        ApiClient viewer = new ApiClient(restreamer.httpAddress().getPort());
        viewer.login("view@example.com", "view-password-1");
        ApiClient.Res seen = viewer.get("/api/v1/inputs");
        assertEquals(200, seen.status());
        assertTrue(seen.body().get(0).get("streamKey").isNull(), "a viewer never sees a stream key: " + seen.raw());
        assertFalse(seen.raw().contains(in.body().get("streamKey").asText()));
        assertEquals(200, viewer.get("/api/v1/status").status());
        ApiClient.Res forbidden = viewer.post("/api/v1/inputs", "{\"name\":\"cam2\",\"kind\":\"RTMP\"}");
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.raw().contains("VIEWER"), forbidden.raw());
        assertEquals(403, viewer.call("DELETE", "/api/v1/inputs/" + in.body().get("id").asText(), null).status());

        // the last admin cannot be demoted
        String adminId = api.get("/api/v1/auth/me").body().get("id").asText();
        assertEquals(409, api.call("PATCH", "/api/v1/users/" + adminId, "{\"role\":\"VIEWER\"}").status());
    }

    @Test
    void twoFactorLoginWithTotpAndRecoveryCode() throws Exception {
        api.login(ADMIN, PASSWORD);
        JsonNode setup = api.post("/api/v1/auth/totp/setup", null).body();
        byte[] secret = Base32.decode(setup.get("secret").asText());
        assertTrue(setup.get("otpauthUri").asText().startsWith("otpauth://totp/"));
        Totp totp = Totp.defaults();
        assertEquals(400, api.post("/api/v1/auth/totp/enable", "{\"code\":\"000000\"}").status());
        JsonNode codes = api.post("/api/v1/auth/totp/enable", "{\"code\":\"" + totp.generateAt(secret,
                java.time.Instant.now()) + "\"}").body().get("recoveryCodes");
        assertEquals(10, codes.size());

        ApiClient fresh = new ApiClient(restreamer.httpAddress().getPort());
        ApiClient.Res noCode = fresh.post("/api/v1/auth/login", "{\"email\":\"" + ADMIN + "\",\"password\":\""
                + PASSWORD + "\"}");
        assertEquals(401, noCode.status());
        assertEquals("totp", noCode.body().get("errors").get(0).get("field").asText(), noCode.raw());
        // the code used to enable 2FA cannot be replayed; a recovery code works once
        String recovery = codes.get(0).asText();
        ApiClient.Res withRecovery = fresh.post("/api/v1/auth/login", "{\"email\":\"" + ADMIN + "\",\"password\":\""
                + PASSWORD + "\",\"recoveryCode\":\"" + recovery + "\"}");
        assertEquals(200, withRecovery.status(), withRecovery.raw());
        ApiClient.Res again = fresh.post("/api/v1/auth/login", "{\"email\":\"" + ADMIN + "\",\"password\":\""
                + PASSWORD + "\",\"recoveryCode\":\"" + recovery + "\"}");
        assertEquals(401, again.status());
    }

    @Test
    void refreshTokensRotate() throws Exception {
        JsonNode login = api.login(ADMIN, PASSWORD);
        String refresh = login.get("refreshToken").asText();
        ApiClient.Res next = api.post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}");
        assertEquals(200, next.status(), next.raw());
        ApiClient.Res reused = api.post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}");
        assertEquals(401, reused.status(), "a refresh token works once");
        api.token = next.body().get("accessToken").asText();
        assertEquals(401, api.get("/api/v1/inputs").status(), "reusing a refresh token ends the session");
    }

    @Test
    void webSocketPushesStatsAndChangesAndChecksRoles() throws Exception {
        api.login(ADMIN, PASSWORD);
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                + restreamer.httpAddress().getPort() + "/api/v1/events?token=" + api.token), new WebSocket.Listener() {
                    private StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            messages.add(partial.toString());
                            partial = new StringBuilder();
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        assertTrue(poll(messages, "\"hello\"").contains(ADMIN));
        String id = api.post("/api/v1/inputs", "{\"name\":\"cam\",\"kind\":\"RTMP\"}").body().get("id").asText();
        assertTrue(poll(messages, "input.created").contains(id));
        assertTrue(poll(messages, "\"stats\"").contains("cam"));
        ws.sendText("{\"type\":\"input.stop\",\"id\":\"7\",\"inputId\":\"" + id + "\"}", true);
        String result = poll(messages, "\"result\"");
        assertTrue(result.contains("\"ok\":true"), result);
        ws.sendText("{\"type\":\"nope\"}", true);
        assertTrue(poll(messages, "\"result\"").contains("unknown message type"));
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);

        CompletableFuture<WebSocket> refused = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(
                "ws://127.0.0.1:" + restreamer.httpAddress().getPort() + "/api/v1/events?token=bad"),
                new WebSocket.Listener() {
                });
        Boolean failed = refused.handle((w, e) -> e != null).get(5, TimeUnit.SECONDS);
        assertTrue(failed, "a bad token cannot connect");
    }

    @Test
    void metricsAreExposed() throws Exception {
        api.login(ADMIN, PASSWORD);
        api.post("/api/v1/inputs", "{\"name\":\"cam\",\"kind\":\"RTMP\"}");
        ApiClient.Res m = api.get("/metrics");
        assertEquals(200, m.status());
        assertTrue(m.raw().contains("streamkit_input_bitrate_bits{"), m.raw());
        assertTrue(m.raw().contains("input=\"cam\""));
        assertTrue(m.raw().contains("jvm_memory_used_bytes"));
        assertTrue(m.raw().contains("netty_allocator_memory_used"), "Netty pool figures");
    }

    @Test
    void configurationSurvivesARestart() throws Exception {
        api.login(ADMIN, PASSWORD);
        String id = api.post("/api/v1/inputs", "{\"name\":\"cam\",\"kind\":\"RTMP\"}").body().get("id").asText();
        api.post("/api/v1/inputs/" + id + "/outputs", "{\"name\":\"out\",\"url\":\"rtmp://127.0.0.1:9/a/b\"}");
        restreamer.closeAsync().get(10, TimeUnit.SECONDS);
        restreamer = startRestreamer(kit, dir);
        api = new ApiClient(restreamer.httpAddress().getPort());
        api.login(ADMIN, PASSWORD);
        JsonNode status = api.get("/api/v1/status").body();
        assertEquals(1, status.size(), status.toString());
        assertEquals("cam", status.get(0).get("name").asText());
        assertEquals(1, status.get(0).get("outputs").size());
        assertEquals("WAITING", status.get(0).get("outputs").get(0).get("state").asText(), "restored and running");
        assertTrue(Files.list(dir).findAny().isPresent());
    }

    @Test
    void oversizedAndUnknownRequests() throws Exception {
        api.login(ADMIN, PASSWORD);
        ApiClient.Res big = api.post("/api/v1/inputs", "{\"name\":\"" + "x".repeat(100_000) + "\"}");
        assertEquals(413, big.status());
        assertEquals(404, api.get("/api/v1/nothing").status());
        assertEquals(405, api.call("PUT", "/api/v1/status", "{}").status());
        ApiClient.Res index = api.get("/");
        assertEquals(200, index.status());
        assertTrue(index.contentType().startsWith("text/html"));
        assertEquals(404, api.get("/../../etc/passwd").status());
    }

    private static String poll(LinkedBlockingQueue<String> q, String contains) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            String m = q.poll(200, TimeUnit.MILLISECONDS);
            if (m != null && m.contains(contains)) {
                return m;
            }
        }
        throw new AssertionError("no message containing " + contains);
    }

    @Test
    void setupLinkCreatesTheFirstAdminOnce(@TempDir Path other) throws Exception {
        try (StreamKit k = StreamKit.builder().build()) {
            Restreamer r = Restreamer.builder(k).host("127.0.0.1").httpPort(0).rtmpPort(0).srtPort(-1).dataDir(other)
                    .passwordIterations(1000).start();
            try {
                String token = r.auth().setupToken().orElseThrow();
                assertNotNull(token);
                ApiClient c = new ApiClient(r.httpAddress().getPort());
                assertEquals(403, c.post("/api/v1/auth/setup", "{\"token\":\"wrong\",\"email\":\"a@b.io\","
                        + "\"password\":\"a-long-password\"}").status());
                ApiClient.Res ok = c.post("/api/v1/auth/setup", "{\"token\":\"" + token + "\",\"email\":\"a@b.io\","
                        + "\"password\":\"a-long-password\"}");
                assertEquals(201, ok.status(), ok.raw());
                assertEquals("ADMIN", ok.body().get("user").get("role").asText());
                assertEquals(409, c.post("/api/v1/auth/setup", "{\"token\":\"" + token + "\",\"email\":\"c@b.io\","
                        + "\"password\":\"a-long-password\"}").status());
            } finally {
                r.closeAsync().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
