package io.streamkit.relay.control;

import io.streamkit.relay.control.ApiException.Kind;
import io.streamkit.relay.control.model.AuditQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1/}: routes a request to the {@link ControlService} or the
 * {@link AuthService}, and turns the result into JSON or an RFC 9457 problem. Transport-neutral:
 * the HTTP server hands it a {@link Request} and writes back the {@link Response}. Documented in
 * {@code docs/openapi.yaml}.
 */
final class ControlApi {
    static final String PREFIX = "/api/v1";

    private final ControlService service;
    private final AuthService auth;
    private final Map<String, Object> serverInfo;

    ControlApi(ControlService service, AuthService auth, Map<String, Object> serverInfo) {
        this.service = service;
        this.auth = auth;
        this.serverInfo = serverInfo;
    }

    /**
     * A decoded HTTP request.
     *
     * @param method upper-case method
     * @param path path below the prefix, without query, e.g. {@code /inputs/abc}
     * @param query decoded query parameters (first value of each)
     * @param authorization the Authorization header, or {@code null}
     * @param body the body bytes
     * @param remote the client address
     */
    record Request(String method, String path, Map<String, String> query, String authorization, byte[] body,
            String remote) {
    }

    /**
     * A response to write.
     *
     * @param status HTTP status
     * @param contentType media type of {@code body}
     * @param body bytes, possibly empty
     */
    record Response(int status, String contentType, byte[] body) {
        static Response json(int status, Object value) {
            return new Response(status, "application/json", Json.write(value));
        }

        static Response noContent() {
            return new Response(204, "application/json", new byte[0]);
        }
    }

    Response handle(Request req) {
        try {
            return route(req);
        } catch (ApiException e) {
            return problem(e, req);
        } catch (RuntimeException e) {
            // a store or server failure: the client gets a 500 and the log has the cause, never a secret
            LoggerFactory.getLogger(ControlApi.class).error("{} {} failed", req.method(), PREFIX + req.path(), e);
            return problem(new ApiException(Kind.INTERNAL, "the server failed: " + e.getClass().getSimpleName()
                    + "; see the server log"), req);
        }
    }

    static Response problem(ApiException e, Request req) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "https://streamkit.io/problems/" + e.kind().slug());
        p.put("title", e.kind().title());
        p.put("status", e.status());
        p.put("detail", e.getMessage());
        p.put("instance", PREFIX + req.path());
        if (!e.errors().isEmpty()) {
            p.put("errors", e.errors());
        }
        return new Response(e.status(), "application/problem+json", Json.write(p));
    }

    private Response route(Request req) {
        String[] s = segments(req.path());
        String m = req.method();
        // unauthenticated routes
        if (s.length == 2 && s[0].equals("auth")) {
            switch (s[1]) {
                case "login" -> {
                    requireMethod(m, "POST");
                    return Response.json(200, auth.login(Json.read(req.body(), AuthService.LoginRequest.class), req
                            .remote()));
                }
                case "refresh" -> {
                    requireMethod(m, "POST");
                    return Response.json(200, auth.refresh(Json.read(req.body(), AuthService.RefreshRequest.class)
                            .refreshToken(), req.remote()));
                }
                case "setup" -> {
                    requireMethod(m, "POST");
                    return Response.json(201, auth.completeSetup(Json.read(req.body(),
                            AuthService.SetupRequest.class), req.remote()));
                }
                default -> {
                    // fall through to the authenticated auth routes
                }
            }
        }
        if (s.length == 1 && s[0].equals("health")) {
            requireMethod(m, "GET");
            return Response.json(200, Map.of("status", "ok"));
        }
        Actor actor = auth.authenticate(bearer(req.authorization()), req.remote());
        if (s.length == 0) {
            throw new ApiException(Kind.NOT_FOUND, "no route " + m + " " + PREFIX + req.path());
        }
        return switch (s[0]) {
            case "auth" -> authRoutes(actor, req, s);
            case "server" -> {
                requireMethod(m, "GET");
                yield Response.json(200, serverInfo);
            }
            case "status" -> {
                requireMethod(m, "GET");
                yield Response.json(200, service.statuses(actor));
            }
            case "inputs" -> inputRoutes(actor, req, s);
            case "connections" -> {
                if (s.length == 1) {
                    requireMethod(m, "GET");
                    yield Response.json(200, service.connections(actor));
                }
                if (s.length == 2) {
                    requireMethod(m, "DELETE");
                    service.kick(actor, s[1]);
                    yield Response.noContent();
                }
                throw notFound(req);
            }
            case "users" -> userRoutes(actor, req, s);
            case "audit" -> {
                requireMethod(m, "GET");
                yield Response.json(200, service.audit(actor, auditQuery(req.query())));
            }
            default -> throw notFound(req);
        };
    }

    private Response authRoutes(Actor actor, Request req, String[] s) {
        String m = req.method();
        if (s.length == 2) {
            switch (s[1]) {
                case "me" :
                    requireMethod(m, "GET");
                    return Response.json(200, auth.me(actor));
                case "logout" :
                    requireMethod(m, "POST");
                    auth.logout(actor, bearer(req.authorization()));
                    return Response.noContent();
                case "password" :
                    requireMethod(m, "POST");
                    auth.changePassword(actor, bearer(req.authorization()), Json.read(req.body(),
                            AuthService.PasswordChange.class));
                    return Response.noContent();
                default :
                    break;
            }
        }
        if (s.length == 3 && s[1].equals("totp")) {
            requireMethod(m, "POST");
            switch (s[2]) {
                case "setup" :
                    return Response.json(200, auth.totpSetup(actor));
                case "enable" :
                    return Response.json(200, auth.totpEnable(actor, Json.read(req.body(),
                            AuthService.CodeRequest.class).code()));
                case "disable" :
                    auth.totpDisable(actor, Json.read(req.body(), AuthService.PasswordRequest.class).password());
                    return Response.noContent();
                default :
                    break;
            }
        }
        throw notFound(req);
    }

    private Response inputRoutes(Actor actor, Request req, String[] s) {
        String m = req.method();
        if (s.length == 1) {
            if (m.equals("GET")) {
                return Response.json(200, service.inputs(actor));
            }
            requireMethod(m, "GET", "POST");
            return Response.json(201, service.createInput(actor, Json.read(req.body(), InputRequest.class)));
        }
        String id = s[1];
        if (s.length == 2) {
            return switch (m) {
                case "GET" -> Response.json(200, service.input(actor, id));
                case "PATCH", "PUT" -> Response.json(200, service.updateInput(actor, id, Json.read(req.body(),
                        InputRequest.class)));
                case "DELETE" -> {
                    service.deleteInput(actor, id);
                    yield Response.noContent();
                }
                default -> throw methodNotAllowed(m, "GET, PATCH, DELETE");
            };
        }
        if (s.length == 3) {
            switch (s[2]) {
                case "status" :
                    requireMethod(m, "GET");
                    return Response.json(200, service.inputStatus(actor, id));
                case "start" :
                    requireMethod(m, "POST");
                    return Response.json(200, service.setInputEnabled(actor, id, true));
                case "stop" :
                    requireMethod(m, "POST");
                    return Response.json(200, service.setInputEnabled(actor, id, false));
                case "regenerate-key" :
                    requireMethod(m, "POST");
                    return Response.json(200, service.regenerateKey(actor, id));
                case "outputs" :
                    if (m.equals("GET")) {
                        return Response.json(200, service.outputs(actor, id));
                    }
                    requireMethod(m, "GET", "POST");
                    return Response.json(201, service.createOutput(actor, id, Json.read(req.body(),
                            OutputRequest.class)));
                default :
                    throw notFound(req);
            }
        }
        if (s[2].equals("outputs")) {
            String oid = s[3];
            if (s.length == 4) {
                return switch (m) {
                    case "GET" -> Response.json(200, service.output(actor, id, oid));
                    case "PATCH", "PUT" -> Response.json(200, service.updateOutput(actor, id, oid, Json.read(req
                            .body(), OutputRequest.class)));
                    case "DELETE" -> {
                        service.deleteOutput(actor, id, oid);
                        yield Response.noContent();
                    }
                    default -> throw methodNotAllowed(m, "GET, PATCH, DELETE");
                };
            }
            if (s.length == 5) {
                switch (s[4]) {
                    case "status" :
                        requireMethod(m, "GET");
                        return Response.json(200, service.outputStatus(actor, id, oid));
                    case "enable", "start" :
                        requireMethod(m, "POST");
                        return Response.json(200, service.setOutputEnabled(actor, id, oid, true));
                    case "disable", "stop" :
                        requireMethod(m, "POST");
                        return Response.json(200, service.setOutputEnabled(actor, id, oid, false));
                    default :
                        break;
                }
            }
        }
        throw notFound(req);
    }

    private Response userRoutes(Actor actor, Request req, String[] s) {
        String m = req.method();
        if (s.length == 1) {
            if (m.equals("GET")) {
                return Response.json(200, auth.users(actor));
            }
            requireMethod(m, "GET", "POST");
            return Response.json(201, auth.createUser(actor, Json.read(req.body(), UserRequest.class)));
        }
        if (s.length == 2) {
            return switch (m) {
                case "GET" -> Response.json(200, auth.user(actor, s[1]));
                case "PATCH", "PUT" -> Response.json(200, auth.updateUser(actor, s[1], Json.read(req.body(),
                        UserRequest.class)));
                case "DELETE" -> {
                    auth.deleteUser(actor, s[1]);
                    yield Response.noContent();
                }
                default -> throw methodNotAllowed(m, "GET, PATCH, DELETE");
            };
        }
        throw notFound(req);
    }

    private static AuditQuery auditQuery(Map<String, String> q) {
        for (String k : q.keySet()) {
            if (!List.of("actor", "action", "since", "until", "before", "limit").contains(k)) {
                throw ApiException.invalid(k, "unknown query parameter; allowed: actor, action, since, until, "
                        + "before, limit");
            }
        }
        int limit = 100;
        if (q.containsKey("limit")) {
            limit = (int) number(q.get("limit"), "limit", 1, 1000);
        }
        Long before = q.containsKey("before") ? number(q.get("before"), "before", 1, Long.MAX_VALUE) : null;
        return new AuditQuery(q.get("actor"), q.get("action"), instant(q.get("since"), "since"), instant(q.get(
                "until"), "until"), before, limit);
    }

    private static long number(String v, String field, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw ApiException.invalid(field, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be a whole number, got '" + v + "'");
        }
    }

    private static Instant instant(String v, String field) {
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be an ISO-8601 instant like 2026-01-31T12:00:00Z, got '" + v
                    + "'");
        }
    }

    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).strip();
        }
        return null;
    }

    private static String[] segments(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return new String[0];
        }
        String[] parts = p.split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = java.net.URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        return parts;
    }

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw methodNotAllowed(method, String.join(", ", allowed));
    }

    private static ApiException methodNotAllowed(String method, String allowed) {
        return new ApiException(Kind.METHOD_NOT_ALLOWED, "method " + method + " is not allowed here; use "
                + allowed);
    }

    private static ApiException notFound(Request req) {
        return new ApiException(Kind.NOT_FOUND, "no route " + req.method() + " " + PREFIX + req.path());
    }
}
