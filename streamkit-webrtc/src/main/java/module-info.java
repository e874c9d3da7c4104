/**
 * StreamKit WebRTC: the SFU (rooms, the signaling protocol, the server-side media plane) and a
 * participant client.
 */
module io.streamkit.webrtc {
    requires transitive io.streamkit.api;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires webrtc.java;

    // exports: one line per package, in alphabetical order
    exports io.streamkit.webrtc.client;
    exports io.streamkit.webrtc.dtls;
    exports io.streamkit.webrtc.rtp;
    exports io.streamkit.webrtc.sdp;
    exports io.streamkit.webrtc.sfu;
    exports io.streamkit.webrtc.signaling;
    exports io.streamkit.webrtc.srtp;
    exports io.streamkit.webrtc.stun;

}
