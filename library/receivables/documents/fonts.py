"""DejaVu fonts for letters (Polish and German diacritics), registered once per process.

Reportlab embeds a fresh font subset in every PDF: glyph extraction, width arrays and ToUnicode
maps are rebuilt and compressed per document, which is most of the time of a one-page letter.
`SubsetCachingTTFont` builds those objects once per distinct subset and reuses the bytes; the
fast renderer seeds every document with the same alphabet first, so letters share one subset.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from pathlib import Path

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont, makeToUnicodeCMap

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
FONT_NAMES = {"regular": "LetterSans", "bold": "LetterSans-Bold"}


class FontMissing(RuntimeError):
    """The DejaVu fonts are not installed."""


class _Raw(pdfdoc.PDFObject):
    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: object) -> bytes:
        return self.data


def _flate_stream(compressed: bytes, **entries: object) -> pdfdoc.PDFStream:
    stream = pdfdoc.PDFStream(content=compressed)
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    for key, value in entries.items():
        stream.dictionary[key] = value
    return stream


class SubsetCachingTTFont(TTFont):
    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path))
        self._parts: dict[tuple, tuple] = {}

    def _subset_parts(self, n: int, subset: list[int]) -> tuple:
        """Bytes shared by every document using this subset; PDF objects themselves are per document."""
        key = (n, tuple(subset))
        if key not in self._parts:
            face = self.face
            base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            glyphs = face.makeSubset(subset)
            widths = _Raw(("[" + " ".join(fp_str(face.getCharWidth(c)) for c in subset) + "]").encode("ascii"))
            cmap = zlib.compress(makeToUnicodeCMap(base, subset).encode("latin-1"))
            self._parts[key] = (base, widths, cmap, zlib.compress(glyphs), len(glyphs))
        return self._parts[key]

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        state = self.state[doc]
        state.frozen = 1
        face = self.face
        for n, subset in enumerate(state.subsets):
            base, widths, cmap, glyphs, glyphs_len = self._subset_parts(n, subset)
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            descriptor = pdfdoc.PDFDictionary({
                "Type": "/FontDescriptor", "Ascent": face.ascent, "CapHeight": face.capHeight,
                "Descent": face.descent, "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(face.bbox), "FontName": pdfdoc.PDFName(base),
                "ItalicAngle": face.italicAngle, "StemV": face.stemV, "MissingWidth": face.defaultWidth,
                "FontFile2": doc.Reference(_flate_stream(glyphs, Length1=glyphs_len), f"fontFile:{base}")})
            font = pdfdoc.PDFTrueTypeFont()
            font.Name = internal_name
            font.BaseFont = base
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = widths
            font.ToUnicode = doc.Reference(_flate_stream(cmap), f"toUnicodeCMap:{base}")
            font.FontDescriptor = doc.Reference(descriptor, f"fontDescriptor:{base}")
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]


def font_path(style: str) -> Path:
    for folder in FONT_DIRS:
        path = folder / FONT_FILES[style]
        if path.exists():
            return path
    raise FontMissing(f"{FONT_FILES[style]} not found in {', '.join(map(str, FONT_DIRS))}: "
                      "install the Debian package fonts-dejavu-core")


@lru_cache(maxsize=None)
def letter_fonts() -> dict[str, SubsetCachingTTFont]:
    """Register the letter fonts once per process; keys 'regular' and 'bold'."""
    fonts = {style: SubsetCachingTTFont(FONT_NAMES[style], font_path(style)) for style in FONT_FILES}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    return fonts
