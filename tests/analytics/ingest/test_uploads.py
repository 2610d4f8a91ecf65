"""Uploaded files: private while read, gone afterwards."""

from __future__ import annotations

import stat

import pytest

from analytics.ingest.uploads import private_copy


def test_upload_is_owner_only_while_read_and_removed_after() -> None:
    with private_copy("张三13812345678投诉.csv", b"a,b\n") as path:
        assert path.read_bytes() == b"a,b\n"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not path.exists() and not path.parent.exists()


def test_upload_is_removed_when_the_import_fails() -> None:
    with pytest.raises(RuntimeError), private_copy("x.xlsx", b"PK") as path:
        raise RuntimeError("import failed")
    assert not path.parent.exists()
