"""The import graph of the project's own modules: no circles, and layers that point one way.

Read from the source with `ast`, so an import inside a function or under `TYPE_CHECKING` counts
as much as one at the top of a module: hiding an import does not break a circle, it only hides
it. A failure names the modules, so the fix can be made where the cause is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "domain", "gamification", "workers")

# domain/'s packages from the bottom up: a module may import its own package and those ranked
# lower, never one ranked higher or level with its own (the features do not import each other).
DOMAIN_RANK = {
    "errors": 0,
    "models": 0,
    "infra": 1,
    # Webhook messages written with the change they announce: every layer that changes state
    # emits them (leaderboard archives, the pipeline, the features).
    "outbox": 1.5,
    "program": 2,
    # The safelist and the automatic registrations of persisted queries: models and infra only,
    # read by the API's HTTP view, by nothing else in domain/.
    "persisted_queries": 2,
    # Partner definitions and the checks of partner-scoped tokens: read by recording
    # (interactions) and by the pipeline, which enforces the partners' budgets.
    "partners": 2.5,
    "leaderboards": 3,
    "members": 4,
    "runtime": 5,
    "pipeline": 6,
    # Answer conditions (questionnaire answers as SQL and as a member's match): read by
    # campaigns (insight) and rewards (points); reads the questionnaire tables by their models.
    "offers": 6.5,
    "points": 7,
    "goals": 7,
    "community": 7,
    "insight": 7,
    "interactions": 7,
    "webhooks": 7,
    "privacy": 7,
    "streaks": 7,
    "leaderboard_visibility": 7,
    # Records a completion interaction with `interactions`' decision at recording time.
    "questionnaires": 7.5,
    "demo": 8,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for top in PACKAGES for p in (ROOT / top).rglob("*.py")}


def _imported_names(module: str, path: Path) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


@cache
def _graph() -> dict[str, frozenset[str]]:
    """Each project module and the project modules it imports (a name resolves to the longest
    module it starts with: `from domain.points import ledger` is an arrow to the ledger)."""
    modules = _modules()
    graph: dict[str, frozenset[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in _imported_names(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = frozenset(targets)
    return graph


def _circles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _domain_part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "domain" and len(parts) > 1 else None


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {
        "a": frozenset({"b"}),
        "b": frozenset({"c"}),
        "c": frozenset({"a"}),
        "d": frozenset({"a"}),
    }
    assert _circles(graph) == [["a", "b", "c"]]
    assert _circles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_imports_inside_functions_count() -> None:
    """The resolver sees the imports a function hides, and relative ones."""
    graph = _graph()
    assert "domain.pipeline.session" in graph["domain.pipeline.posting"]
    assert all(module.split(".")[0] in PACKAGES for targets in graph.values() for module in targets)


def test_no_module_imports_itself_back() -> None:
    assert _circles(_graph()) == []


def test_domain_packages_import_only_the_layers_below() -> None:
    upward = []
    for module, targets in _graph().items():
        part = _domain_part(module)
        if part is None:
            continue
        for target in targets:
            other = _domain_part(target)
            if other is None or other == part:
                continue
            if DOMAIN_RANK[other] >= DOMAIN_RANK[part]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_every_domain_package_has_a_rank_and_the_top_level_stays_small() -> None:
    parts = {_domain_part(module) for module in _modules()} - {None}
    assert parts == set(DOMAIN_RANK)
    top_level = [p for p in (ROOT / "domain").glob("*.py") if p.name != "__init__.py"]
    assert len(top_level) <= 12


def test_the_layers_of_the_project_point_one_way() -> None:
    """`api -> domain -> gamification`, `workers -> domain`; the pure rules import nothing of
    ours, and the domain knows nothing of the API or the workers."""
    allowed = {
        "gamification": {"gamification"},
        "domain": {"domain", "gamification"},
        "workers": {"workers", "domain", "gamification"},
        "api": {"api", "domain", "gamification", "workers"},
    }
    crossings = [
        f"{module} -> {target}"
        for module, targets in _graph().items()
        for target in targets
        if target.split(".")[0] not in allowed[module.split(".")[0]]
    ]
    assert crossings == []
