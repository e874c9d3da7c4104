package io.streamkit.relay.control;

import io.streamkit.api.StreamKitException;
import java.util.List;

/**
 * A refused control-plane request, rendered over HTTP as an
 * <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem document. A request that
 * throws it has changed nothing.
 */
public final class ApiException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** The kind of failure; {@link #status()} is its HTTP status. */
    public enum Kind {
        /** Malformed or invalid input (400). */
        INVALID(400, "invalid-request", "Invalid request"),
        /** No or bad credentials (401). */
        UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
        /** The role does not allow it (403). */
        FORBIDDEN(403, "forbidden", "Forbidden"),
        /** No such resource (404). */
        NOT_FOUND(404, "not-found", "Not found"),
        /** The method does not apply to the resource (405). */
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
        /** Conflicts with the current state, e.g. a duplicate name (409). */
        CONFLICT(409, "conflict", "Conflict"),
        /** The body is too large (413). */
        TOO_LARGE(413, "too-large", "Request too large"),
        /** Too many attempts; try later (429). */
        RATE_LIMITED(429, "rate-limited", "Too many requests"),
        /** The server failed (500). */
        INTERNAL(500, "internal", "Internal error");

        private final int status;
        private final String slug;
        private final String title;

        Kind(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        /** @return the HTTP status */
        public int status() {
            return status;
        }

        /** @return the problem type's last path segment */
        public String slug() {
            return slug;
        }

        /** @return the problem title */
        public String title() {
            return title;
        }
    }

    /**
     * One invalid field.
     *
     * @param field the field's name (JSON property path)
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {
    }

    private final Kind kind;
    private final transient List<FieldError> errors;

    /**
     * @param kind the kind of failure
     * @param detail a precise, human-readable explanation
     * @param errors invalid fields, possibly empty
     */
    public ApiException(Kind kind, String detail, List<FieldError> errors) {
        super(detail);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    /** Creates an exception without field errors. */
    public ApiException(Kind kind, String detail) {
        this(kind, detail, List.of());
    }

    /** @return an {@link Kind#INVALID} exception for one field */
    public static ApiException invalid(String field, String message) {
        return new ApiException(Kind.INVALID, field + ": " + message, List.of(new FieldError(field, message)));
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the HTTP status */
    public int status() {
        return kind.status;
    }

    /** @return the invalid fields */
    public List<FieldError> errors() {
        return errors;
    }
}
