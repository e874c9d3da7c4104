package io.streamkit.webrtc.sfu;

import java.util.ArrayList;
import java.util.List;

/** The media side of one room: its participants and the tracks they publish. Media-loop confined. */
final class SfuRoom {
    final String id;
    final List<SfuPeer> peers = new ArrayList<>();

    SfuRoom(String id) {
        this.id = id;
    }

    void peerJoined(SfuPeer peer) {
        peers.add(peer);
        for (SfuPeer other : peers) {
            if (other != peer) {
                for (PublishedTrack t : other.tracks()) {
                    peer.addForward(t);
                }
            }
        }
    }

    void trackAdded(PublishedTrack track) {
        for (SfuPeer p : peers) {
            if (p != track.owner) {
                p.addForward(track);
            }
        }
    }

    void trackRemoved(PublishedTrack track) {
        for (SfuPeer p : peers) {
            if (p != track.owner) {
                p.removeForward(track);
            }
        }
    }

    void peerLeft(SfuPeer peer) {
        peers.remove(peer);
    }
}
