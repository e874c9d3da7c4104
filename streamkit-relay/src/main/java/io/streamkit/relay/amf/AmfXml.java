package io.streamkit.relay.amf;

import java.util.Objects;

/**
 * An AMF XML document (AMF0 marker {@code 0x0F}, AMF3 XMLDocument and XML).
 *
 * @param xml the document text
 */
public record AmfXml(String xml) {
    /** Rejects a null document. */
    public AmfXml {
        Objects.requireNonNull(xml, "xml");
    }
}
