"""YAML from untrusted repositories: size-capped, alias-capped, YAML-1.1 surprises tamed.

``yaml.safe_load`` itself survives a billion-laughs document (aliases become shared
references), but anything that later walks or serialises the result explodes. We refuse
documents with more than a handful of aliases instead: real model cards and configs
essentially never use anchors.
"""

from __future__ import annotations

from functools import lru_cache

from openness_gate import lazyre

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_ALIASES = 50
MAX_BYTES = 256 * 1024

_BOOL_1_2 = lazyre.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class YamlError(ValueError):
    """The YAML could not be loaded; the message says why and where (line numbers are 1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _yaml_1_2_booleans(cls: type) -> type:
    """Only true/false are booleans (YAML 1.2), so `language: no` (Norwegian) stays a string."""
    resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:bool"] for k, v in cls.yaml_implicit_resolvers.items()}
    cls.yaml_implicit_resolvers = resolvers
    cls.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL_1_2, list("tTfF"))
    return cls


@lru_cache(maxsize=1)
def _loaders() -> tuple[type, type]:
    """(fast C loader, alias-counting loader), made on the first parse: importing PyYAML costs
    ~18 ms, and most repositories hold no YAML a check parses (ours is pre-parsed, see
    ``policy.frozen``); half of that is compiling its patterns, which ``sre_cache`` keeps."""
    from openness_gate import sre_cache

    with sre_cache.seeding("yaml"):
        import yaml

    @_yaml_1_2_booleans
    class FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    @_yaml_1_2_booleans
    class CappedLoader(yaml.SafeLoader):
        """SafeLoader that counts alias events while composing and stops past MAX_ALIASES."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
            if self.check_event(yaml.AliasEvent):
                self._aliases += 1
                if self._aliases > MAX_ALIASES:
                    mark = self.peek_event().start_mark
                    raise YamlError(f"more than {MAX_ALIASES} YAML aliases (possible alias bomb)", mark.line + 1)
            return super().compose_node(parent, index)

    return FastLoader, CappedLoader


def load(text: str, *, max_bytes: int = MAX_BYTES, what: str = "YAML") -> Any:
    """Parse one YAML document safely. Raises YamlError with a one-line reason."""
    if len(text) > max_bytes:
        raise YamlError(f"{what} is {len(text)} characters, over the {max_bytes} limit")
    fast, capped = _loaders()  # imports PyYAML, once
    import yaml

    # The fast C loader cannot count aliases; use it only when the text has no alias at all.
    loader = fast if "*" not in text else capped
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe loaders
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"{problem}" + (f" (line {line})" if line else ""), line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    except RecursionError:
        raise YamlError(f"{what} nests too deeply") from None
