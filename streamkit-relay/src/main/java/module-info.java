/**
 * StreamKit Relay: RTMP/RTMPS server and client on Netty, FLV and AMF0 codecs, and the relay
 * that wires them to {@link io.streamkit.api.Stream}s. Pure Java, no native code.
 */
module io.streamkit.relay {
    requires transitive io.streamkit.api;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires transitive io.netty.codec;
    requires transitive io.netty.handler;
    requires transitive java.sql;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires io.netty.codec.http;

    exports io.streamkit.relay;
    exports io.streamkit.relay.amf;
    exports io.streamkit.relay.audience;
    exports io.streamkit.relay.control;
    exports io.streamkit.relay.control.auth;
    exports io.streamkit.relay.control.model;
    exports io.streamkit.relay.control.store;
    exports io.streamkit.relay.flv;
    exports io.streamkit.relay.hls;
    exports io.streamkit.relay.mp4;
    exports io.streamkit.relay.record;
    exports io.streamkit.relay.rtmp;
    exports io.streamkit.relay.srt;
    exports io.streamkit.relay.ts;

    opens io.streamkit.relay.control to com.fasterxml.jackson.databind;
    opens io.streamkit.relay.control.model to com.fasterxml.jackson.databind;

    provides io.streamkit.api.spi.TransportProvider with io.streamkit.relay.rtmp.RtmpTransportProvider,
            io.streamkit.relay.srt.SrtTransportProvider, io.streamkit.relay.record.FileTransportProvider;

}
