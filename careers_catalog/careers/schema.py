"""The shape of a career record, and the rules that keep the catalogue's facts current.

A record's shape (fields, types, lengths, allowed values) is a pydantic model; the rules that need the
rest of the catalogue or the reference tables (data/reference) are checked after it:

- subjects from subjects.yml, only at a level offered in England (no A level in Statistics, no GCSE in
  Health and Social Care, which schools teach as a vocational course);
- apprenticeship routes name a real standard open to new starts, at its real level and by its real name;
  T Levels by a name in force and open to new students; every routes source dated 2023 or later;
- a SOC 2020 code that exists and a pay scale that exists;
- every title and alias belongs to one career only; related careers exist.

Every problem is reported with its file and line (:func:`read_records`), so a reviewer can go straight
to it. Pay and hours are not typed into records: ``pay.py`` beside this module works them out from the
reference tables.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConstrainedInt,
    ConstrainedStr,
    Extra,
    Field,
    ValidationError,
    conlist,
    validator,
)

from careers_catalog.careers.reference import Reference
from careers_catalog.data_rules import (
    LONG_TEXT_MAX,
    MAX_SOURCE_LENGTH,
    NAME_MAX,
    ROLE_MODEL_TAGS,
    ROUTE_KINDS,
    SECTORS,
    TEXT_MAX,
)
from careers_catalog.text import normalize

RecordT = TypeVar("RecordT", bound=BaseModel)
FIRST_SOURCE_YEAR = 2023  # facts older than this are out of date
LINE = "__line__"


class _Text(ConstrainedStr):
    strip_whitespace = True
    min_length = 2
    max_length = TEXT_MAX


class _LongText(_Text):
    max_length = LONG_TEXT_MAX


class _Name(_Text):
    max_length = NAME_MAX


class _SourceName(_Text):
    max_length = MAX_SOURCE_LENGTH  # quoted to students after each figure, so it stays short


class _Level(ConstrainedInt):
    ge = 1
    le = 7


class _Record(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True
        allow_population_by_field_name = True


class SubjectLink(_Record):
    subject: _Name
    levels: conlist(Literal["gcse", "a_level", "vocational"], min_items=1, max_items=3)  # type: ignore[valid-type]
    why: _Text


class Route(_Record):
    kind: Literal[ROUTE_KINDS] = Field(alias="type")  # type: ignore[valid-type]
    level: _Level | None = None
    qualification: _Text
    standard: str | None = None
    note: _Text | None = None

    @validator("standard")
    def _reference(cls, value: str | None) -> str | None:  # noqa: N805 - pydantic's validator signature
        if value is not None and not re.fullmatch(r"ST\d{4}", value):
            raise ValueError("a standard is its Skills England reference, like ST0116")
        return value


class Source(_Record):
    name: _Text
    year: int

    @validator("year")
    def _current(cls, value: int) -> int:  # noqa: N805
        if not FIRST_SOURCE_YEAR <= value <= 2100:
            raise ValueError(f"a source must be dated {FIRST_SOURCE_YEAR} or later")
        return value


class CareerRecord(_Record):
    id: str
    title: _Name
    aliases: list[_Name]
    sector: Literal[tuple(sorted(SECTORS))]  # type: ignore[valid-type]
    summary: _Text
    day_to_day: _LongText
    tasks: conlist(_Text, min_items=3, max_items=8)  # type: ignore[valid-type]
    skills: conlist(_Text, min_items=3, max_items=8)  # type: ignore[valid-type]
    subjects: conlist(SubjectLink, min_items=1, max_items=8)  # type: ignore[valid-type]
    routes: conlist(Route, min_items=2, max_items=8)  # type: ignore[valid-type]
    routes_source: Source
    hours_pattern: _Text
    pay_scale: str | None = None
    pay_note: _Text | None = None
    outlook: _LongText
    riasec: str
    soc2020: str
    onet: str | None = None
    related: conlist(str, min_items=1, max_items=6)  # type: ignore[valid-type]

    @validator("id")
    def _slug(cls, value: str) -> str:  # noqa: N805
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
            raise ValueError("an id is lower-case words joined by hyphens")
        return value

    @validator("riasec")
    def _riasec(cls, value: str) -> str:  # noqa: N805
        if not re.fullmatch(r"[RIASEC]{2,3}", value) or len(set(value)) != len(value):
            raise ValueError("2 or 3 different letters of RIASEC, strongest first")
        return value

    @validator("soc2020", pre=True)
    def _soc(cls, value: Any) -> str:  # noqa: N805
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}", value):
            raise ValueError('a SOC 2020 unit group is 4 digits in quotes, like "2134"')
        return value

    @validator("onet")
    def _onet(cls, value: str | None) -> str | None:  # noqa: N805
        if value is not None and not re.fullmatch(r"\d{2}-\d{4}\.\d{2}", value):
            raise ValueError("an O*NET-SOC code looks like 15-1252.00")
        return value


class RoleSource(_Record):
    """Where a role model's story comes from; a life story does not go out of date as pay does."""

    name: _SourceName
    year: int = Field(ge=1990, le=2100)


class RoleModelRecord(_Record):
    """A real person whose true story shows a career; ``role_models.yml`` explains each field."""

    name: _Name
    lived: str
    origin: _Name = Field(alias="from")
    career: str
    story: _Text
    tags: list[str]
    source: RoleSource

    @validator("lived", pre=True)
    def _lived(cls, value: Any) -> str:  # noqa: N805
        if not re.fullmatch(r"\d{4}-\d{4}|born \d{4}", str(value)):
            raise ValueError("lived must be 'YYYY-YYYY' or 'born YYYY'")
        return str(value)

    @validator("story")
    def _one_line(cls, value: str) -> str:  # noqa: N805
        return " ".join(value.split())

    @validator("tags")
    def _tags(cls, value: list[str]) -> list[str]:  # noqa: N805
        tags = set(value)
        problems = (
            []
            if tags and tags <= ROLE_MODEL_TAGS
            else [f"tags must come from: {', '.join(sorted(ROLE_MODEL_TAGS))}"]
        )
        problems += [
            f"tags need exactly one of {' and '.join(pair)}"
            for pair in (("woman", "man"), ("historical", "living"))
            if len(tags & set(pair)) != 1
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return list(dict.fromkeys(value))


class _LineLoader(yaml.SafeLoader):
    """Keeps the line each mapping starts on, under ``__line__`` (1-based)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def read_records(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """A data file's list of records, each with the line it starts on, and any problem reading it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - a SafeLoader
    except (OSError, yaml.YAMLError) as exc:
        return [], [f"{path.name}: cannot read: {exc}"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return [], [f"{path.name}: expected a list of records"]
    return data, []


def plain(value: Any) -> Any:
    """``value`` without the line numbers :func:`read_records` adds."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def line_of(record: dict[str, Any], loc: tuple[Any, ...]) -> int:
    """The line of the innermost mapping on the path ``loc`` into ``record``."""
    line, node = record.get(LINE, 0), record
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            line = node.get(LINE, line)
    return line


def check_shape(
    record: dict[str, Any],
    where: str,
    shape: type[RecordT] = CareerRecord,  # type: ignore[assignment]
) -> tuple[RecordT | None, list[str]]:
    """The record as a ``shape`` (a career by default), or the problems with it, each with its line."""
    try:
        return shape(**plain(record)), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = error["loc"]
            field = ".".join(str(x) for x in loc)
            problems.append(f"{where}:{line_of(record, loc)}: {field}: {error['msg']}")
        return None, problems


def stored(record: BaseModel, table: Any, **more: Any) -> dict[str, Any]:
    """The fields of ``record`` that ``table`` (an ORM class) has columns of the same name for, with
    ``more``: how a record's facts go into the database without writing each field out again."""
    columns = set(table.__table__.columns.keys())
    values = {name: getattr(record, name) for name in record.__fields__ if name in columns}
    return {
        k: list(v) if isinstance(v, list) else v for k, v in values.items() if not isinstance(v, BaseModel)
    } | more


def check_facts(
    career: CareerRecord, subjects: dict[str, dict[str, Any]], ref: Reference
) -> list[tuple[tuple[Any, ...], str]]:
    """Problems with what a career says, against subjects.yml and the reference tables, each with the
    path to the part it is about."""
    out: list[tuple[tuple[Any, ...], str]] = []
    for i, link in enumerate(career.subjects):
        subject = subjects.get(link.subject)
        if subject is None:
            out.append((("subjects", i), f"unknown subject {link.subject!r} (see subjects.yml)"))
            continue
        for level in link.levels:
            if not subject.get(level):
                shown = {"a_level": "an A level", "gcse": "a GCSE", "vocational": "a vocational course"}[
                    level
                ]
                out.append((("subjects", i), f"{link.subject} is not offered as {shown} in England"))
    for i, route in enumerate(career.routes):
        out.extend((("routes", i), problem) for problem in _route_problems(route, ref))
    if career.soc2020 not in ref.soc_titles:
        out.append((("soc2020",), f"{career.soc2020} is not a SOC 2020 unit group"))
    if career.pay_scale and career.pay_scale not in ref.pay_scales:
        out.append((("pay_scale",), f"unknown pay scale {career.pay_scale!r} (see reference/pay_scales.yml)"))
    return out


def _route_problems(route: Route, ref: Reference) -> list[str]:
    if route.kind in ("apprenticeship", "degree_apprenticeship"):
        if route.standard is None:
            return ["an apprenticeship names its standard (standard: STxxxx)"]
        standard = ref.standards.get(route.standard)
        if standard is None:
            return [f"{route.standard} is not an apprenticeship standard"]
        out = []
        if not standard.open:
            out.append(
                f"{standard.reference} {standard.name} is {standard.status.lower()}: not open to new starts"
            )
        if route.level != standard.level:
            out.append(f"{standard.reference} {standard.name} is level {standard.level}, not {route.level}")
        if not normalize(route.qualification).startswith(normalize(standard.name)):
            out.append(f"the qualification must start with the standard's name, {standard.name!r}")
        if route.kind == "degree_apprenticeship" and (standard.level or 0) < 6:
            out.append("a degree apprenticeship is at level 6 or 7")
        return out
    if route.kind == "t_level":
        name = route.qualification.removeprefix("T Level in ").strip()
        if not route.qualification.startswith("T Level in ") or name not in ref.t_levels:
            return [
                f"{route.qualification!r} is not a T Level: write 'T Level in <name>', a name from "
                "reference/t_levels.csv"
            ]
        if not ref.t_level_open(name):
            return [f"the {name} T Level is {ref.t_levels[name]}"]
        if route.level != 3:
            return ["a T Level is level 3"]
    return []


def name_problems(careers: list[CareerRecord]) -> dict[str, list[tuple[tuple[Any, ...], str]]]:
    """By career id: titles or aliases used by another career too, and related careers that do not exist."""
    owner: dict[str, str] = {}
    out: dict[str, list[tuple[tuple[Any, ...], str]]] = {}
    ids = {c.id for c in careers}
    for career in careers:
        for i, name in enumerate([career.title, *career.aliases]):
            key = normalize(name)
            where = ("title",) if i == 0 else ("aliases", i - 1)
            if key in owner and owner[key] != career.id:
                out.setdefault(career.id, []).append((where, f"{name!r} is already a name of {owner[key]}"))
            owner.setdefault(key, career.id)
        for i, other in enumerate(career.related):
            if other not in ids:
                out.setdefault(career.id, []).append(
                    (("related", i), f"related career {other!r} is not in the catalogue")
                )
            elif other == career.id:
                out.setdefault(career.id, []).append((("related", i), "a career cannot be related to itself"))
    return out
