package io.streamkit.relay.flv;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a {@link FlvReader} emits; {@link #releaseAll()} drops the packets' references. */
final class RecordingListener implements FlvReader.Listener {
    final List<List<TrackInfo>> trackUpdates = new ArrayList<>();
    final List<MediaPacket> packets = new ArrayList<>();

    @Override
    public void onTracks(List<TrackInfo> tracks) {
        trackUpdates.add(tracks);
    }

    @Override
    public void onPacket(MediaPacket packet) {
        packets.add(packet);
    }

    MediaPacket onlyPacket() {
        if (packets.size() != 1) {
            throw new AssertionError("expected 1 packet, got " + packets.size());
        }
        return packets.get(0);
    }

    void releaseAll() {
        packets.forEach(MediaPacket::release);
        packets.clear();
    }
}
