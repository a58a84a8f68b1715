"""The action server: ``python -m bot.action_server --port 5055``, rasa_sdk's server for ``bot.actions``
made safe to leave running.

- It listens on this machine only (``ACTION_HOST``, default 127.0.0.1): ``rasa run actions`` listens on
  every interface, and anyone who reaches it can run any action for a made-up conversation.
- With ``ACTION_SERVER_TOKEN`` set, every call but ``/health`` must carry ``?token=`` with that value,
  which Rasa sends when the same variable is set for it (``token:`` in endpoints.yml). Set it when the
  action servers run on other machines than the Rasa servers, with ``ACTION_HOST`` set to an address they
  can reach.
"""

from __future__ import annotations

import argparse
import hmac
import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request

import settings
from bot.actions import career_context


def protect(app: Sanic, token: str | None) -> None:
    """Refuse every call but ``/health`` that lacks ``?token=`` equal to ``token`` (none if ``token`` is
    empty or None)."""
    if not token:
        return

    @app.middleware("request")
    async def check_token(request: Request) -> response.HTTPResponse | None:
        if request.path == "/health":
            return None
        given = request.args.get("token") or ""
        if hmac.compare_digest(given.encode(), token.encode()):
            return None
        return response.json({"error": "This action server needs its token."}, status=401)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="default: ACTION_PORT")
    args = parser.parse_args(argv)
    config = settings.at_start()
    port = args.port or config.action_port
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    app = create_app("bot.actions", cors_origins=[])
    # Sanic closes a connection whose request it has not started reading within KEEP_ALIVE_TIMEOUT (5 s).
    # Actions run one at a time, so in a burst of students a new connection can wait longer than that
    # while others are answered, and Rasa then gets "Cannot write to closing transport" and the student
    # an empty reply. Rasa opens a new connection for every call, so a long wait costs nothing here.
    app.config.KEEP_ALIVE_TIMEOUT = app.config.REQUEST_TIMEOUT
    try:  # before listening, so that /health says up only when the first answers are quick
        career_context.warm_up()
    except Exception:  # the catalogue unreachable now: each action says so when asked, and retries
        logging.getLogger(__name__).exception("Could not warm up the catalogue; going on without it")
    token = config.action_server_token
    protect(app, token.get_secret_value() if token else None)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    host = config.action_host
    logging.getLogger(__name__).info("Action server listening on http://%s:%s", host, port)
    app.run(host, port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
