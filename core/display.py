"""Choice labels (get_FOO_display) without rebuilding the field's choices on every call."""

import functools

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


class QuickDisplay:
    """A model mixin: Django's get_FOO_display builds a dict of every choice of the field on each call (14 µs for
    a contact's type), and a contact log's rows call it about eighty times a page. A field's choices are fixed
    when its model is defined, so the dict is built once per field. Labels stay lazy: each call translates."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
