"""Payer names against customer names: legal forms, word order, diacritics and typos.

Banks print payers as they like: "TRANSPOL SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
"Transpol", "MUELLER LOGISTIK GMBH". Names are reduced to a base (lower case, transliterated,
legal form removed, words sorted) and compared with rapidfuzz; the legal form is kept aside
so "Transpol S.A." and "Transpol sp. z o.o." stay two companies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

_TRANSLIT = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "æ": "ae", "đ": "d", "&": " "})
_GERMAN = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_TOKEN = re.compile(r"[a-z0-9]+")

# token sequences (after normalizing) -> canonical legal form; longest sequences are tried first
_FORMS: dict[tuple[str, ...], str] = {}
for _form, _spellings in {
    "spzoo": ["sp z o o", "sp z oo", "spzoo", "sp zoo", "spolka z o o", "spolka z ograniczona odpowiedzialnoscia",
              "spolka z ograniczona odpowiedzialnoscia sp k"],
    "sa": ["s a", "sa", "spolka akcyjna"],
    "spj": ["sp j", "spj", "spolka jawna"],
    "spk": ["sp k", "spk", "spolka komandytowa"],
    "ska": ["s k a", "ska", "sp k a", "spolka komandytowo akcyjna"],
    "sc": ["s c", "sc", "spolka cywilna"],
    "sole": ["phu", "fhu", "pphu", "p h u", "f h u", "zaklad uslugowy", "firma handlowa", "firma handlowo uslugowa",
             "przedsiebiorstwo handlowo uslugowe", "przedsiebiorstwo produkcyjno handlowo uslugowe", "firma", "sole"],
    "gmbhcokg": ["gmbh co kg", "gmbh und co kg", "gmbh co kommanditgesellschaft", "gmbhcokg"],
    "gmbh": ["gmbh", "g m b h", "gesellschaft mit beschrankter haftung", "mbh"],
    "ag": ["ag", "aktiengesellschaft"],
    "kg": ["kg", "kommanditgesellschaft"],
    "ek": ["e k", "ek", "e kfm", "eingetragener kaufmann"],
    "ohg": ["ohg"],
    "ug": ["ug haftungsbeschrankt", "ug"],
    "gbr": ["gbr"],
    "ltd": ["ltd", "limited", "co ltd"],
    "plc": ["plc"],
    "llp": ["llp"],
    "llc": ["llc"],
    "inc": ["inc", "incorporated", "corp", "corporation"],
}.items():
    for _spelling in _spellings:
        _FORMS[tuple(_spelling.split())] = _form
_FORM_LENGTHS = sorted({len(k) for k in _FORMS}, reverse=True)


@dataclass(frozen=True, slots=True)
class NameParts:
    base: str  # words without legal form, sorted, space-joined
    form: str  # canonical legal form(s), "" when none


def _tokens(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_TRANSLIT)
    for german, plain in _GERMAN:
        text = text.replace(german, plain)
    return _TOKEN.findall(text)


def name_parts(name: str | None) -> NameParts:
    tokens = _tokens(name or "")
    words: list[str] = []
    forms: list[str] = []
    i = 0
    while i < len(tokens):
        for size in _FORM_LENGTHS:
            form = _FORMS.get(tuple(tokens[i:i + size])) if i + size <= len(tokens) else None
            if form:
                forms.append(form)
                i += size
                break
        else:
            words.append(tokens[i])
            i += 1
    if not words:  # a name that is only a form word ("Firma") keeps it
        words, forms = tokens, []
    return NameParts(" ".join(sorted(words)), "+".join(sorted(set(forms))))


def payer_key(name: str | None) -> str:
    """The key a payer-name alias is stored under: base words plus the legal form."""
    parts = name_parts(name)
    return f"{parts.base}|{parts.form}" if parts.form else parts.base


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1:] for i in range(len(text))}


class NameIndex:
    """Customers by normalized name; finds a payer's customer with at most one typo quickly.

    Exact bases are a dict lookup; one-typo neighbours come from a deletion index (built on the
    first fuzzy search), so a search never scans all customers.
    """

    MIN_FUZZY_LENGTH = 5

    def __init__(self, names: dict[str, str], threshold: float) -> None:
        self.threshold = threshold
        self._names = names
        self._parts: dict[str, NameParts] = {}
        self._by_base: dict[str, list[str]] | None = None
        self._deletes: dict[str, list[str]] | None = None
        self._query_cache: dict[str, NameParts] = {}
        self._search_cache: dict[NameParts, list[tuple[str, float]]] = {}

    def _customer(self, customer_id: str) -> NameParts:
        found = self._parts.get(customer_id)
        if found is None:
            found = self._parts[customer_id] = name_parts(self._names[customer_id])
        return found

    def _bases(self) -> dict[str, list[str]]:
        """Customers by base name, built on the first search (most runs never search by name)."""
        if self._by_base is None:
            self._by_base = {}
            for cid in self._names:
                base = self._customer(cid).base
                if base:
                    self._by_base.setdefault(base, []).append(cid)
        return self._by_base

    def parts(self, payer: str) -> NameParts:
        found = self._query_cache.get(payer)
        if found is None:
            if len(self._query_cache) > 500_000:
                self._query_cache.clear()
            found = self._query_cache[payer] = name_parts(payer)
        return found

    def key(self, payer: str) -> str:
        """`payer_key(payer)`, remembered (the same payers pay again and again)."""
        parts = self.parts(payer)
        return f"{parts.base}|{parts.form}" if parts.form else parts.base

    def similarity(self, payer: str | None, customer_id: str) -> float:
        """0-100: payer vs this customer (legal forms that contradict each other cost 10)."""
        if not payer or customer_id not in self._names:
            return 0.0
        return _score(self.parts(payer), self._customer(customer_id))

    def search(self, payer: str | None) -> list[tuple[str, float]]:
        """Customers whose name is at least `threshold` similar, best first (ties by id)."""
        if not payer:
            return []
        query = self.parts(payer)
        if not query.base:
            return []
        cached = self._search_cache.get(query)
        if cached is not None:
            return cached
        by_base = self._bases()
        bases = {query.base} if query.base in by_base else set()
        if not bases and len(query.base) >= self.MIN_FUZZY_LENGTH:
            deletes = self._deletion_index()
            for variant in (query.base, *_deletions(query.base)):
                bases.update(deletes.get(variant, ()))
                if variant in by_base:
                    bases.add(variant)
        found = []
        for base in bases:
            for cid in by_base[base]:
                score = _score(query, self._customer(cid))
                if score >= self.threshold:
                    found.append((cid, score))
        found.sort(key=lambda item: (-item[1], item[0]))
        if len(self._search_cache) > 200_000:
            self._search_cache.clear()
        self._search_cache[query] = found
        return found

    def _deletion_index(self) -> dict[str, list[str]]:
        if self._deletes is None:
            self._deletes = {}
            for base in self._bases():
                if len(base) >= self.MIN_FUZZY_LENGTH:
                    for variant in _deletions(base):
                        self._deletes.setdefault(variant, []).append(base)
        return self._deletes


def _score(query: NameParts, customer: NameParts) -> float:
    score = 100.0 if query.base == customer.base else fuzz.ratio(query.base, customer.base)
    if query.form and customer.form and not _compatible(query.form, customer.form):
        score -= 10.0
    return score


def _compatible(a: str, b: str) -> bool:
    """Legal forms that may name one company: equal, one a part of the other (GmbH, GmbH & Co. KG),
    or a sole trader's trade words."""
    return a in b or b in a or "sole" in (a, b)
