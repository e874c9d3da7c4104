package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of a completed DTLS-SRTP handshake: the negotiated SRTP protection profile, the
 * keying material exported with the {@code EXTRACTOR-dtls_srtp} label, the peer's certificate
 * fingerprint and the local role.
 *
 * <p>The keying material is laid out as RFC 5764 §4.2 specifies: client write key, server write
 * key, client write salt, server write salt. {@link #localMasterKey()} and friends pick the halves
 * for this endpoint's role: the local key protects what this endpoint sends, the remote key
 * unprotects what it receives. Immutable; accessors return copies.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5764#section-4.2">RFC 5764 §4.2 (key derivation)</a>
 */
public final class DtlsResult {
    private final DtlsRole role;
    private final SrtpProfile profile;
    private final byte[] keyingMaterial;
    private final String remoteFingerprint;

    /**
     * @param role the local role
     * @param profile the negotiated profile
     * @param keyingMaterial {@code profile.keyingMaterialLength()} exported bytes (copied)
     * @param remoteFingerprint the SHA-256 fingerprint of the peer's certificate, in SDP form
     * @throws IllegalArgumentException if the keying material has the wrong length
     */
    public DtlsResult(DtlsRole role, SrtpProfile profile, byte[] keyingMaterial, String remoteFingerprint) {
        this.role = Objects.requireNonNull(role, "role");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.remoteFingerprint = Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
        if (keyingMaterial.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material for " + profile + " must be "
                    + profile.keyingMaterialLength() + " bytes, got " + keyingMaterial.length);
        }
        this.keyingMaterial = keyingMaterial.clone();
    }

    /** @return the local role in the handshake */
    public DtlsRole role() {
        return role;
    }

    /** @return the negotiated SRTP protection profile */
    public SrtpProfile profile() {
        return profile;
    }

    /** @return a copy of all exported keying material, {@code 2 * (keyLength + saltLength)} bytes */
    public byte[] keyingMaterial() {
        return keyingMaterial.clone();
    }

    /** @return the SHA-256 fingerprint of the certificate the peer presented, in SDP form */
    public String remoteFingerprint() {
        return remoteFingerprint;
    }

    /** @return the SRTP master key protecting what the DTLS client sends */
    public byte[] clientWriteKey() {
        return slice(0, profile.keyLength());
    }

    /** @return the SRTP master key protecting what the DTLS server sends */
    public byte[] serverWriteKey() {
        return slice(profile.keyLength(), profile.keyLength());
    }

    /** @return the SRTP master salt for what the DTLS client sends */
    public byte[] clientWriteSalt() {
        return slice(2 * profile.keyLength(), profile.saltLength());
    }

    /** @return the SRTP master salt for what the DTLS server sends */
    public byte[] serverWriteSalt() {
        return slice(2 * profile.keyLength() + profile.saltLength(), profile.saltLength());
    }

    /** @return the master key for packets this endpoint sends */
    public byte[] localMasterKey() {
        return role == DtlsRole.CLIENT ? clientWriteKey() : serverWriteKey();
    }

    /** @return the master salt for packets this endpoint sends */
    public byte[] localMasterSalt() {
        return role == DtlsRole.CLIENT ? clientWriteSalt() : serverWriteSalt();
    }

    /** @return the master key for packets this endpoint receives */
    public byte[] remoteMasterKey() {
        return role == DtlsRole.CLIENT ? serverWriteKey() : clientWriteKey();
    }

    /** @return the master salt for packets this endpoint receives */
    public byte[] remoteMasterSalt() {
        return role == DtlsRole.CLIENT ? serverWriteSalt() : clientWriteSalt();
    }

    private byte[] slice(int offset, int length) {
        return Arrays.copyOfRange(keyingMaterial, offset, offset + length);
    }

    /** Does not print the keying material. */
    @Override
    public String toString() {
        return "DtlsResult[role=" + role + ", profile=" + profile + ", remote=" + remoteFingerprint + "]";
    }
}
