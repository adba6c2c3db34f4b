"""Jobs and their progress."""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from ..web.i18n import N_

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: a running job whose heartbeat stopped (its process died): intranet.jobs.recovery
INTERRUPTED = N_(
    "Onderbroken: het proces dat deze taak uitvoerde, is gestopt. Start de taak opnieuw; wat al "
    "klaar was, blijft klaar."
)
#: a job that waited in the queue for more than a day is not started any more
NOT_STARTED = N_(
    "Niet uitgevoerd: de taak wachtte te lang op haar beurt. Start de taak opnieuw als dat nog "
    "nodig is."
)
STATUS_LABELS = {
    QUEUED: _l("In de wachtrij"),
    RUNNING: _l("Bezig"),
    DONE: _l("Klaar"),
    FAILED: _l("Mislukt"),
}


class Job(db.Model):
    __tablename__ = "job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    function: Mapped[str] = mapped_column(String(200), nullable=False)
    #: the Dutch source text (a message id) with ``%(name)s`` for each of ``title_params``
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    title_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    params: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED, nullable=False)
    done: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    failed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    message: Mapped[str] = mapped_column(Text, default="", nullable=False)
    message_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: last sign of life: the claim, then every JOBS_HEARTBEAT_SECONDS while it runs; for a
    #: queued job, when it was last handed to the queue (see intranet.jobs.recovery)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def title_text(self) -> str:
        """The title in the reader's language (see :func:`translated`)."""
        return translated(self.title, self.title_params)

    @property
    def message_text(self) -> str:
        """The progress message in the reader's language (see :func:`translated`)."""
        return translated(self.message, self.message_params)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def percent(self) -> int:
        return (
            int(100 * self.done / self.total) if self.total else (100 if self.status == DONE else 0)
        )


def translated(text: str, params: dict | None) -> str:
    """``text`` as a message id filled in with ``params``, translated when shown.

    A job runs in the default language, but the employee who watches it may read English:
    so a job stores the source text and its values, not a finished sentence. ``params`` None
    means free text (an error, a row from before), shown as stored.
    """
    if params is None or not text:
        return text
    # A row outlives the code that wrote it: a catalog changed since must not break the page
    # that shows the job (nor its progress poll), so a mismatch falls back to the source text.
    for template in (get_translations().gettext(text), text):
        try:
            return template % params if params else template
        except (KeyError, TypeError, ValueError):
            continue
    return text
