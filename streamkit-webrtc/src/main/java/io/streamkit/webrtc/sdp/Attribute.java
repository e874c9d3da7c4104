package io.streamkit.webrtc.sdp;

import java.util.Objects;

/**
 * One {@code a=} line (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-5.13">RFC 8866
 * section 5.13</a>): a property attribute ({@code a=rtcp-mux}, {@code value == null}) or a value
 * attribute ({@code a=mid:0}).
 *
 * @param name the attribute name, an SDP token
 * @param value the text after the first colon (may be empty), or {@code null} for a property
 *     attribute
 */
public record Attribute(String name, String value) {

    /** Validates that the attribute can be written and read back unchanged. */
    public Attribute {
        Sdp.requireToken(name, "attribute name");
        if (value != null) {
            Sdp.requireText(value, "value of a=" + name);
        }
    }

    /**
     * A property attribute such as {@code a=rtcp-mux}.
     *
     * @param name the attribute name
     * @return the attribute without a value
     */
    public static Attribute of(String name) {
        return new Attribute(name, null);
    }

    /**
     * A value attribute such as {@code a=mid:0}.
     *
     * @param name the attribute name
     * @param value the value
     * @return the attribute
     */
    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    /**
     * Whether this attribute has the given name (case-sensitive, as browsers write them).
     *
     * @param attributeName the name to compare
     * @return true when the names are equal
     */
    public boolean is(String attributeName) {
        return name.equals(attributeName);
    }

    /** @return the line without {@code a=} and without line ending, e.g. {@code mid:0} */
    @Override
    public String toString() {
        return value == null ? name : name + ':' + value;
    }
}
