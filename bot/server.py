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

from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

RASAS_OWN_CHECK = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def _action_reply_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_reply(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with its schema checked once, not on every call. A reply
    that fails goes through Rasa's own check, which raises Rasa's own error."""
    if _action_reply_validator().is_valid(result):
        return True
    return RASAS_OWN_CHECK(self, result)


def main() -> None:
    """``rasa run`` with the arguments given to this command."""
    RemoteAction._validate_action_result = validate_action_reply  # type: ignore[method-assign]
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "run", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
