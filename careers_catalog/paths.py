"""Where the catalogue's own data files are (careers, subjects, interests, reference tables)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
