"""The fake agency data is deterministic, realistic in shape, and its checksummed values really validate."""

from __future__ import annotations

import json
import random
import re

import pytest

from examples import fakedata
from examples.fakedata import (
    agency,
    format_customer_id,
    iban_is_valid,
    luhn_is_valid,
    make_card_number,
    make_iban,
    normalize_customer_id,
    search_analytics_response,
    search_analytics_rows,
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _fresh(seed: int) -> fakedata.Agency:
    return agency.__wrapped__(seed)  # bypass the cache: build it again from scratch


def test_the_same_seed_builds_identical_agency_data_every_time():
    assert _fresh(7) == _fresh(7) == agency(7)


def test_different_seeds_build_different_customer_ids():
    ids_7 = {c.customer_id for c in agency(7).customers}
    ids_8 = {c.customer_id for c in agency(8).customers}
    assert ids_7.isdisjoint(ids_8)


def test_the_first_customer_is_the_agency_manager_account_and_the_rest_are_clients():
    world = agency(7)
    assert world.manager.manager is True
    assert len(world.clients) == 10
    assert not any(c.manager for c in world.clients)
    assert {c.descriptive_name for c in world.clients} >= {"Acme Plumbing LLC", "Müller Bäckerei GmbH"}


def test_customer_ids_are_unique_ten_digit_strings_shown_with_dashes():
    world = agency(7)
    ids = [c.customer_id for c in world.customers]
    assert len(set(ids)) == len(ids)
    for customer in world.customers:
        assert re.fullmatch(r"[1-9]\d{9}", customer.customer_id)
        assert re.fullmatch(r"\d{3}-\d{3}-\d{4}", customer.display_id)
        assert customer.display_id.replace("-", "") == customer.customer_id


def test_customer_ids_normalize_from_dashed_and_resource_name_forms():
    assert normalize_customer_id("123-456-7890") == "1234567890"
    assert normalize_customer_id(" customers/1234567890 ") == "1234567890"
    assert format_customer_id("1234567890") == "123-456-7890"
    with pytest.raises(ValueError):
        normalize_customer_id("12345")


def test_customer_lookup_accepts_every_id_form_and_returns_none_for_unknown_ids():
    world = agency(7)
    acme = world.clients[0]
    assert world.customer(acme.customer_id) is acme
    assert world.customer(acme.display_id) is acme
    assert world.customer(acme.resource_name) is acme
    assert world.customer("0000000000") is None
    assert world.customer("[[CUSTOMER_ID:k7q2m9x4tz3b8w]]") is None


def test_accounts_use_their_own_currency_and_time_zone():
    by_name = {c.descriptive_name: c for c in agency(7).customers}
    assert (by_name["Müller Bäckerei GmbH"].currency_code, by_name["Müller Bäckerei GmbH"].time_zone) == (
        "EUR",
        "Europe/Berlin",
    )
    assert by_name["Brightside Dental Ltd"].currency_code == "GBP"
    assert by_name["Acme Plumbing LLC"].currency_code == "USD"


def test_every_client_has_campaigns_whose_resource_names_follow_the_google_ads_pattern():
    world = agency(7)
    for customer in world.clients:
        campaigns = world.campaigns_for(customer.customer_id)
        assert 3 <= len(campaigns) <= 6
        for campaign in campaigns:
            assert re.fullmatch(
                rf"customers/{customer.customer_id}/campaigns/\d{{11}}", campaign.resource_name
            )
            assert campaign.status in {"ENABLED", "PAUSED"}
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", campaign.start_date)
    assert world.campaigns_for(world.manager.customer_id) == ()


def test_campaign_names_often_embed_the_account_name():
    world = agency(7)
    campaigns = [c for cust in world.clients for c in world.campaigns_for(cust.customer_id)]
    embedding = [c for c in campaigns if world.customer(c.customer_id).descriptive_name in c.name]
    assert len(embedding) >= len(world.clients)  # every "<account> – Brand – Search" at least
    assert len(embedding) < len(campaigns)


def test_campaign_metrics_are_integers_with_float_ctr_and_some_eleven_digit_cost_micros():
    world = agency(7)
    rows = [c.to_api(cust) for cust in world.clients for c in world.campaigns_for(cust.customer_id)]
    for row in rows:
        metrics = row["metrics"]
        assert all(isinstance(metrics[k], int) for k in ("impressions", "clicks", "costMicros"))
        assert isinstance(metrics["ctr"], float)
        assert 0 < metrics["ctr"] < 1
        assert metrics["clicks"] <= metrics["impressions"]
    assert any(len(str(r["metrics"]["costMicros"])) == 11 for r in rows)


def test_search_console_sites_include_url_prefix_and_domain_properties():
    sites = [s.site_url for s in agency(7).sites]
    assert "https://www.acme-plumbing.example/" in sites
    assert any(s.startswith("sc-domain:") for s in sites)
    assert all(s.startswith(("https://www.", "sc-domain:")) for s in sites)


def test_crm_contacts_have_names_emails_phones_and_notes_mentioning_other_people():
    world = agency(7)
    assert len(world.contacts) >= 20
    assert len({c.contact_id for c in world.contacts}) == len(world.contacts)
    for contact in world.contacts:
        assert len(contact.full_name.split()) >= 2
        assert _EMAIL.fullmatch(contact.email)
        assert contact.notes
    notes_with_email = [c for c in world.contacts if _EMAIL.search(c.notes)]
    assert len(notes_with_email) >= len(world.contacts) // 2


def test_phone_numbers_come_in_us_uk_and_german_formats():
    world = agency(7)
    phones = [c.phone_number for c in world.contacts] + [c.contact_phone for c in world.customers]
    joined = " ".join(phones)
    assert "+1" in joined or "(" in joined
    assert "+44" in joined or "020 " in joined or "0118 " in joined
    assert "+49" in joined or re.search(r"\b0[1-9]\d", joined)
    assert len({re.sub(r"\d", "9", p) for p in phones}) >= 6  # several distinct layouts


def test_phone_numbers_are_valid_for_libphonenumber():
    phonenumbers = pytest.importorskip("phonenumbers")
    world = agency(7)
    regions = {c.customer_id: c.country for c in world.customers}
    pairs = [(c.phone_number, regions[c.customer_id]) for c in world.contacts]
    pairs += [(c.contact_phone, c.country) for c in world.customers]
    for phone, region in pairs:
        parsed = phonenumbers.parse(phone, region)
        assert phonenumbers.is_valid_number(parsed), phone


def test_every_iban_in_the_crm_notes_passes_the_mod_97_check():
    world = agency(7)
    assert len(world.ibans) >= 3
    notes = " ".join(c.notes for c in world.contacts).replace(" ", "")
    for iban in world.ibans:
        assert iban_is_valid(iban)
        assert iban in notes
    assert {iban[:2] for iban in world.ibans} <= {"DE", "GB"}


def test_every_card_number_in_the_crm_notes_passes_the_luhn_check():
    world = agency(7)
    assert len(world.card_numbers) >= 3
    notes = re.sub(r"[ -]", "", " ".join(c.notes for c in world.contacts))
    for card in world.card_numbers:
        assert luhn_is_valid(card)
        assert card in notes


def test_generated_ibans_and_cards_validate_for_many_seeds():
    rng = random.Random(99)
    for _ in range(500):
        assert iban_is_valid(make_iban(rng, rng.choice(("DE", "GB"))))
        assert luhn_is_valid(make_card_number(rng))


def test_the_validators_reject_a_corrupted_iban_and_card_and_accept_known_examples():
    assert iban_is_valid("DE89 3704 0044 0532 0130 00")
    assert iban_is_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_is_valid("DE89 3704 0044 0532 0130 01")
    assert luhn_is_valid("4111 1111 1111 1111")
    assert not luhn_is_valid("4111 1111 1111 1112")


def test_crm_search_matches_names_emails_companies_and_phone_digits():
    world = agency(7)
    contact = world.contacts[4]
    assert contact in world.search_contacts(contact.full_name.upper())
    assert contact in world.search_contacts(contact.email)
    assert contact in world.search_contacts(re.sub(r"\D", "", contact.phone_number)[-7:])
    assert all(c.company == contact.company for c in world.search_contacts(contact.company))
    assert world.search_contacts("no such person anywhere") == []


def test_search_analytics_rows_have_the_api_shape():
    rows = search_analytics_rows(200, seed=1)
    assert len(rows) == 200
    for row in rows:
        assert set(row) == {"keys", "clicks", "impressions", "ctr", "position"}
        query, page = row["keys"]
        assert query and page.startswith("https://www.acme-plumbing.example/")
        assert isinstance(row["clicks"], int) and isinstance(row["impressions"], int)
        assert row["clicks"] <= row["impressions"]
        assert row["ctr"] == pytest.approx(row["clicks"] / row["impressions"])
        assert row["position"] >= 1
    assert [r["clicks"] for r in rows] == sorted((r["clicks"] for r in rows), reverse=True)


def test_search_analytics_rows_are_deterministic_and_unique_per_query_and_page():
    first, again = search_analytics_rows(3000, seed=5), search_analytics_rows(3000, seed=5)
    assert first == again
    assert first != search_analytics_rows(3000, seed=6)
    assert len({tuple(r["keys"]) for r in first}) == 3000


def test_search_analytics_rows_use_the_vocabulary_of_the_requested_site():
    rows = search_analytics_rows(100, seed=1, site_url="sc-domain:mueller-baeckerei.example")
    assert all(r["keys"][1].startswith("https://www.mueller-baeckerei.example/") for r in rows)


def test_some_search_queries_contain_an_email_or_a_person_name():
    rows = search_analytics_rows(5000, seed=7)
    queries = {r["keys"][0] for r in rows}
    assert any(_EMAIL.search(q) for q in queries)
    first_names = {n.lower() for names in fakedata._FIRST_NAMES.values() for n in names}
    assert sum(1 for q in queries if q.split()[0] in first_names) >= 5


def test_a_25000_row_search_analytics_response_is_between_4_and_6_megabytes():
    response = search_analytics_response(25_000, seed=7)
    assert set(response) == {"rows", "responseAggregationType"}
    assert response["responseAggregationType"] == "byPage"
    assert len(response["rows"]) == 25_000
    compact = json.dumps(response, ensure_ascii=False, separators=(",", ":")).encode()
    assert 4_000_000 <= len(compact) <= 6_000_000
    assert 4_000_000 <= len(json.dumps(response).encode()) <= 6_000_000


def test_a_25000_row_response_repeats_its_strings_like_real_search_console_data():
    rows = search_analytics_rows(25_000, seed=7)
    distinct = {s for r in rows for s in r["keys"]}
    assert 3_000 <= len(distinct) <= 10_000
