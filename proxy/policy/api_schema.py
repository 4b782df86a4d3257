"""Field paths of a policy, checked against the API's own response schema, offline.

A tool rule may say what its results are: `response: searchconsole:SitesListResponse` (a schema of a
discovery document that google-api-python-client ships) or `response: google-ads:SearchGoogleAdsResponse`
(a message of the google-ads library's protobuf descriptors, API version `GOOGLE_ADS_VERSION`). Each of the
rule's `paths` is then walked through that schema, segment by segment, in the API's JSON form (camelCase
json names): a segment that names no field, an index on something that is not a list, a list entered
without `[]`, a path that goes on after a string or that stops at an object (a path rule tokenizes values,
not objects) is a `Problem` with the policy file and line. Nothing is downloaded; a pack without `response`
is not checked.

`validate_paths(source, text=None) -> list[Problem]` is the entry point; `veil policy check` prints its
problems.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from proxy.policy.paths import parse_path

__all__ = [
    "GOOGLE_ADS_VERSION",
    "Problem",
    "SchemaError",
    "checked_path_count",
    "resolve_schema",
    "validate_paths",
]

GOOGLE_ADS_VERSION = "v26"  # the default API version of the installed google-ads library (34.x)
_GOOGLE_ADS_PACKAGES = ("services", "resources", "common", "errors")
_GOOGLE_ADS_MODULES = ("services.types.google_ads_service", "services.types.customer_service")


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    tool: str
    path: str | None  # None: the problem is the tool's `response` itself
    message: str

    def __str__(self) -> str:
        what = f"path {self.path!r}" if self.path is not None else "response"
        return f"{self.source}:{self.line}: tool {self.tool!r}: {what}: {self.message}"


class SchemaError(Exception):
    """A `response` that names no schema available offline."""


# --------------------------------------------------------------------------- a schema-neutral node


@dataclass(frozen=True)
class Node:
    """One position in a response schema. `kind` is `object`, `list`, `map`, `scalar` or `any`."""

    kind: str
    label: str  # e.g. "WmxSite", "string", "list of ApiDataRow"
    fields: Callable[[], dict[str, Node]] | None = None  # object: json name -> child
    item: Callable[[], Node] | None = None  # list / map: the element
    aliases: Callable[[], dict[str, str]] | None = None  # object: other spellings -> json name


_ANY = Node("any", "any JSON value")


# --------------------------------------------------------------------------- discovery documents


@lru_cache(maxsize=8)
def _discovery_document(api: str, version: str) -> dict[str, Any] | None:
    from googleapiclient import discovery_cache

    text = discovery_cache.get_static_doc(api, version)
    doc: dict[str, Any] | None = json.loads(text) if text else None
    return doc


def _discovery_node(doc: dict[str, Any], schema: dict[str, Any], label: str | None = None) -> Node:
    ref = schema.get("$ref")
    if ref is not None:
        target = doc["schemas"].get(ref)
        return _ANY if target is None else _discovery_node(doc, target, ref)
    kind = schema.get("type", "any")
    if kind == "array":
        items = schema.get("items", {})
        element = _discovery_node(doc, items)
        return Node("list", f"list of {element.label}", item=lambda: element)
    if kind == "object" or "properties" in schema:
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        name = label or schema.get("id") or "object"
        if props is None and isinstance(extra, dict):
            value = _discovery_node(doc, extra)
            return Node("map", f"map of {value.label}", item=lambda: value)
        if props is None:
            return Node("any", name)
        return Node(
            "object",
            name,
            fields=lambda: {k: _discovery_node(doc, v) for k, v in props.items()},
        )
    if kind == "any":
        return _ANY
    return Node("scalar", str(schema.get("format") or kind))


def _discovery_schema(api: str, name: str) -> tuple[Node, str]:
    base, _, version = api.partition(".")
    versions = [version] if version else ["v1", "v3", "v2"]
    for v in versions:
        doc = _discovery_document(base, v)
        if doc is None:
            continue
        schema = doc.get("schemas", {}).get(name)
        if schema is None:
            known = difflib.get_close_matches(name, list(doc.get("schemas", {})), n=1)
            hint = f"; did you mean {known[0]!r}?" if known else ""
            raise SchemaError(f"the {base} {v} discovery document has no schema {name!r}{hint}")
        return _discovery_node(doc, schema, name), f"{base} {v} discovery document"
    raise SchemaError(f"no discovery document for {api!r} ships with google-api-python-client")


# --------------------------------------------------------------------------- google-ads descriptors

_WELL_KNOWN_STRINGS = {
    "google.protobuf.FieldMask",
    "google.protobuf.Timestamp",
    "google.protobuf.Duration",
}
_WELL_KNOWN_ANY = {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.Any"}


def _proto_message_node(descriptor: Any) -> Node:
    full = descriptor.full_name
    if full in _WELL_KNOWN_STRINGS:
        return Node("scalar", f"string ({full})")
    if full in _WELL_KNOWN_ANY or full == "google.protobuf.ListValue":
        return Node("any", full)
    if full.startswith("google.protobuf.") and full.endswith("Value"):
        return Node("scalar", full)  # wrappers are plain JSON values

    def fields() -> dict[str, Node]:
        return {f.json_name: _proto_field_node(f) for f in descriptor.fields}

    def aliases() -> dict[str, str]:
        return {f.name: f.json_name for f in descriptor.fields if f.name != f.json_name}

    return Node("object", descriptor.name, fields=fields, aliases=aliases)


def _proto_field_node(field: Any, *, as_element: bool = False) -> Node:
    message = field.message_type
    repeated = _is_repeated(field)
    if repeated and not as_element:
        if message is not None and message.GetOptions().map_entry:
            value = _proto_field_node(message.fields_by_name["value"])
            return Node("map", f"map of {value.label}", item=lambda: value)
        element = _proto_field_node(field, as_element=True)
        return Node("list", f"list of {element.label}", item=lambda: element)
    if message is not None:
        return _proto_message_node(message)
    if field.enum_type is not None:
        return Node("scalar", f"enum {field.enum_type.name}")
    return Node("scalar", _PROTO_SCALARS.get(field.type, "value"))


def _is_repeated(field: Any) -> bool:
    flag = getattr(field, "is_repeated", None)
    if flag is not None:
        return bool(flag)
    return bool(field.label == field.LABEL_REPEATED)


_PROTO_SCALARS = {
    1: "double",
    2: "float",
    3: "int64 (a JSON string)",
    4: "uint64 (a JSON string)",
    5: "int32",
    8: "bool",
    9: "string",
    12: "bytes (a base64 string)",
    13: "uint32",
}


@lru_cache(maxsize=1)
def _google_ads_pool() -> Any:
    from importlib import import_module

    from google.protobuf import descriptor_pool

    for module in _GOOGLE_ADS_MODULES:
        import_module(f"google.ads.googleads.{GOOGLE_ADS_VERSION}.{module}")
    return descriptor_pool.Default()


def _google_ads_schema(name: str) -> tuple[Node, str]:
    try:
        pool = _google_ads_pool()
    except ImportError as exc:
        raise SchemaError(f"the google-ads library is not installed ({exc})") from None
    candidates = (
        [name]
        if name.startswith("google.")
        else [f"google.ads.googleads.{GOOGLE_ADS_VERSION}.{pkg}.{name}" for pkg in _GOOGLE_ADS_PACKAGES]
    )
    for full in candidates:
        try:
            descriptor = pool.FindMessageTypeByName(full)
        except KeyError:
            continue
        return _proto_message_node(descriptor), f"google-ads {GOOGLE_ADS_VERSION}"
    raise SchemaError(f"google-ads {GOOGLE_ADS_VERSION} has no message {name!r}")


def resolve_schema(response: str) -> tuple[Node, str]:
    """`api:Type` → (root node, a description of where it came from); SchemaError if unknown."""
    api, sep, name = response.partition(":")
    if not sep or not api or not name:
        raise SchemaError(
            f"{response!r} is not of the form api:Type (google-ads:SearchGoogleAdsResponse, "
            "searchconsole:SitesListResponse)"
        )
    if api == "google-ads":
        return _google_ads_schema(name)
    return _discovery_schema(api, name)


# --------------------------------------------------------------------------- walking a path


def _check(path: str, root: Node, origin: str) -> str | None:
    """None when `path` reaches values in `root`; else what is wrong, in words."""
    try:
        segments = parse_path(path)
    except ValueError as exc:
        return str(exc)
    node, where = root, root.label
    for seg in segments:
        if node.kind == "any":
            return None
        if isinstance(seg, str):
            if node.kind == "map":
                assert node.item is not None
                node, where = node.item(), f"{where}.{seg}"
                continue
            if node.kind == "list":
                return f"{where} is a list: write {seg!r} after '[]' ({where}[].{seg})"
            if node.kind != "object":
                return f"{seg!r} follows {where}, {_a(node.label)}: it has no fields"
            assert node.fields is not None
            fields = node.fields()
            child = fields.get(seg)
            if child is None:
                alias = node.aliases().get(seg) if node.aliases is not None else None
                if alias is not None:
                    return f"{seg!r} is the proto field name; the JSON name in {node.label} is {alias!r}"
                close = difflib.get_close_matches(seg, list(fields), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                return f"{seg!r} names no field of {node.label} ({origin}){hint}"
            node, where = child, seg
        else:
            if node.kind != "list":
                return f"'[]' after {where}, which is {_a(node.label)}, not a list"
            assert node.item is not None
            node, where = node.item(), f"{where}[]"
    if node.kind == "object":
        return (
            f"the path ends at {where}, {_a(node.label)} object: a path rule applies to values; name a field"
        )
    if node.kind == "list" and node.item is not None and node.item().kind == "object":
        return f"the path ends at {where}, {_a(node.label)}: a path rule applies to values; name a field"
    return None


def _a(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"


# --------------------------------------------------------------------------- the policy file


def _mapping_get(node: Any, key: str) -> tuple[Any, Any] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


@dataclass(frozen=True)
class _Binding:
    tool: str
    response: str
    line: int
    paths: tuple[tuple[str, int], ...]  # (path, line)


def _bindings(text: str) -> list[_Binding]:
    """Every tool rule with a `response`, with its paths and their lines."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    tools = _mapping_get(root, "tools")
    if tools is None or not isinstance(tools[1], yaml.MappingNode):
        return []
    out = []
    for tool_key, spec in tools[1].value:
        response = _mapping_get(spec, "response")
        if response is None or not isinstance(response[1], yaml.ScalarNode):
            continue
        paths: list[tuple[str, int]] = []
        fields = _mapping_get(spec, "fields")
        rules = fields[1].value if fields is not None and isinstance(fields[1], yaml.SequenceNode) else []
        for rule in rules:
            found = _mapping_get(rule, "paths")
            if found is None or not isinstance(found[1], yaml.SequenceNode):
                continue
            paths += [
                (str(n.value), n.start_mark.line + 1)
                for n in found[1].value
                if isinstance(n, yaml.ScalarNode)
            ]
        out.append(
            _Binding(
                str(tool_key.value), str(response[1].value), response[1].start_mark.line + 1, tuple(paths)
            )
        )
    return out


def checked_path_count(source: str | Path, text: str | None = None) -> int:
    """How many field paths of this policy file have a response schema to be checked against."""
    if text is None:
        text = Path(source).read_text(encoding="utf-8")
    return sum(len(b.paths) for b in _bindings(text))


def validate_paths(source: str | Path, text: str | None = None) -> list[Problem]:
    """The problems of one policy file's tool paths against their `response` schemas (none: all good).

    `text` is the file's content (read from `source` when None). A file that is not valid YAML gives no
    problems here: loading the policy reports that.
    """
    name = str(source)
    if text is None:
        text = Path(source).read_text(encoding="utf-8")
    problems: list[Problem] = []
    for binding in _bindings(text):
        try:
            schema, origin = resolve_schema(binding.response)
        except SchemaError as exc:
            problems.append(Problem(name, binding.line, binding.tool, None, str(exc)))
            continue
        for path, line in binding.paths:
            message = _check(path, schema, origin)
            if message is not None:
                problems.append(Problem(name, line, binding.tool, path, message))
    return problems
