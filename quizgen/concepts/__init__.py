"""Known ML concepts: recognised in notes, checked against their standard form, and turned into
numeric question variants whose answers are verified by two independent exact routes.

Importing this package does not import sympy (it costs ~0.7 s); only generating variants and
checking formulas do.
"""

from quizgen.concepts.base import Concept
from quizgen.concepts.check import FormulaCheck, check_formula
from quizgen.concepts.registry import CONCEPT_NAMES, get, make_variants, recognise
from quizgen.concepts.stress import StressReport, stress

__all__ = [
    "CONCEPT_NAMES",
    "Concept",
    "FormulaCheck",
    "StressReport",
    "check_formula",
    "get",
    "make_variants",
    "recognise",
    "stress",
]
