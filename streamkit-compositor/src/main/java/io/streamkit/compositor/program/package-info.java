/**
 * The program pipeline: {@link io.streamkit.compositor.program.Compositor} renders the live scene
 * on a compose thread paced by the monotonic clock, mixes the sources' audio, encodes once (H.264
 * and AAC) on an encode thread and publishes the packets into a StreamKit stream, where every
 * relay output (RTMP push, SRT, recording, HLS) applies unchanged. It also keeps a low-rate JPEG
 * preview for a control page.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264</a>
 * @see <a href="https://www.iso.org/standard/76383.html">ISO/IEC 14496-3 (AAC)</a>
 */
package io.streamkit.compositor.program;
