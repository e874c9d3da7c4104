package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.ts.TsChunker;
import io.streamkit.relay.ts.TsMuxer;
import io.streamkit.relay.ts.TsPassThrough;
import java.util.List;

/**
 * Writes a stream to an SRT connection as MPEG-TS, up to seven 188-byte packets per SRT message
 * (1,316 bytes). The last message of each access unit is sent at once, even when shorter, so no
 * frame waits for the next one. Runs on the connection's event loop. When the stream's publisher
 * sends MPEG-TS itself (a {@link TsPassThrough} with a source), its messages are forwarded
 * unchanged instead and the stream's packets are ignored.
 */
class SrtTsWriter implements MediaSink {
    private final SrtConnection connection;
    private final TsChunker chunker;
    private final TsPassThrough passThrough;
    private final TsPassThrough.Attached attached;
    private TsMuxer muxer;

    SrtTsWriter(SrtConnection connection, ByteBufAllocator alloc) {
        this(connection, alloc, null);
    }

    /**
     * @param connection where the stream goes
     * @param alloc allocates the chunks of the multiplexer
     * @param passThrough the stream's MPEG-TS side channel, or null: while it has a source, its
     *        chunks go out unchanged and the stream's packets are not multiplexed
     */
    SrtTsWriter(SrtConnection connection, ByteBufAllocator alloc, TsPassThrough passThrough) {
        this.connection = connection;
        this.chunker = new TsChunker(alloc, this::send);
        this.passThrough = passThrough;
        this.attached = passThrough == null ? null : passThrough.addReader(connection::send);
    }

    private void send(ByteBuf chunk) {
        connection.send(chunk);
    }

    @Override
    public void onTracks(List<TrackInfo> tracks) {
        if (muxer == null) {
            muxer = new TsMuxer(tracks, chunker);
        } else {
            muxer.updateTracks(tracks);
        }
    }

    @Override
    public void onPacket(MediaPacket packet) {
        if (passThrough != null && passThrough.hasSource()) {
            return; // the publisher's own MPEG-TS goes out through the side channel
        }
        if (muxer != null) {
            muxer.write(packet);
            chunker.flush();
        }
    }

    /** Stops the side channel's chunks to this writer; idempotent. */
    void detach() {
        if (attached != null) {
            attached.close();
        }
    }

    @Override
    public void onClose(Throwable cause) {
        detach();
        chunker.close();
    }
}
