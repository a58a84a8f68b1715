"""The Rasa server: ``python -m bot.server`` takes the options of ``rasa run`` and starts Rasa's own
server, with one of Rasa 3.6's costs removed first.

Rasa checks every reply from the action server against a JSON schema with ``jsonschema.validate``,
which first checks the schema itself against JSON Schema's meta-schema, on every call. In our
conversations that took 44% of the Rasa server's CPU time (py-spy, one student at a time), more than
understanding the message did. Here the schema is checked once and its validator kept: every reply is
still checked against the same schema, and a bad one fails with the same error.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from jsonschema import exceptions
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _action_reply_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_reply(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with its schema checked once, not on every call."""
    error = exceptions.best_match(_action_reply_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def main() -> None:
    """``rasa run`` with the arguments given to this command."""
    RemoteAction._validate_action_result = validate_action_reply  # type: ignore[method-assign]
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "run", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
