"""The vocabulary of the permission matrix's table (see test_permission_matrix's docstring),
shared with the parts that later apps contribute under `matrix_parts/`."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """One URL's expectations. Cells: a row string, or (A's row, B's row)."""

    get: object
    post: object
    put: object = None
    patch: object = None
    delete: object = None
    fill: dict = field(default_factory=dict)
    args: tuple = ()  # positional arguments (regular-expression groups), world keys
    path: object = None  # for unnamed patterns: side -> path
    note: str = ""


def row(get, post, *, put=None, patch=None, delete=None, args=(), path=None, note="", **fill):
    return Row(get, post, put, patch, delete, fill, tuple(args), path, note)


# fmt: off
EVERYONE = "ok      ok      ok      ok      ok      ok"
NOBODY_405 = "405     405     405     405     405     405"
LOGGED_IN = "login   ok      ok      ok      ok      ok"
LOGGED_IN_405 = "login   405     405     405     405     405"
ALL_BAD = "bad     bad     bad     bad     bad     bad"
# fmt: on


@dataclass(frozen=True)
class AdminModel:
    """What the supervisor of city A and the administrator may do with a model in the admin:
    a subset of "view add change delete" each; `obj` is the world key of A's and B's objects;
    `scoped`: the supervisor sees only city A's (B's object is out of its scope)."""

    obj: str | None
    supervisor: str = ""
    sysadmin: str = ""
    scoped: bool = False
