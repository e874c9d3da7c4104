package io.streamkit.relay.control.model;

import java.time.Instant;

/**
 * A filter over the audit log; {@code null} fields match everything. Newest entries come first.
 *
 * @param actor only this actor
 * @param action only actions starting with this prefix
 * @param since only entries at or after this time
 * @param until only entries before this time
 * @param beforeSeq only entries with a smaller sequence number (paging)
 * @param limit at most this many entries (1–1000)
 */
public record AuditQuery(String actor, String action, Instant since, Instant until, Long beforeSeq, int limit) {

    /** Checks the limit. */
    public AuditQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
        }
    }

    /** @return a query for the newest {@code limit} entries */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, null, limit);
    }
}
