package io.streamkit.relay.rtmp;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.flv.FlvReader;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the audio, video and data messages of one published RTMP stream into tracks and
 * packets, clamping timestamps that jump back (counted) so that downstream timestamps stay
 * monotonic per track.
 */
final class RtmpMediaReader implements FlvReader.Listener {
    private static final Logger log = LoggerFactory.getLogger(RtmpMediaReader.class);

    /** Where the media goes. */
    interface Target {
        void tracks(List<TrackInfo> tracks);

        void packet(MediaPacket packet);
    }

    private final Target target;
    private final FlvReader reader;
    private final String label;
    private final long[] lastDts = {Long.MIN_VALUE, Long.MIN_VALUE};
    private long timestampJumps;
    private long decodeErrors;

    RtmpMediaReader(Target target, String label) {
        this.target = target;
        this.label = label;
        this.reader = new FlvReader(this);
    }

    /**
     * @param message an audio, video or data message; not released
     * @return whether it was a media message
     */
    boolean read(RtmpMessage message) {
        switch (message.typeId()) {
            case RtmpMessage.VIDEO -> reader.video(message.payload(), message.timestamp());
            case RtmpMessage.AUDIO -> reader.audio(message.payload(), message.timestamp());
            case RtmpMessage.DATA_AMF0 -> reader.data(message.payload());
            case RtmpMessage.DATA_AMF3 -> {
                var body = message.payload().duplicate();
                if (body.isReadable() && body.getByte(body.readerIndex()) == 0) {
                    body.skipBytes(1);
                }
                reader.data(body);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    void countDecodeError() {
        decodeErrors++;
    }

    long decodeErrors() {
        return decodeErrors;
    }

    long timestampJumps() {
        return timestampJumps;
    }

    @Override
    public void onTracks(List<TrackInfo> tracks) {
        target.tracks(tracks);
    }

    @Override
    public void onPacket(MediaPacket packet) {
        int slot = packet.trackId() & 1;
        MediaPacket p = packet;
        long last = lastDts[slot];
        if (last != Long.MIN_VALUE && p.dts() < last) {
            timestampJumps++;
            if (timestampJumps == 1 || timestampJumps % 100 == 0) {
                log.warn("{}: timestamp of track {} went back from {} to {} ms ({} times); clamped", label, p
                        .trackId(), last, p.dts(), timestampJumps);
            }
            long shift = last - p.dts();
            p = p.withTimestamps(last, p.pts() + shift);
        }
        lastDts[slot] = p.dts();
        target.packet(p);
    }
}
