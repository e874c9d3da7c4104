package io.streamkit.relay.audience;

/**
 * A stream's public summary.
 *
 * @param streamKey its key
 * @param streamer its owner's display name
 * @param live whether a publisher is live on it
 * @param viewerCount distinct viewers in it
 */
public record StreamInfo(String streamKey, String streamer, boolean live, int viewerCount) {
}
