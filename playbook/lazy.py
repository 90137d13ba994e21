"""Package re-exports imported on first use (PEP 562), so that importing one small module of a
package never loads the rest: `playbook match` from the cache skips the YAML parser and
jsonschema, and the store's migration can import `meeting.state` without the session."""

from __future__ import annotations

from importlib import import_module
from typing import Any, Callable


def exports(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`: each name in `names` comes from the module given
    (relative to the package) the first time it is asked for."""

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f".{names[name]}", package), name)

    return __getattr__
