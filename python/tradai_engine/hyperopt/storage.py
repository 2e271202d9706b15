"""Study storage: a journal file per study (default, ``.tradai/studies/<study>.log``) or a
database URL (PostgreSQL) that many workers on many machines share, or a SQLite file
(``sqlite:///ABS/PATH``) that processes on one machine share.

Trials that were RUNNING when their worker died are failed, never left hanging: in a journal
file (one run owns it at a time; tradai holds a lock beside it) every RUNNING trial of another
run is an orphan; in a database, workers record heartbeats and Optuna fails the stale ones.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..protocol import BridgeError

HEARTBEAT_SECONDS = 5
GRACE_SECONDS = 20
_URL_SCHEMES = ("postgresql", "postgresql+psycopg2", "postgres")
SQLITE_PREFIX = "sqlite:///"
# A SQLite writer holds the file's lock briefly; a process that finds it held waits this long, not 5 s.
SQLITE_BUSY_SECONDS = 60
STUDY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")


def redact(url: str | None) -> str | None:
    """The URL without its password: it is shown in output and stored nowhere else."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def check_study_name(name: str) -> str:
    if not isinstance(name, str) or not STUDY_NAME.match(name):
        raise BridgeError("USAGE", f"study name {name!r} is not valid: use letters, digits, '.', '_' and '-'",
                          details={"study": name})
    return name


def open_storage(request: dict, stale_callback=None):
    """The Optuna storage the request names: ``storage`` (a database URL) or ``journalFile``.
    ``stale_callback``: what a database storage does with a trial it fails as stale (a sweep queues it again)."""
    import optuna

    url = request.get("storage")
    if url and url.startswith(SQLITE_PREFIX):
        return _sqlite_storage(url, stale_callback)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in _URL_SCHEMES or not parts.hostname or not parts.path.strip("/"):
            raise BridgeError("USAGE", f"storage URL {redact(url)!r} is not a PostgreSQL URL",
                              hint="use postgresql://USER:PASSWORD@HOST:PORT/DATABASE (or sqlite:///ABS/PATH on one machine)",
                              details={"storage": redact(url)})
        # SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3; the engine ships psycopg2.
        shown = redact(url)
        url = "postgresql+psycopg2" + url[len(parts.scheme):]
        try:
            return optuna.storages.RDBStorage(
                url,
                engine_kwargs={"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}},
                heartbeat_interval=HEARTBEAT_SECONDS,
                grace_period=GRACE_SECONDS,
                heartbeat_stale_trial_callback=stale_callback,
            )
        except ImportError as exc:
            raise BridgeError("ENGINE", f"the engine cannot talk to PostgreSQL: {exc}",
                              hint="reinstall the engine with `tradai engine setup`") from exc
        except Exception as exc:  # noqa: BLE001 - sqlalchemy/psycopg2 errors: the server is not there
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise BridgeError("NETWORK", f"cannot reach the study storage {shown}: {reason}",
                              hint="check that the PostgreSQL server runs and the URL (host, port, database, user) is right",
                              details={"storage": shown}) from exc
    journal = request.get("journalFile")
    if not journal:
        raise BridgeError("USAGE", "hyperopt request names neither 'storage' nor 'journalFile'")
    Path(journal).parent.mkdir(parents=True, exist_ok=True)
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    return JournalStorage(JournalFileBackend(str(journal)))


def _sqlite_storage(url: str, stale_callback):
    """A SQLite file as an RDB storage (heartbeats and stale trials as in PostgreSQL), for processes
    on one machine; its folder is made, the file is created by Optuna on first use."""
    import optuna

    file = Path(url[len(SQLITE_PREFIX):])
    if not file.is_absolute() or not file.name:
        raise BridgeError("USAGE", f"storage URL {url!r} does not name an absolute SQLite file",
                          hint="use sqlite:////abs/path/studies.db (three slashes, then the absolute path)",
                          details={"storage": url})
    file.parent.mkdir(parents=True, exist_ok=True)
    return optuna.storages.RDBStorage(
        url,
        engine_kwargs={"connect_args": {"timeout": SQLITE_BUSY_SECONDS}},
        heartbeat_interval=HEARTBEAT_SECONDS,
        grace_period=GRACE_SECONDS,
        heartbeat_stale_trial_callback=stale_callback,
    )


def fail_orphans(study, run_id: str, database: bool, on_failed=None) -> list[int]:
    """Fail the trials a dead worker left RUNNING; returns their numbers. In a database Optuna fails
    the stale ones (heartbeats; its failed-trial callback sees them); a journal study has one run at
    a time (tradai's lock beside it), so every RUNNING trial of another run is an orphan, and
    ``on_failed(trial)`` is called for each one failed here (the sweep queues its point again)."""
    import optuna
    from optuna.exceptions import UpdateFinishedTrialError
    from optuna.trial import TrialState

    if database:
        before = {t.number for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))}
        optuna.storages.fail_stale_trials(study)
        after = {t.number for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))}
        return sorted(before - after)
    failed = []
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if trial.user_attrs.get("tradai_run") != run_id:
            try:
                study._storage.set_trial_state_values(trial._trial_id, TrialState.FAIL)
            except UpdateFinishedTrialError:
                continue  # it finished between the listing and now: not an orphan
            if on_failed:
                on_failed(study._storage.get_trial(trial._trial_id))
            failed.append(trial.number)
    return failed


def study_summary(study) -> dict[str, Any]:
    """Name, engine, trial counts, best loss and last update of one study (list / show)."""
    from optuna.trial import TrialState

    trials = study.get_trials(deepcopy=False)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    attrs = study.user_attrs.get("tradai", {})
    losses = [t.user_attrs.get("loss", t.values[0] if t.values else None) for t in complete]
    losses = [v for v in losses if v is not None and attrs.get("engine") != "sweep"]  # a sweep's values are profits, not losses
    moments = [m for t in trials for m in (t.datetime_complete, t.datetime_start) if m]
    return {
        "study": study.study_name,
        "engine": attrs.get("engine", "optuna"),
        "strategy": attrs.get("strategy"),
        "spaces": attrs.get("spaces"),
        "loss": attrs.get("loss"),
        "objectives": attrs.get("objectives"),
        "directions": [d.name.lower() for d in study.directions],
        "trials": len(trials),
        "completedTrials": len(complete),
        "failedTrials": sum(1 for t in trials if t.state == TrialState.FAIL),
        "runningTrials": sum(1 for t in trials if t.state == TrialState.RUNNING),
        "bestLoss": min(losses) if losses else None,
        "lastUpdate": max(moments).astimezone().isoformat() if moments else None,
    }
