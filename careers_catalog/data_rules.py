"""What the catalogue's data files may contain: sectors, route kinds, role model tags, limits, and the
error that lists every problem found in a file."""

from __future__ import annotations

SECTORS = frozenset(
    "digital engineering science health care construction trades creative media public-service "
    "business law education hospitality environment transport sport".split()
)
ROUTE_KINDS = (
    "apprenticeship",
    "degree_apprenticeship",
    "t_level",
    "college",
    "degree",
    "direct",
    "volunteering",
    "other",
)
NAME_MAX = 120  # a title, an alias, a subject's or a person's name
TEXT_MAX = 300  # one or two sentences
LONG_TEXT_MAX = 1200  # a paragraph
MAX_SOURCE_LENGTH = 60  # a source is quoted to students after each figure, so it stays short
ROLE_MODEL_TAGS = frozenset(
    "woman man uk black asian latina mixed-heritage disabled neurodivergent lgbtq working-class no-degree "
    "refugee historical living".split()
)


class CatalogDataError(ValueError):
    """The data files have problems; ``problems`` lists each one with its file and record."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the catalogue data:\n  " + "\n  ".join(problems))
