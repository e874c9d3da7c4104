package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.ts.TsChunker;
import io.streamkit.relay.ts.TsMuxer;
import java.util.List;

/**
 * Writes a stream to an SRT connection as MPEG-TS, up to seven 188-byte packets per SRT message
 * (1,316 bytes). The last message of each access unit is sent at once, even when shorter, so no
 * frame waits for the next one. Runs on the connection's event loop.
 */
class SrtTsWriter implements MediaSink {
    private final SrtConnection connection;
    private final TsChunker chunker;
    private TsMuxer muxer;

    SrtTsWriter(SrtConnection connection, ByteBufAllocator alloc) {
        this.connection = connection;
        this.chunker = new TsChunker(alloc, this::send);
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
        if (muxer != null) {
            muxer.write(packet);
            chunker.flush();
        }
    }

    @Override
    public void onClose(Throwable cause) {
        chunker.close();
    }
}
