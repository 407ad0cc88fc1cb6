from mikrolaan.letters.models import LetterStatus
from mikrolaan.roles import Role
from tests.letters.helpers import make_case, make_letter
from tests.routes import STAFF, Route


def _generated(world):
    return world.get(
        "generated_letter",
        lambda w: make_letter(case=make_case(citizen_user=w.user(Role.CITIZEN))),
    )


def _failed(world):
    return world.get(
        "failed_letter",
        lambda w: make_letter(
            case=make_case(citizen_user=w.user(Role.CITIZEN)), status=LetterStatus.FAILED
        ),
    )


ROUTES = [
    # The letter's recipient is the matrix citizen; other citizens get 404 (tests/letters).
    Route(
        "letters:download",
        allowed=STAFF | {Role.CITIZEN},
        kwargs=lambda w: {"pk": _generated(w).pk},
    ),
    Route("letters:digital_post", allowed=STAFF, kwargs=lambda w: {"pk": _generated(w).pk}),
    Route(
        "letters:retry",
        allowed=STAFF,
        method="post",
        ok_status=302,
        kwargs=lambda w: {"pk": _failed(w).pk},
    ),
]
