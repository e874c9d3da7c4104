package io.streamkit.relay.audience;

import java.util.List;
import java.util.Objects;

/**
 * What the audience sends to a connection (through its {@link AudienceSink}) and to the host's
 * {@link AudienceListener}s. Each type has the protocol name it is sent under over WebSocket
 * ({@link #type()}). Replies ({@link UserRegistered}, {@link StreamJoined}, {@link StreamLeft},
 * {@link StreamList}, {@link Failure}) go only to the connection that asked; the others are
 * broadcast.
 */
public sealed interface AudienceEvent {

    /** @return the protocol message type, such as {@code CHAT_MESSAGE_BROADCAST} */
    String type();

    /**
     * Reply to {@code USER_REGISTER}: the identity and, on a new registration, its secrets, for this
     * connection only.
     *
     * @param user the user
     * @param token the resume token on a new registration, {@code null} on a resume
     * @param publishSecret a new streamer's publish secret, otherwise {@code null}
     */
    record UserRegistered(AudienceUser user, String token, String publishSecret) implements AudienceEvent {
        /** Checks the fields. */
        public UserRegistered {
            Objects.requireNonNull(user, "user");
        }

        @Override
        public String type() {
            return "USER_REGISTERED";
        }
    }

    /**
     * Reply to {@code STREAM_JOIN}. Chat and presence events of the stream follow it, never precede it.
     *
     * @param streamKey the stream
     * @param streamer its owner
     * @param owner whether the joining user is the owner
     * @param viewerCount distinct viewers now in the stream
     * @param live whether a publisher is live on it
     * @param viewers the viewers, sent to the owner only (empty for viewers)
     * @param history the last chat messages, oldest first
     */
    record StreamJoined(String streamKey, AudienceUser streamer, boolean owner, int viewerCount, boolean live,
            List<AudienceUser> viewers, List<ChatMessage> history) implements AudienceEvent {
        /** Copies the lists. */
        public StreamJoined {
            viewers = List.copyOf(viewers);
            history = List.copyOf(history);
        }

        @Override
        public String type() {
            return "STREAM_JOINED";
        }
    }

    /**
     * Reply to {@code STREAM_LEAVE}: nothing of the stream follows it.
     *
     * @param streamKey the stream left
     */
    record StreamLeft(String streamKey) implements AudienceEvent {
        @Override
        public String type() {
            return "STREAM_LEFT";
        }
    }

    /**
     * To the streamer's connections: a viewer's first connection joined the stream.
     *
     * @param streamKey the stream
     * @param viewer who
     * @param viewerCount distinct viewers now
     */
    record ViewerJoined(String streamKey, AudienceUser viewer, int viewerCount) implements AudienceEvent {
        @Override
        public String type() {
            return "VIEWER_JOINED";
        }
    }

    /**
     * To the streamer's connections: a viewer's last connection left the stream (asked, closed, or lost).
     *
     * @param streamKey the stream
     * @param viewer who
     * @param viewerCount distinct viewers now
     */
    record ViewerLeft(String streamKey, AudienceUser viewer, int viewerCount) implements AudienceEvent {
        @Override
        public String type() {
            return "VIEWER_LEFT";
        }
    }

    /**
     * To every member of the stream, the sender included, in the same order for all.
     *
     * @param message the message
     */
    record ChatBroadcast(ChatMessage message) implements AudienceEvent {
        @Override
        public String type() {
            return "CHAT_MESSAGE_BROADCAST";
        }
    }

    /**
     * To every connection: a stream went live ({@code STREAM_LIVE}) or offline
     * ({@code STREAM_OFFLINE}).
     *
     * @param stream the stream's summary after the change
     */
    record StreamStatus(StreamInfo stream) implements AudienceEvent {
        @Override
        public String type() {
            return stream.live() ? "STREAM_LIVE" : "STREAM_OFFLINE";
        }
    }

    /**
     * Reply to {@code STREAM_LIST}.
     *
     * @param streams the streams, live ones first
     */
    record StreamList(List<StreamInfo> streams) implements AudienceEvent {
        /** Copies the list. */
        public StreamList {
            streams = List.copyOf(streams);
        }

        @Override
        public String type() {
            return "STREAM_LIST";
        }
    }

    /**
     * Reply to a refused request ({@code ERROR}).
     *
     * @param code why
     * @param message what exactly
     * @param field the offending field, or {@code null}
     * @param requestType the type of the refused request, or {@code null} when it had none
     */
    record Failure(AudienceException.Code code, String message, String field, String requestType)
            implements
                AudienceEvent {
        @Override
        public String type() {
            return "ERROR";
        }
    }
}
