"""Sections other apps add to the case page (screenings, later courses and
loans), so that ``applicants`` never imports them.

An app registers, in its ``AppConfig.ready()``::

    from applicants.case_sections import register_case_section

    register_case_section("screening/includes/case_screenings.html", screenings_section)

The provider is ``(request, case) -> dict`` (the include's context) and must
run a fixed number of queries, whatever the case holds: the case page's
query count is pinned by a test.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseSection:
    template: str
    provider: Callable
    order: int


_SECTIONS: dict[str, CaseSection] = {}


def register_case_section(template: str, provider: Callable, *, order: int = 50) -> None:
    _SECTIONS[template] = CaseSection(template=template, provider=provider, order=order)


def case_sections(request, case) -> list[dict]:
    """The registered sections, each as ``{"template": …, "context": …}``."""
    return [
        {"template": s.template, "context": s.provider(request, case)}
        for s in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.template))
    ]
