/**
 * The relay's fluent entry point, {@link io.streamkit.relay.Relay}: RTMP, SRT and HLS servers over a
 * kit's streams, and per-stream recordings and pushes. The protocols live in the sub-packages.
 */
package io.streamkit.relay;
