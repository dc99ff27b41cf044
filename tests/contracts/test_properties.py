"""Properties every compatibility checker must have, on generated Avro and JSON Schemas."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.contracts.findings import is_breaking
from steward.contracts.modes import Mode, check_history
from tests.contracts.strategies import avro_schemas, json_schemas

SCHEMAS = {"avro": avro_schemas(), "jsonschema": json_schemas()}
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _any_format_schema() -> st.SearchStrategy[tuple[str, str]]:
    return st.sampled_from(sorted(SCHEMAS)).flatmap(lambda f: st.tuples(st.just(f), SCHEMAS[f]))


def _any_format_pair() -> st.SearchStrategy[tuple[str, str, str]]:
    return st.sampled_from(sorted(SCHEMAS)).flatmap(
        lambda f: st.tuples(st.just(f), SCHEMAS[f], SCHEMAS[f])
    )


@PROPERTY_SETTINGS
@given(_any_format_schema())
def test_every_schema_is_compatible_with_itself_under_every_mode(case: tuple[str, str]) -> None:
    format, schema = case
    for mode in Mode:
        assert check_history(format, [schema, schema], mode.value) == []
        assert check_history(format, [schema, schema, schema], mode.value) == []


@PROPERTY_SETTINGS
@given(_any_format_pair())
def test_backward_from_a_to_b_is_forward_from_b_to_a(case: tuple[str, str, str]) -> None:
    format, a, b = case
    backward = check_history(format, [a, b], "BACKWARD")
    forward = check_history(format, [b, a], "FORWARD")
    assert is_breaking(backward) == is_breaking(forward)
    assert [f.rule for f in backward] == [f.rule for f in forward]


@PROPERTY_SETTINGS
@given(_any_format_pair())
def test_full_is_backward_and_forward(case: tuple[str, str, str]) -> None:
    format, a, b = case
    full = check_history(format, [a, b], "FULL")
    both = check_history(format, [a, b], "BACKWARD") + check_history(format, [a, b], "FORWARD")
    assert full == both
