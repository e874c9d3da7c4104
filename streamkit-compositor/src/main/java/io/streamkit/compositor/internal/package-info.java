/**
 * Internal code of the compositor, not API: FFmpeg decoders, encoders and converters wrapped so
 * that each native handle has exactly one owner, the H.264 bitstream conversions, and the frame
 * exchange between decode and render threads. The module does not export this package.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264 (Annex B byte stream)</a>
 * @see <a href="https://ffmpeg.org/doxygen/8.0/group__lavc__encdec.html">FFmpeg send/receive
 *      encoding and decoding API</a>
 */
package io.streamkit.compositor.internal;
