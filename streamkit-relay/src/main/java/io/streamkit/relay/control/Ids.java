package io.streamkit.relay.control;

import java.security.SecureRandom;

/** Random identifiers and secrets of the control plane (ids, stream keys, session ids). */
final class Ids {
    static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** @return {@code n} characters drawn uniformly from {@code alphabet} by a secure random */
    static String random(int n, String alphabet) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
