package io.streamkit.relay.hls;

/**
 * A snapshot of one stream's HLS packaging counters.
 *
 * @param path the stream path
 * @param format the segment container
 * @param lowLatency whether partial segments are served
 * @param segments segments completed since the packager started
 * @param parts parts (fragments) completed since the packager started
 * @param bytes segment bytes produced, initialization segments excluded
 * @param requests HTTP requests answered for this stream
 * @param bandwidth the peak segment bit rate of the retained segments, bit/s (the
 *        {@code BANDWIDTH} of the multivariant playlist), 0 before the first segment
 * @param discontinuities discontinuities (publisher or track changes) since the packager started
 * @param lastSequenceNumber the media sequence number of the newest complete segment, -1 before
 *        the first
 * @param ended whether the publisher left and the playlist ends
 */
public record HlsStats(String path, HlsFormat format, boolean lowLatency, long segments, long parts, long bytes,
        long requests, long bandwidth, long discontinuities, long lastSequenceNumber, boolean ended) {
}
