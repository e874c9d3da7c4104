package io.streamkit.relay.control.auth;

/**
 * A right that a control-plane operation requires; a {@link Role} grants a fixed set of them.
 *
 * @see Role#allows(Permission)
 */
public enum Permission {
    /** See inputs, outputs, their status and the server's health. */
    READ,
    /** Create, change and delete inputs and outputs, and start and stop them. */
    MANAGE_STREAMS,
    /** Create, change and delete user accounts and assign their roles. */
    MANAGE_USERS,
    /** Read the audit log. */
    READ_AUDIT
}
