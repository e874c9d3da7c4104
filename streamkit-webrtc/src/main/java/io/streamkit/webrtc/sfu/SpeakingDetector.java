package io.streamkit.webrtc.sfu;

/**
 * Derives a speaking flag from the audio level header extension
 * (<a href="https://www.rfc-editor.org/rfc/rfc6464">RFC 6464</a>, level in -dBov, 0 loudest, 127
 * silent): a participant speaks when at least 40% of the last 25 packets (half a second of 20 ms
 * Opus frames) are louder than -50 dBov, and stops below 12%. The hysteresis keeps the flag from
 * flickering between words.
 */
final class SpeakingDetector {
    private static final int WINDOW = 25;
    private static final int LOUD_LEVEL = 50;
    private final boolean[] loud = new boolean[WINDOW];
    private int index;
    private int loudCount;
    private boolean speaking;

    /**
     * @param level the packet's level, 0 to 127 (-dBov)
     * @return whether the flag changed
     */
    boolean add(int level) {
        boolean isLoud = level < LOUD_LEVEL;
        if (loud[index]) {
            loudCount--;
        }
        loud[index] = isLoud;
        if (isLoud) {
            loudCount++;
        }
        index = (index + 1) % WINDOW;
        boolean next = speaking ? loudCount * 100 >= WINDOW * 12 : loudCount * 100 >= WINDOW * 40;
        if (next != speaking) {
            speaking = next;
            return true;
        }
        return false;
    }

    boolean speaking() {
        return speaking;
    }
}
