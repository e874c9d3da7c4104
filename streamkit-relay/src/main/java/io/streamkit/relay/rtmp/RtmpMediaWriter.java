package io.streamkit.relay.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.flv.FlvWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a stream to an RTMP message stream as FLV tags: {@code onMetaData} and sequence headers
 * whenever the tracks change, then frames. Runs on the channel's event loop; writes are flushed
 * once per batch of delivered packets, and delivery pauses while the channel is not writable.
 */
class RtmpMediaWriter implements MediaSink {
    private static final Logger log = LoggerFactory.getLogger(RtmpMediaWriter.class);

    private final Channel channel;
    private final int messageStreamId;
    private final Runnable flushTask;
    private List<TrackInfo> tracks = List.of();
    private boolean flushPending;
    private long lastTimestamp;
    private volatile Subscription subscription;
    private long frames;

    RtmpMediaWriter(Channel channel, int messageStreamId) {
        this.channel = channel;
        this.messageStreamId = messageStreamId;
        this.flushTask = () -> {
            flushPending = false;
            channel.flush();
        };
    }

    @Override
    public void onSubscribe(Subscription s) {
        this.subscription = s;
    }

    /** Resumes delivery after the channel became writable again. */
    void resume() {
        Subscription s = subscription;
        if (s != null) {
            s.resume();
        }
    }

    Subscription subscription() {
        return subscription;
    }

    long frames() {
        return frames;
    }

    @Override
    public void onTracks(List<TrackInfo> newTracks) {
        this.tracks = newTracks;
        long ts = lastTimestamp;
        channel.write(new RtmpMessage(RtmpMessage.CSID_DATA, RtmpMessage.DATA_AMF0, messageStreamId, ts, FlvWriter
                .onMetaData(channel.alloc(), newTracks)));
        for (TrackInfo t : newTracks) {
            if (t.config().isEmpty()) {
                continue;
            }
            if (t.mediaType() == MediaType.VIDEO) {
                channel.write(new RtmpMessage(RtmpMessage.CSID_VIDEO, RtmpMessage.VIDEO, messageStreamId, ts,
                        FlvWriter.videoSequenceHeader(channel.alloc(), t)));
            } else if (t.mediaType() == MediaType.AUDIO) {
                ByteBuf header = FlvWriter.audioSequenceHeader(channel.alloc(), t);
                if (header != null) { // MP3 has none
                    channel.write(new RtmpMessage(RtmpMessage.CSID_AUDIO, RtmpMessage.AUDIO, messageStreamId, ts,
                            header));
                }
            }
        }
        scheduleFlush();
    }

    @Override
    public void onPacket(MediaPacket packet) {
        TrackInfo track = null;
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).id() == packet.trackId()) {
                track = tracks.get(i);
                break;
            }
        }
        if (track == null) {
            log.debug("packet of unknown track {} skipped", packet.trackId());
            return;
        }
        ByteBuf body;
        try {
            body = FlvWriter.frame(channel.alloc(), track, packet);
        } catch (RuntimeException e) {
            log.debug("cannot write {} as FLV: {}", packet, e.getMessage());
            return;
        }
        long ts = packet.rescale(packet.dts(), 1000) & 0xFFFFFFFFL;
        lastTimestamp = ts;
        boolean video = packet.mediaType() == MediaType.VIDEO;
        channel.write(new RtmpMessage(video ? RtmpMessage.CSID_VIDEO : RtmpMessage.CSID_AUDIO, video
                ? RtmpMessage.VIDEO
                : RtmpMessage.AUDIO, messageStreamId, ts, body), channel.voidPromise());
        frames++;
        scheduleFlush();
    }

    /** Chunk streams for shared, self-contained media chunks; the connection's encoder never uses them. */
    static final int CSID_SHARED_AUDIO = 7;
    static final int CSID_SHARED_VIDEO = 8;

    /** What makes the chunked bytes of a packet identical across connections. */
    record SharedFormat(int messageStreamId, int chunkSize, TrackInfo track) {
        ByteBuf encode(io.netty.buffer.ByteBufAllocator alloc, MediaPacket packet, boolean video, long ts) {
            ByteBuf body = FlvWriter.frame(alloc, track, packet);
            RtmpMessage m = new RtmpMessage(video ? CSID_SHARED_VIDEO : CSID_SHARED_AUDIO, video
                    ? RtmpMessage.VIDEO
                    : RtmpMessage.AUDIO, messageStreamId, ts, body);
            try {
                return RtmpChunkEncoder.encodeSelfContained(alloc, m, chunkSize);
            } finally {
                m.release();
            }
        }
    }

    private void scheduleFlush() {
        if (!flushPending) {
            flushPending = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    @Override
    public boolean isReady() {
        return channel.isWritable();
    }
}
