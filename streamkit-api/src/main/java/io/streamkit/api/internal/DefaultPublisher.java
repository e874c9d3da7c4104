package io.streamkit.api.internal;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.Publisher;
import io.streamkit.api.Stream;
import io.streamkit.api.TrackInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A stream's publisher handle; all state changes go through the stream's lock. */
final class DefaultPublisher implements Publisher {
    private final DefaultStream stream;
    private final String id;
    private final String label;
    private final CompletableFuture<Void> revoked = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Offset added to every timestamp to keep them monotonic after a hand-over; guarded by the stream lock. */
    long offsetNanos;
    /** Whether {@link #offsetNanos} is still to be computed from the first packet. */
    boolean offsetPending;
    volatile boolean active = true;

    DefaultPublisher(DefaultStream stream, String id, String label, boolean continueTimestamps) {
        this.stream = stream;
        this.id = id;
        this.label = label;
        this.offsetPending = continueTimestamps;
    }

    @Override
    public String id() {
        return id;
    }

    String label() {
        return label;
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public boolean send(MediaPacket packet) {
        return stream.send(this, packet);
    }

    @Override
    public void updateTracks(List<TrackInfo> tracks) {
        stream.updateTracks(this, tracks);
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public CompletableFuture<Void> revoked() {
        return revoked;
    }

    /** Marks this publisher inactive; completes {@link #revoked()} off the caller's lock. */
    void revoke() {
        active = false;
        stream.kit().callbackExecutor().execute(() -> revoked.complete(null));
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (!closed.isDone()) {
            stream.unpublish(this);
            closed.complete(null);
        }
        return closed;
    }

    @Override
    public String toString() {
        return "Publisher[" + id + " " + label + " on " + stream.path() + "]";
    }
}
