"""The rule library: every rule type a rubric file may name, registered by ``type``.

Importing this package registers all built-in types (tier, award, deduct, judged, rank, average,
events, direct, ...). ``REGISTRY`` maps type names to classes; ``rule_class(name)`` fails naming the
registry when a type is unknown.
"""
from scoring.rules import applicable, average, deduct, events, rank, ratio, simple  # noqa: F401  (registration)
from scoring.rules.base import REGISTRY, ItemSpec, Rule, register, rule_class

__all__ = ["REGISTRY", "ItemSpec", "Rule", "register", "rule_class"]
