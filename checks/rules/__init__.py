"""The rule families, imported in this explicit order (registration happens at import)."""

from checks.rules import (  # noqa: F401
    values,
    provenance,
    coverage,
    units,
    targets,
    periods,
    scopes,
    same_figure,
    part_whole,
    derived,
    plausibility,
    metadata,
    source_text,
    outcomes,
    growth,
)
from checks.engine import REGISTRY

RULES = list(REGISTRY.values())
FAMILIES = sorted({r.family for r in RULES})
