package io.streamkit.relay.control.model;

import io.streamkit.relay.control.auth.Role;
import java.time.Instant;
import java.util.List;

/**
 * A stored user account. Secrets are stored only in derived form: the password as a PBKDF2 hash,
 * recovery codes as SHA-256 hashes. The TOTP secret must be stored as is (it is needed to verify
 * codes), so the store must be protected like the rest of the configuration.
 *
 * @param id stable identifier
 * @param email login name, lower case, unique
 * @param passwordHash encoded hash from {@code PasswordHasher}
 * @param role the user's role
 * @param totpSecret Base32 TOTP secret when 2FA is enabled, {@code null} otherwise
 * @param totpLastStep last accepted TOTP time step (replay protection), 0 when none
 * @param recoveryCodeHashes hashes of the unused recovery codes
 * @param disabled whether the account may not log in
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record UserRecord(String id, String email, String passwordHash, Role role, String totpSecret,
        long totpLastStep, List<String> recoveryCodeHashes, boolean disabled, Instant createdAt, Instant updatedAt) {

    /** Copies the list so the record stays immutable. */
    public UserRecord {
        recoveryCodeHashes = List.copyOf(recoveryCodeHashes);
    }

    /** @return whether TOTP two-factor authentication is on */
    public boolean totpEnabled() {
        return totpSecret != null;
    }
}
