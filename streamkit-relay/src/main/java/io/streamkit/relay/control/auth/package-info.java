/**
 * Security primitives of the restreamer's control plane, built on the JDK alone
 * ({@code javax.crypto}, {@code java.security}):
 *
 * <ul>
 * <li>{@link io.streamkit.relay.control.auth.PasswordHasher}: PBKDF2-HMAC-SHA256 password hashes
 * in a self-describing text form, and the password policy;</li>
 * <li>{@link io.streamkit.relay.control.auth.Totp} and
 * {@link io.streamkit.relay.control.auth.Base32}: time-based one-time passwords for two-factor
 * login, with replay protection, and the secret's text form;</li>
 * <li>{@link io.streamkit.relay.control.auth.RecoveryCodes}: one-time codes that stand in for a
 * lost authenticator;</li>
 * <li>{@link io.streamkit.relay.control.auth.TokenSigner}: HMAC-signed access and refresh tokens,
 * issued in pairs as {@link io.streamkit.relay.control.auth.Tokens};</li>
 * <li>{@link io.streamkit.relay.control.auth.LoginThrottle}: lock-out after repeated failed logins
 * per account and per remote address;</li>
 * <li>{@link io.streamkit.relay.control.auth.Role} and
 * {@link io.streamkit.relay.control.auth.Permission}: who may do what.</li>
 * </ul>
 *
 * <p>These classes hold no user state of their own beyond the throttle's counters: the caller
 * stores password hashes, TOTP secrets with their last accepted time step, recovery-code hashes
 * and the session generation that makes refresh tokens single-use. None of them logs a password,
 * a code, a secret or a token.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8018">RFC 8018, PKCS #5 v2.1 (PBKDF2)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104, HMAC</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4226">RFC 4226, HOTP</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6238">RFC 6238, TOTP</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4648">RFC 4648, Base32 and Base64</a>
 */
package io.streamkit.relay.control.auth;
