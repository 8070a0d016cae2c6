"""The content-addressed file store: ``content/<sha256[:2]>/<sha256>``.

The same file uploaded twice is stored once; a file's name is its checksum, so integrity
can be checked at any time and a file synced from the hub can be verified after transfer.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

import peewee

from appliance.db import BaseModel, utcnow
from appliance.errors import ValidationError

CHUNK = 1 << 20


class ContentBlob(BaseModel):
    """A file present in this node's store (local index, not replicated)."""

    sha256 = peewee.CharField(max_length=64, primary_key=True)
    size = peewee.BigIntegerField()
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "content_blob"


class ContentStore:
    """Files by checksum under one directory."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValidationError("Not a sha256 checksum.")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put(self, stream: BinaryIO, max_bytes: int | None = None) -> tuple[str, int]:
        """Store a stream; return (sha256, size). Written to a temp file, fsynced, renamed."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ValidationError(
                            "The file is larger than the limit of %(mb)s MB.",
                            "file",
                            mb=max_bytes // (1 << 20),
                        )
                    digest.update(chunk)
                    tmp.write(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            final.parent.mkdir(exist_ok=True)
            if final.exists():
                os.unlink(tmp_name)
            else:
                os.replace(tmp_name, final)
                _fsync_dir(final.parent)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise
        ContentBlob.insert(sha256=sha, size=size).on_conflict_ignore().execute()
        return sha, size

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        import io

        return self.put(io.BytesIO(data))

    def verify(self, sha256: str) -> bool:
        """True when the stored file still has the checksum it is named by."""
        path = self.path_for(sha256)
        if not path.exists():
            return False
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == sha256


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
