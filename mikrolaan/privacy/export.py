"""The GDPR export of one citizen (art. 15 and 20): every registered kind of
personal data, the audit rows about it and the access log, as a ZIP with a
readable index (``index.html``, Danish), the same data as JSON
(``data.json``) and the files themselves (letter PDFs).

The data is read in the view; the ZIP is written as it streams, so a
citizen with many letters does not fill the server's memory."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mikrolaan.models import AccessLogEntry, AuditEvent

from . import registry

FORMAT = "mikrolaan-gdpr-export"
FORMAT_VERSION = 1


@dataclass
class Column:
    name: str
    label: str
    field: models.Field


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""  # a file in the ZIP


@dataclass
class Section:
    key: str
    title: str
    model_label: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)  # JSON values
    cells: list[list[Cell]] = field(default_factory=list)  # what the index shows
    files: list[tuple[str, object]] = field(default_factory=list)  # (name in ZIP, file)
    pks: list = field(default_factory=list)


def _columns(model, fields=(), exclude=()) -> list[Column]:
    if fields:
        chosen = [model._meta.get_field(name) for name in fields]
    else:
        chosen = [
            f
            for f in model._meta.get_fields()
            if (f.concrete or f.many_to_many) and not f.auto_created and f.name not in exclude
        ]
        pk = model._meta.pk
        chosen = [pk, *[f for f in chosen if f is not pk]]
    return [Column(f.name, capfirst(str(f.verbose_name)), f) for f in chosen]


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _display(obj, column: Column, file_names: dict) -> str:
    f = column.field
    if f.many_to_many:
        return ", ".join(
            _person(o) if isinstance(o, get_user_model()) else str(o)
            for o in getattr(obj, f.name).all()
        )
    if f.is_relation:
        related = getattr(obj, f.name)
        if related is None:
            return "–"
        return _person(related) if isinstance(related, get_user_model()) else str(related)
    value = getattr(obj, f.attname)
    if isinstance(f, models.FileField):
        return file_names.get(value.name, "") if value else "–"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(f, models.DateTimeField):
        return date_format(timezone.localtime(value), "j. F Y H:i")
    if isinstance(f, models.DateField):
        return date_format(value, "j. F Y")
    if isinstance(f, models.JSONField):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(value)


def _cell(obj, column: Column, file_names: dict) -> Cell:
    text = _display(obj, column, file_names)
    is_file = isinstance(column.field, models.FileField) and text in file_names.values()
    return Cell(text, href=text if is_file else "")


def _json_value(obj, column: Column, file_names: dict):
    f = column.field
    if f.many_to_many:
        return [o.pk for o in getattr(obj, f.name).all()]
    value = getattr(obj, f.attname)
    if isinstance(f, models.FileField):
        return file_names.get(value.name, "") if value else ""
    return value


def _section(key, title, qs, columns, files=None) -> Section:
    relations = [c.name for c in columns if c.field.is_relation and not c.field.many_to_many]
    many = [c.name for c in columns if c.field.many_to_many]
    qs = qs.select_related(*relations).prefetch_related(*many).order_by("pk")
    model = qs.model
    section = Section(key, str(title), model._meta.label_lower, columns)
    for obj in qs:
        file_names = {}
        for name, fieldfile in files(obj) if files else ():
            file_names[fieldfile.name] = name
            section.files.append((name, fieldfile))
        section.pks.append(obj.pk)
        section.rows.append({c.name: _json_value(obj, c, file_names) for c in columns})
        section.cells.append([_cell(obj, c, file_names) for c in columns])
    return section


@dataclass
class Export:
    subject: models.Model
    sections: list[Section]
    generated_at: object
    generated_by: str

    @property
    def files(self) -> list[tuple[str, object]]:
        return [f for s in self.sections for f in s.files]

    def counts(self) -> dict[str, int]:
        return {s.key: len(s.rows) for s in self.sections}

    def as_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "generated_at": self.generated_at,
            "generated_by": self.generated_by,
            "subject": {"model": self.subject._meta.label_lower, "id": self.subject.pk},
            "sections": [
                {"key": s.key, "title": s.title, "model": s.model_label, "rows": s.rows}
                for s in self.sections
            ],
        }
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()

    def index_html(self) -> bytes:
        with translation.override("da"):
            html = render_to_string("privacy/export_index.html", {"export": self})
        return html.encode()


def collect(subject_obj, *, actor) -> Export:
    """Everything the registry knows about one citizen."""
    sections = []
    touched: list[tuple[type[models.Model], list]] = []
    user_ids: list = []
    for source in registry.personal_data():
        qs = source.model._default_manager.filter(**{source.subject_path: subject_obj.pk})
        columns = _columns(source.model, source.fields, source.exclude)
        section = _section(source.key, source.title, qs, columns, source.files)
        touched.append((source.model, section.pks))
        if source.model is get_user_model():
            user_ids.extend(section.pks)
        sections.append(section)
    sections.append(_audit_section(touched, user_ids))
    sections.append(_access_section(subject_obj))
    return Export(
        subject=subject_obj,
        sections=sections,
        generated_at=timezone.localtime(),
        generated_by=_person(actor),
    )


def _audit_section(touched, user_ids) -> Section:
    q = Q(actor_id__in=user_ids) if user_ids else Q()
    for model, pks in touched:
        if pks:
            ct = ContentType.objects.get_for_model(model)
            q |= Q(content_type=ct, object_id__in=[str(pk) for pk in pks])
    qs = AuditEvent.objects.filter(q) if q else AuditEvent.objects.none()
    columns = _columns(
        AuditEvent,
        (
            "created_at",
            "actor_label",
            "action",
            "object_repr",
            "from_state",
            "to_state",
            "reason",
            "data",
        ),
    )
    return _section("audit", _("Revisionsspor om borgerens data"), qs, columns)


def _access_section(subject_obj) -> Section:
    qs = AccessLogEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject_obj), subject_id=str(subject_obj.pk)
    )
    columns = _columns(AccessLogEntry, ("created_at", "actor_label", "what", "path"))
    return _section("access_log", _("Opslag i borgerens data (adgangslog)"), qs, columns)


class _Sink(io.RawIOBase):
    """A write-only stream that hands over what was written since last asked."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def writable(self):
        return True

    def write(self, b):
        self._chunks.append(bytes(b))
        return len(b)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(export: Export, chunk_size: int = 64 * 1024):
    """Yield the ZIP's bytes: the index and JSON first, then each file."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", export.index_html())
        archive.writestr("data.json", export.as_json())
        yield sink.take()
        for name, fieldfile in export.files:
            with fieldfile.open("rb") as src, archive.open(name, "w") as dst:
                while chunk := src.read(chunk_size):
                    dst.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
