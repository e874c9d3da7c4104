package io.streamkit.api.spi;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import java.util.List;

/**
 * Where an {@link InputSession} puts what it receives. Call {@link #tracks(List)} before the first
 * packet and again when they change.
 */
public interface InputSink {

    /** @param tracks the tracks received so far */
    void tracks(List<TrackInfo> tracks);

    /**
     * @param packet a packet; the sink takes the caller's reference
     * @return whether it was accepted
     */
    boolean packet(MediaPacket packet);
}
