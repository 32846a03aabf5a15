"""{% url %} for the service's own pages from a pattern made once per view (core.urls.fast_reverse).

A template built-in (settings.TEMPLATES "builtins"), so every template's {% url %} is this one: the contact log
and "What's due" show two or three links a row, and the layout around every page eight more. The admin's pages,
whose links depend on the admin site (current_app), are reversed as Django does.
"""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from core.urls import fast_reverse

register = template.Library()

SERVICE_NAMESPACES = ("casework:", "contacts:", "risk:", "allocation:")  # and the site's own pages (no namespace)


class FastURLNode(URLNode):
    def render(self, context):
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or not (view_name.startswith(SERVICE_NAMESPACES) or ":" not in view_name):
            return super().render(context)
        try:
            url = fast_reverse(
                view_name,
                args=[arg.resolve(context) for arg in self.args],
                kwargs={key: value.resolve(context) for key, value in self.kwargs.items()},
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
