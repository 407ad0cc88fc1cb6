"""The access log by construction (SPEC §13; Datatilsynet's guidance on
logging): every page that shows a citizen's personal data leaves a row
naming that citizen — who, when, whose, what.

A call in each view is easy to forget on the next page. Instead, the models
that reveal a citizen (the citizen, a letter's recipient block) inherit
:class:`RevealsCitizen`: every instance loaded from the database while a
request is served is noted, and :class:`AccessLogMiddleware` writes one row
per citizen when the response succeeds (for a streamed export: when the last
row has been sent). A CPR search thus logs the citizens it found, never the
number typed. A view may say more precisely what it showed with
:func:`mikrolaan.audit.log_access`; a citizen reading their own data leaves
no row.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db import models

_collector: ContextVar = ContextVar("mikrolaan_access_collector", default=None)

# URL name → what the page shows, in Danish (apps register their pages).
PAGE_LABELS: dict[str, object] = {}


def register_page_labels(labels: dict) -> None:
    """Apps name what their pages show, for the access log's "what"."""
    PAGE_LABELS.update(labels)


class AccessCollector:
    """The citizens whose data one request has read."""

    def __init__(self, request):
        self.request = request
        # (citizen model, pk) -> {"municipality_id", "repr", "what"}
        self.subjects: dict[tuple, dict] = {}
        # (citizen model, pk) -> the citizen's login user id, where loaded
        self.owners: dict[tuple, int | None] = {}

    def note(self, model, pk, *, municipality_id=None, label="", what=None, owner=...):
        if pk is None:
            return
        if owner is not ...:
            self.owners[(model, pk)] = owner
        entry = self.subjects.setdefault(
            (model, pk), {"municipality_id": municipality_id, "repr": label, "what": None}
        )
        if municipality_id and not entry["municipality_id"]:
            entry["municipality_id"] = municipality_id
        if label and not entry["repr"]:
            entry["repr"] = label
        if what:
            entry["what"] = str(what)

    def default_what(self) -> str:
        match = getattr(self.request, "resolver_match", None)
        name = match.view_name if match else ""
        label = PAGE_LABELS.get(name)
        return str(label) if label else (name or self.request.path)[:300]

    def flush(self) -> int:
        """Write one row per citizen read; nothing for a citizen's own data."""
        if not self.subjects:
            return 0
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from .audit import _actor_fields
        from .models import AccessLogEntry
        from .roles import Role, has_role
        from .tenancy import current_municipality_id

        user = self.request.user
        subjects = self.subjects
        if has_role(user, Role.CITIZEN):
            own = {k for k, owner in self.owners.items() if owner == user.pk}
            unknown = [k for k in subjects if k not in self.owners]
            for model in {m for m, _pk in unknown}:
                own |= {
                    (model, pk)
                    for pk in model._base_manager.filter(user_id=user.pk).values_list(
                        "pk", flat=True
                    )
                }
            subjects = {k: v for k, v in subjects.items() if k not in own}
        if not subjects:
            return 0
        actor = _actor_fields(user)
        actor_id = actor["actor"].pk if actor["actor"] is not None else None
        path = self.request.get_full_path()[:500]
        default_what = self.default_what()
        fallback_municipality = current_municipality_id()
        now = timezone.now()
        rows = [
            (
                now,
                actor_id,
                actor["actor_label"],
                entry["municipality_id"] or fallback_municipality,
                ContentType.objects.get_for_model(model).pk,
                str(pk),
                entry["repr"][:300],
                (entry["what"] or default_what)[:300],
                path,
            )
            for (model, pk), entry in subjects.items()
        ]
        _insert_without_waiting_for_disk(AccessLogEntry, rows)
        self.subjects = {}
        return len(rows)


ROW_COLUMNS = (
    "created_at",
    "actor_id",
    "actor_label",
    "municipality_id",
    "subject_type_id",
    "subject_id",
    "subject_repr",
    "what",
    "path",
)


def _insert_without_waiting_for_disk(model, rows) -> None:
    """Insert the rows (tuples in ROW_COLUMNS order) in one statement.

    On PostgreSQL the insert sets ``synchronous_commit`` off for its own
    transaction (``set_config(…, true)`` in the statement itself: one round
    trip, and one statement, as a prepared statement must be), so the
    server does not wait for its write-ahead log to reach the disk: a page
    that only reads would otherwise wait for a disk flush on every
    request. The price is that a database crash may lose the last
    fraction of a second of access-log rows — never a corrupt table, and
    never any other data. The rows go as one array per column
    (``unnest``): the statement's text is the same for every page and every
    number of rows, so the driver parses it once per process instead of
    once per request (50 rows × 9 placeholders cost more to parse than to
    insert). Plain SQL: building a model instance per row cost more than
    the insert itself. Elsewhere (SQLite): a thousand rows per INSERT."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ROW_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = [list(column) for column in zip(*rows, strict=True)]
            shared = [arrays[i][0] for i in _SHARED]
            if all(
                all(v == first for v in arrays[i]) for i, first in zip(_SHARED, shared, strict=True)
            ):
                # The time, the actor and the path are the same for every row
                # of a page: sent once, not as arrays (dumping 50 timestamps
                # cost more than inserting them).
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) {_SHARED_SELECT}",
                    [*shared, *(arrays[i] for i in _VARYING)],
                )
            else:
                cursor.execute(f"INSERT INTO {table} ({columns}) {_UNNEST_SELECT}", arrays)
            return
        one = "(" + ", ".join(["%s"] * len(ROW_COLUMNS)) + ")"
        for start in range(0, len(rows), 1000):
            batch = rows[start : start + 1000]
            values = ", ".join([one] * len(batch))
            # Only quoted identifiers and placeholders are put into the text.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608
                [value for row in batch for value in row],
            )


# One array per column of ROW_COLUMNS, in its order, with its type.
_UNNEST_SELECT = (
    "SELECT u.* FROM unnest(%s::timestamptz[], %s::integer[], %s::text[], %s::bigint[], "
    "%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[]) AS u, "
    "(SELECT set_config('synchronous_commit', 'off', true)) AS no_wait"
)


# Positions in ROW_COLUMNS of what is the same for every row of one page
# (created_at, actor_id, actor_label, path) and of what varies.
_SHARED = (0, 1, 2, 8)
_VARYING = (3, 4, 5, 6, 7)
_SHARED_SELECT = (
    "SELECT %s::timestamptz, %s::integer, %s::text, u.*, %s::text FROM "
    "unnest(%s::bigint[], %s::integer[], %s::text[], %s::text[], %s::text[]) AS u, "
    "(SELECT set_config('synchronous_commit', 'off', true)) AS no_wait"
)


def insert_queries() -> int:
    """How many queries a page's access-log rows cost (one statement, up to
    a thousand rows), for query-count tests."""
    return 1


def current_collector() -> AccessCollector | None:
    return _collector.get()


class RevealsCitizen(models.Model):
    """A model whose rows show a citizen's personal data.

    ``access_subject`` names the foreign key to the citizen ("" when the row
    is the citizen itself); ``access_fields`` are the columns that count as
    showing personal data (an instance loaded without them is not logged);
    ``access_label`` returns the citizen's name from what was loaded, without
    touching the database."""

    access_subject: str = ""
    access_fields: frozenset = frozenset()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        collector = _collector.get()
        if collector is not None and cls.access_fields.intersection(field_names):
            instance._note_access(collector)
        return instance

    def access_label(self) -> str:
        return ""

    def _note_access(self, collector: AccessCollector, what=None) -> None:
        loaded = self.__dict__
        if self.access_subject:
            model = self._meta.get_field(self.access_subject).related_model
            pk = loaded.get(f"{self.access_subject}_id")
        else:
            model, pk = type(self), loaded.get("id")
        owner = ...
        if not self.access_subject and "user_id" in loaded:
            owner = loaded["user_id"]
        collector.note(
            model,
            pk,
            municipality_id=loaded.get("municipality_id"),
            label=self.access_label(),
            what=what,
            owner=owner,
        )


class AccessLogMiddleware:
    """Collect the citizens a request reads; write their rows when it succeeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        collector = AccessCollector(request)
        token = _collector.set(collector)
        try:
            response = self.get_response(request)
        finally:
            _collector.reset(token)
        if response.status_code >= 400:
            return response
        if getattr(response, "streaming", False):
            from .tenancy import streaming_with

            response.streaming_content = streaming_with(
                _collector,
                collector,
                response.streaming_content,
                reset_to=None,
                after=collector.flush,
            )
        else:
            collector.flush()
        return response
