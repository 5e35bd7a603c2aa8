"""What the dashboard's cards show, formatted as plain text (Qt-free, also for the start frame)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presto_desktop.core.models import Metric, Tab
    from presto_desktop.core.persona import Persona

# What the cards show, already formatted (from a mode, or from the remembered start frame).
PersonaView = tuple[str, str, Sequence[tuple[str, str]]]  # name, meta line, figures
MetricView = tuple[str, str, str]  # label, shown value, unit
TabView = tuple[str, str, str]  # label, prompt, icon name
CURRENCIES = ("$", "€", "£", "¥")


def money(value: float, symbol: str = "$") -> str:
    """$1,234.56 (negative as -$1,234.56; whole amounts of 10,000 and up without cents)."""
    amount = abs(value)
    text = f"{amount:,.0f}" if amount >= 10_000 and amount.is_integer() else f"{amount:,.2f}"
    return f"-{symbol}{text}" if value < 0 else f"{symbol}{text}"


def number(value: float) -> str:
    """A compact human number: 1,234 or 12.5 or 1.2M."""
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f}M"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def persona_figures(persona: Persona) -> list[tuple[str, str]]:
    """The persona's key figures by kind; totals come from its derived properties."""
    if persona.kind == "banking":
        return [("Total balance", money(persona.total_balance)),
                ("Checking", money(persona.checking_balance)),
                ("Savings", money(persona.savings_balance)),
                ("Credit available", money(persona.credit_available)),
                ("Credit score", str(persona.credit_score))]
    if persona.kind == "insurance":
        return [("Policies", str(len(persona.policies))),
                ("Monthly premium", money(persona.total_premium_monthly)),
                ("Total coverage", money(persona.total_coverage)),
                ("Claims", f"{len(persona.claims)} · {money(persona.total_claimed)}")]
    if persona.kind == "healthcare":
        return [("Plan", persona.plan),
                ("Deductible left", money(persona.deductible_remaining)),
                ("Out-of-pocket left", money(persona.out_of_pocket_remaining)),
                ("Prescriptions / mo", money(persona.prescriptions_monthly))]
    noun = persona.noun or "orders"
    figures = [("Status", persona.status)]
    if persona.plan:
        figures.append(("Plan", persona.plan))
    if persona.rewards and persona.priced:
        figures.append(("Points", number(persona.loyalty_points)))
    if persona.priced:
        figures.append(("Lifetime spend", money(persona.lifetime_spend)))
    figures.append((f"{noun[:1].upper()}{noun[1:]} (12 mo)", str(len(persona.orders))))
    if persona.upcoming:
        upcoming = persona.upcoming
        figures.append(("Next", f"{upcoming[0].date[5:]} · {upcoming[0].description}"))
    figures += [(d.label, d.value) for d in persona.details[:2]]
    return figures[:6]


def persona_view(persona: Persona) -> PersonaView:
    """The persona card's name, meta line and figures."""
    meta = f"{persona.city} · customer since {persona.customer_since}"
    return (persona.name, meta, persona_figures(persona))


def metric_view(metric: Metric) -> MetricView:
    """A KPI card's label, value and unit; currency reads before the number ($818.45)."""
    if metric.unit in CURRENCIES:
        return (metric.label, money(metric.value, metric.unit), "")
    return (metric.label, number(metric.value), metric.unit)


def tab_view(tab: Tab) -> TabView:
    """A tab button's label, the prompt it asks and its icon."""
    return (tab.label, tab.prompt, tab.icon)
