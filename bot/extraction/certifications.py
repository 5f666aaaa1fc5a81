"""Certifications the supplier says the product has, as upper-case codes in alphabetical order.

None when the reply does not mention certification at all; an empty list when it only denies them (没有任何认证,
没有CE). A negation covers a whole list: "没有CE和FCC", "CE、FCC都没有", "No CE, FCC or UL". "可以做CE" counts: the
supplier can provide it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extraction.text import Prepared, answer_polarity

# Written forms (upper case, spaces and hyphens dropped) and their codes.
_CODES = {
    **{code: code for code in (
        "CE", "ROHS", "FCC", "FDA", "LFGB", "ISO9001", "ISO14001", "ISO13485", "ISO45001", "BSCI", "SGS", "UKCA",
        "CCC", "REACH", "UL", "ETL", "KC", "PSE", "CPC", "EN71", "ASTM", "GS", "CB", "TUV", "FSC", "GOTS", "MSDS",
        "UN38.3", "CQC", "SAA", "RCM", "EAC", "SASO", "INMETRO", "HALAL", "CSA", "WEEE",
    )},
    "3C": "CCC", "TÜV": "TUV", "OEKOTEX": "OEKO-TEX", "ASTMF963": "ASTM",
}  # fmt: skip
# Codes that are also ordinary words or abbreviations count only in capitals, or right before 认证/证书/cert.
_CAPITALS_ONLY = {"CE", "UL", "KC", "GS", "CB", "REACH", "SAA", "RCM", "EAC", "CSA", "PSE", "CCC"}
_NEEDS_CERT_WORD = {"CB"}
_TOKEN = re.compile(r"[A-Za-zÜü]+(?:-[A-Za-z]+)?(?:[ -]?[A-Za-z]?\d+(?:\.\d+)?)?|3[Cc](?![A-Za-z])")
_LETTERS = re.compile(r"[A-Za-zÜü]+(?:-[A-Za-z]+)?")
_CERT_WORD_AFTER = re.compile(r"\s*(?:认证|证书|证|检测|报告|cert|test|report)", re.IGNORECASE)
_LIST_JOINER = re.compile(r"\s*(?:和|、|,|/|及|与|跟|以及|\band\b|\bor\b|或|&|\+)\s*", re.IGNORECASE)
_SENTENCE = re.compile(r"[^\n。！!？?;；]+[？?]?")
_QUESTION = re.compile(r"[？?]\s*$|^\s*(?:问|q)\s*[:：]", re.IGNORECASE)
_CLAUSE_BREAK = "，,"
_NEGATION = re.compile(
    r"没有|没|无|暂无|不提供|不能提供|不做|做不了|不带|\b(?:no|not|without|don't|doesn't|haven't|hasn't)\b",
    re.IGNORECASE,
)
_AFFIRMATION = re.compile(
    r"(?<![没无])有|可以提供|能提供|提供|可以做|能做|做过|支持|通过|带"
    r"|(?<!n't )(?<!not )(?<!no )\b(?:have|has|with|support|provide|passed|got)\b",
    re.IGNORECASE,
)
_NEGATION_AFTER = re.compile(
    r"\s*(?:认证|证书|证|报告|certificates?|certifications?|cert)?\s*(?:的话|这块|方面)?\s*(?:我们)?\s*"
    r"(?:(?:暂时|目前|还|都|也|现在|一直)\s*)*(?:没有|没|无|不|做不了|not|no\b)"
    # still being applied for: not held yet
    r"|\s*(?:认证|证书)?\s*(?:还在|正在|正|在|目前在)\s*(?:办理|申请|审核|办)|\s*(?:认证|证书)?\s*(?:办理|申请|审核)中"
    r"|\s*(?:is\s+)?(?:in\s+progress|pending|applying)",
    re.IGNORECASE,
)
_NO_CERTIFICATIONS = re.compile(
    r"(?:没有|没|无|暂无|不带|没做过?)\s*(?:任何)?\s*(?:的)?\s*(?:认证|证书)|(?:认证|证书)\s*(?:这块|的话|方面)?\s*(?:我们)?\s*"
    r"(?:都|暂时|目前|还)?\s*(?:没有|没|无|没做)|认证\s*[:：]\s*(?:无|没有|暂无)"
    r"|\bno\s+(?:any\s+)?certific|\bwithout\s+(?:any\s+)?certific|(?:don't|do\s+not)\s+have\s+(?:any\s+)?certific",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CertificationReading:
    held: tuple[str, ...] | None  # None: not spoken of; (): none held
    missing: tuple[str, ...]  # named as not held, or still being applied for ("没有CE", "SAA正在办理中")


def read_certifications(prepared: Prepared) -> CertificationReading:
    mentioned = False
    held: set[str] = set()
    denied: set[str] = set()
    asked: list[str] = []  # codes in a question ("有CE认证吗？"): held only if the answer says yes
    for sentence in _SENTENCE.finditer(prepared.cased_text):
        if _QUESTION.search(sentence.group()):
            asked += [code for codes, _ in _groups(sentence.group()) for code in codes]
            continue
        for codes, negated in _groups(sentence.group()):
            mentioned = True
            (denied if negated else held).update(codes)
    # The question that named the codes ("有CE认证吗？"), not any question, is the one a yes answers.
    asks = re.compile("|".join(re.escape(code.lower()) for code in asked)) if asked else None
    answered = answer_polarity(prepared, asks) if asks else None
    if answered is not None:
        said_yes, answer = answered
        mentioned = True
        if said_yes and not _codes_in(answer[0].text.upper()):  # "有CE吗？有FCC" is not a yes to CE
            held.update(asked)
    missing = tuple(sorted(denied - held))
    if held:
        return CertificationReading(tuple(sorted(held)), missing)
    if mentioned or _NO_CERTIFICATIONS.search(prepared.text):
        return CertificationReading((), missing)
    return CertificationReading(None, missing)


def _groups(sentence: str) -> list[tuple[list[str], bool]]:
    """Codes joined into lists ("CE和FCC", "CE, RoHS, FCC"), each list with whether the sentence denies it."""
    groups: list[list[tuple[int, int, str]]] = []
    for found in _codes_in(sentence):
        if groups and _LIST_JOINER.fullmatch(sentence, groups[-1][-1][1], found[0]):
            groups[-1].append(found)
        else:
            groups.append([found])
    result = []
    previous_end = 0
    for group in groups:
        start, end = group[0][0], group[-1][1]
        before = sentence[previous_end:start]
        before = before[max(before.rfind(mark) for mark in _CLAUSE_BREAK) + 1 :]
        codes = [code for _, _, code in group]
        result.append((codes, _denied_before(before) or _NEGATION_AFTER.match(sentence, end) is not None))
        previous_end = end
    return result


def _codes_in(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, code) for every certification written in the sentence."""
    found = []
    for match in _TOKEN.finditer(sentence):
        written = match.group()
        code = _code(written, sentence, match.end())
        if code is None:
            # "CE2023" or "ISO 9001 2015": the letters alone may still be a code
            letters = _LETTERS.match(written)
            code = _code(letters.group(), sentence, match.start() + letters.end()) if letters else None
        if code:
            found.append((match.start(), match.end(), code))
    return found


def _code(written: str, sentence: str, end: int) -> str | None:
    key = written.upper().replace(" ", "").replace("-", "")
    code = _CODES.get(key)
    if code is None:
        return None
    cert_word_after = _CERT_WORD_AFTER.match(sentence, end) is not None
    if key in _NEEDS_CERT_WORD and not cert_word_after:
        return None
    if code in _CAPITALS_ONLY and key != "3C" and not written.isupper() and not cert_word_after:
        return None
    return code


def _denied_before(before: str) -> bool:
    negations = [match.end() for match in _NEGATION.finditer(before)]
    if not negations:
        return False
    affirmations = [match.end() for match in _AFFIRMATION.finditer(before)]
    return max(negations) > max(affirmations, default=-1)
