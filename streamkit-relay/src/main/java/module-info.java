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

    exports io.streamkit.relay.amf;
    exports io.streamkit.relay.flv;
    exports io.streamkit.relay.mp4;
    exports io.streamkit.relay.record;
    exports io.streamkit.relay.rtmp;
    exports io.streamkit.relay.srt;
    exports io.streamkit.relay.ts;

    provides io.streamkit.api.spi.TransportProvider with io.streamkit.relay.rtmp.RtmpTransportProvider,
            io.streamkit.relay.srt.SrtTransportProvider, io.streamkit.relay.record.FileTransportProvider;

}
