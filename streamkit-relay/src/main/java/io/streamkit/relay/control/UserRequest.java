package io.streamkit.relay.control;

import io.streamkit.relay.control.auth.Role;

/**
 * The fields of a user to create or update; {@code null} leaves a field unchanged on update.
 *
 * @param email login email, unique
 * @param password new password (10–256 characters)
 * @param role the role
 * @param disabled whether the account is locked out
 */
public record UserRequest(String email, String password, Role role, Boolean disabled) {
}
