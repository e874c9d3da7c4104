package io.streamkit.relay.control;

import io.streamkit.relay.control.auth.Permission;
import io.streamkit.relay.control.auth.Role;

/**
 * Who performs a control-plane operation; every operation checks the actor's role and writes the
 * actor into the audit log.
 *
 * @param userId the user's id, {@code system} for the server itself
 * @param email the user's email, {@code system} for the server itself
 * @param role the user's role
 * @param remote the client address, {@code null} for the server itself
 */
public record Actor(String userId, String email, Role role, String remote) {

    /** @return the server itself (start-up, restore), with every right */
    public static Actor system() {
        return new Actor("system", "system", Role.ADMIN, null);
    }

    /**
     * @param permission what the operation needs
     * @throws ApiException {@link ApiException.Kind#FORBIDDEN} when the role lacks it
     */
    public void require(Permission permission) {
        if (!role.allows(permission)) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "role " + role + " may not " + permission.name()
                    .toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
