package io.streamkit.webrtc.dtls;

import java.util.List;
import java.util.Optional;

/**
 * The SRTP protection profiles StreamKit negotiates in the DTLS {@code use_srtp} extension, with the
 * master key and salt lengths that size the exported keying material.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5764#section-4.1.2">RFC 5764 §4.1.2 (profiles)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7714#section-14.2">RFC 7714 §14.2 (AEAD profiles)</a>
 */
public enum SrtpProfile {
    /** {@code SRTP_AEAD_AES_128_GCM} (0x0007): AES-128 in GCM, 12-byte master salt. */
    AEAD_AES_128_GCM(0x0007, 16, 12),
    /** {@code SRTP_AES128_CM_HMAC_SHA1_80} (0x0001): AES-128 counter mode, 80-bit HMAC-SHA1 tag. */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** @return the two-byte profile identifier carried in {@code use_srtp} */
    public int id() {
        return id;
    }

    /** @return the SRTP master key length in bytes */
    public int keyLength() {
        return keyLength;
    }

    /** @return the SRTP master salt length in bytes */
    public int saltLength() {
        return saltLength;
    }

    /**
     * @return how many bytes to export from DTLS for this profile: a key and a salt for each
     *     direction, {@code 2 * (keyLength + saltLength)}
     */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /**
     * @param id a profile identifier from {@code use_srtp}
     * @return the matching profile, or empty if StreamKit does not implement it
     */
    public static Optional<SrtpProfile> forId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }

    /**
     * Server-side selection: the first profile in the client's order that is also in {@code local}.
     *
     * @param offered the profile identifiers from the client's {@code use_srtp}, in its order
     * @param local the profiles this endpoint accepts
     * @return the selected profile, or empty if there is none in common
     */
    public static Optional<SrtpProfile> selectFirstOffered(int[] offered, List<SrtpProfile> local) {
        for (int id : offered) {
            Optional<SrtpProfile> profile = forId(id);
            if (profile.isPresent() && local.contains(profile.get())) {
                return profile;
            }
        }
        return Optional.empty();
    }
}
