"""Sessions in the database, as Django's own backend, with the one query
every signed-in request runs compiled to SQL once per process
(:mod:`mikrolaan.precompiled`). An expired session is treated as missing, as
Django's backend does (it filters on the expiry date in SQL; here the date is
compared after the row is read, so that the statement has one parameter)."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from .precompiled import CompiledOnce

# Session keys are letters and digits: a NUL byte is in none.
_SESSION_QUERY = CompiledOnce(
    lambda key: Session.objects.filter(session_key=key), stand_in="\x00compiled-once"
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        session = _SESSION_QUERY.first(self.session_key, using=router.db_for_read(Session))
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
