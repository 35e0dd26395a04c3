"""Where planqa keeps its files and which models it uses.

Settings come from the environment first, then `$PLANQA_HOME/config.toml`, e.g.::

    embed_model = "st:BAAI/bge-small-zh-v1.5"
    reranker = "st:/models/bge-reranker-base"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any


def planqa_home() -> Path:
    return Path(os.environ.get("PLANQA_HOME") or ".planqa")


def cache_dir() -> Path:
    return Path(os.environ.get("PLANQA_CACHE_DIR") or planqa_home() / "cache")


def _config_file() -> dict[str, Any]:
    path = planqa_home() / "config.toml"
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{path}: cannot read config ({e})") from e
    # accept both top-level keys and an [index] table
    merged = {k: v for k, v in data.items() if not isinstance(v, dict)}
    merged.update(data.get("index", {}))
    return merged


def setting(env: str, key: str) -> str | None:
    """The value of a setting: environment variable `env`, else `key` in config.toml."""
    value = os.environ.get(env)
    if value:
        return value
    value = _config_file().get(key)
    return str(value) if value else None
