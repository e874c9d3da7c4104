/**
 * StreamKit WebRTC: the SFU (rooms, the signaling protocol, the server-side media plane) and a
 * participant client. The module is laid out; its content arrives with the SFU work.
 */
module io.streamkit.webrtc {
    requires transitive io.streamkit.api;
}
