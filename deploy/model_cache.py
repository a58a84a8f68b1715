"""Trained Rasa models kept between clones on one machine: ``make train`` (``python -m deploy.model_cache``)
copies the assistant's model from the cache when a model was trained before from exactly the same inputs
(config, domain, training data with the catalogue's lookups, the assistant's own Rasa components, the
spaCy model, and the Rasa and spaCy versions), and trains it otherwise. A fresh clone on a machine that
has trained this model before then skips the nine minutes of training. The serving benchmark keeps its
bare ``rasa init`` model here too.

The cache is ``MODEL_CACHE_DIR`` (default ``~/.cache/careers-assistant/models``); ``MODEL_CACHE=off``
always trains. Only the newest few models are kept. These are settings of the build, not of the
assistant, so they are read here rather than in ``settings``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from settings import ROOT

KEEP = 5
MODEL = ROOT / "models" / "careers.tar.gz"
RASA = Path(sys.executable).with_name("rasa")
# What training reads, besides the versions: these files and folders, where a file's name ends so.
INPUTS = ("config.yml", "domain.yml", "data", "bot", "var/spacy/en_core_web_sm")
SUFFIXES = (".yml", ".py", ".json", ".cfg", ".txt")


def cache_dir() -> Path | None:
    """Where models are kept, or None when the cache is off."""
    if os.environ.get("MODEL_CACHE", "on") == "off":
        return None
    if os.environ.get("MODEL_CACHE_DIR"):
        return Path(os.environ["MODEL_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "careers-assistant" / "models"


def assistant_key(root: Path = ROOT) -> str:
    """A hash of everything that can change what ``rasa train`` makes of this project."""
    files = []
    for name in INPUTS:
        path = root / name
        found = [path] if path.is_file() else path.rglob("*")
        files += [
            str(f.relative_to(root))
            for f in found
            if f.is_file()
            and f.name.endswith(SUFFIXES)
            and "__pycache__" not in f.parts
            and not str(f.relative_to(root)).startswith("bot/actions/")
        ]
    digest = hashlib.sha256()
    for name in sorted(files, key=lambda n: n.encode()):
        digest.update(f"== {name}\n".encode())
        digest.update((root / name).read_bytes())
    digest.update(f"{version('rasa')} {version('spacy')}\n".encode())
    return digest.hexdigest()[:24]


def from_cache_or_train(out: Path, key: str, train: Callable[[Path], None]) -> bool:
    """Put the model for ``key`` at ``out``: from the cache if it is there (True), else by ``train(out)``,
    then kept in the cache (False)."""
    cache = cache_dir()
    cached = cache / f"{key}.tar.gz" if cache else None
    out.parent.mkdir(parents=True, exist_ok=True)
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, out)
        return True
    train(out)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        shutil.copyfile(out, partial)
        partial.replace(cached)
        for old in sorted(cached.parent.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    return False


def _train_assistant(out: Path) -> None:
    command = [
        str(RASA),
        "train",
        "--fixed-model-name",
        out.name.removesuffix(".tar.gz"),
        "--out",
        str(out.parent),
    ]
    subprocess.run(command, cwd=ROOT, check=True)


def main() -> None:
    key = assistant_key()
    if from_cache_or_train(MODEL, key, _train_assistant):
        print(f"The model for these inputs is in the model cache ({key}): not training again.")


if __name__ == "__main__":
    main()
