package io.streamkit.relay.control.store;

import io.streamkit.relay.control.model.AuditEntry;
import io.streamkit.relay.control.model.AuditQuery;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.control.model.SessionRecord;
import io.streamkit.relay.control.model.UserRecord;
import java.util.List;
import java.util.Optional;

/**
 * SPI: where the restreamer keeps its configuration, users, sessions and audit log so they survive
 * restarts. Implementations must be thread-safe; every method is a single atomic change or read.
 * Methods throw {@link StoreException} when the backing store fails.
 */
public interface ControlStore extends AutoCloseable {

    /** @return every input, ordered by creation time */
    List<InputDef> inputs();

    /** @return the input with this id */
    Optional<InputDef> input(String id);

    /** @return the input with this stream key */
    Optional<InputDef> inputByStreamKey(String streamKey);

    /** Inserts or replaces the input with {@code input.id()}. */
    void putInput(InputDef input);

    /** Deletes the input and its outputs; @return whether it existed */
    boolean deleteInput(String id);

    /** @return every output, ordered by creation time */
    List<OutputDef> outputs();

    /** @return the outputs of one input, ordered by creation time */
    List<OutputDef> outputsOf(String inputId);

    /** @return the output with this id */
    Optional<OutputDef> output(String id);

    /** Inserts or replaces the output with {@code output.id()}; its input must exist. */
    void putOutput(OutputDef output);

    /** @return whether the output existed */
    boolean deleteOutput(String id);

    /** @return every user, ordered by creation time */
    List<UserRecord> users();

    /** @return the user with this id */
    Optional<UserRecord> user(String id);

    /** @return the user with this email (case-insensitive) */
    Optional<UserRecord> userByEmail(String email);

    /** Inserts or replaces the user with {@code user.id()}; emails are unique. */
    void putUser(UserRecord user);

    /** Deletes the user and their sessions; @return whether it existed */
    boolean deleteUser(String id);

    /** @return the session with this id */
    Optional<SessionRecord> session(String id);

    /** Inserts or replaces a session. */
    void putSession(SessionRecord session);

    /** @return whether the session existed */
    boolean deleteSession(String id);

    /** Deletes every session of a user (logout everywhere, password change). */
    void deleteSessionsOf(String userId);

    /** Appends an entry; @return the entry with its assigned sequence number */
    AuditEntry appendAudit(AuditEntry entry);

    /** @return matching audit entries, newest first */
    List<AuditEntry> audit(AuditQuery query);

    /** @return a named setting (e.g. the token signing key) */
    Optional<String> setting(String key);

    /** Stores a named setting. */
    void putSetting(String key, String value);

    /** Releases the store's resources. */
    @Override
    void close();
}
