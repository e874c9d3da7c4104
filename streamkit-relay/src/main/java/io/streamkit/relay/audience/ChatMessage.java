package io.streamkit.relay.audience;

import java.time.Instant;
import java.util.Objects;

/**
 * One chat message as delivered to every member of a stream.
 *
 * @param streamKey the stream it was posted in
 * @param id its number in that stream: 1, 2, 3... in the order every member receives them
 * @param from who wrote it
 * @param content the text, after moderation
 * @param time when the server accepted it
 */
public record ChatMessage(String streamKey, long id, AudienceUser from, String content, Instant time) {
    /** Checks the fields. */
    public ChatMessage {
        Objects.requireNonNull(streamKey, "streamKey");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(time, "time");
    }
}
