/**
 * Live HLS output: streams packaged without re-encoding into fragmented MP4 (CMAF) or MPEG-TS
 * segments, with optional low-latency HLS (partial segments, blocking playlist reload, preload
 * hints), served by a Netty HTTP/1.1 server.
 *
 * <ul>
 * <li>{@link io.streamkit.relay.hls.HlsServer}: the HTTP server, {@code http://host:8888/{path}/index.m3u8}.</li>
 * <li>{@link io.streamkit.relay.hls.HlsOptions}: format, segment and part durations, window,
 * on-demand or always-on packaging.</li>
 * <li>{@link io.streamkit.relay.hls.HlsPackager}: the per-stream packager, a
 * {@link io.streamkit.api.MediaSink} usable without the server.</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216">RFC 8216, HTTP Live Streaming</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis">draft-pantos-hls-rfc8216bis,
 *      HTTP Live Streaming 2nd edition (low-latency HLS)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6381">RFC 6381, the codecs parameter</a>
 */
package io.streamkit.relay.hls;
