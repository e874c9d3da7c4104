/**
 * Recording without re-encoding: the {@code file} transport writes a stream as fragmented MP4
 * (each fragment on disk as soon as it is complete), rotates files by duration, optionally
 * finalizes each into a progressive MP4 with {@code moov} first, and applies retention.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, ISO base media file format</a>
 */
package io.streamkit.relay.record;
