package io.streamkit.relay.control.model;

import java.time.Instant;

/**
 * One line of the audit log: who did what, when, from where.
 *
 * @param seq position in the log, assigned by the store (0 before it is stored)
 * @param at when it happened
 * @param actor email of the user, or {@code system}
 * @param remote client address, or {@code null} for system actions
 * @param action what was done, e.g. {@code input.create}, {@code user.login.failed}
 * @param target identifier of what it was done to, or {@code null}
 * @param detail short human-readable detail (never a secret)
 */
public record AuditEntry(long seq, Instant at, String actor, String remote, String action, String target,
        String detail) {
}
