package io.streamkit.relay.control;

import io.streamkit.api.ConnectionState;
import io.streamkit.api.EndpointStats;
import io.streamkit.api.Input;
import io.streamkit.api.InputConfig;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamStats;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputKind;
import io.streamkit.relay.control.model.InputStatus;
import io.streamkit.relay.control.model.OutputStatus;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.srt.SrtStreamSettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the configured inputs and outputs into running flows of a {@link StreamKit}: each input is
 * the stream whose path is its stream key; pull inputs get an {@link Input}; each enabled output an
 * {@link Output}. Changes apply live: adding, disabling or removing an output never touches the input
 * or the other outputs.
 */
final class FlowManager {
    private static final Logger log = LoggerFactory.getLogger(FlowManager.class);

    private final StreamKit kit;
    private final Consumer<String> kickPublishers;
    private final Map<String, Flow> flows = new LinkedHashMap<>();
    /** Stream key → input, read on network threads. */
    private final Map<String, InputDef> byKey = new ConcurrentHashMap<>();

    /** One input's running parts. */
    private static final class Flow {
        InputDef def;
        Stream stream;
        Input pull;
        final Map<String, OutputDef> outputDefs = new LinkedHashMap<>();
        final Map<String, Output> outputs = new HashMap<>();
    }

    /**
     * @param kit the kit running the streams
     * @param kickPublishers disconnects whoever publishes a path (RTMP and SRT servers)
     */
    FlowManager(StreamKit kit, Consumer<String> kickPublishers) {
        this.kit = kit;
        this.kickPublishers = kickPublishers;
    }

    /** Creates or updates an input's flow. */
    synchronized void applyInput(InputDef def) {
        Flow flow = flows.get(def.id());
        if (flow == null) {
            flow = new Flow();
            flows.put(def.id(), flow);
        } else if (!flow.def.streamKey().equals(def.streamKey()) || flow.def.kind() != def.kind()
                || !java.util.Objects.equals(flow.def.url(), def.url())) {
            // the path changes: stop everything on the old one and start again on the new one
            InputDef old = flow.def;
            byKey.remove(old.streamKey());
            stopPull(flow);
            flow.outputs.values().forEach(Output::close);
            flow.outputs.clear();
            kickPublishers.accept(old.streamKey());
        }
        flow.def = def;
        byKey.put(def.streamKey(), def);
        flow.stream = kit.stream(def.streamKey());
        if (!def.enabled()) {
            stopPull(flow);
            kickPublishers.accept(def.streamKey());
        } else if (def.kind() == InputKind.PULL && flow.pull == null) {
            flow.pull = flow.stream.addInput(InputConfig.of(pullUri(def)));
            log.info("input {} pulls {}", def.name(), io.streamkit.api.Uris.redact(URI.create(def.url())));
        }
        for (OutputDef o : flow.outputDefs.values()) {
            syncOutput(flow, o);
        }
    }

    /** Stops and forgets an input and its outputs. */
    synchronized void removeInput(String inputId) {
        Flow flow = flows.remove(inputId);
        if (flow == null) {
            return;
        }
        byKey.remove(flow.def.streamKey());
        stopPull(flow);
        flow.outputs.values().forEach(Output::close);
        flow.outputs.clear();
        kickPublishers.accept(flow.def.streamKey());
    }

    /** Creates or updates an output of an applied input. */
    synchronized void applyOutput(OutputDef def) {
        Flow flow = flows.get(def.inputId());
        if (flow == null) {
            throw new IllegalStateException("input " + def.inputId() + " is not running");
        }
        OutputDef old = flow.outputDefs.put(def.id(), def);
        if (old != null && !old.url().equals(def.url())) {
            Output o = flow.outputs.remove(def.id());
            if (o != null) {
                o.close();
            }
        }
        syncOutput(flow, def);
    }

    /** Stops and forgets an output. */
    synchronized void removeOutput(String inputId, String outputId) {
        Flow flow = flows.get(inputId);
        if (flow == null) {
            return;
        }
        flow.outputDefs.remove(outputId);
        Output o = flow.outputs.remove(outputId);
        if (o != null) {
            o.close();
        }
    }

    private void syncOutput(Flow flow, OutputDef def) {
        boolean run = def.enabled() && flow.def.enabled();
        Output o = flow.outputs.get(def.id());
        if (run && o == null) {
            o = flow.stream.addOutput(OutputConfig.of(URI.create(def.url())));
            flow.outputs.put(def.id(), o);
            log.info("output {} of {} started: {}", def.name(), flow.def.name(), io.streamkit.api.Uris.redact(o
                    .uri()));
        } else if (!run && o != null) {
            flow.outputs.remove(def.id()).close();
            log.info("output {} of {} stopped", def.name(), flow.def.name());
        }
    }

    /** The pull URL, with the input's SRT latency when the URL does not set one. */
    static URI pullUri(InputDef def) {
        String url = def.url();
        if (def.latencyMs() != null && url.startsWith("srt://") && !url.contains("latency=")) {
            url += (url.contains("?") ? "&" : "?") + "latency=" + def.latencyMs();
        }
        return URI.create(url);
    }

    private static void stopPull(Flow flow) {
        if (flow.pull != null) {
            flow.pull.close();
            flow.pull = null;
        }
    }

    /** @return whether a client may publish {@code path} over a protocol of {@code kind} */
    boolean mayPublish(String path, InputKind kind) {
        InputDef def = byKey.get(path);
        return def != null && def.enabled() && def.kind() == kind;
    }

    /** @return the input whose stream key is {@code path}, or {@code null} */
    InputDef inputByKey(String path) {
        return byKey.get(path);
    }

    /** @return whether a client may read {@code path} (any configured input) */
    boolean mayRead(String path) {
        return byKey.containsKey(path);
    }

    /** @return the SRT settings of a path; empty for unknown paths (refused with 1404) */
    Optional<SrtStreamSettings> srtSettings(String path) {
        InputDef def = byKey.get(path);
        if (def == null) {
            return Optional.empty();
        }
        SrtStreamSettings s = SrtStreamSettings.DEFAULT;
        if (def.kind() == InputKind.SRT) {
            if (def.latencyMs() != null) {
                s = s.withLatencyMillis(def.latencyMs());
            }
            if (def.passphrase() != null) {
                s = s.withPassphrase(def.passphrase()).withKeyLength(def.pbKeyLen() == null ? 16 : def.pbKeyLen());
            }
        }
        return Optional.of(s);
    }

    /** @return the live status of an input, empty when unknown */
    synchronized Optional<InputStatus> inputStatus(String inputId) {
        Flow flow = flows.get(inputId);
        return flow == null ? Optional.empty() : Optional.of(status(flow));
    }

    /** @return the live status of every input, in creation order */
    synchronized List<InputStatus> statuses() {
        return flows.values().stream().map(FlowManager::status).toList();
    }

    /** @return the live status of an output, empty when unknown */
    synchronized Optional<OutputStatus> outputStatus(String inputId, String outputId) {
        Flow flow = flows.get(inputId);
        if (flow == null || !flow.outputDefs.containsKey(outputId)) {
            return Optional.empty();
        }
        return Optional.of(outputStatus(flow, flow.outputDefs.get(outputId)));
    }

    private static InputStatus status(Flow flow) {
        StreamStats s = flow.stream.stats();
        EndpointStats pull = flow.pull == null ? null : flow.pull.stats();
        List<OutputStatus> outs = flow.outputDefs.values().stream().map(d -> outputStatus(flow, d)).toList();
        return new InputStatus(flow.def.id(), flow.def.name(), s.state().name(), s.bitrate1s(), s.bitrate10s(),
                s.bytesIn(), s.packetsIn(), s.subscribers(), s.uptime().toMillis(), pull == null
                        ? null
                        : pull.state().name(),
                pull == null ? null : pull.lastError(), outs);
    }

    private static OutputStatus outputStatus(Flow flow, OutputDef def) {
        Output o = flow.outputs.get(def.id());
        if (o == null) {
            return new OutputStatus(def.id(), ConnectionState.STOPPED.name(), 0, 0, 0, 0, 0, null, null);
        }
        EndpointStats e = o.stats();
        Duration up = e.uptime();
        return new OutputStatus(def.id(), e.state().name(), e.bitrate1s(), e.bytes(), e.packetsDropped(), e
                .connects(), up.toMillis(), e.lastError(),
                e.lastErrorAt() == null
                        ? null
                        : e.lastErrorAt().toString());
    }

    /** Stops every flow (the kit's streams stay). */
    synchronized void close() {
        for (Flow flow : flows.values()) {
            stopPull(flow);
            flow.outputs.values().forEach(Output::close);
        }
        flows.clear();
        byKey.clear();
    }
}
