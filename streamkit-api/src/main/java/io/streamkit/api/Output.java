package io.streamkit.api;

/**
 * Sends a stream to a remote destination (push, for example RTMP {@code publish} or an SRT
 * caller). Created by {@link Stream#addOutput(OutputConfig)}; {@link #close()} removes it.
 * After each (re)connection it starts from the next keyframe.
 */
public interface Output extends Endpoint {

    /** @return the settings it was created with */
    OutputConfig config();
}
