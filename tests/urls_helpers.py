"""Walk the URLconf so access tests cover every page, including ones added later."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "casework:order_edit"
    route: str  # e.g. "cases/<str:crn>/orders/<int:order_id>/edit/"

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.route)]

    def url(self, values: dict) -> str:
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KeyError(f"{self.name} needs {missing}: add them to the test's URL kwargs")
        return "/" + PARAM.sub(lambda m: str(values[m.group("name")]), self.route)


def all_routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            routes += all_routes(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            routes.append(Route(name=name, route=prefix + str(pattern.pattern)))
    return routes


def case_routes() -> list[Route]:
    """Every route that shows or changes one case (its URL names the case's CRN)."""
    return [r for r in all_routes() if "crn" in r.params and not r.name.startswith("admin:")]
