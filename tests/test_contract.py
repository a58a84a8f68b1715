"""The contract between the processes (``contract/``) against ``domain.yml``, the training data and the
code: a renamed or misspelt intent, slot, entity or action fails here rather than in a conversation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

import contract
from contract import Action, Entity, Intent, Slot

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
PROCESSES = ("bot", "web", "analytics")
# Keys of Rasa's events that look like action names.
RASA_EVENT_KEYS = {"action_name", "utter_action"}
# Intents no training example shows: Rasa's FallbackClassifier gives this one.
NO_EXAMPLES = {Intent.NLU_FALLBACK}
# Entities no training example tags: the safeguarding classifier sets the first (bot/safeguarding.py),
# and only buttons carry the others (as keywords of ``payload`` and ``button``).
REPLY_LISTS = {"REPLIES", "REPLY_OF_RESPONSE", "CANNOT_HELP_REPLIES"}
NOT_TAGGED = {Entity.RISK_CATEGORY, Entity.PAGE, Entity.QUIZ_CHOICE}


def _code(*packages: str) -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text())
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _literals(tree: ast.Module) -> list[ast.Constant]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _reply_kinds(tree: ast.Module) -> set[int]:
    """The strings that name a kind of reply (``about("out_of_scope")``, and the lists of them in
    bot/actions/messages.py): a vocabulary of the actions' own, which echoes some intents' names."""
    kinds = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "about":
            kinds |= {id(a) for a in node.args}
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") in REPLY_LISTS for t in node.targets):
            kinds |= {id(n) for n in _literals(node.value)}
    return kinds


def _domain_names(key: str) -> set[str]:
    return {next(iter(i)) if isinstance(i, dict) else i for i in DOMAIN.get(key) or []}


@pytest.mark.parametrize(
    ("declared", "key"),
    [(contract.INTENTS, "intents"), (contract.ENTITIES, "entities"), (contract.SLOTS, "slots")],
    ids=["intents", "entities", "slots"],
)
def test_the_contract_names_exactly_what_the_domain_declares(declared: frozenset[str], key: str) -> None:
    domain = _domain_names(key)
    assert not domain - declared, f"in domain.yml, not in contract/: {sorted(domain - declared)}"
    assert not declared - domain, f"in contract/, not in domain.yml: {sorted(declared - domain)}"


def test_the_action_server_runs_exactly_the_custom_actions_the_domain_declares() -> None:
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    served = set(executor.actions)
    assert contract.CUSTOM_ACTIONS == _domain_names("actions")
    assert served == set(contract.CUSTOM_ACTIONS), (
        f"served, not declared: {sorted(served - contract.CUSTOM_ACTIONS)}; "
        f"declared, not served: {sorted(contract.CUSTOM_ACTIONS - served)}"
    )


def test_every_intent_has_training_examples_and_every_entity_is_tagged_in_them() -> None:
    text = "\n".join(p.read_text() for p in (ROOT / "data" / "nlu").rglob("*.yml"))
    with_examples = set(re.findall(r"^- intent: (\w+)", text, re.M))
    assert contract.INTENTS - NO_EXAMPLES <= with_examples, sorted(contract.INTENTS - with_examples)
    assert with_examples <= contract.INTENTS, sorted(with_examples - contract.INTENTS)
    tagged = set(re.findall(r"\]\((\w+)\)", text)) | set(re.findall(r'"entity": ?"(\w+)"', text))
    assert contract.ENTITIES - NOT_TAGGED <= tagged, sorted(contract.ENTITIES - NOT_TAGGED - tagged)
    assert tagged <= contract.ENTITIES, sorted(tagged - contract.ENTITIES)
    in_buttons = {
        k.arg
        for tree in _code(*PROCESSES).values()
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and getattr(n.func, "attr", getattr(n.func, "id", "")) in ("button", "payload")
        for k in n.keywords
        if k.arg
    }
    assert in_buttons <= contract.ENTITIES, sorted(in_buttons - contract.ENTITIES)
    assert NOT_TAGGED - {Entity.RISK_CATEGORY} <= in_buttons


def test_every_slot_is_used_by_the_code_or_a_form() -> None:
    used = {
        getattr(Slot, n.attr)
        for tree in _code(*PROCESSES).values()
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Slot"
    }
    in_forms = {s for form in DOMAIN["forms"].values() for s in form["required_slots"]}
    assert contract.SLOTS <= used | in_forms, sorted(contract.SLOTS - used - in_forms)


def test_code_names_intents_slots_and_entities_only_through_the_contract() -> None:
    """A name written out as a string (``"ask_pay"``) would not fail when the domain renames it; through
    ``Intent.ASK_PAY`` it fails at import. Names with no underscore are ordinary words too ("career",
    "help"), so only names with one are checked."""
    shared = {n for n in contract.INTENTS | contract.SLOTS | contract.ENTITIES if "_" in n}
    written_out = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
        for path, tree in _code(*PROCESSES).items()
        for node in _literals(tree)
        if node.value in shared and id(node) not in _reply_kinds(tree)
    ]
    assert not written_out


def test_every_action_and_response_named_in_code_exists() -> None:
    responses = set(DOMAIN["responses"]) | {
        name.split("/")[0]  # a retrieval intent's responses (utter_education/gcses) make one action
        for path in (ROOT / "data" / "responses").glob("*.yml")
        for name in yaml.safe_load(path.read_text())["responses"]
    }
    known = contract.CUSTOM_ACTIONS | contract.RASA_ACTIONS | responses | RASA_EVENT_KEYS
    shaped = re.compile(r"^(action|utter|validate)_[a-z_]+$")
    unknown = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
        for path, tree in _code(*PROCESSES).items()
        for node in _literals(tree)
        if shaped.match(node.value) and node.value not in known
    ]
    assert not unknown
    assert Action.FALLBACK in known


def test_the_widget_takes_the_shared_names_from_the_chat_config() -> None:
    """The widget is not Python: it must not write out intents or the message limit, but read them from
    ``/api/chat/{school}/config`` (tests/test_web.py checks what that sends)."""
    widget = (ROOT / "web" / "static" / "widget.js").read_text()
    payloads = re.findall(r"[\"'`]/(\w+)", widget)
    assert not [p for p in payloads if p in contract.INTENTS]
    assert not re.search(r"(max_?chars|maxlength)\s*[=:]\s*\d", widget, re.I), (
        "the widget sets a message limit of its own"
    )


@pytest.mark.parametrize(
    ("package", "must_not_import"),
    [
        ("web", {"bot", "rasa", "rasa_sdk"}),
        ("analytics", {"bot", "web", "rasa", "rasa_sdk"}),
        ("bot", {"web"}),
    ],
)
def test_the_processes_meet_only_through_the_contract(package: str, must_not_import: set[str]) -> None:
    found = []
    for path, tree in _code(package).items():
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in must_not_import]
    assert not found
