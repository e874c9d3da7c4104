/**
 * Recording without re-encoding: the {@code file} transport writes a stream as fragmented MP4
 * (each fragment on disk as soon as it is complete) or as an MPEG-TS file (written GOP by GOP),
 * rotates files by duration, optionally finalizes each MP4 into a progressive MP4 with
 * {@code moov} first, and applies retention.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, ISO base media file format</a>
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, MPEG-2 systems</a>
 */
package io.streamkit.relay.record;
