"""Tool and method names come from the model: they are screened before they reach audit rows, logs and
metric labels, and the verdict is remembered only while the session's known values stand."""

from __future__ import annotations

from proxy.detect.known import MIN_LENGTH


def test_a_name_is_screened_again_once_the_session_learns_a_value_it_holds(engine):
    session = engine.open_session(backend="test-backend", actor="test")
    name = "report-for-zenith-dental-group"
    assert session.safe_name(name) == name
    assert session.safe_name(name) == name  # remembered
    session.learn([("ACCOUNT_NAME", "zenith-dental-group")])
    assert len("zenith-dental-group") >= MIN_LENGTH
    assert session.safe_name(name) == "(redacted)"


def test_a_name_with_personal_data_or_too_long_is_redacted(engine):
    session = engine.open_session(backend="test-backend", actor="test")
    assert session.safe_name("mail jane@acme.example") == "(redacted)"
    assert session.safe_name("x" * 129) == "(redacted)"
    assert session.safe_name(None) is None
