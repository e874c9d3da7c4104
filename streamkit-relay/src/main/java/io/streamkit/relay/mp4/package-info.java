/**
 * ISO base media file format (MP4) for recording and HLS: a low-level box
 * {@linkplain io.streamkit.relay.mp4.Mp4BoxWriter writer} and
 * {@linkplain io.streamkit.relay.mp4.Mp4BoxReader reader}, a
 * {@linkplain io.streamkit.relay.mp4.FragmentedMp4Muxer fragmented MP4 (CMAF) muxer} producing
 * an initialization segment and {@code moof}+{@code mdat} fragments from
 * {@link io.streamkit.api.MediaPacket}s, a crash-tolerant
 * {@linkplain io.streamkit.relay.mp4.FragmentedMp4Writer file writer} on top of it, and an
 * {@linkplain io.streamkit.relay.mp4.Mp4Finalizer offline finalizer} that turns a fragmented file
 * into a progressive ("fast start") MP4.
 *
 * <p>Supported sample entries: {@code avc1} (H.264, {@code avcC}), {@code hvc1} (H.265,
 * {@code hvcC}), {@code mp4a} (AAC, {@code esds}) and {@code Opus} ({@code dOps}). H.264/H.265
 * payloads in StreamKit are already 4-byte-length-prefixed NAL units, which is exactly the ISO
 * BMFF sample format, so samples are written without rewriting.
 *
 * <p>Not exported by the module yet: the API may change before it is.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, ISO base media file format</a>
 * @see <a href="https://www.iso.org/standard/79110.html">ISO/IEC 14496-14, MP4 file format (esds)</a>
 * @see <a href="https://www.iso.org/standard/83529.html">ISO/IEC 14496-15, carriage of NAL unit structured
 *      video (avcC, hvcC)</a>
 * @see <a href="https://www.iso.org/standard/85623.html">ISO/IEC 23000-19, Common Media Application Format
 *      (CMAF)</a>
 * @see <a href="https://opus-codec.org/docs/opus_in_isobmff.html">Encapsulation of Opus in ISO base media file
 *      format (dOps)</a>
 */
package io.streamkit.relay.mp4;
