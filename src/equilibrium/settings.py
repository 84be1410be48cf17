"""Every setting of Equilibrium, declared once.

Each setting has a name, a default, an environment variable (``EQUILIBRIUM_*``) and a help text.
:func:`get_settings` resolves them at call time (no side effects at import).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
"""Directory of the installed ``equilibrium`` package."""


@dataclass(frozen=True)
class Setting:
    """Declaration of one setting: ``name``, ``env`` variable, ``default`` (string) and ``help``."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "EQUILIBRIUM_HOME", str(Path.home() / ".equilibrium"),
            "Working directory for the store and outputs."),
    Setting("cache_dir", "EQUILIBRIUM_CACHE_DIR",
            str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "equilibrium"),
            "Disk cache of derived data (parsed data files, decoded boundaries); safe to delete, rebuilt on use."),
    Setting("data_dir", "EQUILIBRIUM_DATA_DIR", "",
            "Folder with third-party data sets the product cannot redistribute (GSDB, TIES, SIPRI, OFAC...)."),
    Setting("database_url", "EQUILIBRIUM_DATABASE_URL", "",
            "SQLAlchemy URL of the store; empty means SQLite at $EQUILIBRIUM_HOME/equilibrium.db."),
    Setting("atlas_dir", "EQUILIBRIUM_ATLAS_DIR", str(PACKAGE_DIR / "data" / "atlas"),
            "Folder with the Natural Earth / US Census TopoJSON files (world-atlas, us-atlas) copied by make setup."),
    Setting("host", "EQUILIBRIUM_HOST", "127.0.0.1", "Host the web workbench binds to."),
    Setting("port", "EQUILIBRIUM_PORT", "8000", "Port the web workbench listens on."),
    Setting("load_wait_s", "EQUILIBRIUM_LOAD_WAIT_S", "30",
            "Seconds a list load waits for another load of the same list (or another writer) before giving up."),
    Setting("physics_timeout_s", "EQUILIBRIUM_PHYSICS_TIMEOUT_S", "15",
            "Time budget (s) of one physics request in the web app; the worker is stopped when it ends."),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Paths are absolute; ``port`` is a TCP port number."""

    home: Path
    data_dir: Path | None
    database_url: str
    atlas_dir: Path
    host: str
    port: int
    load_wait_s: float = 30.0
    physics_timeout_s: float = 15.0
    cache_dir: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


def get_settings(env: dict[str, str] | None = None) -> Settings:
    """Resolve every setting from ``env`` (default: ``os.environ``), falling back to the declared defaults."""
    source = os.environ if env is None else env
    raw = {s.name: source.get(s.env, s.default) or s.default for s in SETTINGS}
    home = Path(raw["home"]).expanduser()
    database_url = raw["database_url"] or f"sqlite:///{home / 'equilibrium.db'}"
    return Settings(
        home=home,
        data_dir=Path(raw["data_dir"]).expanduser() if raw["data_dir"] else None,
        database_url=database_url,
        atlas_dir=Path(raw["atlas_dir"]).expanduser(),
        host=raw["host"],
        port=int(raw["port"]),
        load_wait_s=_positive(raw, "load_wait_s"),
        physics_timeout_s=_positive(raw, "physics_timeout_s"),
        cache_dir=Path(raw["cache_dir"]).expanduser(),
    )


def _positive(raw: dict[str, str], key: str) -> float:
    """A positive number of seconds from setting ``key``; a clear error naming the variable otherwise."""
    from equilibrium.errors import InvalidInput

    env = next(s.env for s in SETTINGS if s.name == key)
    try:
        v = float(raw[key])
    except ValueError:
        raise InvalidInput(f"{env}={raw[key]!r} is not a number of seconds") from None
    if not (0 < v < 86400):
        raise InvalidInput(f"{env}={raw[key]!r} must be between 0 and 86400 s")
    return v
