package io.streamkit.relay.control;

import io.streamkit.relay.control.ApiException.FieldError;
import io.streamkit.relay.control.ApiException.Kind;
import io.streamkit.relay.control.auth.Base32;
import io.streamkit.relay.control.auth.LoginThrottle;
import io.streamkit.relay.control.auth.PasswordHasher;
import io.streamkit.relay.control.auth.Permission;
import io.streamkit.relay.control.auth.RecoveryCodes;
import io.streamkit.relay.control.auth.Role;
import io.streamkit.relay.control.auth.TokenException;
import io.streamkit.relay.control.auth.TokenClaims;
import io.streamkit.relay.control.auth.TokenSigner;
import io.streamkit.relay.control.auth.TokenType;
import io.streamkit.relay.control.auth.Tokens;
import io.streamkit.relay.control.auth.Totp;
import io.streamkit.relay.control.model.SessionRecord;
import io.streamkit.relay.control.model.UserRecord;
import io.streamkit.relay.control.store.ControlStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, logins and sessions of the control plane: email + password (PBKDF2), optional TOTP
 * two-factor authentication with recovery codes, signed short-lived access tokens with rotating
 * refresh tokens, login throttling and lock-out, and role checks. Every change and every failed
 * login is audited. Passwords, codes and tokens are never logged.
 */
public final class AuthService {
    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    private static final Duration ACCESS_TTL = Duration.ofMinutes(15);
    private static final Duration REFRESH_TTL = Duration.ofDays(7);
    private static final String SIGNING_KEY = "token.signing.key";
    private static final String SETUP_TOKEN = "setup.token";

    private final ControlStore store;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final Totp totp;
    private final Auditor auditor;
    private final SecureRandom random = new SecureRandom();
    /** TOTP secrets offered by setup and not confirmed yet, by user id. */
    private final Map<String, String> pendingTotp = new ConcurrentHashMap<>();
    private TokenSigner signer;
    /** A stored hash used when the email is unknown, so both paths cost the same. */
    private String dummyHash;

    /** Writes audit entries. */
    @FunctionalInterface
    interface Auditor {
        void audit(Actor actor, String action, String target, String detail);
    }

    /**
     * Login request.
     *
     * @param email the account's email
     * @param password the password
     * @param totp the current TOTP code when 2FA is on
     * @param recoveryCode a one-time recovery code instead of the TOTP code
     */
    public record LoginRequest(String email, String password, String totp, String recoveryCode) {
    }

    /** @param refreshToken the refresh token of a login */
    public record RefreshRequest(String refreshToken) {
    }

    /**
     * First-start setup through the one-time link.
     *
     * @param token the setup token from the link
     * @param email the admin's email
     * @param password the admin's password
     */
    public record SetupRequest(String token, String email, String password) {
    }

    /**
     * Password change.
     *
     * @param currentPassword the current password
     * @param newPassword the new one
     */
    public record PasswordChange(String currentPassword, String newPassword) {
    }

    /** @param code a TOTP code */
    public record CodeRequest(String code) {
    }

    /** @param password the account's password */
    public record PasswordRequest(String password) {
    }

    /**
     * A user as the API shows it (no secrets).
     *
     * @param id id
     * @param email email
     * @param role role
     * @param totpEnabled whether 2FA is on
     * @param disabled whether the account is locked out
     * @param createdAt creation time
     */
    public record UserView(String id, String email, Role role, boolean totpEnabled, boolean disabled,
            Instant createdAt) {
        static UserView of(UserRecord u) {
            return new UserView(u.id(), u.email(), u.role(), u.totpEnabled(), u.disabled(), u.createdAt());
        }
    }

    /**
     * Tokens of a successful login or refresh.
     *
     * @param accessToken bearer token for API calls
     * @param refreshToken token to get the next access token
     * @param expiresIn access token lifetime in seconds
     * @param user the user
     */
    public record TokenResponse(String accessToken, String refreshToken, long expiresIn, UserView user) {
    }

    /**
     * The secret of a 2FA setup in progress.
     *
     * @param secret Base32 secret to type into an authenticator app
     * @param otpauthUri the same as an {@code otpauth://} URI (for a QR code)
     */
    public record TotpSetup(String secret, String otpauthUri) {
    }

    /** @param recoveryCodes one-time codes, shown once */
    public record RecoveryCodesView(List<String> recoveryCodes) {
    }

    AuthService(ControlStore store, Clock clock, int iterations, Auditor auditor) {
        this.store = store;
        this.clock = clock;
        this.hasher = new PasswordHasher(iterations);
        this.throttle = new LoginThrottle(LoginThrottle.Policy.defaults(), clock);
        this.totp = Totp.builder().clock(clock).build();
        this.auditor = auditor;
    }

    /** Loads or creates the signing key; creates the first admin or a setup link. */
    void start(String adminEmail, String adminPassword) {
        String key = store.setting(SIGNING_KEY).orElse(null);
        if (key == null) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            key = Base64.getEncoder().encodeToString(k);
            store.putSetting(SIGNING_KEY, key);
        }
        signer = TokenSigner.builder(Base64.getDecoder().decode(key)).clock(clock).accessTtl(ACCESS_TTL).refreshTtl(
                REFRESH_TTL).build();
        dummyHash = hasher.hash("not-a-real-password-" + random.nextLong());
        if (store.users().isEmpty()) {
            if (adminEmail != null && adminPassword != null) {
                createUserInternal(Actor.system(), adminEmail, adminPassword, Role.ADMIN);
                log.info("created the first admin {}", adminEmail);
            } else {
                String token = store.setting(SETUP_TOKEN).orElse(null);
                if (token == null) {
                    byte[] t = new byte[24];
                    random.nextBytes(t);
                    token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
                    store.putSetting(SETUP_TOKEN, token);
                }
                log.warn("no user exists yet: open /#setup={} to create the first admin (the link works once)",
                        token);
            }
        }
    }

    /** @return the pending one-time setup token, when no user exists yet */
    public Optional<String> setupToken() {
        return store.users().isEmpty() ? store.setting(SETUP_TOKEN) : Optional.empty();
    }

    /** Creates the first admin through the one-time setup link. */
    public synchronized TokenResponse completeSetup(SetupRequest req, String remote) {
        String expected = store.setting(SETUP_TOKEN).orElse(null);
        if (!store.users().isEmpty() || expected == null) {
            throw new ApiException(Kind.CONFLICT, "setup is already complete; log in instead");
        }
        if (req.token() == null || !java.security.MessageDigest.isEqual(expected.getBytes(
                java.nio.charset.StandardCharsets.UTF_8),
                req.token().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new ApiException(Kind.FORBIDDEN, "the setup token is wrong");
        }
        createUserInternal(new Actor("system", "setup", Role.ADMIN, remote), req.email(), req.password(), Role.ADMIN);
        store.putSetting(SETUP_TOKEN, "");
        return login(new LoginRequest(req.email(), req.password(), null, null), remote);
    }

    // ---------------------------------------------------------------- login, tokens

    /** Checks credentials (and the second factor) and opens a session. */
    public TokenResponse login(LoginRequest req, String remote) {
        List<FieldError> errors = new ArrayList<>();
        if (req.email() == null || req.email().isBlank()) {
            errors.add(new FieldError("email", "is required"));
        }
        if (req.password() == null || req.password().isEmpty()) {
            errors.add(new FieldError("password", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(Kind.INVALID, "email and password are required", errors);
        }
        String email = req.email().strip().toLowerCase(Locale.ROOT);
        LoginThrottle.Verdict d = throttle.check(email, remote);
        if (!d.allowed()) {
            auditor.audit(new Actor("-", email, Role.VIEWER, remote), "user.login.locked", null, "retry in " + d
                    .retryAfter().toSeconds() + " s");
            throw new ApiException(Kind.RATE_LIMITED, "too many failed logins; try again in " + Math.max(1, d
                    .retryAfter().toSeconds()) + " s");
        }
        Optional<UserRecord> found = store.userByEmail(email);
        boolean ok = hasher.verify(req.password(), found.map(UserRecord::passwordHash).orElse(dummyHash));
        if (!ok || found.isEmpty() || found.get().disabled()) {
            throttle.recordFailure(email, remote);
            auditor.audit(new Actor("-", email, Role.VIEWER, remote), "user.login.failed", null, found.isPresent()
                    && found.get().disabled() ? "account disabled" : "bad credentials");
            throw new ApiException(Kind.UNAUTHENTICATED, "wrong email or password");
        }
        UserRecord user = found.get();
        if (user.totpEnabled()) {
            user = secondFactor(user, req, remote);
        }
        throttle.recordSuccess(email, remote);
        if (hasher.needsRehash(user.passwordHash())) {
            user = withPasswordHash(user, hasher.hash(req.password()));
            store.putUser(user);
        }
        Instant now = clock.instant();
        SessionRecord session = new SessionRecord(newId(24), user.id(), 1, remote, now, now.plus(REFRESH_TTL));
        store.putSession(session);
        auditor.audit(actorOf(user, remote), "user.login", user.id(), null);
        return tokens(user, session);
    }

    private UserRecord secondFactor(UserRecord user, LoginRequest req, String remote) {
        String email = user.email();
        if (req.recoveryCode() != null && !req.recoveryCode().isBlank()) {
            Optional<List<String>> left = RecoveryCodes.consume(user.recoveryCodeHashes(), req.recoveryCode());
            if (left.isEmpty()) {
                throttle.recordFailure(email, remote);
                auditor.audit(actorOf(user, remote), "user.login.failed", user.id(), "bad recovery code");
                throw new ApiException(Kind.UNAUTHENTICATED, "wrong recovery code", List.of(new FieldError(
                        "recoveryCode", "is wrong or already used")));
            }
            UserRecord u = new UserRecord(user.id(), user.email(), user.passwordHash(), user.role(), user.totpSecret(),
                    user.totpLastStep(), left.get(), user.disabled(), user.createdAt(), clock.instant());
            store.putUser(u);
            auditor.audit(actorOf(user, remote), "user.recovery-code.used", user.id(), left.get().size() + " left");
            return u;
        }
        if (req.totp() == null || req.totp().isBlank()) {
            throw new ApiException(Kind.UNAUTHENTICATED, "a TOTP code is required", List.of(new FieldError("totp",
                    "is required: this account uses two-factor authentication")));
        }
        java.util.OptionalLong accepted = totp.verify(Base32.decode(user.totpSecret()), req.totp().strip(), user
                .totpLastStep());
        if (accepted.isEmpty()) {
            throttle.recordFailure(email, remote);
            auditor.audit(actorOf(user, remote), "user.login.failed", user.id(), "bad TOTP code");
            throw new ApiException(Kind.UNAUTHENTICATED, "wrong or already used TOTP code", List.of(new FieldError(
                    "totp", "is wrong or was already used")));
        }
        UserRecord u = new UserRecord(user.id(), user.email(), user.passwordHash(), user.role(), user.totpSecret(),
                accepted.getAsLong(), user.recoveryCodeHashes(), user.disabled(), user.createdAt(), user.updatedAt());
        store.putUser(u);
        return u;
    }

    /** Exchanges a refresh token for new tokens; the old refresh token stops working. */
    public synchronized TokenResponse refresh(String refreshToken, String remote) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw ApiException.invalid("refreshToken", "is required");
        }
        TokenClaims c;
        try {
            c = signer.verify(refreshToken, TokenType.REFRESH);
        } catch (TokenException e) {
            throw new ApiException(Kind.UNAUTHENTICATED, "refresh token refused: " + e.getMessage());
        }
        SessionRecord s = store.session(c.sessionId()).orElseThrow(() -> new ApiException(Kind.UNAUTHENTICATED,
                "the session has ended; log in again"));
        if (s.generation() != c.generation()) {
            // a refresh token used twice: someone else may hold it; end the session
            store.deleteSession(s.id());
            auditor.audit(new Actor(s.userId(), "-", Role.VIEWER, remote), "session.refresh.reused", s.id(),
                    "session ended");
            throw new ApiException(Kind.UNAUTHENTICATED, "refresh token already used; the session was ended");
        }
        UserRecord user = store.user(s.userId()).filter(u -> !u.disabled()).orElseThrow(() -> new ApiException(
                Kind.UNAUTHENTICATED, "the account no longer exists or is disabled"));
        SessionRecord next = new SessionRecord(s.id(), s.userId(), s.generation() + 1, remote, s.createdAt(), clock
                .instant().plus(REFRESH_TTL));
        store.putSession(next);
        return tokens(user, next);
    }

    private TokenResponse tokens(UserRecord user, SessionRecord session) {
        Tokens t = signer.issue(user.id(), user.role(), session.id(), session.generation());
        return new TokenResponse(t.accessToken(), t.refreshToken(), ACCESS_TTL.toSeconds(), UserView.of(user));
    }

    /**
     * Checks an access token.
     *
     * @return the actor it stands for
     * @throws ApiException {@link Kind#UNAUTHENTICATED} when missing, bad, expired or revoked
     */
    public Actor authenticate(String accessToken, String remote) {
        if (accessToken == null || accessToken.isEmpty()) {
            throw new ApiException(Kind.UNAUTHENTICATED, "missing bearer token: log in at POST /api/v1/auth/login");
        }
        TokenClaims c;
        try {
            c = signer.verify(accessToken, TokenType.ACCESS);
        } catch (TokenException e) {
            throw new ApiException(Kind.UNAUTHENTICATED, "access token refused: " + e.getMessage());
        }
        SessionRecord s = store.session(c.sessionId()).orElseThrow(() -> new ApiException(Kind.UNAUTHENTICATED,
                "the session has ended; log in again"));
        UserRecord user = store.user(s.userId()).orElseThrow(() -> new ApiException(Kind.UNAUTHENTICATED,
                "the account no longer exists"));
        if (user.disabled()) {
            throw new ApiException(Kind.UNAUTHENTICATED, "the account is disabled");
        }
        return new Actor(user.id(), user.email(), user.role(), remote);
    }

    /** @return when an access token that {@link #authenticate} accepted expires (WebSocket clients) */
    Instant accessTokenExpiry(String accessToken) {
        try {
            return signer.verify(accessToken, TokenType.ACCESS).expiresAt();
        } catch (TokenException e) {
            return clock.instant();
        }
    }

    /** Ends the session of the given access token. */
    public void logout(Actor actor, String accessToken) {
        try {
            TokenClaims c = signer.verify(accessToken, TokenType.ACCESS);
            store.deleteSession(c.sessionId());
        } catch (TokenException e) {
            throw new ApiException(Kind.UNAUTHENTICATED, "access token refused: " + e.getMessage());
        }
        auditor.audit(actor, "user.logout", actor.userId(), null);
    }

    /** @return the logged-in user */
    public UserView me(Actor actor) {
        return UserView.of(store.user(actor.userId()).orElseThrow(() -> new ApiException(Kind.UNAUTHENTICATED,
                "the account no longer exists")));
    }

    /**
     * Changes the actor's own password; every other session ends, the one of {@code accessToken}
     * stays.
     */
    public void changePassword(Actor actor, String accessToken, PasswordChange req) {
        UserRecord u = store.user(actor.userId()).orElseThrow(() -> ControlService.notFound("user", actor.userId()));
        if (req.currentPassword() == null || !hasher.verify(req.currentPassword(), u.passwordHash())) {
            throw new ApiException(Kind.FORBIDDEN, "the current password is wrong", List.of(new FieldError(
                    "currentPassword", "is wrong")));
        }
        checkPassword(req.newPassword(), "newPassword");
        store.putUser(withPasswordHash(u, hasher.hash(req.newPassword())));
        SessionRecord current = null;
        try {
            current = store.session(signer.verify(accessToken, TokenType.ACCESS).sessionId()).orElse(null);
        } catch (TokenException e) {
            // the caller was authenticated with this token a moment ago; keep no session then
        }
        store.deleteSessionsOf(u.id());
        if (current != null) {
            store.putSession(current);
        }
        auditor.audit(actor, "user.password.change", u.id(), "other sessions ended");
    }

    // ---------------------------------------------------------------- TOTP

    /** Starts enabling 2FA: a new secret, confirmed by {@link #totpEnable}. */
    public TotpSetup totpSetup(Actor actor) {
        UserRecord u = store.user(actor.userId()).orElseThrow(() -> ControlService.notFound("user", actor.userId()));
        if (u.totpEnabled()) {
            throw new ApiException(Kind.CONFLICT, "two-factor authentication is already on; disable it first");
        }
        byte[] secret = Totp.newSecret();
        pendingTotp.put(u.id(), Base32.encode(secret));
        return new TotpSetup(Base32.encode(secret), totp.provisioningUri("StreamKit", u.email(), secret));
    }

    /** Confirms the pending secret with a code and turns 2FA on; returns the recovery codes. */
    public RecoveryCodesView totpEnable(Actor actor, String code) {
        UserRecord u = store.user(actor.userId()).orElseThrow(() -> ControlService.notFound("user", actor.userId()));
        String secret = pendingTotp.get(u.id());
        if (secret == null) {
            throw new ApiException(Kind.CONFLICT, "start with POST /api/v1/auth/totp/setup");
        }
        java.util.OptionalLong step = code == null
                ? java.util.OptionalLong.empty()
                : totp.verify(Base32.decode(secret), code.strip(), -1);
        if (step.isEmpty()) {
            throw ApiException.invalid("code", "is wrong; check the authenticator app's clock");
        }
        RecoveryCodes.Issued issued = RecoveryCodes.generate(10);
        List<String> codes = issued.codes();
        store.putUser(new UserRecord(u.id(), u.email(), u.passwordHash(), u.role(), secret, step.getAsLong(), issued
                .hashes(), u.disabled(), u.createdAt(), clock.instant()));
        pendingTotp.remove(u.id());
        auditor.audit(actor, "user.totp.enable", u.id(), null);
        return new RecoveryCodesView(codes);
    }

    /** Turns 2FA off after checking the password. */
    public void totpDisable(Actor actor, String password) {
        UserRecord u = store.user(actor.userId()).orElseThrow(() -> ControlService.notFound("user", actor.userId()));
        if (password == null || !hasher.verify(password, u.passwordHash())) {
            throw new ApiException(Kind.FORBIDDEN, "the password is wrong", List.of(new FieldError("password",
                    "is wrong")));
        }
        store.putUser(new UserRecord(u.id(), u.email(), u.passwordHash(), u.role(), null, 0, List.of(), u.disabled(),
                u.createdAt(), clock.instant()));
        auditor.audit(actor, "user.totp.disable", u.id(), null);
    }

    // ---------------------------------------------------------------- users (admin)

    /** @return every user */
    public List<UserView> users(Actor actor) {
        actor.require(Permission.MANAGE_USERS);
        return store.users().stream().map(UserView::of).toList();
    }

    /** @return one user */
    public UserView user(Actor actor, String id) {
        actor.require(Permission.MANAGE_USERS);
        return UserView.of(store.user(id).orElseThrow(() -> ControlService.notFound("user", id)));
    }

    /** Creates a user. */
    public synchronized UserView createUser(Actor actor, UserRequest req) {
        actor.require(Permission.MANAGE_USERS);
        if (req.role() == null) {
            throw ApiException.invalid("role", "is required: ADMIN, TECHNICIAN or VIEWER");
        }
        if (req.disabled() != null && req.disabled()) {
            throw ApiException.invalid("disabled", "a new user cannot start disabled");
        }
        return UserView.of(createUserInternal(actor, req.email(), req.password(), req.role()));
    }

    private UserRecord createUserInternal(Actor actor, String email, String password, Role role) {
        String e = checkEmail(email);
        checkPassword(password, "password");
        if (store.userByEmail(e).isPresent()) {
            throw new ApiException(Kind.CONFLICT, "a user with email " + e + " exists already", List.of(
                    new FieldError("email", "is already used")));
        }
        Instant now = clock.instant();
        UserRecord u = new UserRecord(newId(12), e, hasher.hash(password), role, null, 0, List.of(), false, now, now);
        store.putUser(u);
        auditor.audit(actor, "user.create", u.id(), e + " as " + role);
        return u;
    }

    /** Changes a user's email, password, role or disabled flag. */
    public synchronized UserView updateUser(Actor actor, String id, UserRequest req) {
        actor.require(Permission.MANAGE_USERS);
        UserRecord u = store.user(id).orElseThrow(() -> ControlService.notFound("user", id));
        String email = req.email() == null ? u.email() : checkEmail(req.email());
        if (!email.equals(u.email()) && store.userByEmail(email).isPresent()) {
            throw new ApiException(Kind.CONFLICT, "a user with email " + email + " exists already", List.of(
                    new FieldError("email", "is already used")));
        }
        if (req.password() != null) {
            checkPassword(req.password(), "password");
        }
        Role role = req.role() == null ? u.role() : req.role();
        boolean disabled = req.disabled() == null ? u.disabled() : req.disabled();
        if (u.role() == Role.ADMIN && (role != Role.ADMIN || disabled) && activeAdmins() <= 1) {
            throw new ApiException(Kind.CONFLICT, "the last active admin cannot be demoted or disabled");
        }
        UserRecord next = new UserRecord(u.id(), email, req.password() == null
                ? u.passwordHash()
                : hasher.hash(req.password()), role, u.totpSecret(), u.totpLastStep(), u.recoveryCodeHashes(),
                disabled, u.createdAt(), clock.instant());
        store.putUser(next);
        if (req.password() != null || disabled || role != u.role()) {
            store.deleteSessionsOf(u.id());
        }
        List<String> what = new ArrayList<>();
        if (!email.equals(u.email())) {
            what.add("email " + email);
        }
        if (req.password() != null) {
            what.add("password reset");
        }
        if (role != u.role()) {
            what.add("role " + u.role() + " -> " + role);
        }
        if (disabled != u.disabled()) {
            what.add(disabled ? "disabled" : "enabled");
        }
        auditor.audit(actor, "user.update", id, what.isEmpty() ? "no change" : String.join(", ", what));
        return UserView.of(next);
    }

    /** Deletes a user; the last admin cannot be deleted. */
    public synchronized void deleteUser(Actor actor, String id) {
        actor.require(Permission.MANAGE_USERS);
        UserRecord u = store.user(id).orElseThrow(() -> ControlService.notFound("user", id));
        if (u.role() == Role.ADMIN && !u.disabled() && activeAdmins() <= 1) {
            throw new ApiException(Kind.CONFLICT, "the last active admin cannot be deleted");
        }
        store.deleteUser(id);
        auditor.audit(actor, "user.delete", id, u.email());
    }

    private long activeAdmins() {
        return store.users().stream().filter(x -> x.role() == Role.ADMIN && !x.disabled()).count();
    }

    private static String checkEmail(String email) {
        if (email == null || email.isBlank()) {
            throw ApiException.invalid("email", "is required");
        }
        String e = email.strip().toLowerCase(Locale.ROOT);
        if (e.length() > 254 || !e.matches("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+")) {
            throw ApiException.invalid("email", "is not a valid email address");
        }
        return e;
    }

    private static void checkPassword(String password, String field) {
        if (password == null) {
            throw ApiException.invalid(field, "is required");
        }
        try {
            PasswordHasher.checkPolicy(password);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, e.getMessage());
        }
    }

    private static UserRecord withPasswordHash(UserRecord u, String hash) {
        return new UserRecord(u.id(), u.email(), hash, u.role(), u.totpSecret(), u.totpLastStep(), u
                .recoveryCodeHashes(), u.disabled(), u.createdAt(), Instant.now());
    }

    private static Actor actorOf(UserRecord u, String remote) {
        return new Actor(u.id(), u.email(), u.role(), remote);
    }

    private static String newId(int n) {
        return Ids.random(n, Ids.LOWER_ALNUM);
    }
}
