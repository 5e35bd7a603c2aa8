"""Chat plumbing for the OpenAI-compatible engine: tools, system prompt, history, tool checks."""

from __future__ import annotations

import json
from typing import Any, overload

from pydantic import BaseModel, ValidationError

from presto_desktop.core.chat import ChatMessage, ToolCall, json_too_deep
from presto_desktop.core.models import Chart, Metric, Mode

# Roughly 4 characters per token; the budget keeps requests small on local models.
HISTORY_CHAR_BUDGET = 24_000
MAX_TURNS = 40
MAX_METRICS = 8
MAX_TOOL_ARGS_CHARS = 100_000
MAX_TOOL_ARGS_DEPTH = 8  # a chart is 3 levels deep; anything far deeper is not a chart

_POINT = {
    "type": "object",
    "properties": {"label": {"type": "string"}, "value": {"type": "number"}},
    "required": ["label", "value"],
    "additionalProperties": False,
}
# One API message: {"role": ..., "content": ...}.
Message = dict[str, str]

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "show_chart",
            "description": ("Draw a chart on the customer's dashboard from the customer's own "
                            "figures. Say one short sentence with it; the chart shows the rest."),
            "parameters": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["line", "bar", "pie", "area"]},
                    "title": {"type": "string"},
                    # minItems: grammar-constrained servers otherwise emit empty charts.
                    "points": {"type": "array", "items": _POINT, "minItems": 1, "maxItems": 500},
                    "unit": {"type": "string"},
                },
                "required": ["type", "title", "points", "unit"],
                "additionalProperties": False,
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "show_metrics",
            "description": ("Show KPI cards on the customer's dashboard; every value is one of "
                            "the customer's figures, exactly."),
            "parameters": {
                "type": "object",
                "properties": {
                    "metrics": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_METRICS,
                        "items": {
                            "type": "object",
                            "properties": {
                                "label": {"type": "string"},
                                "value": {"type": "number"},
                                "unit": {"type": "string"},
                            },
                            "required": ["label", "value", "unit"],
                            "additionalProperties": False,
                        },
                    }
                },
                "required": ["metrics"],
                "additionalProperties": False,
            },
        },
    },
]


def derived_fact_names(cls: type[BaseModel]) -> list[str]:
    """The public properties and computed fields a persona class adds (never pydantic's own)."""
    names = list(cls.model_computed_fields)
    for klass in cls.__mro__:
        # BaseModel and above define model_extra, model_fields_set ...: internals, not facts.
        if klass is BaseModel or not issubclass(klass, BaseModel):
            continue
        for name, value in vars(klass).items():
            if isinstance(value, property) and not name.startswith("_") and name not in names:
                names.append(name)
    return names


def persona_facts(mode: Mode) -> str:
    """The persona's exact figures, derived totals included, as `key: value` lines."""
    persona = mode.persona
    fields = [name for name in type(persona).model_fields if name != "seed"]
    facts = persona.model_dump(mode="json", include=set(fields))
    for name in derived_fact_names(type(persona)):
        if name not in facts:
            facts[name] = getattr(persona, name)
    lines = []
    for key, value in facts.items():
        if isinstance(value, (list, dict)):
            value = json.dumps(value, separators=(",", ":"))
        lines.append(f"- {key}: {value}")
    return "\n".join(lines)


# The web version's rules that keep a demo believable (tests assert on them in the request).
REPLY_RULES = (
    "Rules for every reply:\n"
    "- These are the customer's real records: never call them or the company demo, sample, "
    "fictional, hypothetical, example or made-up data.\n"
    "- Every figure you state matches the customer's figures above exactly.\n"
    "- History stays consistent with the current values: a trend or past figure ends at, "
    "and adds up to, today's figure.\n"
    "- When you show a chart, accompany it with one short sentence; do not list its points."
)


def system_prompt(mode: Mode) -> str:
    """The mode's system prompt plus the customer's exact figures, tool guidance and rules."""
    return (
        f"{mode.system_prompt}\n\nYou are the assistant of {mode.company_name} "
        f"({mode.industry}). The customer you are talking to has exactly these figures; "
        "quote them exactly, never invent others, and use the totals given:\n"
        f"{persona_facts(mode)}\n\nUse show_chart for trends or breakdowns and show_metrics "
        "for key figures. Reply in plain text or simple Markdown, without images or links.\n\n"
        f"{REPLY_RULES}"
    )


def trim_history(history: list[ChatMessage], budget: int = HISTORY_CHAR_BUDGET) -> list[Message]:
    """The most recent turns that fit the budget, oldest first, as API messages."""
    kept: list[Message] = []
    used = 0
    for turn in reversed(history[-MAX_TURNS:]):
        content = turn.content
        if turn.role == "assistant" and turn.tool_calls:
            shown = ", ".join(call.name for call in turn.tool_calls)
            content = f"{content}\n[shown on the dashboard: {shown}]".strip()
        if not content:
            continue
        if used + len(content) > budget:
            break
        used += len(content)
        kept.append({"role": turn.role, "content": content})
    kept.reverse()
    # Start with a user turn: some servers reject a leading assistant message.
    while kept and kept[0]["role"] != "user":
        kept.pop(0)
    return kept


def chat_messages(mode: Mode, history: list[ChatMessage], message: str) -> list[Message]:
    """The full request: system prompt, trimmed history, the new user message."""
    budget = max(HISTORY_CHAR_BUDGET - len(message), 0)
    return [
        {"role": "system", "content": system_prompt(mode)},
        *trim_history(history, budget),
        {"role": "user", "content": message[:HISTORY_CHAR_BUDGET]},
    ]


@overload
def _trimmed(item: dict[str, object], **caps: int) -> dict[str, object]: ...
@overload
def _trimmed(item: object, **caps: int) -> object: ...
def _trimmed(item: object, **caps: int) -> object:
    """Over-long strings are cut to the model's caps (a long title is no reason to drop a chart)."""
    if not isinstance(item, dict):
        return item
    return {key: value[: caps[key]] if key in caps and isinstance(value, str) else value
            for key, value in item.items()}


def validate_tool_call(name: str, arguments: str) -> ToolCall | str:
    """A validated ToolCall, or a short note saying why the call was skipped."""
    if name not in ("show_chart", "show_metrics"):
        return f"skipped an unknown tool call ({name[:40] or 'no name'})"
    if len(arguments) > MAX_TOOL_ARGS_CHARS:
        return f"skipped {name}: arguments too large"
    if json_too_deep(arguments, MAX_TOOL_ARGS_DEPTH):
        return f"skipped {name}: its arguments were nested too deeply"
    try:
        args = json.loads(arguments or "{}")
    except ValueError:
        return f"skipped {name}: its arguments were not valid JSON"
    except RecursionError:  # the depth check above should make this unreachable
        return f"skipped {name}: its arguments were nested too deeply"
    if not isinstance(args, dict):
        return f"skipped {name}: its arguments were not an object"
    try:
        if name == "show_chart":
            if isinstance(args.get("points"), list):
                args["points"] = [_trimmed(p, label=40) for p in args["points"][:500]]
            chart = Chart.model_validate({"unit": "", **_trimmed(args, title=120, unit=16)})
            return ToolCall("show_chart", chart.model_dump(mode="json"))
        metrics = args.get("metrics")
        if not isinstance(metrics, list) or not metrics:
            return "skipped show_metrics: no metrics given"
        checked = [Metric.model_validate({"unit": "", **_trimmed(m, label=40, unit=16)})
                   if isinstance(m, dict) else None
                   for m in metrics[:MAX_METRICS]]
        valid = [m for m in checked if m is not None]
        if len(valid) < len(checked):
            return "skipped show_metrics: a metric was not an object"
        return ToolCall("show_metrics", {"metrics": [m.model_dump(mode="json") for m in valid]})
    except RecursionError:
        return f"skipped {name}: its arguments were nested too deeply"
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"skipped {name}: invalid arguments ({where}: {first['msg']})"
