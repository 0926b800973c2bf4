"""Lifeline settings: one module, driven by the environment (see README "Configuration").

Two modes:
- ``embedded`` (default): a laptop install. SQLite in the data folder; the secret key and the
  encryption keys are generated on first run into that folder with mode 0600.
- ``production``: every secret must come from the environment or a ``*_FILE``; a missing one
  stops start-up with a message naming it. Security flags are on.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from lifeline.core.env import env_bool, env_int, env_list, env_str
from lifeline.core.secrets import ensure_data_dir, load_secret_key

BASE_DIR = Path(__file__).resolve().parent

LIFELINE_MODE = env_str("LIFELINE_MODE", "embedded")
if LIFELINE_MODE not in {"embedded", "production"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"LIFELINE_MODE must be 'embedded' or 'production', not {LIFELINE_MODE!r}"
    )
PRODUCTION = LIFELINE_MODE == "production"

DATA_DIR = ensure_data_dir(Path(env_str("LIFELINE_DATA_DIR", "var")).resolve())
SECRET_KEY = load_secret_key(data_dir=DATA_DIR, production=PRODUCTION)
DEBUG = env_bool("LIFELINE_DEBUG", False)
ALLOWED_HOSTS = env_list("LIFELINE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("LIFELINE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, with a site that requires a second factor (lifeline.core.admin_site).
    "lifeline.core.admin_apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "lifeline.core",
    "lifeline.accounts",
    "lifeline.audit",
    "lifeline.people",
    "lifeline.cases",
    "lifeline.privacy",
    "lifeline.evidence",
    "lifeline.screening",
    "lifeline.linkage",
    "lifeline.intake",
    "lifeline.sites",
    "lifeline.sharing",
    "lifeline.reports",
]

MIDDLEWARE = [
    # First, so that even Django's HTTPS redirect and WhiteNoise's static files get its headers.
    "lifeline.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets request.user.otp_device / is_verified() from the session (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lifeline.accounts.middleware.SessionLimitMiddleware",
    "lifeline.accounts.middleware.OrganisationMiddleware",
    # After the organisation is known: the policy that decides who must verify depends on it.
    "lifeline.accounts.middleware.SecondFactorMiddleware",
    "lifeline.core.middleware.KeysDestroyedMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lifeline.urls"
WSGI_APPLICATION = "lifeline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lifeline.accounts.context_processors.membership",
                "lifeline.core.context_processors.keys_state",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'lifeline.sqlite3'}"),
        conn_max_age=env_int("LIFELINE_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend plus SQLite's recommended statistics upkeep (lifeline.core.sqlite).
    # Connections are kept between requests as on PostgreSQL: opening one per request (with
    # its pragmas and functions) was two fifths of the server's work per public submission.
    DATABASES["default"]["ENGINE"] = "lifeline.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN so that two writers queue (busy timeout) instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # Refuses to authenticate while an account or an address is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force lockout, per account and, separately, per address: after AXES_FAILURE_LIMIT failed
# logins for one user name (from anywhere) or from one address (for any user name).
AXES_FAILURE_LIMIT = env_int("LIFELINE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LIFELINE_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "lifeline.accounts.addresses.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
    ("id", _("Indonesian")),
    ("km", _("Khmer")),
    ("my", _("Burmese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("LIFELINE_TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = ensure_data_dir(DATA_DIR / "static")
# Serving straight from the app folders keeps `lifeline serve` a single step on a laptop.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions: no persistent cookie outlives the browser; CSRF token lives in the session.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle timeout: the session's expiry moves with every request, so it ends after this much quiet.
SESSION_COOKIE_AGE = 60 * env_int("LIFELINE_SESSION_IDLE_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = True
# Absolute timeout: however busy, a session ends this long after its login
# (lifeline.accounts.middleware.SessionLimitMiddleware).
LIFELINE_SESSION_ABSOLUTE_SECONDS = 3600 * env_int("LIFELINE_SESSION_ABSOLUTE_HOURS", 12)
CSRF_USE_SESSIONS = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers send "Origin: null" under no-referrer, which fails CSRF.
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = env_bool("LIFELINE_HTTPS", PRODUCTION)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LIFELINE_BEHIND_PROXY = env_bool("LIFELINE_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if LIFELINE_BEHIND_PROXY else None
# Over HTTPS, plain-HTTP requests are redirected by Django unless the proxy in front already
# does it (then set LIFELINE_SSL_REDIRECT=false). /healthz stays reachable over HTTP so that a
# load balancer's plain-HTTP health check does not follow a redirect.
SECURE_SSL_REDIRECT = env_bool("LIFELINE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS (sent on HTTPS responses only) for a year, subdomains included, with the "preload"
# directive. The directive alone changes nothing: a domain enters browsers' built-in lists only
# when its apex sends it and someone submits it to hstspreload.org. An operator whose other
# subdomains still serve plain HTTP turns these off (docs/operator.md).
SECURE_HSTS_SECONDS = env_int("LIFELINE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LIFELINE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("LIFELINE_HSTS_PRELOAD", True)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = [
    # Turning preload off is the operator's deliberate choice, not an oversight to warn about.
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    # Behind a proxy that redirects HTTP to HTTPS itself, Django's redirect is rightly off.
    *(["security.W008"] if LIFELINE_BEHIND_PROXY and not SECURE_SSL_REDIRECT else []),
]

# Second factor (django-otp). A wrong code doubles the wait before the next try (1, 2, 4 …
# seconds, per device): a six-digit code cannot be guessed in the time that leaves.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The name an authenticator app shows next to the codes. On a phone that may be searched,
# an operator may prefer something neutral (LIFELINE_TOTP_ISSUER="Notes").
OTP_TOTP_ISSUER = env_str("LIFELINE_TOTP_ISSUER", "Lifeline")

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads stay in memory and stop at the evidence size limit: Django's default handlers would
# write large ones to /tmp in plaintext (lifeline.evidence.uploads).
FILE_UPLOAD_HANDLERS = ["lifeline.evidence.uploads.LimitedMemoryUploadHandler"]

# Evidence files, encrypted, one blob per original and per preview (lifeline.evidence.storage).
LIFELINE_EVIDENCE_DIR = Path(env_str("LIFELINE_EVIDENCE_DIR", str(DATA_DIR / "evidence")))
LIFELINE_EVIDENCE_MAX_BYTES = env_int("LIFELINE_EVIDENCE_MAX_MB", 25) * 1024 * 1024
# Images above this many pixels are refused as decompression bombs (a 50 MP photo is accepted).
LIFELINE_EVIDENCE_MAX_PIXELS = env_int("LIFELINE_EVIDENCE_MAX_PIXELS", 60_000_000)
# Chat-export archives: limits on members, total unpacked size and compression ratio.
LIFELINE_EVIDENCE_ZIP_MAX_MEMBERS = 5000
LIFELINE_EVIDENCE_ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
LIFELINE_EVIDENCE_ZIP_MAX_RATIO = 100

# The map (lifeline.sites): no tile server unless one is configured, so that no page calls a
# third-party host; the map then shows the country outlines shipped with Lifeline. An HTTPS
# URL template such as https://tiles.example.org/{z}/{x}/{y}.png (its host is added to the
# map page's Content-Security-Policy).
LIFELINE_MAP_TILES_URL = env_str("LIFELINE_MAP_TILES_URL", "")
LIFELINE_MAP_TILES_ATTRIBUTION = env_str("LIFELINE_MAP_TILES_ATTRIBUTION", "")
# The quiet-site alert (lifeline.sites.quiet): this many persons last known at one site who,
# within the window, went silent after a check-in (for the silence given) or were reported
# moved or out of contact.
LIFELINE_QUIET_SITE_MIN_PEOPLE = env_int("LIFELINE_QUIET_SITE_MIN_PEOPLE", 3)
LIFELINE_QUIET_SITE_WINDOW_DAYS = env_int("LIFELINE_QUIET_SITE_WINDOW_DAYS", 7)
LIFELINE_QUIET_SITE_SILENCE_HOURS = env_int("LIFELINE_QUIET_SITE_SILENCE_HOURS", 72)
# The dashboard (lifeline.reports): a snapshot of its figures is reused for this long; the page
# shows its age and offers a refresh. The CTDC export's default k (smallest group released).
LIFELINE_DASHBOARD_MAX_AGE_SECONDS = env_int("LIFELINE_DASHBOARD_MAX_AGE_SECONDS", 900)
LIFELINE_CTDC_K = env_int("LIFELINE_CTDC_K", 11)

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Job-offer screening: the model `lifeline screening train` writes (and reads its data from).
LIFELINE_SCREENING_MODEL = Path(
    env_str("LIFELINE_SCREENING_MODEL", str(DATA_DIR / "models" / "screening.skops"))
)
LIFELINE_SCREENING_TRAINING_DATA = Path(
    env_str(
        "LIFELINE_SCREENING_TRAINING_DATA",
        str(BASE_DIR.parents[2] / "shared" / "data" / "job-ads" / "emscad-difraud-dev.jsonl"),
    )
)

# Encryption keys: see lifeline.core.crypto. In embedded mode they live in DATA_DIR/keys.json.
LIFELINE_KEYS_PATH = DATA_DIR / "keys.json"
# Phones typed without a country code are read as this region's (ISO 3166 alpha-2).
LIFELINE_DEFAULT_PHONE_REGION = env_str("LIFELINE_DEFAULT_PHONE_REGION", None)
LIFELINE_PAGE_SIZE = 50

# The public SOS and check-in pages (lifeline.intake). Paths and title are neutral and
# configurable: nothing in a phone's history should say what the page is for.
LIFELINE_INTAKE_ORGANISATION = env_str("LIFELINE_INTAKE_ORGANISATION", "")
# Seconds a server process remembers that organisation's row (0: read it on every request).
LIFELINE_INTAKE_ORGANISATION_CACHE = env_int("LIFELINE_INTAKE_ORGANISATION_CACHE", 30)
LIFELINE_INTAKE_PATH = env_str("LIFELINE_INTAKE_PATH", "help/").strip("/") + "/"
LIFELINE_CHECKIN_PATH = env_str("LIFELINE_CHECKIN_PATH", "check/").strip("/") + "/"
# The public job-check page (lifeline.screening.public), on the same public-page rules.
LIFELINE_JOB_CHECK_PATH = env_str("LIFELINE_JOB_CHECK_PATH", "job-check/").strip("/") + "/"
LIFELINE_INTAKE_TITLE = env_str("LIFELINE_INTAKE_TITLE", "")
LIFELINE_INTAKE_EXIT_URL = env_str("LIFELINE_INTAKE_EXIT_URL", "https://www.google.com/")
# Receipt codes end with this two-letter country, like a registered-mail tracking number.
LIFELINE_INTAKE_CODE_COUNTRY = env_str("LIFELINE_INTAKE_CODE_COUNTRY", "TH")
# How long a form may stay open before it must be reloaded (seconds).
LIFELINE_INTAKE_TOKEN_MAX_AGE = env_int("LIFELINE_INTAKE_TOKEN_MAX_AGE", 12 * 3600)
LIFELINE_INTAKE_MAX_PHOTO_BYTES = env_int("LIFELINE_INTAKE_MAX_PHOTO_MB", 8) * 1024 * 1024
# Submissions (SOS and check-ins) accepted per address and overall, per window of seconds.
LIFELINE_INTAKE_RATE_PER_ADDRESS = env_int("LIFELINE_INTAKE_RATE_PER_ADDRESS", 10)
LIFELINE_INTAKE_RATE_OVERALL = env_int("LIFELINE_INTAKE_RATE_OVERALL", 600)
LIFELINE_INTAKE_RATE_WINDOW = env_int("LIFELINE_INTAKE_RATE_WINDOW", 600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LIFELINE_LOG_LEVEL", "WARNING")},
}
