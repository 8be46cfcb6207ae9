import json

from openness_gate import taxonomy


def test_thirty_components_in_six_dimensions():
    assert len(taxonomy.COMPONENTS) == 30
    assert len({c.id for c in taxonomy.COMPONENTS}) == 30
    assert {c.dimension for c in taxonomy.COMPONENTS} == set(taxonomy.DIMENSIONS)
    for c in taxonomy.COMPONENTS:
        assert c.title and c.description and c.fix, c.id


def test_schema_enumerates_exactly_the_taxonomy():
    from importlib.resources import files

    schema = json.loads(files("openness_gate.schemas").joinpath("report.schema.json").read_text())
    assert schema["$defs"]["component"]["properties"]["id"]["enum"] == [c.id for c in taxonomy.COMPONENTS]
