from tests.routes import ADMIN, ALL, SIGNED_IN, Route

ROUTES = [
    Route("home", allowed=ALL),
    Route("municipality_settings", allowed=ADMIN),
    Route("password_change", allowed=SIGNED_IN),
    Route("password_change_done", allowed=SIGNED_IN),
    # Public pages of the sign-in flow.
    Route("login", public=True),
    Route("password_reset", public=True),
    Route("password_reset_done", public=True),
    Route("password_reset_complete", public=True),
    Route("password_reset_confirm", public=True, kwargs={"uidb64": "MQ", "token": "x-y"}),
]
