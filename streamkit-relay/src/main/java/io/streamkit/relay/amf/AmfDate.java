package io.streamkit.relay.amf;

/**
 * An AMF date (AMF0 marker {@code 0x0B}, AMF3 date).
 *
 * @param epochMillis milliseconds since 1970-01-01T00:00Z, as the wire's IEEE 754 double
 * @param timeZone the AMF0 time-zone field (reserved, should be 0); 0 for AMF3 dates
 */
public record AmfDate(double epochMillis, short timeZone) {
}
