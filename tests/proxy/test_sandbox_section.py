"""The policy's `sandbox:` section read alone, before the schema loads (`proxy.sandbox_section`): for any
section, it either gives exactly the sandbox the full loader gives or declines (None), never another one (a
file the full loader refuses refuses the start, whatever was read early: `proxy.cli.run`)."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.errors import PolicyError
from proxy.policy import load_policy
from proxy.sandbox_section import early_sandbox, start_fields
from proxy.shipped import shipped_policy_files

_PLAIN = {
    "env": st.sampled_from(["inherit", "scrub"]),
    "on_exit": st.sampled_from(["end", "restart"]),
    "network": st.sampled_from(["none", "host"]),
    "isolate": st.booleans(),
    "env_allow": st.lists(st.from_regex(r"[A-Z][A-Z0-9_]{0,10}\*?", fullmatch=True), max_size=3),
    "writable": st.lists(st.sampled_from(["/tmp", "/var/tmp"]), max_size=2),
    "limits": st.fixed_dictionaries(
        {},
        optional={
            "address_space_mb": st.integers(17, 4096),
            "cpu_seconds": st.integers(1, 600),
            "open_files": st.integers(9, 4096),
        },
    ),
}
# What a hand-written file may hold instead: other types, out-of-range numbers, unknown options, nulls.
_ODD = st.one_of(
    st.none(),
    st.integers(-5, 20),
    st.text(max_size=6),
    st.booleans(),
    st.lists(st.one_of(st.text(max_size=4), st.integers()), max_size=2),
    st.fixed_dictionaries(
        {},
        optional={
            "cpu_seconds": st.one_of(st.integers(-1, 2), st.sampled_from(["5", "60", "x"]), st.booleans()),
            "open_files": st.one_of(st.floats(10, 100), st.sampled_from(["64"])),
        },
    ),
    st.floats(allow_nan=False, max_value=1e6, min_value=-1e6),
)


@st.composite
def sections(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.one_of(st.none(), st.text(max_size=5), st.lists(st.integers(), max_size=2)))
    keys = draw(st.lists(st.sampled_from([*_PLAIN, "unknown_option"]), unique=True, max_size=5))
    out = {}
    for key in keys:
        odd = key == "unknown_option" or draw(st.integers(0, 4)) == 0
        out[key] = draw(_ODD) if odd else draw(_PLAIN[key])
    return out


def _full(files: list[Path]) -> object:
    try:
        return start_fields(load_policy(files).sandbox)
    except PolicyError:
        return "refused"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=sections(), second=sections())
def test_the_sandbox_read_alone_is_the_full_loaders_or_nothing(tmp_path_factory, first, second):
    where = tmp_path_factory.mktemp("policies")
    files = [*shipped_policy_files()]
    for i, section in enumerate((first, second)):
        path = where / f"p{i}.yaml"
        path.write_text(yaml.safe_dump({"version": 1, "name": "t", "sandbox": section}))
        files.append(path)
    early = early_sandbox(files)
    full = _full(files)
    if early is not None and full != "refused":  # (refused: the start is, whatever was read early)
        assert early == full


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({}, optional=_PLAIN))
def test_a_plainly_valid_section_is_settled_without_the_schema(tmp_path_factory, section):
    path = tmp_path_factory.mktemp("policies") / "p.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "name": "t", "sandbox": section}))
    files = [*shipped_policy_files(), path]
    assert early_sandbox(files) == _full(files)


def test_a_file_that_does_not_parse_leaves_the_reading_to_the_full_loader(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("sandbox: {env: [\n")
    assert early_sandbox([*shipped_policy_files(), path]) is None
    assert early_sandbox([tmp_path / "missing.yaml"]) is None
