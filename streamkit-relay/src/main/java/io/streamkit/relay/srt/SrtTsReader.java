package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.CodecException;
import io.streamkit.relay.ts.TsDemuxer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads MPEG-TS arriving on an SRT connection into tracks and packets. */
final class SrtTsReader implements SrtConnection.Handler {
    private static final Logger log = LoggerFactory.getLogger(SrtTsReader.class);

    private final TsDemuxer demuxer;
    private final String label;
    private final Runnable onClosed;
    private long errors;

    SrtTsReader(TsDemuxer.Listener target, String label, Runnable onClosed) {
        this.demuxer = new TsDemuxer(target);
        this.label = label;
        this.onClosed = onClosed;
    }

    @Override
    public void onMessage(ByteBuf message) {
        try {
            demuxer.feed(message);
        } catch (CodecException e) {
            errors++;
            if (errors <= 10 || errors % 1000 == 0) {
                log.warn("{}: malformed MPEG-TS dropped ({} so far): {}", label, errors, e.getMessage());
            }
        } finally {
            message.release();
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        onClosed.run();
    }

    TsDemuxer demuxer() {
        return demuxer;
    }
}
