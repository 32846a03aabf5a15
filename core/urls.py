"""Links to case pages, for lists that show hundreds of them.

reverse() resolves the pattern again for every link (about 50 microseconds each); a manager's "What's due" has two
links a row. The pattern of each view is reversed once with stand-in values and filled in after, which gives the
same URL as reverse() for the values case pages take: a CRN and record ids, which need no quoting.
"""

import functools
import re

from django.urls import NoReverseMatch, get_script_prefix, reverse

_STAND_IN = "9876543210{}"  # matches both <str:...> and <int:...>, and nothing else in a URL
_PLAIN = re.compile(r"[A-Za-z0-9]+")


def _reverse(view_name, names, positional, values):
    if positional:
        return reverse(view_name, args=values)
    return reverse(view_name, kwargs=dict(zip(names, values, strict=True)))


@functools.cache
def _pattern(view_name: str, names: tuple, positional: bool, prefix: str) -> tuple[str, tuple]:
    """The URL with "{0}", "{1}"... for the values, and which of them take digits only (an <int:...>)."""
    stand_ins = [_STAND_IN.format(index) for index in range(len(names))]
    url = _reverse(view_name, names, positional, stand_ins)
    digits_only = []
    for index, stand_in in enumerate(stand_ins):
        if url.count(stand_in) != 1:
            raise ValueError(f"{view_name}: cannot make a pattern for {names[index]}")
        url = url.replace(stand_in, "{" + str(index) + "}")
        try:
            _reverse(view_name, names, positional, [*stand_ins[:index], "x", *stand_ins[index + 1 :]])
            digits_only.append(False)
        except NoReverseMatch:
            digits_only.append(True)
    return url, tuple(digits_only)


def fast_reverse(view_name: str, args=(), kwargs=None) -> str:
    """reverse(view_name, args=args, kwargs=kwargs) for plain values (letters and digits), from a pattern made
    once per view. Anything else, and values a pattern would refuse, go through reverse() itself."""
    values = [str(value) for value in (kwargs.values() if kwargs else args)]
    if (args and kwargs) or not all(_PLAIN.fullmatch(value) for value in values):
        return reverse(view_name, args=args, kwargs=kwargs)
    names = tuple(kwargs) if kwargs else tuple(range(len(args)))
    url, digits_only = _pattern(view_name, names, not kwargs, get_script_prefix())
    if any(digits and not value.isdigit() for digits, value in zip(digits_only, values, strict=True)):
        return reverse(view_name, args=args, kwargs=kwargs)  # NoReverseMatch, as reverse() would
    return url.format(*values)


def case_url(view_name: str, **kwargs) -> str:
    """The URL of a case page: reverse(view_name, kwargs=kwargs), from a pattern made once."""
    return fast_reverse(view_name, kwargs=kwargs)
