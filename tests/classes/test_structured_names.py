"""Person names in structured text (`structured_names`), through the real to-client chain of a default
install: vCards, LDAP entries and mail headers (MIME encoded words included), names cut or framed by
Markdown and HTML emphasis, and logins made of name parts in home folders and user-id attributes. The
given name and the surname both go; markup around ordinary words and system folders stay as written."""

from __future__ import annotations

from random import Random

from hypothesis import given

from proxy.detect.batch_scan import BATCH
from tests.classes.case import Case, call, tool_result
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness
from tests.classes.strategies import cases
from tests.classes.structured_names import (
    _login,
    _login_planted,
    _name,
    _system_written_login,
    names_in_paths_and_logins,
)


@class_settings(60)
@given(case=cases("names-directory"))
def test_names_in_vcards_ldap_entries_and_mail_headers_are_tokenized_given_name_and_surname(
    fresh: ChainHarness, case: Case
) -> None:
    assert_no_leak(fresh, case)


@class_settings(60)
@given(case=cases("names-markup"))
def test_a_name_cut_or_framed_by_emphasis_is_tokenized_whole_and_markup_on_words_stays(
    fresh: ChainHarness, case: Case
) -> None:
    assert_no_leak(fresh, case)


def test_logins_of_name_parts_in_home_folders_and_user_id_attributes_are_tokenized_and_system_folders_stay(
    fresh: ChainHarness,
) -> None:
    """Seeded: a login whose parts a name list knows (`maria.gonzalez`, `maria_gonzalez`, `mariagonzalez`,
    `m.gonzalez`, `C:\\Users\\Maria Gonzalez`) meets the names bar (≤ 5 % readable); an initial glued to a
    surname no name list knows (`mfliegner`) reads as a service account's name (`nginx`, `avahi`), by
    design, and is only reported; so is a handle without its `@` whose parts no name list knows. No
    system or service folder may change."""
    rng = Random(20261206)
    outcomes = [fresh.run(names_in_paths_and_logins(rng)) for _ in range(400)]
    decidable = [
        o
        for o in outcomes
        if not o.case.label.endswith((":flast", ":bare")) or o.case.label.startswith("system-login:")
    ]
    leaked = [o.summary() for o in decidable if o.leaked]
    altered = [o.summary() for o in outcomes if o.altered]
    bare = [o for o in outcomes if o.case.label.endswith(":bare")]
    assert altered == []
    assert len(leaked) <= 0.05 * len(decidable), leaked
    # Without its `@`, a handle needs a name list's given name and census surname (code writes
    # `config_file`, `max_len` so): most are found, the rest reported.
    assert sum(not o.leaked for o in bare) >= 0.5 * len(bare)


def _lower_case_login(rng: Random) -> Case:
    """A short lower-case line holding a login, as one row of a result with more strings than the
    detector's batch pre-scan threshold (`batch_scan.BATCH`): the pre-scan decides which strings are
    looked at, and nothing here has a capital, its cue for a name."""
    first, last = _name(rng)
    login = _login(rng, first, last)
    line = rng.choice(["/home/{l}/", "/users/{l}/", "uid: {l}", "login: {l}", "c:\\users\\{l}\\"]).format(
        l=login
    )
    rows = [f"row {i}: ok" for i in range(BATCH + 8)] + [line]
    message = call(tool_result(structured={"rows": rows}), "list_users")
    return Case("names-paths", [message], [_login_planted(login)], label=line.split(login)[0])


def test_a_lower_case_login_among_many_strings_is_tokenized(fresh: ChainHarness) -> None:
    """Seeded: `/home/maria.gonzalez/`, `uid: maria_gonzalez` in a large result, logins of the forms a
    name list decides (an initial glued to an unknown surname aside) meet the names bar."""
    rng = Random(20261207)
    outcomes = [fresh.run(_lower_case_login(rng)) for _ in range(80)]
    leaked = [o.case.label for o in outcomes if o.leaked]
    assert len(leaked) <= 0.15 * len(outcomes), leaked


def test_logins_where_systems_write_accounts_are_tokenized_and_service_accounts_stay(
    fresh: ChainHarness,
) -> None:
    """Seeded: `CORP\\mgonzalez` (and JSON's `CORP\\\\mgonzalez`), `mgonzalez@CORP`, a shell prompt's
    `mgonzalez@laptop:~$`, `owner=jsmith` in logfmt and query strings, `--user maria.gonzalez`, a passwd line
    (login, comment field's name, home folder), in every login form (an initial glued to a surname no name
    list knows included: the place names a person's account), meet the names bar; `NT AUTHORITY\\SYSTEM`,
    `user=root`, `owner=www-data`, `user=nginx`, `lodash@latest`, a system passwd entry stay as written."""
    rng = Random(20261208)
    outcomes = [fresh.run(_system_written_login(rng, *_name(rng))) for _ in range(200)]
    leaked = [o.summary() for o in outcomes if o.leaked]
    altered = [o.summary() for o in outcomes if o.altered]
    assert altered == []
    assert len(leaked) <= 0.05 * len(outcomes), leaked
