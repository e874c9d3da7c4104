package io.streamkit.relay.control;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamkit.api.ConnectionInfo;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputStatus;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.control.model.OutputStatus;
import io.streamkit.relay.control.store.ControlStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prometheus exposition of the restreamer through Micrometer: per input and per output bitrate,
 * state and bytes, per SRT connection RTT and loss, connection counts, plus the JVM's and Netty's
 * pooled buffer figures. Per-stream series are refreshed on every scrape, so deleted inputs and
 * outputs disappear.
 */
final class ControlMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<List<InputStatus>> statuses;
    private final ControlStore store;
    private final Supplier<List<ConnectionInfo>> connections;
    private final MultiGauge inputBitrate;
    private final MultiGauge inputLive;
    private final MultiGauge inputBytes;
    private final MultiGauge inputReaders;
    private final MultiGauge outputBitrate;
    private final MultiGauge outputState;
    private final MultiGauge outputBytes;
    private final MultiGauge outputDropped;
    private final MultiGauge srtRtt;
    private final MultiGauge srtLost;
    private final MultiGauge srtRetransmitted;

    ControlMetrics(Supplier<List<InputStatus>> statuses, ControlStore store, Supplier<List<ConnectionInfo>> connections,
            Supplier<Integer> wsClients) {
        this.statuses = statuses;
        this.store = store;
        this.connections = connections;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        inputBitrate = MultiGauge.builder("streamkit.input.bitrate").baseUnit("bits").description(
                "Input bitrate over the last second").register(registry);
        inputLive = MultiGauge.builder("streamkit.input.live").description("1 when the input's stream is live")
                .register(registry);
        inputBytes = MultiGauge.builder("streamkit.input.received").baseUnit("bytes").description(
                "Bytes received by the input").register(registry);
        inputReaders = MultiGauge.builder("streamkit.input.readers").description(
                "Subscribers of the input's stream (outputs, players)").register(registry);
        outputBitrate = MultiGauge.builder("streamkit.output.bitrate").baseUnit("bits").description(
                "Output bitrate over the last second").register(registry);
        outputState = MultiGauge.builder("streamkit.output.state").description(
                "0 stopped, 1 waiting, 2 connecting, 3 live, 4 retrying").register(registry);
        outputBytes = MultiGauge.builder("streamkit.output.sent").baseUnit("bytes").description(
                "Bytes sent by the output").register(registry);
        outputDropped = MultiGauge.builder("streamkit.output.dropped.packets").description(
                "Packets the output dropped because the destination was too slow").register(registry);
        srtRtt = MultiGauge.builder("streamkit.srt.rtt").baseUnit("milliseconds").description(
                "Smoothed RTT of each SRT connection").register(registry);
        srtLost = MultiGauge.builder("streamkit.srt.lost.packets").description(
                "Packets reported lost on each SRT connection").register(registry);
        srtRetransmitted = MultiGauge.builder("streamkit.srt.retransmitted.packets").description(
                "Packets retransmitted on each SRT connection").register(registry);
        Gauge.builder("streamkit.connections", () -> connections.get().size()).description(
                "Clients connected to the RTMP and SRT servers").register(registry);
        Gauge.builder("streamkit.events.clients", wsClients::get).description("Event WebSocket clients")
                .register(registry);
    }

    /** @return the Prometheus text exposition, refreshed now */
    String scrape() {
        refresh();
        return registry.scrape();
    }

    private synchronized void refresh() {
        Map<String, InputDef> inputs = new java.util.HashMap<>();
        store.inputs().forEach(i -> inputs.put(i.id(), i));
        Map<String, OutputDef> outputs = new java.util.HashMap<>();
        store.outputs().forEach(o -> outputs.put(o.id(), o));
        List<MultiGauge.Row<?>> bitrate = new ArrayList<>();
        List<MultiGauge.Row<?>> live = new ArrayList<>();
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        List<MultiGauge.Row<?>> readers = new ArrayList<>();
        List<MultiGauge.Row<?>> oBitrate = new ArrayList<>();
        List<MultiGauge.Row<?>> oState = new ArrayList<>();
        List<MultiGauge.Row<?>> oBytes = new ArrayList<>();
        List<MultiGauge.Row<?>> oDropped = new ArrayList<>();
        for (InputStatus s : statuses.get()) {
            InputDef def = inputs.get(s.id());
            Tags t = Tags.of("input", s.name(), "input_id", s.id(), "kind", def == null ? "?" : def.kind().name());
            bitrate.add(MultiGauge.Row.of(t, s.bitrate1s()));
            live.add(MultiGauge.Row.of(t, "LIVE".equals(s.state()) ? 1 : 0));
            bytes.add(MultiGauge.Row.of(t, s.bytesIn()));
            readers.add(MultiGauge.Row.of(t, s.readers()));
            for (OutputStatus o : s.outputs()) {
                OutputDef od = outputs.get(o.id());
                Tags ot = Tags.of("input", s.name(), "output", od == null ? o.id() : od.name(), "output_id", o.id());
                oBitrate.add(MultiGauge.Row.of(ot, o.bitrate1s()));
                oState.add(MultiGauge.Row.of(ot, stateCode(o.state())));
                oBytes.add(MultiGauge.Row.of(ot, o.bytes()));
                oDropped.add(MultiGauge.Row.of(ot, o.packetsDropped()));
            }
        }
        inputBitrate.register(bitrate, true);
        inputLive.register(live, true);
        inputBytes.register(bytes, true);
        inputReaders.register(readers, true);
        outputBitrate.register(oBitrate, true);
        outputState.register(oState, true);
        outputBytes.register(oBytes, true);
        outputDropped.register(oDropped, true);
        List<MultiGauge.Row<?>> rtt = new ArrayList<>();
        List<MultiGauge.Row<?>> lost = new ArrayList<>();
        List<MultiGauge.Row<?>> retx = new ArrayList<>();
        for (ConnectionInfo c : connections.get()) {
            if (!c.protocol().equals("srt")) {
                continue;
            }
            Tags t = Tags.of("connection", c.id(), "path_role", c.publishing() ? "publish" : "read");
            rtt.add(MultiGauge.Row.of(t, c.extra().getOrDefault("rttMs", 0)));
            lost.add(MultiGauge.Row.of(t, c.extra().getOrDefault("packetsLost", 0)));
            retx.add(MultiGauge.Row.of(t, c.extra().getOrDefault("packetsRetransmitted", 0)));
        }
        srtRtt.register(rtt, true);
        srtLost.register(lost, true);
        srtRetransmitted.register(retx, true);
    }

    private static int stateCode(String state) {
        return switch (state) {
            case "WAITING" -> 1;
            case "CONNECTING" -> 2;
            case "LIVE" -> 3;
            case "RETRYING" -> 4;
            default -> 0;
        };
    }

    void close() {
        registry.close();
    }
}
