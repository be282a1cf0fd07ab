"""Intents: what the assistant knows how to answer, loaded from ``intents/*.yaml``.

A file holds ``theme`` (shown in the topic menu) and a list of ``intents``::

    theme: "“5 không”"
    intents:
      - id: nam-khong
        title: "“5 không” là gì?"          # short, used on buttons
        answer: |                           # polite Vietnamese, quoting the source
          ...
        sources: [hcm-hd11-5khong#5-khong]  # section ids from content/
        locality: hcm                       # hcm | laichau | dongnai | all
        audience: both                      # citizen | official | both
        related: [khong-xa-rac]
        examples: ["5 không là gì", ...]

``kind: smalltalk`` marks greetings and the like (no sources needed).
``years: [2023]`` marks an answer whose figures hold only for those years;
``dated: true`` one whose figures hold for the periods of the documents it cites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot import places

LOCALITIES = (*places.CODES, "all")
AUDIENCES = ("citizen", "official", "both")
KINDS = ("answer", "smalltalk")
FIELDS = {"id", "title", "answer", "sources", "locality", "audience", "related", "examples", "kind", "years", "dated"}


class IntentError(ValueError):
    """An intents file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Intent:
    id: str
    title: str
    answer: str
    theme: str
    sources: tuple[str, ...]
    locality: str
    audience: str
    related: tuple[str, ...]
    examples: tuple[str, ...]
    kind: str = "answer"
    years: tuple[int, ...] = ()
    dated: bool = False
    file: str = ""
    line: int = 0
    example_lines: tuple[int, ...] = field(default=(), compare=False)


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers the line of every mapping and list item."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    for key_node, value_node in node.value:
        if key_node.value == "examples" and isinstance(value_node, yaml.SequenceNode):
            mapping["__example_lines__"] = [item.start_mark.line + 1 for item in value_node.value]
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _str_list(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise IntentError(f"{where}: '{key}' must be a list of strings")
    return tuple(str(v).strip() for v in value)


def _parse_intent(raw: Any, theme: str, path: Path) -> Intent:
    if not isinstance(raw, dict):
        raise IntentError(f"{path}: every item of 'intents' must be a mapping")
    line = raw.get("__line__", 0)
    where = f"{path}:{line}"
    unknown = set(raw) - FIELDS - {"__line__", "__example_lines__"}
    if unknown:
        raise IntentError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key in ("id", "title", "answer"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise IntentError(f"{where}: '{key}' is missing or empty")
    kind = raw.get("kind", "answer")
    if kind not in KINDS:
        raise IntentError(f"{where}: 'kind' must be one of {KINDS}, not {kind!r}")
    locality = raw.get("locality", "all")
    if locality not in LOCALITIES:
        raise IntentError(f"{where}: 'locality' must be one of {sorted(LOCALITIES)}, not {locality!r}")
    audience = raw.get("audience", "both")
    if audience not in AUDIENCES:
        raise IntentError(f"{where}: 'audience' must be one of {AUDIENCES}, not {audience!r}")
    examples = _str_list(raw, "examples", where)
    if len(examples) < 3:
        raise IntentError(f"{where}: intent '{raw['id']}' needs at least 3 examples, has {len(examples)}")
    sources = _str_list(raw, "sources", where)
    if kind == "answer" and not sources:
        raise IntentError(f"{where}: intent '{raw['id']}' cites no sources")
    years = raw.get("years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise IntentError(f"{where}: 'years' must be a list of years")
    dated = raw.get("dated", False)
    if not isinstance(dated, bool):
        raise IntentError(f"{where}: 'dated' must be true or false")
    return Intent(
        id=raw["id"].strip(), title=raw["title"].strip(), answer=raw["answer"].strip(), theme=theme,
        sources=sources, locality=locality, audience=audience, related=_str_list(raw, "related", where),
        examples=examples, kind=kind, years=tuple(years), dated=dated, file=str(path), line=line,
        example_lines=tuple(raw.get("__example_lines__", [line] * len(examples))),
    )


def load_file(path: Path) -> list[Intent]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        raise IntentError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("intents"), list):
        raise IntentError(f"{path}:1: expected a mapping with 'theme' and a list 'intents'")
    theme = str(data.get("theme") or path.stem)
    return [_parse_intent(raw, theme, path) for raw in data["intents"]]


def load_intents(directory: Path) -> list[Intent]:
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise IntentError(f"{directory}: no intent files (*.yaml)")
    intents: list[Intent] = []
    seen: dict[str, Intent] = {}
    for path in files:
        for intent in load_file(path):
            if intent.id in seen:
                other = seen[intent.id]
                raise IntentError(f"{intent.file}:{intent.line}: id '{intent.id}' is already used at {other.file}:{other.line}")
            seen[intent.id] = intent
            intents.append(intent)
    return intents
