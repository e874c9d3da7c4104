package io.streamkit.relay.control;

import io.streamkit.api.ConnectionInfo;
import io.streamkit.relay.control.ApiException.FieldError;
import io.streamkit.relay.control.ApiException.Kind;
import io.streamkit.relay.control.auth.Permission;
import io.streamkit.relay.control.model.AuditEntry;
import io.streamkit.relay.control.model.AuditQuery;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputKind;
import io.streamkit.relay.control.model.InputStatus;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.control.model.OutputStatus;
import io.streamkit.relay.control.store.ControlStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restreamer's operations on inputs, outputs and connections: every call checks the actor's
 * role, validates every field (a refused call changes nothing), persists the change, applies it
 * live to the running flows, writes the audit log and notifies listeners.
 */
public final class ControlService {
    private static final Logger log = LoggerFactory.getLogger(ControlService.class);
    private static final String KEY_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final Set<String> OUTPUT_SCHEMES = Set.of("rtmp", "rtmps", "srt");
    private static final int MAX_URL = 2048;

    private final ControlStore store;
    private final FlowManager flows;
    private final Clock clock;
    private final Supplier<List<ConnectionInfo>> connections;
    private final java.util.function.Predicate<String> kicker;
    private final List<ChangeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Receives every successful change, for WebSocket clients and metrics. */
    @FunctionalInterface
    public interface ChangeListener {
        /**
         * @param type e.g. {@code input.created}, {@code output.deleted}
         * @param id the id of what changed
         */
        void changed(String type, String id);
    }

    ControlService(ControlStore store, FlowManager flows, Clock clock, Supplier<List<ConnectionInfo>> connections,
            java.util.function.Predicate<String> kicker) {
        this.store = store;
        this.flows = flows;
        this.clock = clock;
        this.connections = connections;
        this.kicker = kicker;
    }

    /** @param listener receives every later change */
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    /** Starts the flows of every stored input and output (at start-up). */
    void restore() {
        List<InputDef> inputs = store.inputs();
        List<OutputDef> outputs = store.outputs();
        inputs.forEach(flows::applyInput);
        outputs.forEach(flows::applyOutput);
        log.info("restored {} inputs and {} outputs", inputs.size(), outputs.size());
    }

    // ---------------------------------------------------------------- inputs

    /** @return every input */
    public List<InputDef> inputs(Actor actor) {
        actor.require(Permission.READ);
        return store.inputs().stream().map(i -> view(actor, i)).toList();
    }

    /**
     * What an actor may see of an input: stream keys, passphrases and credentials in URLs only for
     * those who may manage streams (a key lets its holder publish).
     */
    static InputDef view(Actor actor, InputDef i) {
        if (actor.role().allows(Permission.MANAGE_STREAMS)) {
            return i;
        }
        return new InputDef(i.id(), i.name(), i.kind(), null, redact(i.url()), i.latencyMs(), null, i.pbKeyLen(), i
                .enabled(), i.createdAt(), i.updatedAt());
    }

    static OutputDef view(Actor actor, OutputDef o) {
        if (actor.role().allows(Permission.MANAGE_STREAMS)) {
            return o;
        }
        return new OutputDef(o.id(), o.inputId(), o.name(), redact(o.url()), o.enabled(), o.createdAt(), o
                .updatedAt());
    }

    /** @return one input */
    public InputDef input(Actor actor, String id) {
        actor.require(Permission.READ);
        return view(actor, store.input(id).orElseThrow(() -> notFound("input", id)));
    }

    /** @return the live figures of one input and its outputs */
    public InputStatus inputStatus(Actor actor, String id) {
        actor.require(Permission.READ);
        return flows.inputStatus(id).orElseThrow(() -> notFound("input", id));
    }

    /** @return the live figures of every input */
    public List<InputStatus> statuses(Actor actor) {
        actor.require(Permission.READ);
        return flows.statuses();
    }

    /** Creates an input with a fresh stream key. */
    public synchronized InputDef createInput(Actor actor, InputRequest req) {
        actor.require(Permission.MANAGE_STREAMS);
        List<FieldError> errors = new ArrayList<>();
        if (req == null) {
            throw ApiException.invalid("body", "an input object is required");
        }
        String name = checkName(req.name(), "name", true, errors);
        if (req.kind() == null) {
            errors.add(new FieldError("kind", "is required: RTMP, SRT or PULL"));
        }
        checkInputFields(req.kind(), req, errors, true);
        throwIfAny(errors);
        if (name != null && store.inputs().stream().anyMatch(i -> i.name().equalsIgnoreCase(name))) {
            throw new ApiException(Kind.CONFLICT, "an input named '" + name + "' exists already", List.of(
                    new FieldError("name", "is already used")));
        }
        Instant now = clock.instant();
        String passphrase = emptyToNull(req.passphrase());
        InputDef def = new InputDef(newId(), name, req.kind(), newStreamKey(), req.url(), req.latencyMs(), passphrase,
                passphrase == null ? null : (req.pbKeyLen() == null ? Integer.valueOf(16) : req.pbKeyLen()), req
                        .enabled() == null || req.enabled(),
                now, now);
        store.putInput(def);
        flows.applyInput(def);
        audit(actor, "input.create", def.id(), def.kind() + " input '" + def.name() + "'");
        fire("input.created", def.id());
        return def;
    }

    /** Changes an input's fields; the kind cannot change. */
    public synchronized InputDef updateInput(Actor actor, String id, InputRequest req) {
        actor.require(Permission.MANAGE_STREAMS);
        InputDef old = store.input(id).orElseThrow(() -> notFound("input", id));
        if (req == null) {
            throw ApiException.invalid("body", "an input object is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = req.name() == null ? old.name() : checkName(req.name(), "name", true, errors);
        if (req.kind() != null && req.kind() != old.kind()) {
            errors.add(new FieldError("kind", "cannot change from " + old.kind() + " to " + req.kind()
                    + "; create another input"));
        }
        InputRequest merged = new InputRequest(name, old.kind(), req.url() == null ? old.url() : req.url(), req
                .latencyMs() == null ? old.latencyMs() : req.latencyMs(), req.passphrase() == null
                        ? old.passphrase()
                        : req.passphrase(),
                req.pbKeyLen() == null ? old.pbKeyLen() : req.pbKeyLen(), req
                        .enabled() == null ? old.enabled() : req.enabled());
        checkInputFields(old.kind(), merged, errors, false);
        throwIfAny(errors);
        if (store.inputs().stream().anyMatch(i -> !i.id().equals(id) && i.name().equalsIgnoreCase(name))) {
            throw new ApiException(Kind.CONFLICT, "an input named '" + name + "' exists already", List.of(
                    new FieldError("name", "is already used")));
        }
        String passphrase = emptyToNull(merged.passphrase());
        InputDef def = new InputDef(old.id(), name, old.kind(), old.streamKey(), merged.url(), merged.latencyMs(),
                passphrase, passphrase == null
                        ? null
                        : (merged.pbKeyLen() == null
                                ? Integer.valueOf(16)
                                : merged.pbKeyLen()),
                merged.enabled(), old.createdAt(), clock.instant());
        store.putInput(def);
        flows.applyInput(def);
        audit(actor, "input.update", id, describeChange(old, def));
        fire("input.updated", id);
        return def;
    }

    /** Starts or stops an input; a stopped input refuses publishers and stops its outputs. */
    public synchronized InputDef setInputEnabled(Actor actor, String id, boolean enabled) {
        actor.require(Permission.MANAGE_STREAMS);
        InputDef old = store.input(id).orElseThrow(() -> notFound("input", id));
        InputDef def = old.withEnabled(enabled, clock.instant());
        store.putInput(def);
        flows.applyInput(def);
        audit(actor, enabled ? "input.start" : "input.stop", id, "'" + def.name() + "'");
        fire("input.updated", id);
        return def;
    }

    /** Replaces an input's stream key; the current publisher is disconnected. */
    public synchronized InputDef regenerateKey(Actor actor, String id) {
        actor.require(Permission.MANAGE_STREAMS);
        InputDef old = store.input(id).orElseThrow(() -> notFound("input", id));
        if (old.kind() == InputKind.PULL) {
            throw new ApiException(Kind.CONFLICT, "a PULL input has no stream key to regenerate");
        }
        InputDef def = old.withStreamKey(newStreamKey(), clock.instant());
        store.putInput(def);
        flows.applyInput(def);
        audit(actor, "input.key.regenerate", id, "'" + def.name() + "'");
        fire("input.updated", id);
        return def;
    }

    /** Deletes an input and its outputs. */
    public synchronized void deleteInput(Actor actor, String id) {
        actor.require(Permission.MANAGE_STREAMS);
        InputDef old = store.input(id).orElseThrow(() -> notFound("input", id));
        flows.removeInput(id);
        store.deleteInput(id);
        audit(actor, "input.delete", id, "'" + old.name() + "'");
        fire("input.deleted", id);
    }

    // ---------------------------------------------------------------- outputs

    /** @return the outputs of an input */
    public List<OutputDef> outputs(Actor actor, String inputId) {
        actor.require(Permission.READ);
        store.input(inputId).orElseThrow(() -> notFound("input", inputId));
        return store.outputsOf(inputId).stream().map(o -> view(actor, o)).toList();
    }

    /** @return one output of an input */
    public OutputDef output(Actor actor, String inputId, String outputId) {
        actor.require(Permission.READ);
        return view(actor, storedOutput(inputId, outputId));
    }

    private OutputDef storedOutput(String inputId, String outputId) {
        return store.output(outputId).filter(o -> o.inputId().equals(inputId)).orElseThrow(() -> notFound("output",
                outputId));
    }

    /** @return the live figures of one output */
    public OutputStatus outputStatus(Actor actor, String inputId, String outputId) {
        actor.require(Permission.READ);
        return flows.outputStatus(inputId, outputId).orElseThrow(() -> notFound("output", outputId));
    }

    /** Adds an output to an input; it starts at once when enabled. */
    public synchronized OutputDef createOutput(Actor actor, String inputId, OutputRequest req) {
        actor.require(Permission.MANAGE_STREAMS);
        InputDef input = store.input(inputId).orElseThrow(() -> notFound("input", inputId));
        if (req == null) {
            throw ApiException.invalid("body", "an output object is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = checkName(req.name(), "name", true, errors);
        checkOutputUrl(req.url(), true, errors);
        throwIfAny(errors);
        if (store.outputsOf(inputId).stream().anyMatch(o -> o.name().equalsIgnoreCase(name))) {
            throw new ApiException(Kind.CONFLICT, "input '" + input.name() + "' has an output named '" + name
                    + "' already", List.of(new FieldError("name", "is already used")));
        }
        Instant now = clock.instant();
        OutputDef def = new OutputDef(newId(), inputId, name, req.url().strip(), req.enabled() == null || req
                .enabled(), now, now);
        store.putOutput(def);
        flows.applyOutput(def);
        audit(actor, "output.create", def.id(), "'" + name + "' of '" + input.name() + "' to " + redact(def.url()));
        fire("output.created", def.id());
        return def;
    }

    /** Changes an output's name, URL or enabled flag. */
    public synchronized OutputDef updateOutput(Actor actor, String inputId, String outputId, OutputRequest req) {
        actor.require(Permission.MANAGE_STREAMS);
        OutputDef old = storedOutput(inputId, outputId);
        if (req == null) {
            throw ApiException.invalid("body", "an output object is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = req.name() == null ? old.name() : checkName(req.name(), "name", true, errors);
        String url = req.url() == null ? old.url() : req.url().strip();
        if (req.url() != null) {
            checkOutputUrl(req.url(), true, errors);
        }
        throwIfAny(errors);
        if (store.outputsOf(inputId).stream().anyMatch(o -> !o.id().equals(outputId) && o.name().equalsIgnoreCase(
                name))) {
            throw new ApiException(Kind.CONFLICT, "an output named '" + name + "' exists already", List.of(
                    new FieldError("name", "is already used")));
        }
        OutputDef def = new OutputDef(old.id(), inputId, name, url, req.enabled() == null
                ? old.enabled()
                : req.enabled(), old.createdAt(), clock.instant());
        store.putOutput(def);
        flows.applyOutput(def);
        audit(actor, "output.update", outputId, "'" + name + "' to " + redact(url) + (def.enabled()
                ? ""
                : " (disabled)"));
        fire("output.updated", outputId);
        return def;
    }

    /** Enables or disables an output live; the input and other outputs are untouched. */
    public synchronized OutputDef setOutputEnabled(Actor actor, String inputId, String outputId, boolean enabled) {
        actor.require(Permission.MANAGE_STREAMS);
        OutputDef old = storedOutput(inputId, outputId);
        OutputDef def = old.withEnabled(enabled, clock.instant());
        store.putOutput(def);
        flows.applyOutput(def);
        audit(actor, enabled ? "output.enable" : "output.disable", outputId, "'" + def.name() + "'");
        fire("output.updated", outputId);
        return def;
    }

    /** Deletes an output. */
    public synchronized void deleteOutput(Actor actor, String inputId, String outputId) {
        actor.require(Permission.MANAGE_STREAMS);
        OutputDef old = storedOutput(inputId, outputId);
        flows.removeOutput(inputId, outputId);
        store.deleteOutput(outputId);
        audit(actor, "output.delete", outputId, "'" + old.name() + "'");
        fire("output.deleted", outputId);
    }

    // ---------------------------------------------------------------- connections, audit

    /** @return the clients connected to the RTMP and SRT servers */
    public List<ConnectionInfo> connections(Actor actor) {
        actor.require(Permission.READ);
        List<ConnectionInfo> all = connections.get();
        if (actor.role().allows(Permission.MANAGE_STREAMS)) {
            return all;
        }
        // the path is a stream key: show the input's name instead
        return all.stream().map(c -> {
            InputDef in = c.path() == null ? null : flows.inputByKey(c.path());
            return new ConnectionInfo(c.id(), c.protocol(), c.remoteAddress(), in == null
                    ? null
                    : "input:" + in.name(), c.publishing(), c.since(), c.bytesReceived(), c.bytesSent(), c.extra());
        }).toList();
    }

    /** Disconnects one client. */
    public void kick(Actor actor, String connectionId) {
        actor.require(Permission.MANAGE_STREAMS);
        if (!kicker.test(connectionId)) {
            throw notFound("connection", connectionId);
        }
        audit(actor, "connection.kick", connectionId, null);
        fire("connection.kicked", connectionId);
    }

    /** @return audit entries, newest first */
    public List<AuditEntry> audit(Actor actor, AuditQuery query) {
        actor.require(Permission.READ_AUDIT);
        return store.audit(query);
    }

    /** Writes one audit entry. */
    void audit(Actor actor, String action, String target, String detail) {
        store.appendAudit(new AuditEntry(0, clock.instant(), actor.email(), actor.remote(), action, target, detail));
    }

    void fire(String type, String id) {
        for (ChangeListener l : listeners) {
            try {
                l.changed(type, id);
            } catch (RuntimeException e) {
                log.warn("change listener failed on {} {}: {}", type, id, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- validation

    private static String checkName(String value, String field, boolean required, List<FieldError> errors) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > 64) {
            errors.add(new FieldError(field, "must be 1 to 64 characters, got " + v.length()));
        } else if (v.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not contain control characters"));
        }
        return v;
    }

    private static void checkInputFields(InputKind kind, InputRequest req, List<FieldError> errors, boolean create) {
        if (kind == null) {
            return;
        }
        boolean srt = kind == InputKind.SRT;
        if (kind == InputKind.PULL) {
            if (req.url() == null || req.url().isBlank()) {
                errors.add(new FieldError("url", "is required for a PULL input"));
            } else {
                URI uri = checkUrl(req.url(), "url", errors);
                if (uri != null) {
                    srt = "srt".equals(uri.getScheme());
                    if (uri.getHost() == null) {
                        errors.add(new FieldError("url", "needs a host to pull from"));
                    }
                }
            }
        } else if (req.url() != null && !req.url().isEmpty()) {
            errors.add(new FieldError("url", "applies only to PULL inputs; " + kind + " inputs are published to"));
        }
        if (req.latencyMs() != null) {
            if (!srt) {
                errors.add(new FieldError("latencyMs", "applies only to SRT inputs and SRT pulls"));
            } else if (req.latencyMs() < 80 || req.latencyMs() > 1000) {
                errors.add(new FieldError("latencyMs", "must be between 80 and 1000 ms, got " + req.latencyMs()));
            }
        }
        String pass = req.passphrase();
        if (pass != null && !pass.isEmpty()) {
            if (kind != InputKind.SRT) {
                errors.add(new FieldError("passphrase", kind == InputKind.PULL
                        ? "of a pull goes in its URL (?passphrase=...)"
                        : "applies only to SRT inputs; RTMP inputs are protected by their stream key"));
            } else if (pass.length() < 10 || pass.length() > 79) {
                errors.add(new FieldError("passphrase", "must be 10 to 79 characters, got " + pass.length()));
            }
        }
        if (req.pbKeyLen() != null) {
            if (req.pbKeyLen() != 16 && req.pbKeyLen() != 24 && req.pbKeyLen() != 32) {
                errors.add(new FieldError("pbKeyLen", "must be 16, 24 or 32 (AES-128/192/256), got " + req
                        .pbKeyLen()));
            } else if ((pass == null || pass.isEmpty()) && create) {
                errors.add(new FieldError("pbKeyLen", "needs a passphrase"));
            }
        }
    }

    private static void checkOutputUrl(String value, boolean required, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError("url", "is required"));
            }
            return;
        }
        URI uri = checkUrl(value, "url", errors);
        if (uri == null) {
            return;
        }
        Map<String, String> q = io.streamkit.api.Uris.query(uri);
        boolean listener = "listener".equals(q.get("mode"));
        if (uri.getHost() == null && !listener) {
            errors.add(new FieldError("url", "needs a destination host"));
        }
        if (listener && !"srt".equals(uri.getScheme())) {
            errors.add(new FieldError("url", "mode=listener exists only for srt:// outputs"));
        }
        if (listener && uri.getPort() <= 0) {
            errors.add(new FieldError("url", "a listener (pull) output needs a port to listen on"));
        }
        String latency = q.get("latency");
        if (latency != null) {
            try {
                int ms = Integer.parseInt(latency);
                if (ms < 80 || ms > 1000) {
                    errors.add(new FieldError("url", "latency must be between 80 and 1000 ms, got " + ms));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("url", "latency must be a number of milliseconds, got '" + latency + "'"));
            }
        }
        String pass = q.get("passphrase");
        if (pass != null && (pass.length() < 10 || pass.length() > 79)) {
            errors.add(new FieldError("url", "passphrase must be 10 to 79 characters, got " + pass.length()));
        }
    }

    private static URI checkUrl(String value, String field, List<FieldError> errors) {
        String v = value.strip();
        if (v.length() > MAX_URL) {
            errors.add(new FieldError(field, "must be at most " + MAX_URL + " characters"));
            return null;
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "is not a valid URL: " + e.getReason()));
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !OUTPUT_SCHEMES.contains(scheme)) {
            errors.add(new FieldError(field, "must start with rtmp://, rtmps:// or srt://"));
            return null;
        }
        return uri;
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (FieldError e : errors) {
                sb.append(sb.length() == 0 ? "" : "; ").append(e.field()).append(' ').append(e.message());
            }
            throw new ApiException(Kind.INVALID, sb.toString(), errors);
        }
    }

    private static String describeChange(InputDef a, InputDef b) {
        List<String> parts = new ArrayList<>();
        if (!a.name().equals(b.name())) {
            parts.add("name '" + a.name() + "' -> '" + b.name() + "'");
        }
        if (!java.util.Objects.equals(a.url(), b.url())) {
            parts.add("url -> " + redact(b.url()));
        }
        if (!java.util.Objects.equals(a.latencyMs(), b.latencyMs())) {
            parts.add("latency " + a.latencyMs() + " -> " + b.latencyMs() + " ms");
        }
        if (!java.util.Objects.equals(a.passphrase(), b.passphrase())) {
            parts.add(b.passphrase() == null ? "passphrase removed" : "passphrase changed");
        }
        if (a.enabled() != b.enabled()) {
            parts.add(b.enabled() ? "enabled" : "disabled");
        }
        return parts.isEmpty() ? "no change" : String.join(", ", parts);
    }

    static String redact(String url) {
        if (url == null) {
            return null;
        }
        try {
            return io.streamkit.api.Uris.redact(new URI(url));
        } catch (URISyntaxException e) {
            return "(invalid URL)";
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static ApiException notFound(String what, String id) {
        return new ApiException(Kind.NOT_FOUND, "no " + what + " with id '" + id + "'");
    }

    String newId() {
        return Ids.random(12, Ids.LOWER_ALNUM);
    }

    String newStreamKey() {
        return Ids.random(24, KEY_ALPHABET);
    }
}
