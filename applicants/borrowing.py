"""What the pipeline needs to know about a citizen's loan and support, told
by the loans app (applicants never imports it).

The loans app registers, in its ``AppConfig.ready()``::

    register_loan_facts(lambda case: {"has_loan": …})
    register_case_closed_hook(end_running_support)

``loan_facts(case)`` feeds the closing letters ("your loan keeps running");
the closed hooks run inside ``transition_case``'s transaction when a case
is withdrawn or ended by staff, so that what follows the case (the support
grant) ends with it — a loan never does."""

from collections.abc import Callable

_LOAN_FACTS: list[Callable] = []
_CLOSED_HOOKS: list[Callable] = []

# The transitions after which the closed hooks run. A decline comes from a
# screening, whose own outcome says what happens to the support.
CLOSING_TRANSITIONS = ("withdraw", "end_case")


def register_loan_facts(provider: Callable) -> None:
    if provider not in _LOAN_FACTS:
        _LOAN_FACTS.append(provider)


def register_case_closed_hook(hook: Callable) -> None:
    if hook not in _CLOSED_HOOKS:
        _CLOSED_HOOKS.append(hook)


def loan_facts(case) -> dict:
    """``{"has_loan": bool}``: the citizen has a paid-out loan still owed."""
    facts = {"has_loan": False}
    for provider in _LOAN_FACTS:
        facts.update(provider(case))
    return facts


def case_closed(case, *, transition: str, actor) -> None:
    if transition not in CLOSING_TRANSITIONS:
        return
    for hook in _CLOSED_HOOKS:
        hook(case, transition=transition, actor=actor)
