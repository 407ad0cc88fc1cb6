"""The question texts in force: the definitions' defaults with the
municipality's revisions (QuestionText) on top."""

from dataclasses import dataclass

from .definitions import FormDefinition
from .models import QuestionText


@dataclass(frozen=True)
class Wording:
    label: str
    help: str


def wordings(definition: FormDefinition) -> dict[str, Wording]:
    """key -> the label and help text shown now (the request's municipality)."""
    revised = {
        row.key: row
        for row in QuestionText.objects.filter(form_kind=definition.kind).only(
            "key", "label", "help_text"
        )
    }
    result = {}
    for q in definition.questions():
        row = revised.get(q.key)
        result[q.key] = (
            Wording(row.label, row.help_text) if row else Wording(str(q.label), str(q.help))
        )
    return result


def snapshot(definition: FormDefinition) -> list[dict]:
    """The steps and questions as the citizen sees them now, for a version."""
    words = wordings(definition)
    return [
        {
            "key": step.key,
            "title": str(step.title),
            "questions": [
                {
                    "key": q.key,
                    "kind": q.kind,
                    "label": words[q.key].label,
                    "help": words[q.key].help,
                }
                for q in step.questions
            ],
        }
        for step in definition.steps
    ]
