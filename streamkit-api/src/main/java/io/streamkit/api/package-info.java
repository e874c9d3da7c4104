/**
 * StreamKit's public API: the media model ({@link io.streamkit.api.MediaPacket},
 * {@link io.streamkit.api.TrackInfo}, {@link io.streamkit.api.Payload}), streams with fan-out
 * ({@link io.streamkit.api.Stream}), inputs and outputs, stats, events and the entry point
 * {@link io.streamkit.api.StreamKit}. Transports implement {@link io.streamkit.api.spi}.
 */
package io.streamkit.api;
