"""Typed readers of the environment: a malformed value stops start-up with a clear message."""

import os
import re
import secrets
from datetime import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """A text variable, or its default when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use 1/true/on or 0/false/off."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A whole-number variable within optional bounds."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> tuple:
    """A comma-separated list of IP addresses or networks (`10.0.0.0/8,::1`), parsed."""
    import ipaddress

    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)."
            ) from None
    return tuple(networks)


_HEADER = re.compile(r"[A-Za-z0-9-]+")


def env_header(name: str, default: str) -> str:
    """An HTTP header name variable, as Django's request.META key (X-Real-IP -> HTTP_X_REAL_IP)."""
    value = env_str(name, default).strip()
    if not _HEADER.fullmatch(value):
        raise ImproperlyConfigured(f"{name}: {value!r} is not an HTTP header name.")
    return "HTTP_" + value.upper().replace("-", "_")


_TIME_OF_DAY = re.compile(r"([0-1]?[0-9]|2[0-3]):([0-5][0-9])")
_NAME = re.compile(r"[a-z][a-z0-9-]*")


def env_times(name: str) -> dict[str, time]:
    """Local times of day by name, `name=HH:MM` comma-separated (`logs-purge=02:30,...`)."""
    raw = os.environ.get(name)
    if raw is None:
        return {}
    times: dict[str, time] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key, sep, value = (s.strip() for s in item.partition("="))
        match = _TIME_OF_DAY.fullmatch(value)
        if not sep or not _NAME.fullmatch(key) or match is None:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not NAME=HH:MM (a 24-hour local time, e.g. logs-purge=02:30)."
            )
        if key in times:
            raise ImproperlyConfigured(f"{name}: {key!r} is given twice.")
        times[key] = time(int(match[1]), int(match[2]))
    return times


def data_dir() -> Path:
    """The data directory (COPRODUCE_DATA_DIR, default ./var), created on first use."""
    path = Path(env_str("COPRODUCE_DATA_DIR", "var")).expanduser().resolve()
    try:
        # Owner only (issue 18): it holds the SQLite database and the generated secrets.
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"COPRODUCE_DATA_DIR={path}: cannot create it ({exc})."
        ) from None
    return path


def kept_secret(name: str, directory: Path) -> str:
    """The secret from the environment, else the one kept in the data directory (made once)."""
    from_env = os.environ.get(name)
    if from_env is not None:
        if len(from_env) < 32:
            raise ImproperlyConfigured(f"{name} must be at least 32 characters long.")
        return from_env
    path = directory / name.lower()
    if not path.exists():
        # Written aside, then linked into place: two workers starting at once must neither write
        # two different secrets nor read a half-written one.
        tmp = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    value = path.read_text().strip()
    if len(value) < 32:
        raise ImproperlyConfigured(f"{path} holds a secret shorter than 32 characters.")
    return value
