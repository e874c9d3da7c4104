package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.CodecException;
import io.streamkit.relay.ts.TsDemuxer;
import io.streamkit.relay.ts.TsPassThrough;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads MPEG-TS arriving on an SRT connection into tracks and packets and, when given a
 * {@link TsPassThrough.Source}, first forwards each message unchanged to the stream's MPEG-TS
 * readers.
 */
final class SrtTsReader implements SrtConnection.Handler {
    private static final Logger log = LoggerFactory.getLogger(SrtTsReader.class);

    private final TsDemuxer demuxer;
    private final String label;
    private final Runnable onClosed;
    private final TsPassThrough.Source passThrough;
    private long errors;

    SrtTsReader(TsDemuxer.Listener target, String label, Runnable onClosed) {
        this(target, label, onClosed, null);
    }

    /**
     * @param target receives tracks and packets
     * @param label a name for logs
     * @param onClosed runs when the connection closes
     * @param passThrough where each message goes unchanged before it is demultiplexed, or null
     */
    SrtTsReader(TsDemuxer.Listener target, String label, Runnable onClosed, TsPassThrough.Source passThrough) {
        this.demuxer = new TsDemuxer(target);
        this.label = label;
        this.onClosed = onClosed;
        this.passThrough = passThrough;
    }

    @Override
    public void onMessage(ByteBuf message) {
        try {
            if (passThrough != null) {
                passThrough.write(message);
            }
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
        if (passThrough != null) {
            passThrough.close();
        }
        onClosed.run();
    }

    TsDemuxer demuxer() {
        return demuxer;
    }
}
