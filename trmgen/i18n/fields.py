"""Which fields of the content translate, and the stable context of each.

One walk over the models serves both sides: extraction writes an entry per translatable text
with its context, and localization puts the translation back in the same place. The context
is a path built from stable ids (`measure/first-screening/how/2`), so it survives reordering
of measures and files; list items without an id are counted by position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from trmgen.sources.model import (
    Actor,
    Adoption,
    ChildVariant,
    CountryAdoption,
    CountryContacts,
    Edge,
    FormField,
    FormOption,
    FormSection,
    GoodPractice,
    Guideline,
    Handover,
    Institution,
    Instrument,
    Measure,
    Nrm,
    Overview,
    OverviewEdge,
    OverviewStep,
    PhoneLine,
    ReferralForm,
    Sop,
    Step,
    StepVariant,
)
from trmgen.sources.strict_yaml import Loc

TEXT_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Guideline: ("title", "introduction", "review_status"),
    Actor: ("name", "description"),
    Instrument: ("title", "short_name"),
    Sop: ("title", "purpose"),
    Measure: ("title", "what", "when", "how", "recommendations", "keywords", "indicators"),
    ChildVariant: ("what", "when", "how"),
    GoodPractice: ("title", "text"),
    Edge: ("condition",),
    Handover: ("shares", "consent"),
    CountryContacts: (),
    CountryAdoption: (),
    Adoption: ("note",),
    StepVariant: ("text",),
    Nrm: ("name", "legal_basis"),
    Institution: ("unit", "verified_by"),
    PhoneLine: ("label",),
    Overview: ("title", "description"),
    OverviewStep: ("label",),
    OverviewEdge: ("label",),
    ReferralForm: ("title", "introduction"),
    FormSection: ("title",),
    FormField: ("label", "help"),
    FormOption: ("label",),
}
"""The text fields that translate, by model. Names of institutions, titles of national acts
and who reviewed an adoption stay as they are written.
A step (`Step`) translates as its text: its context is its place in the list, as when steps
were plain texts, so that a side added to a step keeps its translations."""

ROOTS: dict[type[BaseModel], str] = {
    Measure: "measure", Institution: "institution", Actor: "actor", Instrument: "instrument",
    Sop: "sop",
}
"""Models with a globally unique id: their contexts start afresh at 'kind/id'."""


def _key(item: BaseModel, index: int) -> str:
    if isinstance(item, Edge):
        return item.to
    # The fields' values, not getattr: a missing attribute of a pydantic model costs half a
    # millisecond, and every language's copy of the guide asks this of each of its items.
    return str(vars(item).get("id", index))


def _prefix(item: BaseModel, parent: str, field: str, index: int) -> str:
    root = ROOTS.get(type(item))
    if root:
        return f"{root}/{_key(item, index)}"
    return f"{parent}/{field}/{_key(item, index)}"


def walk(model: BaseModel, prefix: str, loc: Loc = ()) -> Iterator[tuple[str, Loc, str]]:
    """Every translatable text of a model: (context, location in its file, text)."""
    for name in TEXT_FIELDS.get(type(model), ()):
        value = getattr(model, name)
        if isinstance(value, str):
            yield f"{prefix}/{name}", (*loc, name), value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield f"{prefix}/{name}/{i}", (*loc, name, i), _text(item)
        elif isinstance(value, dict):
            for group, texts in value.items():
                for i, text in enumerate(texts):
                    yield f"{prefix}/{name}/{group}/{i}", (*loc, name, group, i), text
    for name, child in _nested(model):
        if isinstance(child, BaseModel):
            yield from walk(child, f"{prefix}/{name}", (*loc, name))
        elif isinstance(child, dict):
            for key, item in child.items():
                yield from walk(item, f"{prefix}/{name}/{key}", (*loc, name, key))
        else:
            for i, item in enumerate(child):
                yield from walk(item, _prefix(item, prefix, name, i), (*loc, name, i))


def translate(model: Any, prefix: str, text: Callable[[str, str], str]) -> Any:
    """A copy of the model with every translatable text replaced by `text(context, source)`."""
    update: dict[str, Any] = {}
    for name in TEXT_FIELDS.get(type(model), ()):
        value = getattr(model, name)
        if isinstance(value, str):
            update[name] = text(f"{prefix}/{name}", value)
        elif isinstance(value, list):
            update[name] = [_retext(v, text(f"{prefix}/{name}/{i}", _text(v)))
                            for i, v in enumerate(value)]
        elif isinstance(value, dict):
            update[name] = {group: [text(f"{prefix}/{name}/{group}/{i}", v)
                                    for i, v in enumerate(texts)]
                            for group, texts in value.items()}
    for name, child in _nested(model):
        if isinstance(child, BaseModel):
            update[name] = translate(child, f"{prefix}/{name}", text)
        elif isinstance(child, dict):
            update[name] = {key: translate(item, f"{prefix}/{name}/{key}", text)
                            for key, item in child.items()}
        else:
            update[name] = [translate(item, _prefix(item, prefix, name, i), text)
                            for i, item in enumerate(child)]
    return model.model_copy(update=update)


def _text(item: str | Step) -> str:
    return item.text if isinstance(item, Step) else item


def _retext(item: str | Step, text: str) -> str | Step:
    return item.model_copy(update={"text": text}) if isinstance(item, Step) else text


def _nested(model: BaseModel) -> Iterator[
        tuple[str, BaseModel | list[BaseModel] | dict[str, BaseModel]]]:
    """The fields of a model that hold models, or lists or dicts of models, with
    translatable text."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        first = value[0] if isinstance(value, list) and value else value
        if isinstance(value, dict) and value:
            first = next(iter(value.values()))
        if isinstance(first, BaseModel) and type(first) in TEXT_FIELDS:
            yield name, value
