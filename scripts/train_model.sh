#!/usr/bin/env bash
# Train the Rasa model (models/careers.tar.gz), or take it from the model cache when a model was trained
# before from exactly the same inputs: config, domain, training data (the catalogue's lookups included),
# the assistant's own Rasa components, the spaCy model and the Rasa version. A fresh clone on a machine
# that has trained this model before then skips the 9 minutes of training.
#
# The cache is MODEL_CACHE_DIR (default ~/.cache/careers-assistant/models); MODEL_CACHE=off trains
# regardless. Only the latest few models are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
OUT=models/careers.tar.gz
CACHE="${MODEL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/careers-assistant/models}"
KEEP=5

inputs() {
  # Every file that can change what training makes, in a fixed order, each with its name.
  find config.yml domain.yml data bot var/spacy/en_core_web_sm -type f \
       \( -name '*.yml' -o -name '*.py' -o -name '*.json' -o -name '*.cfg' -o -name '*.txt' \) \
       -not -path '*/__pycache__/*' -not -path 'bot/actions/*' | LC_ALL=C sort | while read -r f; do echo "== $f"; cat "$f"; done
  .venv/bin/python -c "from importlib.metadata import version as v; print(v('rasa'), v('spacy'))"
}
key="$(inputs | sha256sum | cut -c1-24)"
cached="$CACHE/$key.tar.gz"

if [ "${MODEL_CACHE:-on}" != "off" ] && [ -f "$cached" ]; then
  echo "The model for these inputs is in the model cache ($cached): not training again."
  mkdir -p models
  cp "$cached" "$OUT"
  exit 0
fi
"$RASA" train --fixed-model-name careers --out models
if [ "${MODEL_CACHE:-on}" != "off" ]; then
  mkdir -p "$CACHE"
  cp "$OUT" "$cached.partial" && mv "$cached.partial" "$cached"
  # Keep the newest few.
  ls -1t "$CACHE"/*.tar.gz 2>/dev/null | tail -n +$((KEEP + 1)) | xargs -r rm -f
fi
