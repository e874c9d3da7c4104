package io.streamkit.webrtc.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The master keys and salts of one DTLS-SRTP association, split into the local (sending) and
 * remote (receiving) halves.
 *
 * <p>DTLS-SRTP exports {@code 2 * (keyLength + saltLength)} bytes laid out as
 * {@code client_write_key | server_write_key | client_write_salt | server_write_salt}
 * (<a href="https://www.rfc-editor.org/rfc/rfc5764#section-4.2">RFC 5764 §4.2</a>). The DTLS
 * server sends with the server half and receives with the client half; the client does the
 * opposite. The arrays are copied in and out, and {@link #toString()} does not print them.
 *
 * @param profile the negotiated protection profile
 * @param localKey the master key this side sends with
 * @param localSalt the master salt this side sends with
 * @param remoteKey the master key the peer sends with
 * @param remoteSalt the master salt the peer sends with
 */
public record SrtpKeyingMaterial(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey,
        byte[] remoteSalt) {

    /** Which end of the DTLS handshake this side played. */
    public enum Role {
        /** The DTLS client: sends with {@code client_write_*}. */
        CLIENT,
        /** The DTLS server: sends with {@code server_write_*}. */
        SERVER
    }

    /**
     * Validates the lengths against the profile and copies the arrays.
     *
     * @throws SrtpException with {@link SrtpException.Reason#INVALID_KEYING_MATERIAL} when a key
     *     or salt has the wrong length
     */
    public SrtpKeyingMaterial {
        Objects.requireNonNull(profile, "profile");
        localKey = checked(localKey, profile.keyLength(), "local key", profile);
        localSalt = checked(localSalt, profile.saltLength(), "local salt", profile);
        remoteKey = checked(remoteKey, profile.keyLength(), "remote key", profile);
        remoteSalt = checked(remoteSalt, profile.saltLength(), "remote salt", profile);
    }

    /**
     * Splits the keying material exported from a DTLS-SRTP session.
     *
     * @param profile the profile DTLS negotiated
     * @param exported the {@code EXTRACTOR-dtls_srtp} output, exactly
     *     {@link SrtpProfile#keyingMaterialLength()} bytes
     * @param role whether this side was the DTLS client or server
     * @return the local and remote master keys and salts
     * @throws SrtpException with {@link SrtpException.Reason#INVALID_KEYING_MATERIAL} when the
     *     length does not match the profile
     */
    public static SrtpKeyingMaterial fromDtlsExport(SrtpProfile profile, byte[] exported, Role role) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(exported, "exported");
        Objects.requireNonNull(role, "role");
        if (exported.length != profile.keyingMaterialLength()) {
            throw new SrtpException(SrtpException.Reason.INVALID_KEYING_MATERIAL, "DTLS-SRTP keying material for "
                    + profile + " must be " + profile.keyingMaterialLength() + " bytes, got " + exported.length);
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] clientKey = Arrays.copyOfRange(exported, 0, k);
        byte[] serverKey = Arrays.copyOfRange(exported, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(exported, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s);
        return role == Role.SERVER
                ? new SrtpKeyingMaterial(profile, serverKey, serverSalt, clientKey, clientSalt)
                : new SrtpKeyingMaterial(profile, clientKey, clientSalt, serverKey, serverSalt);
    }

    private static byte[] checked(byte[] value, int length, String what, SrtpProfile profile) {
        Objects.requireNonNull(value, what);
        if (value.length != length) {
            throw new SrtpException(SrtpException.Reason.INVALID_KEYING_MATERIAL, what + " for " + profile
                    + " must be " + length + " bytes, got " + value.length);
        }
        return value.clone();
    }

    /** @return a copy of the master key this side sends with */
    @Override
    public byte[] localKey() {
        return localKey.clone();
    }

    /** @return a copy of the master salt this side sends with */
    @Override
    public byte[] localSalt() {
        return localSalt.clone();
    }

    /** @return a copy of the master key the peer sends with */
    @Override
    public byte[] remoteKey() {
        return remoteKey.clone();
    }

    /** @return a copy of the master salt the peer sends with */
    @Override
    public byte[] remoteSalt() {
        return remoteSalt.clone();
    }

    /** @return whether both hold the same profile, keys and salts */
    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeyingMaterial m && profile == m.profile && Arrays.equals(localKey, m.localKey)
                && Arrays.equals(localSalt, m.localSalt) && Arrays.equals(remoteKey, m.remoteKey) && Arrays
                        .equals(remoteSalt, m.remoteSalt);
    }

    /** @return a hash of the profile, keys and salts */
    @Override
    public int hashCode() {
        return Objects.hash(profile, Arrays.hashCode(localKey), Arrays.hashCode(localSalt), Arrays.hashCode(
                remoteKey), Arrays.hashCode(remoteSalt));
    }

    /** @return the profile only: keys never appear in logs */
    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", keys redacted]";
    }
}
