package io.streamkit.relay.hls;

import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders the text of HLS playlists: the media playlist of one rendition (segments, and for
 * low-latency HLS the server control, part information, partial segments and the preload hint)
 * and the multivariant playlist that points at it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-4">RFC 8216, section 4: Playlists</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis#section-4.4.4.9">
 *      draft-pantos-hls-rfc8216bis, EXT-X-PART, EXT-X-SERVER-CONTROL, EXT-X-PART-INF,
 *      EXT-X-PRELOAD-HINT</a>
 */
final class HlsPlaylistWriter {
    /** File name of the media playlist. */
    static final String MEDIA_PLAYLIST = "stream.m3u8";
    /** File name of the multivariant playlist. */
    static final String MULTIVARIANT_PLAYLIST = "index.m3u8";

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** Partial segments stay listed for segments ending less than this many target durations from the edge. */
    private static final int PART_LISTING_TARGET_DURATIONS = 3;

    private HlsPlaylistWriter() {
    }

    /** What a media playlist shows. */
    record MediaState(HlsOptions options, int targetDuration, List<HlsSegment> listed, long discontinuitySequence,
            HlsSegment current, long nextMsn, boolean ended) {
    }

    /** @return the {@code EXT-X-VERSION} for the options: 6 for fMP4 ({@code EXT-X-MAP}), 3 for TS */
    static int version(HlsOptions options) {
        return options.format() == HlsFormat.FMP4 ? 6 : 3;
    }

    /** @return the URI of the initialization segment of a track generation */
    static String initUri(int generation) {
        return generation == 0 ? "init.mp4" : "init" + generation + ".mp4";
    }

    /** @return the URI of a media segment */
    static String segmentUri(HlsOptions options, long msn) {
        return "seg" + msn + "." + options.format().segmentExtension();
    }

    /** @return the URI of a partial segment */
    static String partUri(long msn, int index) {
        return "part" + msn + "." + index + ".m4s";
    }

    /**
     * @param nanos a duration
     * @return seconds with three decimals, rounded to the nearest millisecond
     */
    static String seconds(long nanos) {
        long ms = Math.round(nanos / 1_000_000.0);
        long frac = ms % 1000;
        return ms / 1000 + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }

    /** Renders a media playlist. */
    static String media(MediaState s) {
        HlsOptions o = s.options();
        boolean fmp4 = o.format() == HlsFormat.FMP4;
        boolean ll = o.lowLatency();
        StringBuilder sb = new StringBuilder(256 + 160 * s.listed().size());
        sb.append("#EXTM3U\n");
        sb.append("#EXT-X-VERSION:").append(version(o)).append('\n');
        sb.append("#EXT-X-TARGETDURATION:").append(s.targetDuration()).append('\n');
        long partTarget = o.partDuration().toNanos();
        if (ll) {
            sb.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(seconds(3 * partTarget))
                    .append('\n');
            sb.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(partTarget)).append('\n');
        }
        long firstMsn = s.listed().isEmpty()
                ? (s.current() != null ? s.current().msn : s.nextMsn())
                : s.listed().get(0).msn;
        sb.append("#EXT-X-MEDIA-SEQUENCE:").append(firstMsn).append('\n');
        if (s.discontinuitySequence() > 0) {
            sb.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(s.discontinuitySequence()).append('\n');
        }
        sb.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        long edge = liveEdge(s);
        long partWindow = PART_LISTING_TARGET_DURATIONS * (long) s.targetDuration() * 1_000_000_000L;
        int generation = -1;
        for (HlsSegment seg : s.listed()) {
            generation = segmentHeader(sb, fmp4, seg, generation);
            if (ll && edge - (seg.startNanos + seg.durationNanos) < partWindow) {
                parts(sb, seg);
            }
            sb.append("#EXTINF:").append(seconds(seg.durationNanos)).append(",\n");
            sb.append(segmentUri(o, seg.msn)).append('\n');
        }
        if (ll && !s.ended()) {
            HlsSegment cur = s.current();
            long hintMsn = s.nextMsn();
            int hintPart = 0;
            if (cur != null && !cur.parts.isEmpty()) {
                segmentHeader(sb, fmp4, cur, generation);
                parts(sb, cur);
                hintMsn = cur.msn;
                hintPart = cur.parts.size();
            } else if (cur != null) {
                hintMsn = cur.msn;
            }
            sb.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(partUri(hintMsn, hintPart)).append("\"\n");
        }
        if (s.ended()) {
            sb.append("#EXT-X-ENDLIST\n");
        }
        return sb.toString();
    }

    private static long liveEdge(MediaState s) {
        HlsSegment cur = s.current();
        if (cur != null && !cur.parts.isEmpty()) {
            HlsSegment.HlsPart last = cur.parts.get(cur.parts.size() - 1);
            return last.startNanos() + last.durationNanos();
        }
        if (!s.listed().isEmpty()) {
            HlsSegment last = s.listed().get(s.listed().size() - 1);
            return last.startNanos + last.durationNanos;
        }
        return 0;
    }

    /** Writes the tags that precede a segment's parts and URI; returns its generation. */
    private static int segmentHeader(StringBuilder sb, boolean fmp4, HlsSegment seg, int previousGeneration) {
        if (seg.discontinuity) {
            sb.append("#EXT-X-DISCONTINUITY\n");
        }
        if (fmp4 && seg.generation != previousGeneration) {
            sb.append("#EXT-X-MAP:URI=\"").append(initUri(seg.generation)).append("\"\n");
        }
        sb.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(Instant.ofEpochMilli(seg
                .programDateTimeMillis()))).append('\n');
        return seg.generation;
    }

    private static void parts(StringBuilder sb, HlsSegment seg) {
        for (HlsSegment.HlsPart p : seg.parts) {
            sb.append("#EXT-X-PART:DURATION=").append(seconds(p.durationNanos())).append(",URI=\"").append(partUri(
                    seg.msn, p.index())).append('"');
            if (p.independent()) {
                sb.append(",INDEPENDENT=YES");
            }
            sb.append('\n');
        }
    }

    /**
     * Renders a multivariant playlist with one variant stream, the media playlist.
     *
     * @param options the packaging options
     * @param tracks the tracks of the rendition
     * @param peakBandwidth the peak segment bit rate, bit/s
     * @param averageBandwidth the average segment bit rate, bit/s
     * @param frameRate the measured video frame rate, 0 when unknown
     * @return the playlist
     */
    static String multivariant(HlsOptions options, List<TrackInfo> tracks, long peakBandwidth, long averageBandwidth,
            double frameRate) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("#EXTM3U\n");
        sb.append("#EXT-X-VERSION:").append(version(options)).append('\n');
        sb.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        sb.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(Math.max(1, peakBandwidth));
        sb.append(",AVERAGE-BANDWIDTH=").append(Math.max(1, Math.min(averageBandwidth, Math.max(1, peakBandwidth))));
        sb.append(",CODECS=\"").append(HlsCodecs.codecs(tracks)).append('"');
        for (TrackInfo t : tracks) {
            if (t.mediaType() == MediaType.VIDEO) {
                int[] r = HlsCodecs.resolution(t);
                if (r != null) {
                    sb.append(",RESOLUTION=").append(r[0]).append('x').append(r[1]);
                }
                if (frameRate > 0) {
                    sb.append(",FRAME-RATE=").append(String.format(java.util.Locale.ROOT, "%.3f", frameRate));
                }
                break;
            }
        }
        sb.append('\n').append(MEDIA_PLAYLIST).append('\n');
        return sb.toString();
    }
}
