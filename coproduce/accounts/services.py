"""Writes to accounts: users, scoped roles, API tokens, and the counts of failed sign-ins."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from coproduce.accounts.models import ApiToken, RoleAssignment, SignInFailure, User
from coproduce.accounts.rules import (
    Role,
    SignInLimit,
    SignInLimits,
    SignInVerdict,
    sign_in_address_key,
    sign_in_newly_locked,
    sign_in_username_key,
    sign_in_verdict,
)
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, ValidationFailed
from coproduce.core.sql import CompiledQuery
from coproduce.regions.models import Region

TOKEN_PREFIX = "cpt_"


@dataclass(frozen=True)
class RoleSpec:
    """A role to grant: its name, the region code it holds in, and an optional organization id."""

    role: str
    region_code: str
    organization_id: int | None = None


def _check_role(spec: RoleSpec) -> tuple[Role, Region]:
    try:
        role = Role(spec.role)
    except ValueError:
        raise ValidationFailed.field(
            "role", f"{spec.role!r} is not one of {', '.join(Role)}."
        ) from None
    region = Region.objects.filter(code=spec.region_code).first()
    if region is None:
        raise ValidationFailed.field("region", f"No region has the code {spec.region_code!r}.")
    return role, region


def role_grant(*, user: User, spec: RoleSpec, actor=None) -> RoleAssignment:
    """Give `user` a role within a region subtree (and organization); granted twice is kept once."""
    role, region = _check_role(spec)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user,
            role=role.value,
            region=region,
            organization_id=spec.organization_id,
            defaults={"granted_by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        if created:
            audit_record(
                actor=actor,
                action="accounts.role_grant",
                target=user,
                details={"role": role.value, "region": region.code, "org": spec.organization_id},
            )
    user.__dict__.pop("_coproduce_grants", None)
    return assignment


def user_create(
    *,
    username: str,
    password: str | None,
    roles: list[RoleSpec],
    actor=None,
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
    check_password: bool = True,
) -> User:
    """Create a user holding the given scoped roles; a taken username is a conflict."""
    username = username.strip()
    if not username or len(username) > 150:
        raise ValidationFailed.field("username", "A username of 1 to 150 characters is required.")
    if password and check_password:
        try:
            validate_password(password)
        except DjangoValidationError as exc:
            raise ValidationFailed(
                "The password is too weak.", fields={"password": exc.messages}
            ) from None
    try:
        with transaction.atomic():
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                is_superuser=is_superuser,
                is_staff=is_superuser,
            )
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            for spec in roles:
                role_grant(user=user, spec=spec, actor=actor)
            if any(s.role == Role.ADMIN for s in roles):
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            audit_record(actor=actor, action="accounts.user_create", target=user)
    except IntegrityError:
        raise Conflict(f"The username {username!r} is taken.", code="username_taken") from None
    return user


def _digest(key: str) -> str:
    # Tokens carry 256 random bits: a plain SHA-256 cannot be brute-forced, and look-up stays O(1).
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str, actor=None) -> tuple[ApiToken, str]:
    """A new API token for `user`: the stored record and the key, shown only this once."""
    name = name.strip() or "token"
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=key[: len(TOKEN_PREFIX) + 6], key_hash=_digest(key)
        )
        audit_record(
            actor=actor, action="accounts.token_create", target=user, details={"name": name}
        )
    return token, key


_USER_FIELDS = [f.attname for f in User._meta.concrete_fields]

# Every API request runs this: compiled once (see core.sql), one indexed look-up of the token
# with its user's columns, kept a second per worker process. A revoked token or deactivated
# user is refused at once by the process that made the change and within a second by the others.
_TOKEN_USER = CompiledQuery(
    lambda digest: ApiToken.objects.filter(
        key_hash=digest, revoked_at__isnull=True, user__is_active=True
    ).values_list("pk", "last_used_at", *(f"user__{name}" for name in _USER_FIELDS)),
    fresh_for=1.0,
    forget_on=(ApiToken, User),
    digest="\x00token-digest",
)


def token_authenticate(key: str) -> User | None:
    """The active user a bearer key belongs to, or None."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    rows = _TOKEN_USER.rows(digest=_digest(key))
    if not rows:
        return None
    token_id, last_used_at, *user_values = rows[0]
    now = timezone.now()
    # Written at most once a minute: a busy scanner must not turn every request into a write.
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        _TOKEN_USER.forget()
    return User.from_db("default", _USER_FIELDS, user_values)


def token_revoke(*, token: ApiToken, actor=None) -> None:
    """Revoke a token; it stops working at once."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _TOKEN_USER.forget()
        audit_record(
            actor=actor,
            action="accounts.token_revoke",
            target=token.user,
            details={"name": token.name},
        )


# --- sign-in limits (PRODUCT.md section 4; docs/accounts.md) ------------------------------------
#
# Times here are real time (timezone.now()), never the exercise clock: a drill that moves the
# platform's clock must neither lift nor extend a lock on a real account.


def sign_in_limits() -> SignInLimits:
    """The limits of this deployment, from the COPRODUCE_LOGIN_* settings."""
    return SignInLimits(
        per_pair=settings.LOGIN_FAILURES_PER_USERNAME_ADDRESS,
        per_address=settings.LOGIN_FAILURES_PER_ADDRESS,
        per_username=settings.LOGIN_FAILURES_PER_USERNAME,
        per_device=settings.LOGIN_FAILURES_PER_USERNAME_ADDRESS,
        window=timedelta(minutes=settings.LOGIN_WINDOW_MINUTES),
    )


def _key(limit: SignInLimit, value: str) -> str:
    digest = salted_hmac("coproduce.accounts.sign_in", value, algorithm="sha256").hexdigest()
    return f"{limit.value[0]}:{digest}"


def _sign_in_keys(username: str, address: str | None, device: str | None) -> dict[SignInLimit, str]:
    """The keys an attempt is checked and counted against (rules.sign_in_limits_applying)."""
    user = sign_in_username_key(username)
    if device:
        return {SignInLimit.DEVICE: _key(SignInLimit.DEVICE, f"{user}\x1f{device}")}
    place = sign_in_address_key(address)
    return {
        SignInLimit.PAIR: _key(SignInLimit.PAIR, f"{user}\x1f{place}"),
        SignInLimit.ADDRESS: _key(SignInLimit.ADDRESS, place),
        SignInLimit.USERNAME: _key(SignInLimit.USERNAME, user),
    }


def _verdict(keys: dict[SignInLimit, str], now: datetime, limits: SignInLimits) -> SignInVerdict:
    def newest(limit: SignInLimit) -> list[datetime]:
        # The rule needs only the newest `allowed` failures in the window: an indexed range
        # read of at most that many rows, however many a flood left behind.
        return list(
            SignInFailure.objects.filter(key=keys[limit], at__gt=now - limits.window)
            .order_by("-at")
            .values_list("at", flat=True)[: limits.allowed(limit)]
        )

    return sign_in_verdict(
        failures={limit: newest(limit) for limit in keys},
        known_device=SignInLimit.DEVICE in keys,
        now=now,
        limits=limits,
    )


def _attempted_account(username: str) -> User | None:
    # The audit event names the account when there is one. A username that matches no account
    # is not written down: it may be a password typed into the wrong field.
    return User.objects.filter(username=username).first()


def _audit_target(username: str) -> dict:
    user = _attempted_account(username)
    if user is None:
        return {"object_type": "accounts.user", "object_id": ""}
    return {"target": user}


def sign_in_check(
    *, username: str, address: str | None, device: str | None = None, now: datetime | None = None
) -> SignInVerdict:
    """Whether a sign-in may have its password checked now; a refused attempt is audited.

    `device` is the id of a browser this username has signed in from before (accounts.devices),
    or None: a known device answers only to its own count.
    """
    now = now or timezone.now()
    verdict = _verdict(_sign_in_keys(username, address, device), now, sign_in_limits())
    if not verdict.allowed:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="accounts.sign_in_blocked",
                **_audit_target(username),
                details={
                    "limits": [limit.value for limit in verdict.limits],
                    "retry_at": verdict.retry_at.isoformat(),
                },
            )
    return verdict


def sign_in_failure_record(
    *,
    username: str,
    address: str | None,
    before: SignInVerdict,
    device: str | None = None,
    now: datetime | None = None,
) -> SignInVerdict:
    """Count a failed sign-in against the keys that apply to it; audit each lock it completes.

    `before` is the verdict that let the attempt through. Plain inserts, then a count after the
    commit: the last of several concurrent failures to commit counts them all, so a lock is
    never missed (two concurrent failures may both report the same lock).
    """
    now = now or timezone.now()
    limits = sign_in_limits()
    keys = _sign_in_keys(username, address, device)
    with transaction.atomic():
        SignInFailure.objects.bulk_create([SignInFailure(key=key, at=now) for key in keys.values()])
    after = _verdict(keys, now, limits)
    locked = sign_in_newly_locked(before, after)
    if locked:
        with transaction.atomic():
            for limit in locked:
                audit_record(
                    actor=None,
                    action="accounts.sign_in_lock",
                    **_audit_target(username),
                    details={
                        "limit": limit.value,
                        "failures": limits.allowed(limit),
                        "window_minutes": int(limits.window.total_seconds() // 60),
                        "until": after.until[limit].isoformat(),
                    },
                )
    sign_in_failures_purge(now=now, limits=limits)
    return after


def sign_in_success_record(
    *, user: User, address: str | None = None, device: str | None = None
) -> int:
    """A successful sign-in clears its username's failures (never its address's); returns how many.

    The username-wide count, the (username, address) pair's and the device's: the address keeps
    its count, or someone holding one account could sign in to it between guesses at others and
    never reach the address limit.
    """
    name = user.get_username()
    keys = {
        *_sign_in_keys(name, address, None).values(),
        *(_sign_in_keys(name, address, device).values() if device else ()),
    } - {_key(SignInLimit.ADDRESS, sign_in_address_key(address))}
    deleted, _ = SignInFailure.objects.filter(key__in=keys).delete()
    return deleted


def sign_in_failures_purge(*, now: datetime | None = None, limits: SignInLimits | None = None):
    """Delete failures that have left the window (called as new failures arrive); returns how many.

    Its own statement after the insert's transaction, so that concurrent purges never hold the
    rows of a failure being recorded.
    """
    now = now or timezone.now()
    limits = limits or sign_in_limits()
    deleted, _ = SignInFailure.objects.filter(at__lte=now - limits.window).delete()
    return deleted
