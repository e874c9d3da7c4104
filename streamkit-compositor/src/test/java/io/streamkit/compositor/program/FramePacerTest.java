package io.streamkit.compositor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FramePacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void ticksAreDueOnAFixedGridWithoutDrift() {
        FramePacer p = new FramePacer(1_000 * MS, 30);
        for (int k = 0; k < 3000; k++) {
            assertEquals(k, p.tick());
            assertEquals(1_000 * MS + Math.round(k * 1e9 / 30), p.due());
            assertEquals(0, p.catchUp(p.due() + 5 * MS)); // a little late is fine
            p.advance();
        }
        assertEquals(1_000 * MS + 100_000 * MS, p.due(), "3000 frames at 30 fps are exactly 100 s");
        assertEquals(0, p.skipped());
    }

    @Test
    void aTickLateByMoreThanAFrameSkipsTheTicksAlreadyPast() {
        FramePacer p = new FramePacer(0, 25); // 40 ms
        p.advance(); // tick 1 due at 40 ms
        assertEquals(0, p.catchUp(40 * MS + 39 * MS), "39 ms late: render it");
        assertEquals(1, p.tick());
        p.advance(); // tick 2 due at 80 ms
        assertEquals(3, p.catchUp(80 * MS + 130 * MS), "at 210 ms ticks 2, 3 and 4 are past; render tick 5");
        assertEquals(5, p.tick());
        assertEquals(200 * MS, p.due());
        p.advance();
        assertEquals(3, p.skipped());
        assertEquals(0, p.catchUp(p.due()));
    }
}
