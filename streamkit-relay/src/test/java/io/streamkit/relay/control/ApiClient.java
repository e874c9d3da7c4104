package io.streamkit.relay.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client of the control API for tests (unit and interop). */
@SuppressWarnings("exports") // a test helper: Jackson is on the test path
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** The bearer token sent with every call, set by {@link #login}. */
    public String token;

    /** A response: status, parsed body (null when empty), raw body and content type. */
    public record Res(int status, JsonNode body, String raw, String contentType) {
    }

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Res call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String ct = r.headers().firstValue("content-type").orElse("");
        JsonNode body = r.body().isEmpty() || !ct.contains("json") ? null : JSON.readTree(r.body());
        return new Res(r.statusCode(), body, r.body(), ct);
    }

    public Res get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    public Res post(String path, String json) throws IOException, InterruptedException {
        return call("POST", path, json);
    }

    /** Logs in and keeps the access token. */
    public JsonNode login(String email, String password) throws IOException, InterruptedException {
        Res r = post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (r.status() != 200) {
            throw new AssertionError("login failed: " + r.status() + " " + r.raw());
        }
        token = r.body().get("accessToken").asText();
        return r.body();
    }
}
