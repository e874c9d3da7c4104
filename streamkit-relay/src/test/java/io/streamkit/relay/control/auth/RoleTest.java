package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The permission matrix of the three roles. */
class RoleTest {

    @Test
    void adminMayDoEverything() {
        for (Permission p : Permission.values()) {
            assertEquals(true, Role.ADMIN.allows(p), p.name());
        }
        assertEquals(EnumSet.allOf(Permission.class), Role.ADMIN.permissions());
    }

    @Test
    void technicianReadsAndManagesStreamsOnly() {
        assertEquals(Set.of(Permission.READ, Permission.MANAGE_STREAMS), Role.TECHNICIAN.permissions());
        assertEquals(true, Role.TECHNICIAN.allows(Permission.MANAGE_STREAMS));
        assertEquals(false, Role.TECHNICIAN.allows(Permission.MANAGE_USERS));
        assertEquals(false, Role.TECHNICIAN.allows(Permission.READ_AUDIT));
    }

    @Test
    void viewerOnlyReads() {
        assertEquals(Set.of(Permission.READ), Role.VIEWER.permissions());
        assertEquals(true, Role.VIEWER.allows(Permission.READ));
        assertEquals(false, Role.VIEWER.allows(Permission.MANAGE_STREAMS));
    }

    @Test
    void permissionsCannotBeChanged() {
        assertThrows(UnsupportedOperationException.class, () -> Role.VIEWER.permissions().add(
                Permission.MANAGE_USERS));
        assertEquals(false, Role.VIEWER.allows(Permission.MANAGE_USERS));
    }
}
