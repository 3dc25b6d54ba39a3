"""Lean pages: JupyterLab's stylesheet cut down to the rules a page can use.

nbconvert's lab template inlines JupyterLab's whole ``index.css`` (about 240 kB, with its icons as data URIs)
into every page, though a report page uses a few dozen of its classes. :func:`lean_page` keeps, of that
stylesheet, the rules with at least one selector whose classes all occur in the page's markup, and every rule
without a class (elements, ``:root`` variables, attributes), every ``@font-face``/``@keyframes`` and the like;
``@media`` and ``@supports`` blocks are cut the same way inside. A class named only under ``:not(...)`` does not
count, since such a selector can match without it. Custom properties (``--jp-icon-add: url(data:...)``) that
nothing left on the page reads through ``var()`` go too. The kit's own styles and scripts are not touched, so classes
that the page's scripts add at run time must be styled there (``kit-``/``kx-`` classes), never by JupyterLab's
sheet. tests/test_lean_css.py checks in Chromium that every element's computed style is unchanged.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import tinycss2

_CLASS_ATTR = re.compile(r'\bclass\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_NOT = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")
_ATTR = re.compile(r"\[[^\]]*\]")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
_NESTED = {"media", "supports", "layer", "container", "document"}
_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def page_classes(html: str) -> set[str]:
    """Every class name written in the markup of ``html``."""
    out: set[str] = set()
    for m in _CLASS_ATTR.finditer(html):
        out.update((m.group(1) or m.group(2) or "").split())
    return out


def _needed(selector: str) -> set[str]:
    return set(_CLASS.findall(_ATTR.sub("", _NOT.sub("", selector))))


def _split_selectors(prelude: str) -> list[str]:
    """The selectors of a rule's prelude, split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def prune_css(css: str, classes: set[str], reads: str = "") -> str:
    """``css`` without the rules that cannot match a page whose markup has only ``classes``, nor the custom
    properties that neither these rules nor ``reads`` (the rest of the page) read."""
    kept = _kept(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), classes)
    return _drop_unread_properties("".join(kept), reads)


def _drop_unread_properties(css: str, reads: str) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    custom: dict[str, list[str]] = {}  # property -> the properties its values read
    plain: list[str] = [reads]
    for decl in _declarations(rules):
        value = tinycss2.serialize(decl.value)
        if decl.name.startswith("--"):
            custom.setdefault(decl.name, []).extend(_VAR.findall(value))
        else:
            plain.append(value)
    read = set(_VAR.findall(" ".join(plain)))
    todo = list(read)
    while todo:
        for name in custom.get(todo.pop(), ()):
            if name not in read:
                read.add(name)
                todo.append(name)
    return "".join(_without_properties(rules, set(custom) - read))


def _declarations(rules):
    for rule in rules:
        if rule.type == "qualified-rule":
            yield from (d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                                    skip_whitespace=True) if d.type == "declaration")
        elif rule.type == "at-rule" and rule.lower_at_keyword in _NESTED and rule.content is not None:
            yield from _declarations(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                              skip_whitespace=True))


def _without_properties(rules, unread: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            decls = tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
            if not any(d.type == "declaration" and d.name in unread for d in decls):
                out.append(rule.serialize())
                continue
            body = ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}{' !important' if d.important else ''}"
                            for d in decls if d.type == "declaration" and d.name not in unread)
            if body:
                out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in _NESTED and rule.content is not None:
            inner = _without_properties(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                                 skip_whitespace=True), unread)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        else:
            out.append(rule.serialize())
    return out


def _kept(rules, classes: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _split_selectors(tinycss2.serialize(rule.prelude))
            if any(_needed(s) <= classes for s in selectors):
                out.append(rule.serialize())
        elif rule.type == "at-rule" and rule.lower_at_keyword in _NESTED and rule.content is not None:
            inner = _kept(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), classes)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type != "error":
            out.append(rule.serialize())
    return out


@lru_cache(maxsize=1)
def _lab_sheets() -> tuple[str, ...]:
    """JupyterLab's stylesheets as the lab template inlines them (nbconvert's ``static/*.css``)."""
    import jupyter_core.paths

    for base in jupyter_core.paths.jupyter_path("nbconvert", "templates", "lab", "static"):
        folder = Path(base)
        if (folder / "index.css").is_file():
            return tuple(p.read_text(encoding="utf-8").strip() for p in sorted(folder.glob("*.css")))
    return ()


def lean_page(html: str) -> str:
    """``html`` with JupyterLab's inlined stylesheets cut to the rules its markup can use (see the module)."""
    sheets = set(_lab_sheets())
    if not sheets:
        return html
    classes = page_classes(html)
    blocks = [m for m in _STYLE.finditer(html) if m.group(2).strip() in sheets]
    if not blocks:
        return html
    kept = [_kept(tinycss2.parse_stylesheet(m.group(2), skip_comments=True, skip_whitespace=True), classes)
            for m in blocks]
    # what the rest of the page reads: its markup, the kit's styles and scripts, and the lab rules kept
    spans = {m.span() for m in blocks}
    rest = _STYLE.sub("", html) + "".join(m.group(0) for m in _STYLE.finditer(html) if m.span() not in spans)
    joined = "".join("".join(k) for k in kept)
    out, last = [], 0
    for m, k in zip(blocks, kept):
        others = rest + joined.replace("".join(k), "", 1)
        out += [html[last:m.start()], m.group(1), "\n", _drop_unread_properties("".join(k), others), "\n", m.group(3)]
        last = m.end()
    out.append(html[last:])
    return "".join(out)
