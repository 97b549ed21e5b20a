"""Audit rows as sentences a user can read: the one renderer behind every "Riwayat" and the audit
list.

Audit rows store what changed in storage terms (`{"status": ["draft", "submitted"]}`, foreign keys
as ids, dates as ISO text). Here each row becomes an Indonesian sentence ("Penilaian diajukan"),
each field its label, each value what the user knows it by: names instead of ids, labels instead
of codes, formatted dates, lists as lists, files by their name. Personal data was masked when the
row was written and stays masked.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core import formats

# The verb of an action `<entity>_<verb>`, as a passive Indonesian predicate.
VERBS = {
    "create": gettext_lazy("created"),
    "add": gettext_lazy("added"),
    "update": gettext_lazy("changed"),
    "save": gettext_lazy("saved"),
    "set": gettext_lazy("set"),
    "status": gettext_lazy("status changed"),
    "import": gettext_lazy("imported"),
    "record": gettext_lazy("recorded"),
    "submit": gettext_lazy("submitted"),
    "verify": gettext_lazy("verified"),
    "accept": gettext_lazy("accepted"),
    "reject": gettext_lazy("rejected"),
    "correct": gettext_lazy("corrected"),
    "upload": gettext_lazy("uploaded"),
    "serve": gettext_lazy("served"),
    "publish": gettext_lazy("published"),
    "schedule": gettext_lazy("scheduled"),
    "cancel": gettext_lazy("cancelled"),
    "amend": gettext_lazy("amended"),
    "respond": gettext_lazy("answered"),
    "remove": gettext_lazy("removed"),
    "delete": gettext_lazy("deleted"),
    "end": gettext_lazy("ended"),
    "close": gettext_lazy("closed"),
    "reopen": gettext_lazy("re-opened"),
}

# Keys that services write beside the model's own fields.
KEY_LABELS = {
    "agency": gettext_lazy("agency"),
    "decision": gettext_lazy("decision"),
    "ended_on": gettext_lazy("ended on"),
    "invitee": gettext_lazy("invitee"),
    "joint_villages": gettext_lazy("villages of the joint cooperative"),
    "member": gettext_lazy("member"),
    "mentor": gettext_lazy("mentor"),
    "photo": gettext_lazy("photo"),
    "region": gettext_lazy("region"),
    "role": gettext_lazy("role"),
    "score": gettext_lazy("score"),
    "started_on": gettext_lazy("started on"),
    "status": gettext_lazy("status"),
    "version": gettext_lazy("version"),
}

EMPTY = "—"


@dataclass
class Change:
    label: str
    old: str | list[str]
    new: str | list[str]

    @property
    def is_list(self) -> bool:
        return isinstance(self.old, list) or isinstance(self.new, list)


@dataclass
class Entry:
    event: object
    sentence: str
    actor: str
    changes: list[Change] = field(default_factory=list)


def readable(events) -> list[Entry]:
    """The events as entries; foreign keys are named with one query per related model."""
    events = list(events)
    names = _related_names(events)
    return [_entry(event, names) for event in events]


def _model(event):
    # get_for_id answers from ContentType's own cache: no query per row.
    if not event.content_type_id:
        return None
    return ContentType.objects.get_for_id(event.content_type_id).model_class()


def _entry(event, names) -> Entry:
    model = _model(event)
    entity, _sep, verb = event.action.rpartition("_")
    subject = capfirst(model._meta.verbose_name) if model else _("Record")
    predicate = VERBS.get(verb) or VERBS.get(event.action) or VERBS["update"]
    actor = event.actor.get_full_name() or event.actor.username if event.actor else _("system")
    changes = [
        _change(model, key, pair, names) for key, pair in sorted((event.changes or {}).items())
    ]
    return Entry(event=event, sentence=f"{subject} {predicate}", actor=actor, changes=changes)


def _field(model, key):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except Exception:  # noqa: BLE001 - any non-field key (FieldDoesNotExist, related names)
        return None


def _is_key(found) -> bool:
    """A foreign key or one-to-one field stored on this model (its value is the other's key)."""
    return found.is_relation and found.concrete and (found.many_to_one or found.one_to_one)


def _label(model, key) -> str:
    found = _field(model, key)
    if found is not None and hasattr(found, "verbose_name"):
        return capfirst(found.verbose_name)
    head, _sep, tail = key.partition(" ")
    if head in KEY_LABELS:
        return capfirst(f"{KEY_LABELS[head]} {tail}".strip())
    return capfirst(key.replace("_", " "))


def _change(model, key, pair, names) -> Change:
    old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
    found = _field(model, key)
    app_choices = _app_choices(model)
    return Change(
        label=_label(model, key),
        old=_display(found, old, names, app_choices),
        new=_display(found, new, names, app_choices),
    )


def _display(found, value, names, app_choices):
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, list):
        return [_plain(item, app_choices) for item in value] or EMPTY
    if found is not None:
        if _is_key(found):
            return names.get((found.related_model, str(value)), str(value))
        if getattr(found, "choices", None):
            return str(dict(found.flatchoices).get(value, value))
        if isinstance(found, models.BooleanField):
            return _("yes") if value else _("no")
        if isinstance(found, models.DateTimeField):
            return _datetime(value)
        if isinstance(found, models.DateField):
            return _date(value)
        if isinstance(found, models.FileField):
            return PurePosixPath(str(value)).name
        if isinstance(found, models.IntegerField | models.DecimalField) and _numeric(value):
            return formats.angka(value)
    return _plain(value, app_choices)


def _plain(value, app_choices) -> str:
    """A value without a field to tell its type: a list item, an extra key's value."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        parts = [_plain(v, app_choices) for v in value.values() if v not in (None, "")]
        return " · ".join(parts) or EMPTY
    if isinstance(value, list):
        return ", ".join(_plain(v, app_choices) for v in value) or EMPTY
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _date(text)
    return str(app_choices.get(text, text))


def _numeric(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _date(value) -> str:
    try:
        return formats.tanggal(datetime.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def _datetime(value) -> str:
    try:
        return formats.tanggal_waktu(datetime.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


_choices_cache: dict[str, dict] = {}


def _app_choices(model) -> dict:
    """Every choice value of the model's app → its label, for codes written under extra keys
    (e.g. an attendance `tidak_hadir` recorded on the meeting)."""
    if model is None:
        return {}
    label = model._meta.app_label
    if label not in _choices_cache:
        found = {}
        for each in apps.get_app_config(label).get_models():
            for f in each._meta.concrete_fields:
                for value, text in f.flatchoices or ():
                    found.setdefault(str(value), text)
        _choices_cache[label] = found
    return _choices_cache[label]


def _related_names(events) -> dict:
    """{(model, pk as text): name} for every foreign key value in the events' changes."""
    wanted = defaultdict(set)
    for event in events:
        model = _model(event)
        for key, pair in (event.changes or {}).items():
            found = _field(model, key)
            if found is None or not _is_key(found):
                continue
            for value in pair if isinstance(pair, list | tuple) else [pair]:
                if value not in (None, ""):
                    wanted[found.related_model].add(str(value))
    names = {}
    for related, keys in wanted.items():
        pk = related._meta.pk
        try:
            ids = [pk.to_python(k) for k in keys]
        except Exception:  # noqa: BLE001 - a value that is not a key (e.g. a username) stays as is
            continue
        heavy = [f.name for f in related._meta.concrete_fields if isinstance(f, models.JSONField)]
        for obj in related._base_manager.filter(pk__in=ids).defer(*heavy):
            names[(related, str(obj.pk))] = str(obj)
    return names
