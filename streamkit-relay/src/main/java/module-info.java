/**
 * StreamKit Relay: RTMP/RTMPS server and client on Netty, FLV and AMF0 codecs, and the relay
 * that wires them to {@link io.streamkit.api.Stream}s. Pure Java, no native code.
 */
module io.streamkit.relay {
    requires transitive io.streamkit.api;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;

    // exports io.streamkit.relay;  (enabled once the package has classes)
    // exports io.streamkit.relay.amf;  (enabled once the package has classes)
    // exports io.streamkit.relay.flv;  (enabled once the package has classes)
    // exports io.streamkit.relay.rtmp;  (enabled once the package has classes)

}
