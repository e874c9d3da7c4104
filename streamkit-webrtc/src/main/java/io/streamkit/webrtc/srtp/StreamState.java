package io.streamkit.webrtc.srtp;

/** What a context remembers about one SSRC: its SRTP and SRTCP windows and next SRTCP index. */
final class StreamState {
    /** Most SSRCs one context tracks, bounding its memory (about 150 bytes each). */
    static final int MAX_STREAMS = 4096;
    /** Largest 31-bit SRTCP index. */
    static final int MAX_RTCP_INDEX = 0x7fff_ffff;

    final ReplayWindow rtp = new ReplayWindow();
    final ReplayWindow rtcp = new ReplayWindow();
    /** The SRTCP index the sender uses next (RFC 3711 §3.4: starts at 0). */
    long nextRtcpIndex;
}
