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


def test_merge_keeps_the_strongest_status_and_unites_list_facts():
    from openness_gate.findings import Evidence, Finding, merge

    paper = Finding("docs.publication", "linked", (Evidence("arXiv id in the card", "README.md", 3, "https://arxiv.org/abs/1"),),
                    {"kinds": ["paper"], "source": "card"})
    report = Finding("docs.publication", "present", (Evidence("technical report", "report.pdf"),),
                     {"kinds": ["technical_report"], "source": "file"})
    merged = merge([paper, report])
    assert merged.status == "present"
    assert [e.path for e in merged.evidence] == ["report.pdf", "README.md"]
    assert merged.facts == {"kinds": ["technical_report", "paper"], "source": "file"}
