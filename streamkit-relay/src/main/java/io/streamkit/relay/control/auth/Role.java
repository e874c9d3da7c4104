package io.streamkit.relay.control.auth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a user account may do in the control plane. Roles are fixed; each grants a fixed set of
 * {@link Permission}s:
 *
 * <table>
 * <caption>Permissions per role</caption>
 * <tr><th>Role</th><th>Permissions</th></tr>
 * <tr><td>{@link #ADMIN}</td><td>all</td></tr>
 * <tr><td>{@link #TECHNICIAN}</td><td>{@link Permission#READ}, {@link Permission#MANAGE_STREAMS}</td></tr>
 * <tr><td>{@link #VIEWER}</td><td>{@link Permission#READ}</td></tr>
 * </table>
 */
public enum Role {
    /** Everything, including users and the audit log. */
    ADMIN(EnumSet.allOf(Permission.class)),
    /** Runs the streams: reads and manages inputs and outputs. */
    TECHNICIAN(EnumSet.of(Permission.READ, Permission.MANAGE_STREAMS)),
    /** Looks only. */
    VIEWER(EnumSet.of(Permission.READ));

    private final Set<Permission> permissions;

    Role(EnumSet<Permission> permissions) {
        this.permissions = Collections.unmodifiableSet(permissions);
    }

    /**
     * @param permission the right in question
     * @return whether this role grants it
     */
    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    /** @return the rights this role grants, unmodifiable */
    public Set<Permission> permissions() {
        return permissions;
    }
}
