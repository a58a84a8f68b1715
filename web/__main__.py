"""Run the web app: ``python -m web`` (listens on ``WEB_HOST``:``WEB_PORT``, default 127.0.0.1:8000)."""

from __future__ import annotations

import sys

import uvicorn

import settings


def main() -> None:
    # spaCy (for the name finder of privacy/) brings in thinc, which imports TensorFlow whenever it is
    # installed, as it is beside Rasa: 370 MB and seconds of start-up the web app never uses.
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]
    config = settings.at_start()  # fails here, naming the variable, if a setting is bad
    host, port = config.web_host, config.web_port
    # ws="none": no websockets are served, and Rasa pins a websockets release too old for uvicorn's.
    # A live page (web/live.py) never ends its response by itself: stopping waits for them this long.
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        host=host,
        port=port,
        ws="none",
        log_level="warning",
        timeout_graceful_shutdown=2,
    )


if __name__ == "__main__":
    main()
