"""A Mermaid picture of the case's stage machine, drawn from the model's
transitions so that docs/state-machine.md never drifts from the code."""

from collections import defaultdict

from .models import ACTIVE_STAGES, CLOSED_STAGES, Case, Stage

ANY_OPEN = "any_open"

HEADER = """# The case's stage machine (forløbets faser)

Generated from `applicants.models.Case` by `python manage.py state_machine_diagram`;
do not edit by hand (a test compares this file with the generated output).

Every transition runs through `applicants.services.transition_case`: permission,
conditions (including exit conditions other apps register in
`applicants.conditions`), one transaction, a `CaseTransition` history row, an audit
row and the letters the step calls for. *Enhver aktiv fase* stands for every
stage except the closed ones and `paused`; `resume` returns to the stage the case
was paused from.
"""


def mermaid() -> str:
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in Case(stage=Stage.INQUIRY).get_all_stage_transitions():
        target = t.target if isinstance(t.target, str) else ANY_OPEN
        sources[(t.name, str(target))].add(str(t.source))
    active = {str(s) for s in ACTIVE_STAGES}
    lines = ["stateDiagram-v2"]
    for stage in Stage:
        lines.append(f'    state "{stage.label}" as {stage.value}')
    lines.append(f'    state "Enhver aktiv fase" as {ANY_OPEN}')
    lines.append("    [*] --> inquiry")
    edges = []
    for (name, target), srcs in sources.items():
        if active <= srcs:
            edges.append((ANY_OPEN, target, name))
            srcs = srcs - active
        edges += [(src, target, name) for src in srcs]
    order = {s.value: i for i, s in enumerate(Stage)} | {ANY_OPEN: len(Stage)}
    for src, target, name in sorted(edges, key=lambda e: (order[e[0]], order[e[1]], e[2])):
        lines.append(f"    {src} --> {target} : {name}")
    for stage in CLOSED_STAGES:
        lines.append(f"    {stage.value} --> [*]")
    return "\n".join(lines) + "\n"


def markdown() -> str:
    rows = "\n".join(f"| `{s.value}` | {s.label} |" for s in Stage)
    return f"{HEADER}\n```mermaid\n{mermaid()}```\n\n| stage id | Danish |\n|---|---|\n{rows}\n"
