"""A persistent embedding cache: any embedder, wrapped, embeds each distinct sentence once.

    >>> import tempfile
    >>> from divergence.embed import HashingEmbedder
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cached = CachedEmbedder(HashingEmbedder(), EmbeddingCache(d))
    ...     first = cached.encode(["Biden called Putin.", "Biden  called Putin."])
    ...     again = cached.encode(["Biden called Putin."])
    ...     (cached.stats["embedded"], cached.stats["hits"], bool((first[0] == again[0]).all()))
    (1, 1, True)

Vectors live in one SQLite file (``embeddings.sqlite``) in the user cache directory
(``platformdirs.user_cache_dir("divergence")`` when platformdirs is installed, else
``~/.cache/divergence``), or in ``$DIVERGENCE_CACHE_DIR`` when that is set. A row is keyed by
``(model key, sha256 of the normalised text)``; the model key is the embedder's ``name`` plus its
``revision`` (a hash of the model's files or configuration, see
:func:`divergence.embed.model_revision`), so a changed model never returns stale vectors. Values
are float32 blobs.

Two processes may share the file: it is opened in WAL mode with a busy timeout, and writes are
short ``INSERT OR IGNORE`` transactions (two processes embedding the same sentence store the same
vector; the first one wins).

Text is normalised before lookup and before embedding (Unicode NFC, runs of whitespace to one
space, stripped): the tokenizers used here split on whitespace, so this does not change a vector
but lets re-wrapped or re-spaced copies of a sentence share one entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

ENV_VAR = "DIVERGENCE_CACHE_DIR"
FILENAME = "embeddings.sqlite"
#: Token vectors (the judge's) share the embeddings table under the model key plus this suffix.
TOKENS_SUFFIX = "#tokens-f16"
_CHUNK = 500  # SQLite host-parameter batches


def default_cache_dir() -> Path:
    """``$DIVERGENCE_CACHE_DIR``, else the platform's user cache dir for ``divergence``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return user_cache_dir()


def user_cache_dir() -> Path:
    """The platform's user cache dir for ``divergence`` (``~/.cache/divergence`` without
    platformdirs)."""
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return Path.home() / ".cache" / "divergence"
    return Path(user_cache_dir("divergence", appauthor=False))


def normalise_text(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, stripped.

    >>> normalise_text("  Biden\\n called\\tPutin. ")
    'Biden called Putin.'
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_key(text: str) -> bytes:
    """sha256 digest of the normalised text (the cache's text key)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).digest()


def _while_locked(fn, timeout: float):
    """Call ``fn`` until it does not fail with a locked/busy database, for up to ``timeout``
    seconds (short sleeps growing to 0.2 s)."""
    deadline = time.monotonic() + timeout
    wait = 0.005
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            msg = str(exc).lower()
            if ("locked" not in msg and "busy" not in msg) or time.monotonic() >= deadline:
                raise
        time.sleep(wait)
        wait = min(wait * 2, 0.2)


class EmbeddingCache:
    """SQLite store of float32 vectors keyed by (model key, text hash).

    ``path`` is a directory (the file inside it is ``embeddings.sqlite``) or a ``.sqlite`` file;
    default :func:`default_cache_dir`. Connections are opened per thread, so one cache may be
    shared by threads (dask workers with ``processes=False``).
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 60.0):
        p = Path(path).expanduser() if path is not None else default_cache_dir()
        self.path = p if p.suffix in {".sqlite", ".db"} else p / FILENAME
        self.timeout = timeout
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()

        def create() -> None:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute(
                    "CREATE TABLE IF NOT EXISTS embeddings ("
                    " model TEXT NOT NULL, key BLOB NOT NULL, dim INTEGER NOT NULL,"
                    " vec BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID"
                )
                con.execute(
                    "CREATE TABLE IF NOT EXISTS analyses ("
                    " kind TEXT NOT NULL, key BLOB NOT NULL, value TEXT NOT NULL,"
                    " PRIMARY KEY (kind, key)) WITHOUT ROWID"
                )
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise

        _while_locked(create, self.timeout)

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.path)!r})"

    def __getstate__(self):  # picklable for dask: reopen connections on the other side
        return {"path": self.path, "timeout": self.timeout}

    def __setstate__(self, state):
        self.path, self.timeout = state["path"], state["timeout"]
        self._local = threading.local()

    def _connect(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None)
            con.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            # switching a new file to WAL can fail at once with "database is locked" while
            # another process creates it (SQLite does not call the busy handler there): retry
            _while_locked(lambda: con.execute("PRAGMA journal_mode = WAL"), self.timeout)
            con.execute("PRAGMA synchronous = NORMAL")
            self._local.con = con
        return con

    def _select(self, sql: str, owner: str, keys: list[bytes]):
        """Rows of ``sql`` (``... WHERE <owner col> = ? AND key IN ({marks})``) for ``keys``,
        in batches of SQLite host parameters."""
        con = self._connect()
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            yield from con.execute(sql.format(marks=",".join("?" * len(chunk))), [owner, *chunk])

    def _insert(self, sql: str, rows: list[tuple]) -> None:
        """``INSERT OR IGNORE`` ``rows`` in short IMMEDIATE transactions (other processes wait
        on the busy timeout, never see half a batch)."""
        con = self._connect()
        for i in range(0, len(rows), _CHUNK):
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany(sql, rows[i : i + _CHUNK])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def get(self, model: str, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        """The stored vectors among ``keys`` (missing keys are absent from the result)."""
        sql = "SELECT key, vec FROM embeddings WHERE model = ? AND key IN ({marks})"
        return {
            bytes(key): np.frombuffer(blob, dtype=np.float32)
            for key, blob in self._select(sql, model, keys)
        }

    def put(self, model: str, keys: list[bytes], vectors: np.ndarray) -> None:
        """Store vectors (one row of ``vectors`` per key); existing rows are kept."""
        vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        rows = [(model, k, int(vecs.shape[1]), vecs[i].tobytes()) for i, k in enumerate(keys)]
        sql = "INSERT OR IGNORE INTO embeddings (model, key, dim, vec) VALUES (?, ?, ?, ?)"
        self._insert(sql, rows)

    def get_tokens(self, model: str, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        """Stored token-vector matrices (float16 rows of ``dim``) among ``keys``."""
        sql = "SELECT key, vec, dim FROM embeddings WHERE model = ? AND key IN ({marks})"
        return {
            bytes(key): np.frombuffer(blob, dtype=np.float16).reshape(-1, dim)
            for key, blob, dim in self._select(sql, model + TOKENS_SUFFIX, keys)
        }

    def put_tokens(self, model: str, keys: list[bytes], arrays: list[np.ndarray]) -> None:
        """Store each text's token vectors (float16) under the model's token key."""
        rows = [
            (
                model + TOKENS_SUFFIX,
                k,
                int(a.shape[1]),
                np.ascontiguousarray(a, np.float16).tobytes(),
            )
            for k, a in zip(keys, arrays, strict=True)
            if a.ndim == 2 and a.shape[0]
        ]
        sql = "INSERT OR IGNORE INTO embeddings (model, key, dim, vec) VALUES (?, ?, ?, ?)"
        self._insert(sql, rows)

    def get_json(self, kind: str, keys: list[bytes]) -> dict[bytes, Any]:
        """Stored per-text analyses (JSON values) of ``kind`` among ``keys``.

        The same file keeps what other stages compute from one text alone and want to reuse
        across runs (e.g. the spaCy attribution frames of a sentence); ``kind`` names the analysis
        and the version of the code and model that produced it, so a change never reads stale
        values.
        """
        sql = "SELECT key, value FROM analyses WHERE kind = ? AND key IN ({marks})"
        return {bytes(key): json.loads(value) for key, value in self._select(sql, kind, keys)}

    def put_json(self, kind: str, items: dict[bytes, Any]) -> None:
        """Store JSON-serialisable analyses of ``kind`` by key; existing rows are kept."""
        rows = [(kind, k, json.dumps(v, separators=(",", ":"))) for k, v in items.items()]
        self._insert("INSERT OR IGNORE INTO analyses (kind, key, value) VALUES (?, ?, ?)", rows)

    def count(self, model: str | None = None) -> int:
        con = self._connect()
        if model is None:  # sentence vectors only (token rows are the judge's side table)
            q = "SELECT COUNT(*) FROM embeddings WHERE model NOT LIKE ?"
            return int(con.execute(q, (f"%{TOKENS_SUFFIX}",)).fetchone()[0])
        q = "SELECT COUNT(*) FROM embeddings WHERE model = ?"
        return int(con.execute(q, (model,)).fetchone()[0])

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None


class CachedEmbedder:
    """Wrap any embedder (``name``, ``encode``) with an :class:`EmbeddingCache`.

    ``encode`` normalises the texts, looks the distinct ones up, embeds only the misses (sorted
    by length, so batches carry little padding) and stores them. ``name`` is the inner
    embedder's, so results and signatures are those of the uncached embedder. ``stats`` counts
    ``hits`` and ``embedded`` (distinct texts sent to the model) since creation.
    """

    def __init__(self, embedder, cache: EmbeddingCache | str | Path | None = None):
        self.inner = embedder
        self.cache = cache if isinstance(cache, EmbeddingCache) else EmbeddingCache(cache)
        self.stats = {"hits": 0, "embedded": 0}

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model_key(self) -> str:
        """``name@revision`` of the inner embedder (computed once per wrapper)."""
        key = self.__dict__.get("_model_key")
        if key is None:
            from .embed_base import model_revision

            key = self.__dict__["_model_key"] = f"{self.inner.name}@{model_revision(self.inner)}"
        return key

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = [normalise_text(t) for t in texts]
        uniq = sorted(set(texts), key=lambda t: (len(t), t))
        keys = {t: text_key(t) for t in uniq}
        model = self.model_key
        found = self.cache.get(model, list(keys.values())) if uniq else {}
        missing = [t for t in uniq if keys[t] not in found]
        self.stats["hits"] += len(uniq) - len(missing)
        if missing:
            vecs = np.asarray(self.inner.encode(missing), dtype=np.float32)
            self.stats["embedded"] += len(missing)
            self.cache.put(model, [keys[t] for t in missing], vecs)
            if hasattr(self.inner, "token_memo"):  # kept by the same model pass: store them too
                self.cache.put_tokens(
                    model, [keys[t] for t in missing], self.inner.encode_tokens(missing)
                )
            for t, v in zip(missing, vecs, strict=True):
                found[keys[t]] = v
        if not texts:
            dim = next(iter(found.values())).shape[0] if found else 0
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack([found[keys[t]] for t in texts]).astype(np.float32, copy=False)

    def encode_tokens(self, texts: list[str]) -> list[np.ndarray]:
        """Token vectors for the judge, from the cache when stored (so a re-run with other
        settings does not run the model again); misses are asked of the inner embedder."""
        from .tokens import encode_tokens

        texts = [normalise_text(t) for t in texts]
        uniq = sorted(set(texts), key=lambda t: (len(t), t))
        keys = {t: text_key(t) for t in uniq}
        found = self.cache.get_tokens(self.model_key, list(keys.values())) if uniq else {}
        missing = [t for t in uniq if keys[t] not in found]
        if missing:
            arrays = encode_tokens(self.inner, missing)
            self.cache.put_tokens(self.model_key, [keys[t] for t in missing], arrays)
            for t, a in zip(missing, arrays, strict=True):
                found[keys[t]] = np.asarray(a, dtype=np.float16)  # as a later run reads them
        return [np.asarray(found[keys[t]], dtype=np.float32) for t in texts]
