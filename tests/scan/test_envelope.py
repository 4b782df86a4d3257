"""Class: a backend's request ids and method names are screened through the real relay (fail closed)."""

import anyio
import mcp_types as types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adversarial.adv_harness import dump, notification, raw_relay, request
from tests.scan.generators import emails


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _settle(ends, n_client: int, n_backend: int) -> None:
    with anyio.move_on_after(3):
        while len(ends.to_client) < n_client or len(ends.to_backend) < n_backend:
            await anyio.sleep(0.01)


def test_personal_data_in_a_backend_request_id_or_method_name_never_reaches_the_client(engine):
    session = engine.open_session(backend="envelope", actor="test")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(emails, st.sampled_from(["id", "method", "notification"]), st.booleans())
    def check(value, where, with_params):
        params = {"note": "hello"} if with_params else None

        async def scenario() -> None:
            async with raw_relay(session) as ends:
                if where == "id":
                    await ends.backend(request(f"req-{value}", "roots/list", params))
                elif where == "method":
                    await ends.backend(request(9, f"x/{value}", params))
                else:
                    await ends.backend(notification(f"notifications/{value}", params))
                await ends.backend(request(10, "roots/list"))  # a plain one still passes
                await _settle(ends, 1, 1 if where != "notification" else 0)
            seen = "".join(dump(m) for m in ends.to_client)
            assert value not in seen
            assert any(
                isinstance(m.message, types.JSONRPCRequest) and m.message.id == 10 for m in ends.to_client
            )
            if where != "notification":  # the backend's request is answered with an error at once
                assert any(isinstance(m.message, types.JSONRPCError) for m in ends.to_backend)

        anyio.run(scenario)

    check()
