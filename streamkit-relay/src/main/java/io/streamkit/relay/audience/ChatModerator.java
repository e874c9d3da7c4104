package io.streamkit.relay.audience;

import java.util.Objects;

/**
 * Reviews every chat message before it is numbered and broadcast: accept it, reject it with a
 * reason the sender receives ({@code REJECTED_BY_MODERATION}), or rewrite its content (mask a
 * word, strip a link). Called on the sender's network thread, outside every lock: answer fast and
 * never block; a moderator that throws rejects the message (counted and logged).
 */
@FunctionalInterface
public interface ChatModerator {
    /** Accepts everything. */
    ChatModerator ACCEPT_ALL = (sender, streamKey, content) -> Verdict.accept();

    /**
     * @param sender who wrote it
     * @param streamKey where
     * @param content what (already checked for length)
     * @return the verdict
     */
    Verdict review(AudienceUser sender, String streamKey, String content);

    /**
     * A moderator's answer.
     *
     * @param accepted whether the message goes out
     * @param content the content to broadcast when accepted ({@code null} keeps the original)
     * @param reason why it was rejected, sent to the sender
     */
    record Verdict(boolean accepted, String content, String reason) {
        private static final Verdict ACCEPT = new Verdict(true, null, null);

        /** @return accept the message as written */
        public static Verdict accept() {
            return ACCEPT;
        }

        /**
         * @param content the replacement text
         * @return accept the message with this content
         */
        public static Verdict rewrite(String content) {
            return new Verdict(true, Objects.requireNonNull(content, "content"), null);
        }

        /**
         * @param reason why, shown to the sender
         * @return reject the message
         */
        public static Verdict reject(String reason) {
            return new Verdict(false, null, Objects.requireNonNull(reason, "reason"));
        }
    }
}
