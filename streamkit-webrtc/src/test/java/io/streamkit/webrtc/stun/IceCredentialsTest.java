package io.streamkit.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IceCredentialsTest {

    @Test
    void randomCredentialsHaveTheRightShape() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            IceCredentials c = IceCredentials.random();
            assertEquals(8, c.ufrag().length());
            assertEquals(24, c.password().length());
            assertTrue(c.ufrag().matches("[A-Za-z0-9+/]+"), c.ufrag());
            assertTrue(c.password().matches("[A-Za-z0-9+/]+"));
            assertTrue(seen.add(c.password()), "passwords repeat");
        }
        assertNotEquals(IceCredentials.random(), IceCredentials.random());
    }

    @Test
    void validation() {
        new IceCredentials("abcd", "0123456789012345678901");
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abc", "0123456789012345678901"));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abcd", "012345678901234567890"));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("ab:d", "0123456789012345678901"));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abcd", "01234567890123456789 1"));
        assertThrows(IllegalArgumentException.class,
                () -> new IceCredentials("a".repeat(257), "0123456789012345678901"));
        assertThrows(NullPointerException.class, () -> new IceCredentials(null, "0123456789012345678901"));
    }

    @Test
    void toStringHidesThePassword() {
        IceCredentials c = IceCredentials.random();
        assertFalse(c.toString().contains(c.password()));
        assertTrue(c.toString().contains(c.ufrag()));
    }
}
