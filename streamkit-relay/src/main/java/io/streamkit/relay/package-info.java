/**
 * The relay: servers and transports that carry {@link io.streamkit.api.Stream}s over RTMP and
 * RTMPS (and, later, SRT, HLS and files).
 */
package io.streamkit.relay;
