package io.streamkit.relay.audience;

import io.streamkit.relay.audience.AudienceException.Code;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One client of an {@link Audience}: a WebSocket connection of {@link AudienceServer}, or any
 * channel the host application wires itself. Every request is answered through the connection's
 * {@link AudienceSink} (replies and broadcasts in one order) and also returned to the caller; a
 * refused request throws {@link AudienceException} (counted by the audience) and changes nothing.
 * Thread-safe.
 */
public final class AudienceConnection {
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}_.\\- ]{1,32}");
    private static final int MAX_KEY_LENGTH = 64;

    private final Audience audience;
    private final AudienceSink sink;
    private final Set<StreamRoom> rooms = new HashSet<>(4); // guarded by this
    private volatile AudienceUser user;
    private boolean closed; // guarded by this
    private boolean registering; // guarded by this

    AudienceConnection(Audience audience, AudienceSink sink) {
        this.audience = audience;
        this.sink = sink;
    }

    /** @return the user registered on this connection */
    public Optional<AudienceUser> user() {
        return Optional.ofNullable(user);
    }

    /** @return the keys of the streams this connection receives (its own stream for a streamer) */
    public synchronized Set<String> joinedStreams() {
        Set<String> keys = new HashSet<>();
        for (StreamRoom r : rooms) {
            keys.add(r.key);
        }
        return keys;
    }

    /**
     * {@code USER_REGISTER {username, role}}: creates a user. A streamer gets a stream and this
     * connection receives it (chat and viewer events) without joining.
     *
     * @param username display name, 1 to 32 letters, digits, spaces, {@code _ . -}
     * @param role streamer or viewer
     * @return the user and its secrets (also delivered as {@code USER_REGISTERED})
     * @throws AudienceException {@code ALREADY_REGISTERED}, {@code INVALID_FIELD},
     *         {@code USERNAME_TAKEN}
     */
    public Registration register(String username, AudienceRole role) {
        try {
            Objects.requireNonNull(role, "role");
            if (username == null) {
                throw new AudienceException(Code.MISSING_FIELD, "username", "username is required");
            }
            String name = username.strip();
            if (!USERNAME.matcher(name).matches()) {
                throw new AudienceException(Code.INVALID_FIELD, "username",
                        "username must be 1 to 32 letters, digits, spaces, '_', '.' or '-'");
            }
            claimRegistration();
            try {
                Registration registration = audience.registry().register(name, role);
                adopt(registration.user(), registration.token(), registration.publishSecret());
                return registration;
            } finally {
                releaseRegistration();
            }
        } catch (AudienceException e) {
            throw audience.refused(e);
        }
    }

    /**
     * {@code USER_REGISTER {token}}: takes back the identity of an earlier registration (a page
     * reloaded, a network change). Answered with {@code USER_REGISTERED} without secrets.
     *
     * @param token the resume token of the registration
     * @return the user
     * @throws AudienceException {@code ALREADY_REGISTERED}, {@code FIELD_TOO_LONG}, {@code UNKNOWN_TOKEN}
     */
    public AudienceUser resume(String token) {
        try {
            if (token == null || token.isEmpty()) {
                throw new AudienceException(Code.MISSING_FIELD, "token", "token is required");
            }
            if (token.length() > MAX_KEY_LENGTH) {
                throw new AudienceException(Code.FIELD_TOO_LONG, "token", "token is longer than "
                        + MAX_KEY_LENGTH + " characters");
            }
            claimRegistration();
            try {
                AudienceUser found = audience.registry().byToken(token).orElseThrow(
                        () -> new AudienceException(Code.UNKNOWN_TOKEN, "token", "no user has this token"));
                adopt(found, null, null);
                return found;
            } finally {
                releaseRegistration();
            }
        } catch (AudienceException e) {
            throw audience.refused(e);
        }
    }

    private synchronized void claimRegistration() {
        checkOpen();
        if (user != null || registering) {
            throw new AudienceException(Code.ALREADY_REGISTERED, "this connection is already registered"
                    + (user != null ? " as " + user.username() : ""));
        }
        registering = true;
    }

    private synchronized void releaseRegistration() {
        registering = false;
    }

    /** Lock order everywhere: a room's monitor, then this connection's. */
    private void adopt(AudienceUser u, String token, String publishSecret) {
        AudienceEvent reply = new AudienceEvent.UserRegistered(u, token, publishSecret);
        if (u.role() != AudienceRole.STREAMER) {
            synchronized (this) {
                checkOpen();
                user = u;
            }
            sink.deliver(reply);
            audience.delivered(1);
            return;
        }
        StreamRoom room = audience.room(u.streamKey());
        if (room == null) {
            throw new AudienceException(Code.UNKNOWN_STREAM, "the registry has no stream for the key of "
                    + u.username());
        }
        synchronized (room) {
            synchronized (this) {
                checkOpen();
                user = u;
                rooms.add(room);
            }
            sink.deliver(reply);
            room.members.add(this);
            room.ownerConnections.add(this);
        }
        audience.delivered(1);
    }

    /**
     * {@code STREAM_JOIN {streamKey}}: receive the stream's chat (and, for its owner, its viewer
     * events). Answered with {@code STREAM_JOINED} (count, live state, chat history); the owner
     * receives {@code VIEWER_JOINED} when this is the user's first connection in the stream.
     * Joining twice answers again without counting twice.
     *
     * @param streamKey the stream
     * @return the reply
     * @throws AudienceException {@code NOT_REGISTERED}, {@code UNKNOWN_STREAM}, {@code STREAM_FULL}
     */
    public AudienceEvent.StreamJoined join(String streamKey) {
        try {
            AudienceUser u = requireUser();
            StreamRoom room = requireRoom(streamKey);
            boolean owner = u.userId().equals(room.owner.userId());
            AudienceEvent.StreamJoined reply;
            synchronized (room) {
                synchronized (this) {
                    checkOpen();
                }
                if (owner) {
                    room.members.add(this);
                    room.ownerConnections.add(this);
                } else if (!room.members.contains(this)) {
                    StreamRoom.Viewer v = room.viewers.get(u.userId());
                    if (v == null) {
                        if (room.viewers.size() >= audience.maxViewers()) {
                            throw new AudienceException(Code.STREAM_FULL, "streamKey", "the stream has reached its "
                                    + audience.maxViewers() + " viewers");
                        }
                        v = new StreamRoom.Viewer(u);
                        room.viewers.put(u.userId(), v);
                        v.connections = 1;
                        audience.broadcastToOwner(room, new AudienceEvent.ViewerJoined(room.key, u,
                                room.viewers.size()));
                    } else {
                        v.connections++;
                    }
                    room.members.add(this);
                }
                synchronized (this) {
                    rooms.add(room);
                }
                reply = new AudienceEvent.StreamJoined(room.key, room.owner, owner, room.viewers.size(), room.live,
                        owner ? room.viewerList() : List.of(), new ArrayList<>(room.history));
                sink.deliver(reply);
            }
            audience.delivered(1);
            return reply;
        } catch (AudienceException e) {
            throw audience.refused(e);
        }
    }

    /**
     * {@code STREAM_LEAVE {streamKey}}: stop receiving the stream. Answered with {@code STREAM_LEFT},
     * after which nothing of the stream arrives; the owner receives {@code VIEWER_LEFT} when this
     * was the user's last connection in it.
     *
     * @param streamKey the stream
     * @throws AudienceException {@code NOT_REGISTERED}, {@code UNKNOWN_STREAM}, {@code NOT_A_MEMBER}
     */
    public void leave(String streamKey) {
        try {
            requireUser();
            StreamRoom room = requireRoom(streamKey);
            synchronized (room) {
                if (!room.members.contains(this)) {
                    throw new AudienceException(Code.NOT_A_MEMBER, "streamKey", "this connection has not joined "
                            + "the stream");
                }
                removeFrom(room);
                sink.deliver(new AudienceEvent.StreamLeft(room.key));
            }
            audience.delivered(1);
        } catch (AudienceException e) {
            throw audience.refused(e);
        }
    }

    /** Caller holds the room's monitor. */
    private void removeFrom(StreamRoom room) {
        room.members.remove(this);
        room.ownerConnections.remove(this);
        synchronized (this) {
            rooms.remove(room);
        }
        AudienceUser u = user;
        StreamRoom.Viewer v = u == null ? null : room.viewers.get(u.userId());
        if (v != null && --v.connections == 0) {
            room.viewers.remove(u.userId());
            audience.broadcastToOwner(room, new AudienceEvent.ViewerLeft(room.key, u, room.viewers.size()));
        }
    }

    /**
     * {@code CHAT_MESSAGE_SEND {streamKey, content}}: posts a message; every member of the stream,
     * this connection included, receives it as {@code CHAT_MESSAGE_BROADCAST} in one order.
     *
     * @param streamKey the stream
     * @param content the text (not blank, at most the audience's maximum length)
     * @return the message as broadcast
     * @throws AudienceException {@code NOT_REGISTERED}, {@code MISSING_FIELD}, {@code INVALID_FIELD},
     *         {@code MESSAGE_TOO_LONG}, {@code UNKNOWN_STREAM}, {@code NOT_A_MEMBER},
     *         {@code RATE_LIMITED}, {@code REJECTED_BY_MODERATION}
     */
    public ChatMessage sendChat(String streamKey, String content) {
        try {
            AudienceUser u = requireUser();
            if (content == null) {
                throw new AudienceException(Code.MISSING_FIELD, "content", "content is required");
            }
            if (content.isBlank()) {
                throw new AudienceException(Code.INVALID_FIELD, "content", "content must not be blank");
            }
            if (content.length() > audience.maxMessageLength()) {
                throw new AudienceException(Code.MESSAGE_TOO_LONG, "content", "content has " + content.length()
                        + " characters; at most " + audience.maxMessageLength() + " are allowed");
            }
            StreamRoom room = requireRoom(streamKey);
            synchronized (room) {
                if (!room.members.contains(this)) {
                    throw new AudienceException(Code.NOT_A_MEMBER, "streamKey",
                            "join the stream before chatting in it");
                }
            }
            audience.takeChatToken(u);
            String text = audience.moderate(u, room.key, content);
            return audience.post(room, this, u, text);
        } catch (AudienceException e) {
            throw audience.refused(e);
        }
    }

    /**
     * {@code STREAM_LIST}: the streams, live first. Needs no registration.
     *
     * @return the list (also delivered as {@code STREAM_LIST})
     */
    public List<StreamInfo> listStreams() {
        List<StreamInfo> list = audience.streams();
        sink.deliver(new AudienceEvent.StreamList(list));
        audience.delivered(1);
        return list;
    }

    /**
     * Delivers a refusal as {@code ERROR} to this connection (the server's path for requests it
     * could not even parse, and for every {@link AudienceException} of this connection's requests).
     *
     * @param failure the refusal
     * @param requestType the request's type, or {@code null}
     */
    public void reportFailure(AudienceException failure, String requestType) {
        sink.deliver(new AudienceEvent.Failure(failure.code(), failure.getMessage(), failure.field(), requestType));
        audience.delivered(1);
    }

    /** Leaves every stream (the owners see {@code VIEWER_LEFT}) and forgets this connection. Idempotent. */
    public void close() {
        List<StreamRoom> joined;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            joined = new ArrayList<>(rooms);
        }
        for (StreamRoom room : joined) {
            synchronized (room) {
                if (room.members.contains(this)) {
                    removeFrom(room);
                }
            }
        }
        audience.disconnected(this);
    }

    /** Called by the audience while it holds the room monitor. */
    void deliver(AudienceEvent event) {
        sink.deliver(event);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
    }

    private AudienceUser requireUser() {
        AudienceUser u = user;
        if (u == null) {
            throw new AudienceException(Code.NOT_REGISTERED, "send USER_REGISTER first");
        }
        return u;
    }

    private StreamRoom requireRoom(String streamKey) {
        if (streamKey == null || streamKey.isEmpty()) {
            throw new AudienceException(Code.MISSING_FIELD, "streamKey", "streamKey is required");
        }
        if (streamKey.length() > MAX_KEY_LENGTH) {
            throw new AudienceException(Code.FIELD_TOO_LONG, "streamKey", "streamKey is longer than "
                    + MAX_KEY_LENGTH + " characters");
        }
        StreamRoom room = audience.room(streamKey);
        if (room == null) {
            throw new AudienceException(Code.UNKNOWN_STREAM, "streamKey", "no stream has this key");
        }
        return room;
    }
}
