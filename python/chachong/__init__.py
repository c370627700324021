"""Near-duplicate text detection, Chinese first.

chachong finds documents that are copies of each other (exact, redacted,
edited) and the paragraphs and passages copied between them, with MinHash,
LSH and exact verification, in Rust. This package is its Python face:

>>> import chachong
>>> body = "推进县域经济高质量发展，是新时代赋予我们的重大任务。我们要坚持稳中求进工作总基调，全面深化改革开放。"
>>> report = chachong.dedup({"原文": body, "转载": body + "推荐访问：范文网", "无关": "今天天气很好，我们去公园散步吧。"})
>>> report.clusters[0].members
['原文', '转载']

Configs are keyword arguments (``threshold=0.8, level="doc", ngram=5,
num_perm=128, method="minhash", paragraph_threshold=0.5,
boilerplate=False, ...``) or a whole ``config`` dict in the crate's JSON
form (``chachong.Config`` fields, see the crate docs); an unknown name or
a bad value raises :class:`InvalidConfigError`.

Every long call releases the GIL: runs in several Python threads proceed
in parallel, and each run uses every core through Rust's rayon.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable, Mapping, Optional, Tuple, Union

from . import _chachong
from ._chachong import (
    ChachongError,
    IndexFileError,
    InputError,
    InvalidConfigError,
)

__version__ = _chachong.__version__

__all__ = [
    "ChachongError",
    "Deduplicator",
    "Index",
    "IndexFileError",
    "InputError",
    "InvalidConfigError",
    "Record",
    "annotate",
    "config",
    "dedup",
    "read",
    "sketch",
    "verify",
]


class Record(dict):
    """A JSON object of a report: a ``dict`` whose keys read as attributes
    too (``report.clusters[0].members`` or ``report["clusters"][0]["members"]``).
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self):
        return list(self.keys()) + list(super().__dir__())


def _report(text: str) -> Record:
    return json.loads(text, object_hook=Record)


# Shorter names for the config's fields, as the command line spells them.
_ALIASES = {"threshold": "jaccard_threshold", "ngram": "shingle_len"}
_LEVELS = {"doc": "document", "para": "paragraph"}
_METHODS = {"minhash": "min_hash", "simhash": "sim_hash"}
# Sections switched on and off with a bool.
_SWITCHES = ("boilerplate", "analysis", "passages", "revisions")


def config(config: Optional[Mapping[str, Any]] = None, **options: Any) -> dict:
    """The crate's config as a dict: ``config`` (a dict in the crate's JSON
    form, every field optional) with ``options`` applied.

    >>> chachong.config(threshold=0.7, level="doc")["jaccard_threshold"]
    0.7
    """
    out: dict = json.loads(json.dumps(dict(config or {})))
    for key, value in options.items():
        key = _ALIASES.get(key, key)
        if key == "level":
            value = _LEVELS.get(value, value)
        elif key == "method":
            value = _METHODS.get(value, value)
        elif key == "paragraph_threshold":
            out.setdefault("paragraph", {})["jaccard_threshold"] = value
            continue
        elif key in _SWITCHES and isinstance(value, bool):
            out.setdefault(key, {})["enabled"] = value
            continue
        elif key == "bands" and isinstance(value, (str, tuple, list)):
            bands, rows = (
                value.lower().split("x") if isinstance(value, str) else value
            )
            out["bands"], out["rows_per_band"] = int(bands), int(rows)
            continue
        out[key] = value
    # Checked by the crate, which names the field.
    return json.loads(_chachong.checked_config(json.dumps(out)))


def _config_json(config_dict: Optional[Mapping[str, Any]], options: dict) -> str:
    return json.dumps(config(config_dict, **options))


Docs = Union[Iterable[str], Iterable[Tuple[str, str]], Iterable[Mapping[str, Any]], Mapping[str, str]]


def _documents(docs: Any, id_field: str = "id", text_field: str = "text") -> list:
    """``docs`` as a list of ``(id, text)``: a mapping id → text, texts
    (ids "0", "1", …), ``(id, text)`` pairs, or dicts with ``id_field`` and
    ``text_field``."""
    if isinstance(docs, Mapping):
        return [(str(i), t) for i, t in docs.items()]
    out = []
    for k, doc in enumerate(docs):
        if isinstance(doc, str):
            out.append((str(k), doc))
        elif isinstance(doc, Mapping):
            try:
                out.append((str(doc[id_field]), doc[text_field]))
            except KeyError as missing:
                raise InputError(f"document {k}: no field {missing}") from None
        else:
            doc_id, text = doc
            out.append((str(doc_id), text))
    return out


def _is_arrow(data: Any) -> bool:
    return hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__")


def _is_record_batch(data: Any) -> bool:
    pa = sys.modules.get("pyarrow")
    return pa is not None and isinstance(data, pa.RecordBatch)


def _as_stream(data: Any) -> Any:
    """A pyarrow ``RecordBatch`` as a one-batch table (no copy); other
    Arrow objects as they are."""
    if _is_record_batch(data) or not hasattr(data, "__arrow_c_stream__"):
        import pyarrow as pa

        return pa.Table.from_batches([data])
    return data


def read(path, split: Optional[str] = None, *, id_field: str = "id", text_field: str = "text",
         encoding: Optional[str] = None) -> list:
    """The documents of a file or folder as ``chachong dedup`` reads them:
    text in UTF-8, GBK, Big5, UTF-16… (detected, or ``encoding``), Word
    ``.docx``, JSON Lines (``.gz``, ``.zst`` too) or Parquet with
    ``id_field`` and ``text_field``; a text file split into documents at
    lines matching the regular expression ``split``. A list of ``(id,
    text)``, in the order read, ready for :func:`dedup`.

    >>> docs = chachong.read(SEED, split=r"^在全市高质量发展工作会议上的讲话篇\d+$")  # doctest: +SKIP
    """
    return _chachong.read(str(path), split, id_field, text_field, encoding)


class Deduplicator:
    """A validated config, run on any number of corpora.

    >>> dedup = chachong.Deduplicator(level="doc", threshold=0.8)
    >>> dedup.run(["同一段文字，重复出现了两次。" * 3] * 2).clusters[0].members
    ['0', '1']
    """

    def __init__(self, config: Optional[Mapping[str, Any]] = None, **options: Any):
        self._inner = _chachong.Deduplicator(_config_json(config, options))

    @property
    def config(self) -> dict:
        """Every field of the config in use."""
        return json.loads(self._inner.config_json())

    def run(self, docs: Any, id_field: str = "id", text_field: str = "text") -> Record:
        """The report over ``docs`` (see :func:`dedup`)."""
        if _is_arrow(docs):
            _, text = _chachong.annotate(
                _as_stream(docs), id_field, text_field, self._inner.config_json(), True
            )
            return _report(text)
        return _report(self._inner.run_json(_documents(docs, id_field, text_field)))

    def annotate(self, data: Any, id_field: str = "id", text_field: str = "text"):
        """See :func:`annotate`."""
        return _annotate(data, id_field, text_field, self._inner.config_json(), False)[0]


def dedup(docs: Any, config: Optional[Mapping[str, Any]] = None, *, id_field: str = "id",
          text_field: str = "text", **options: Any) -> Record:
    """Near-duplicate documents and copied paragraphs of ``docs``.

    ``docs``: a mapping id → text; a list of texts (ids "0", "1", …); a
    list of ``(id, text)`` pairs or of dicts with ``id_field`` and
    ``text_field``; or a pyarrow ``Table``/``RecordBatch`` with those
    columns (read in place). Returns the report (as ``chachong dedup
    --format json`` writes it) with attribute access: ``documents``,
    ``clusters``, ``pairs``, ``paragraph_matches``, ``passages``, ``stats``…
    """
    return Deduplicator(config, **options).run(docs, id_field, text_field)


def _annotate(data: Any, id_field: str, text_field: str, config_json: str, with_report: bool):
    table, text = _chachong.annotate(
        _as_stream(data), id_field, text_field, config_json, with_report)
    if _is_record_batch(data):
        # A RecordBatch in, a RecordBatch out.
        import pyarrow as pa

        table = table.combine_chunks()
        batches = table.to_batches()
        table = batches[0] if batches else pa.RecordBatch.from_pylist([], schema=table.schema)
    return table, (_report(text) if with_report else None)


def annotate(data: Any, config: Optional[Mapping[str, Any]] = None, *, id_field: str = "id",
             text_field: str = "text", with_report: bool = False, **options: Any):
    """Every row of ``data`` (a pyarrow ``Table``/``RecordBatch``, or any
    object with Arrow's stream interface) with the columns ``chachong dedup
    --annotate`` adds: ``cluster_id``, ``cluster_size``, ``canonical_id``,
    ``keep``, ``jaccard``, ``copy_kind``. The texts are read in place, never
    made Python strings. ``table.filter(table["keep"])`` is the
    deduplicated corpus. With ``with_report=True``, ``(table, report)``.
    """
    table, report = _annotate(
        data, id_field, text_field, _config_json(config, options), with_report)
    return (table, report) if with_report else table


def sketch(data: Any, config: Optional[Mapping[str, Any]] = None, *, id_field: str = "id",
           text_field: str = "text", **options: Any):
    """The stage kernel of a distributed run: ``(keys, counts)``, two
    pyarrow tables. ``keys`` has a row ``(id, band, key)`` per document and
    LSH band at the document threshold; documents sharing a ``(band, key)``
    are candidates. ``counts`` has ``(id, shingles)`` per document (0: an
    empty text, which has no keys). Method MinHash only."""
    return _chachong.sketch(_as_stream(data), id_field, text_field, _config_json(config, options))


def verify(pairs: Any, texts: Any, config: Optional[Mapping[str, Any]] = None, *,
           a_field: str = "a", b_field: str = "b", id_field: str = "id",
           text_field: str = "text", **options: Any):
    """Exact similarity of candidate pairs: ``pairs`` (ids in ``a_field``
    and ``b_field``) and ``texts`` (``id_field``, ``text_field``), both
    Arrow; returns the pairs with ``jaccard`` and ``containment`` (of the
    smaller shingle set in the larger), the sets made as :func:`dedup`
    makes them. Every id of a pair must have a text."""
    return _chachong.verify(
        _as_stream(pairs), a_field, b_field, _as_stream(texts), id_field, text_field,
        _config_json(config, options),
    )


class Index:
    """A persistent index on disk: check new documents against everything
    it holds, then add them (the crate's ``index::Index``; ``chachong index``
    on the command line works on the same folders).

    >>> index = chachong.Index.create(folder, level="doc")     # doctest: +SKIP
    >>> index.add({"旧": text})                                 # doctest: +SKIP
    >>> chachong.Index.open(folder).query({"新": text}).clusters  # doctest: +SKIP
    """

    def __init__(self, inner: Any):
        self._inner = inner

    @classmethod
    def create(cls, path, config: Optional[Mapping[str, Any]] = None, **options: Any) -> "Index":
        """A new index in the folder ``path`` (new or empty). Boilerplate,
        which needs the whole corpus, is off."""
        options.setdefault("boilerplate", False)
        return cls(_chachong.Index.create(str(path), _config_json(config, options)))

    @classmethod
    def open(cls, path) -> "Index":
        """The index in the folder ``path`` (nothing read but its heads)."""
        return cls(_chachong.Index.open(str(path)))

    def add(self, docs: Any, id_field: str = "id", text_field: str = "text") -> int:
        """Adds ``docs`` (as :func:`dedup` takes them; ids new to the
        index); returns how many were added."""
        return self._inner.add(_documents(docs, id_field, text_field))

    def query(self, docs: Any, id_field: str = "id", text_field: str = "text") -> Record:
        """Each of ``docs`` against the index and each other: the report a
        run over them and the index would give, kept to what concerns
        them. Nothing is added."""
        return _report(self._inner.query_json(_documents(docs, id_field, text_field)))

    def annotations(self, report: Mapping[str, Any], ids: Iterable[str]) -> list:
        """Each queried document's annotation (``keep``, ``canonical_id``…),
        removing only the new side: a new document in a cluster with an
        indexed one is not kept."""
        return json.loads(self._inner.annotations_json(json.dumps(report), list(ids)),
                          object_hook=Record)

    @property
    def stats(self) -> Record:
        """Documents, segments and bytes on disk."""
        return _report(self._inner.stats_json())

    @property
    def config(self) -> dict:
        """The config stored in the index (queries run with it)."""
        return json.loads(self._inner.config_json())

    def merge(self) -> None:
        """Rewrites the segments as one."""
        self._inner.merge()
