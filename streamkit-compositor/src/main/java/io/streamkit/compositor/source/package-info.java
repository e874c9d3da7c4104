/**
 * Media sources of the compositor: each decodes on its own named thread and offers its newest
 * video frame (a {@link java.awt.image.BufferedImage}) to the render thread and its audio, as
 * 48 kHz stereo samples in a {@link io.streamkit.compositor.audio.SampleRing}, to the mixer.
 * {@link io.streamkit.compositor.source.FfmpegSource} opens anything FFmpeg opens (files, RTMP,
 * SRT, RTSP, HLS, lavfi graphs), {@link io.streamkit.compositor.source.StreamSource} decodes a
 * StreamKit stream, {@link io.streamkit.compositor.source.ImageSource} shows a still image and
 * {@link io.streamkit.compositor.source.TestPatternSource} draws moving bars with an optional tone.
 *
 * <p>
 * A source that stalls or ends keeps showing its last frame, then a placeholder; it never holds up
 * the program. Its timestamps are mapped onto the monotonic clock so that its audio and video stay
 * together; a source that returns after a gap is resynchronised.
 *
 * @see <a href="https://ffmpeg.org/ffmpeg-protocols.html">FFmpeg protocols</a>
 */
package io.streamkit.compositor.source;
