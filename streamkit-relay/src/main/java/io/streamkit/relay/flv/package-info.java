/**
 * FLV tag bodies (as carried in RTMP audio, video and data messages) to and from
 * {@link io.streamkit.api.MediaPacket}s, including Enhanced RTMP video FourCCs.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe Flash Video File Format Specification 10.1</a>
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2</a>
 */
package io.streamkit.relay.flv;
