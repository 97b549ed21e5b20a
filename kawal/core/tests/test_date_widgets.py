"""Every date picker shows the stored date: a browser's `<input type=date>` takes ISO dates only,
and a widget that renders the Indonesian format (14/03/2026) shows an empty field, so that saving
the form wipes the date."""

import datetime
import importlib
from pathlib import Path

from django import forms

KAWAL = Path(__file__).resolve().parents[2]


def _form_classes():
    for path in sorted(KAWAL.glob("*/forms.py")):
        module = importlib.import_module(f"kawal.{path.parent.name}.forms")
        for value in vars(module).values():
            own = isinstance(value, type) and value.__module__ == module.__name__
            if own and issubclass(value, forms.BaseForm):
                yield value


def test_every_date_picker_renders_the_stored_date_as_iso():
    day = datetime.date(2026, 3, 14)
    checked, wrong = 0, []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            widget = field.widget
            if getattr(widget, "input_type", "") != "date":
                continue
            checked += 1
            if widget.format_value(day) != "2026-03-14":
                wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert checked > 10
    assert not wrong, wrong
