"""Reading config text safely: YAML and JSON bounded in depth, size and alias expansion."""

from __future__ import annotations

import yaml

from merlin_assets.config.fields import MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_NODES


def field_path(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


class TooBig(ValueError):
    """Structure beyond MAX_DEPTH, MAX_NODES or MAX_EXPANDED_CHARS; the message says which."""


def check_json_shape(data: object) -> None:
    """Depth and size of parsed JSON, walked without recursion."""
    stack = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise TooBig(f"nested more than {MAX_DEPTH} levels deep")
        if nodes > MAX_NODES:
            raise TooBig(f"more than {MAX_NODES} values")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


# libyaml's parser (PyYAML's C binding) when the wheel has it: the same documents and errors,
# about 10x faster; the pure-Python parser was most of a sensor's first look at many configs.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """`yaml.safe_load`, refusing deep nesting and alias bombs before building anything.

    The event stream is read first (no recursion, no objects built) to bound the depth; then
    the node graph is measured with every alias counted as the nodes it expands to. Only then
    are Python objects constructed, by PyYAML's safe constructor: tags that name Python
    objects are errors.
    """
    too_deep = TooBig(f"nested more than {MAX_DEPTH} levels deep")
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_deep
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6 (in PyYAML 6.0.4's wheels) refuses more than 1,000 levels itself, and
        # its scanner reads up to 1,024 characters ahead, so `[[[[...` is refused there
        # ("exceeded maximum nesting depth ... while increasing flow level") before this count
        # reaches MAX_DEPTH. The same refusal, then, in the same words whichever release runs.
        if "nesting depth" in (exc.problem or ""):
            raise too_deep from None
        raise
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_yaml_expansion(root: yaml.Node) -> None:
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (nodes, scalar characters) expanded
    open_nodes: set[int] = set()

    def measure(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise TooBig("an alias refers to its own anchor (a recursive structure)")
        open_nodes.add(key)
        if isinstance(node, yaml.ScalarNode):
            total = (1, len(node.value))
        else:
            children = (
                [c for pair in node.value for c in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            total = (1, 0)
            for child in children:
                n, c = measure(child)
                total = (total[0] + n, total[1] + c)
                if total[0] > MAX_NODES:
                    raise TooBig(f"expands to more than {MAX_NODES} values (alias bomb?)")
                if total[1] > MAX_EXPANDED_CHARS:
                    raise TooBig(
                        f"expands to more than {MAX_EXPANDED_CHARS} characters (alias bomb?)"
                    )
        open_nodes.discard(key)
        sizes[key] = total
        return total

    measure(root)
