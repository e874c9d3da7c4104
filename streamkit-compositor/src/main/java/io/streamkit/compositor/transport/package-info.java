/**
 * The {@code ffmpeg} transport: stream inputs pulled through libavformat from anything FFmpeg
 * opens (files, RTSP, HLS, HTTP, RTMP, SRT), remuxed into StreamKit packets without decoding.
 */
package io.streamkit.compositor.transport;
