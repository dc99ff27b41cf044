"""CVSS base scores from vector strings, as FIRST's specifications compute them.

* CVSS v3.0 and v3.1 (``CVSS:3.x/AV:N/AC:L/…``): the base-score equations of section 7 of each
  specification; v3.1 differs from v3.0 only in its ``Roundup`` (Appendix A of v3.1), which
  avoids floating-point surprises. Temporal and environmental metrics are read and checked but do
  not change the *base* score.
* CVSS v4.0 (``CVSS:4.0/AV:N/AC:L/AT:N/…``): the MacroVector method of section 8 of the
  specification: the vector's equivalence classes EQ1–EQ6 select a MacroVector whose score comes
  from the table published with the specification, then the vector's severity distance from the
  highest-severity vectors of that MacroVector is interpolated towards the next lower MacroVector.
  Threat and environmental metrics take part as the specification says (unset ``E`` counts as
  ``A``, unset requirements as ``H``, modified metrics replace base ones).

`rating` turns a score into the specifications' qualitative scale. Everything here is pure;
malformed vectors raise `InvalidVector`.

The v4.0 tables (`_MACRO_SCORES`, `_MAX_COMPOSED`, `_MAX_SEVERITY`) are the data of FIRST's
CVSS v4.0 reference calculator (``cvss_lookup.js``, ``max_composed.js``, ``max_severity.js``,
github.com/FIRSTdotorg/cvss-v4-calculator), which the specification names as its reference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from itertools import product

from steward.model import Severity


class InvalidVector(ValueError):
    """A CVSS vector string that is not well formed for its version."""


@lru_cache(maxsize=4096)
def score(vector: str) -> float:
    """The base score of a CVSS v3.0, v3.1 or v4.0 vector; raises `InvalidVector`."""
    if vector.startswith("CVSS:4.0/"):
        return score_v4(vector)
    if vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
        return score_v3(vector)
    raise InvalidVector(f"{vector!r}: not a CVSS v3.x or v4.0 vector")


def rating(value: float) -> Severity:
    """The qualitative rating of a score: 0 none (info), <4 low, <7 medium, <9 high, else critical."""
    if value <= 0.0:
        return Severity.INFO
    if value < 4.0:
        return Severity.LOW
    if value < 7.0:
        return Severity.MEDIUM
    if value < 9.0:
        return Severity.HIGH
    return Severity.CRITICAL


def _metrics(
    vector: str, prefix: str, allowed: Mapping[str, str], mandatory: tuple[str, ...]
) -> dict[str, str]:
    """``vector`` after ``prefix`` as metric → value; each metric once, known, with a known value."""
    body = vector[len(prefix) :]
    found: dict[str, str] = {}
    for part in body.split("/"):
        name, sep, value = part.partition(":")
        if not sep or name not in allowed or len(value) != 1 or value not in allowed[name]:
            raise InvalidVector(f"{vector!r}: bad metric {part!r}")
        if name in found:
            raise InvalidVector(f"{vector!r}: metric {name} given twice")
        found[name] = value
    missing = [name for name in mandatory if name not in found]
    if missing:
        raise InvalidVector(f"{vector!r}: missing {', '.join(missing)}")
    return found


# --- CVSS v3.x ------------------------------------------------------------------------------

_V3_ALLOWED = {
    "AV": "NALP", "AC": "LH", "PR": "NLH", "UI": "NR", "S": "UC", "C": "HLN", "I": "HLN", "A": "HLN",
    "E": "XUPFH", "RL": "XOTWU", "RC": "XURC", "CR": "XLMH", "IR": "XLMH", "AR": "XLMH",
    "MAV": "XNALP", "MAC": "XLH", "MPR": "XNLH", "MUI": "XNR", "MS": "XUC",
    "MC": "XNLH", "MI": "XNLH", "MA": "XNLH",
}  # fmt: skip
_V3_BASE = ("AV", "AC", "PR", "UI", "S", "C", "I", "A")
_AV = {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}
_AC = {"L": 0.77, "H": 0.44}
_PR_UNCHANGED = {"N": 0.85, "L": 0.62, "H": 0.27}
_PR_CHANGED = {"N": 0.85, "L": 0.68, "H": 0.5}
_UI = {"N": 0.85, "R": 0.62}
_CIA = {"H": 0.56, "L": 0.22, "N": 0.0}


def score_v3(vector: str) -> float:
    """The base score of a ``CVSS:3.0/…`` or ``CVSS:3.1/…`` vector; raises `InvalidVector`."""
    minor = vector[len("CVSS:3.") : len("CVSS:3.") + 1]
    if not vector.startswith("CVSS:3.") or minor not in "01" or vector[8:9] != "/":
        raise InvalidVector(f"{vector!r}: not a CVSS v3.0 or v3.1 vector")
    m = _metrics(vector, vector[:9], _V3_ALLOWED, _V3_BASE)
    roundup = _roundup_31 if minor == "1" else _roundup_30
    changed = m["S"] == "C"
    iss = 1 - (1 - _CIA[m["C"]]) * (1 - _CIA[m["I"]]) * (1 - _CIA[m["A"]])
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if changed else 6.42 * iss
    pr = (_PR_CHANGED if changed else _PR_UNCHANGED)[m["PR"]]
    exploitability = 8.22 * _AV[m["AV"]] * _AC[m["AC"]] * pr * _UI[m["UI"]]
    if impact <= 0:
        return 0.0
    total = impact + exploitability
    return roundup(min(1.08 * total if changed else total, 10.0))


def _roundup_30(value: float) -> float:
    """CVSS v3.0 ``Roundup``: the smallest one-decimal number at least ``value``."""
    return math.ceil(value * 10) / 10


def _roundup_31(value: float) -> float:
    """CVSS v3.1 ``Roundup`` (Appendix A): the same, computed on integers to avoid float error."""
    as_int = round(value * 100_000)
    if as_int % 10_000 == 0:
        return as_int / 100_000.0
    return (math.floor(as_int / 10_000) + 1) / 10.0


# --- CVSS v4.0 ------------------------------------------------------------------------------

_V4_ALLOWED = {
    "AV": "NALP", "AC": "LH", "AT": "NP", "PR": "NLH", "UI": "NPA",
    "VC": "HLN", "VI": "HLN", "VA": "HLN", "SC": "HLN", "SI": "HLN", "SA": "HLN",
    "E": "XAPU", "CR": "XHML", "IR": "XHML", "AR": "XHML",
    "MAV": "XNALP", "MAC": "XLH", "MAT": "XNP", "MPR": "XNLH", "MUI": "XNPA",
    "MVC": "XHLN", "MVI": "XHLN", "MVA": "XHLN", "MSC": "XHLN", "MSI": "XSHLN", "MSA": "XSHLN",
    "S": "XNP", "AU": "XNY", "R": "XAUI", "V": "XDC", "RE": "XLMH", "U": "X",
}  # fmt: skip
_V4_ALLOWED["U"] = "X"  # ``U`` takes words (Clear, Green, Amber, Red): checked in `_v4_metrics`
_V4_BASE = ("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA")
_URGENCY = ("X", "Clear", "Green", "Amber", "Red")

_LEVELS: dict[str, dict[str, float]] = {
    "AV": {"N": 0.0, "A": 0.1, "L": 0.2, "P": 0.3},
    "PR": {"N": 0.0, "L": 0.1, "H": 0.2},
    "UI": {"N": 0.0, "P": 0.1, "A": 0.2},
    "AC": {"L": 0.0, "H": 0.1},
    "AT": {"N": 0.0, "P": 0.1},
    "VC": {"H": 0.0, "L": 0.1, "N": 0.2},
    "VI": {"H": 0.0, "L": 0.1, "N": 0.2},
    "VA": {"H": 0.0, "L": 0.1, "N": 0.2},
    "SC": {"H": 0.1, "L": 0.2, "N": 0.3},
    "SI": {"S": 0.0, "H": 0.1, "L": 0.2, "N": 0.3},
    "SA": {"S": 0.0, "H": 0.1, "L": 0.2, "N": 0.3},
    "CR": {"H": 0.0, "M": 0.1, "L": 0.2},
    "IR": {"H": 0.0, "M": 0.1, "L": 0.2},
    "AR": {"H": 0.0, "M": 0.1, "L": 0.2},
}
_EQ_GROUPS = {
    "eq1": ("AV", "PR", "UI"),
    "eq2": ("AC", "AT"),
    "eq3eq6": ("VC", "VI", "VA", "CR", "IR", "AR"),
    "eq4": ("SC", "SI", "SA"),
}

#: Highest-severity vectors of each EQ level (EQ3 and EQ6 together, keyed by EQ3 then EQ6).
_MAX_COMPOSED: dict[str, dict[str, tuple[str, ...]]] = {
    "eq1": {"0": ("AV:N/PR:N/UI:N",), "1": ("AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"),
            "2": ("AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P")},
    "eq2": {"0": ("AC:L/AT:N",), "1": ("AC:H/AT:N", "AC:L/AT:P")},
    "eq3eq6": {
        "00": ("VC:H/VI:H/VA:H/CR:H/IR:H/AR:H",),
        "01": ("VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"),
        "10": ("VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"),
        "11": ("VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
               "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
               "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"),
        "21": ("VC:L/VI:L/VA:L/CR:H/IR:H/AR:H",),
    },
    "eq4": {"0": ("SC:H/SI:S/SA:S",), "1": ("SC:H/SI:H/SA:H",), "2": ("SC:L/SI:L/SA:L",)},
    "eq5": {"0": ("E:A",), "1": ("E:P",), "2": ("E:U",)},
}  # fmt: skip

#: The depth of each EQ level, in steps of 0.1 (EQ3 and EQ6 keyed together).
_MAX_SEVERITY: dict[str, dict[str, int]] = {
    "eq1": {"0": 1, "1": 4, "2": 5},
    "eq2": {"0": 1, "1": 2},
    "eq3eq6": {"00": 7, "01": 6, "10": 8, "11": 8, "21": 10},
    "eq4": {"0": 6, "1": 5, "2": 4},
}

_MACRO_SCORES_TEXT = """
    000000:10 000001:9.9 000010:9.8 000011:9.5 000020:9.5 000021:9.2 000100:10 000101:9.6 000110:9.3
    000111:8.7 000120:9.1 000121:8.1 000200:9.3 000201:9 000210:8.9 000211:8 000220:8.1 000221:6.8
    001000:9.8 001001:9.5 001010:9.5 001011:9.2 001020:9 001021:8.4 001100:9.3 001101:9.2 001110:8.9
    001111:8.1 001120:8.1 001121:6.5 001200:8.8 001201:8 001210:7.8 001211:7 001220:6.9 001221:4.8
    002001:9.2 002011:8.2 002021:7.2 002101:7.9 002111:6.9 002121:5 002201:6.9 002211:5.5 002221:2.7
    010000:9.9 010001:9.7 010010:9.5 010011:9.2 010020:9.2 010021:8.5 010100:9.5 010101:9.1 010110:9
    010111:8.3 010120:8.4 010121:7.1 010200:9.2 010201:8.1 010210:8.2 010211:7.1 010220:7.2 010221:5.3
    011000:9.5 011001:9.3 011010:9.2 011011:8.5 011020:8.5 011021:7.3 011100:9.2 011101:8.2 011110:8
    011111:7.2 011120:7 011121:5.9 011200:8.4 011201:7 011210:7.1 011211:5.2 011220:5 011221:3
    012001:8.6 012011:7.5 012021:5.2 012101:7.1 012111:5.2 012121:2.9 012201:6.3 012211:2.9 012221:1.7
    100000:9.8 100001:9.5 100010:9.4 100011:8.7 100020:9.1 100021:8.1 100100:9.4 100101:8.9 100110:8.6
    100111:7.4 100120:7.7 100121:6.4 100200:8.7 100201:7.5 100210:7.4 100211:6.3 100220:6.3 100221:4.9
    101000:9.4 101001:8.9 101010:8.8 101011:7.7 101020:7.6 101021:6.7 101100:8.6 101101:7.6 101110:7.4
    101111:5.8 101120:5.9 101121:5 101200:7.2 101201:5.7 101210:5.7 101211:5.2 101220:5.2 101221:2.5
    102001:8.3 102011:7 102021:5.4 102101:6.5 102111:5.8 102121:2.6 102201:5.3 102211:2.1 102221:1.3
    110000:9.5 110001:9 110010:8.8 110011:7.6 110020:7.6 110021:7 110100:9 110101:7.7 110110:7.5
    110111:6.2 110120:6.1 110121:5.3 110200:7.7 110201:6.6 110210:6.8 110211:5.9 110220:5.2 110221:3
    111000:8.9 111001:7.8 111010:7.6 111011:6.7 111020:6.2 111021:5.8 111100:7.4 111101:5.9 111110:5.7
    111111:5.7 111120:4.7 111121:2.3 111200:6.1 111201:5.2 111210:5.7 111211:2.9 111220:2.4 111221:1.6
    112001:7.1 112011:5.9 112021:3 112101:5.8 112111:2.6 112121:1.5 112201:2.3 112211:1.3 112221:0.6
    200000:9.3 200001:8.7 200010:8.6 200011:7.2 200020:7.5 200021:5.8 200100:8.6 200101:7.4 200110:7.4
    200111:6.1 200120:5.6 200121:3.4 200200:7 200201:5.4 200210:5.2 200211:4 200220:4 200221:2.2
    201000:8.5 201001:7.5 201010:7.4 201011:5.5 201020:6.2 201021:5.1 201100:7.2 201101:5.7 201110:5.5
    201111:4.1 201120:4.6 201121:1.9 201200:5.3 201201:3.6 201210:3.4 201211:1.9 201220:1.9 201221:0.8
    202001:6.4 202011:5.1 202021:2 202101:4.7 202111:2.1 202121:1.1 202201:2.4 202211:0.9 202221:0.4
    210000:8.8 210001:7.5 210010:7.3 210011:5.3 210020:6 210021:5 210100:7.3 210101:5.5 210110:5.9
    210111:4 210120:4.1 210121:2 210200:5.4 210201:4.3 210210:4.5 210211:2.2 210220:2 210221:1.1
    211000:7.5 211001:5.5 211010:5.8 211011:4.5 211020:4 211021:2.1 211100:6.1 211101:5.1 211110:4.8
    211111:1.8 211120:2 211121:0.9 211200:4.6 211201:1.8 211210:1.7 211211:0.7 211220:0.8 211221:0.2
    212001:5.3 212011:2.4 212021:1.4 212101:2.4 212111:1.2 212121:0.5 212201:1 212211:0.3 212221:0.1
"""
#: The score of each MacroVector (EQ1…EQ6 levels as six digits).
_MACRO_SCORES: dict[str, float] = {
    key: float(value) for key, value in (item.split(":") for item in _MACRO_SCORES_TEXT.split())
}


def score_v4(vector: str) -> float:
    """The score of a ``CVSS:4.0/…`` vector (CVSS-B, -BT, -BE or -BTE by the metrics given)."""
    if not vector.startswith("CVSS:4.0/"):
        raise InvalidVector(f"{vector!r}: not a CVSS v4.0 vector")
    m = _v4_effective(_v4_metrics(vector))
    if all(m[name] == "N" for name in ("VC", "VI", "VA", "SC", "SI", "SA")):
        return 0.0
    macro = _macro_vector(m)
    value = _MACRO_SCORES[macro]
    distances = _severity_distances(m, macro)
    parts: list[float] = []
    for eq, lower in _lower_macros(macro).items():
        scores = [_MACRO_SCORES[key] for key in lower if key in _MACRO_SCORES]
        if not scores:
            continue  # no lower MacroVector: this EQ takes no part in the mean
        if eq == "eq5":
            parts.append(0.0)  # EQ5 has no depth: its proportion is always 0
            continue
        depth = _MAX_SEVERITY[eq][_level(macro, eq)] * 0.1
        parts.append((value - max(scores)) * distances[eq] / depth)
    if parts:
        value -= sum(parts) / len(parts)
    value = min(10.0, max(0.0, value))
    return math.floor((value + 1e-6) * 10 + 0.5) / 10


def _v4_metrics(vector: str) -> dict[str, str]:
    """The metrics of a v4.0 vector; ``U`` (a word) is checked apart from the one-letter ones."""
    parts = vector[len("CVSS:4.0/") :].split("/")
    urgency = [p for p in parts if p.startswith("U:")]
    if len(urgency) > 1 or (urgency and urgency[0][2:] not in _URGENCY):
        raise InvalidVector(f"{vector!r}: bad metric {urgency[-1]!r}")
    rest = "/".join(p for p in parts if not p.startswith("U:"))
    return _metrics("CVSS:4.0/" + rest, "CVSS:4.0/", _V4_ALLOWED, _V4_BASE)


def _v4_effective(given: dict[str, str]) -> dict[str, str]:
    """Each metric's value as scored: modified metrics replace base ones, unset threat is ``A``
    and unset requirements are ``H``; ``MSI``/``MSA`` are kept for EQ4."""
    effective = {name: given[name] for name in _V4_BASE}
    for name in _V4_BASE:
        modified = given.get("M" + name, "X")
        if modified != "X":
            effective[name] = modified
    effective["E"] = {"X": "A"}.get(given.get("E", "X"), given.get("E", "A"))
    for name in ("CR", "IR", "AR"):
        effective[name] = {"X": "H"}.get(given.get(name, "X"), given.get(name, "H"))
    effective["MSI"] = given.get("MSI", "X")
    effective["MSA"] = given.get("MSA", "X")
    return effective


def _macro_vector(m: Mapping[str, str]) -> str:
    """The six EQ levels of a vector (section 8.2 of the specification)."""
    av, pr, ui = m["AV"], m["PR"], m["UI"]
    if av == "N" and pr == "N" and ui == "N":
        eq1 = 0
    elif (av == "N" or pr == "N" or ui == "N") and av != "P":
        eq1 = 1
    else:
        eq1 = 2
    eq2 = 0 if m["AC"] == "L" and m["AT"] == "N" else 1
    vc, vi, va = m["VC"], m["VI"], m["VA"]
    if vc == "H" and vi == "H":
        eq3 = 0
    elif "H" in (vc, vi, va):
        eq3 = 1
    else:
        eq3 = 2
    if m["MSI"] == "S" or m["MSA"] == "S":
        eq4 = 0
    elif "H" in (m["SC"], m["SI"], m["SA"]):
        eq4 = 1
    else:
        eq4 = 2
    eq5 = {"A": 0, "P": 1, "U": 2}[m["E"]]
    high = (
        (m["CR"] == "H" and vc == "H")
        or (m["IR"] == "H" and vi == "H")
        or (m["AR"] == "H" and va == "H")
    )
    eq6 = 0 if high else 1
    return f"{eq1}{eq2}{eq3}{eq4}{eq5}{eq6}"


def _level(macro: str, eq: str) -> str:
    """An EQ's level in ``macro`` (EQ3 and EQ6 as two digits)."""
    if eq == "eq3eq6":
        return macro[2] + macro[5]
    return macro[int(eq[2]) - 1]


def _lower_macros(macro: str) -> dict[str, tuple[str, ...]]:
    """For each EQ, the MacroVectors one step less severe (the higher-scoring one is used)."""
    digits = [int(c) for c in macro]

    def bumped(*changes: tuple[int, int]) -> str:
        new = list(digits)
        for index, step in changes:
            new[index] += step
        return "".join(map(str, new))

    eq3, eq6 = digits[2], digits[5]
    if eq3 == 0 and eq6 == 0:
        eq3eq6: tuple[str, ...] = (bumped((5, 1)), bumped((2, 1)))
    elif eq3 == 1 and eq6 == 0:
        eq3eq6 = (bumped((5, 1)),)
    elif eq3 == 2:
        eq3eq6 = (bumped((2, 1), (5, 1)),)
    else:
        eq3eq6 = (bumped((2, 1)),)
    return {
        "eq1": (bumped((0, 1)),),
        "eq2": (bumped((1, 1)),),
        "eq3eq6": eq3eq6,
        "eq4": (bumped((3, 1)),),
        "eq5": (bumped((4, 1)),),
    }


def _severity_distances(m: Mapping[str, str], macro: str) -> dict[str, float]:
    """Per EQ, how far the vector lies below the first highest-severity vector it does not exceed."""
    distance: dict[str, float] = {}
    for candidate in _max_vectors(macro):
        distance = {
            name: _LEVELS[name][m[name]] - _LEVELS[name][candidate[name]] for name in _LEVELS
        }
        if all(d >= 0 for d in distance.values()):
            break
    return {eq: sum(distance[name] for name in names) for eq, names in _EQ_GROUPS.items()}


def _max_vectors(macro: str) -> list[dict[str, str]]:
    """Every highest-severity vector of ``macro``, in the reference calculator's order."""
    choices = [
        _MAX_COMPOSED[eq][_level(macro, eq)] for eq in ("eq1", "eq2", "eq3eq6", "eq4", "eq5")
    ]
    return [
        dict(item.split(":") for part in combination for item in part.split("/"))
        for combination in product(*choices)
    ]
