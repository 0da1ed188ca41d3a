"""Which frameworks are offered, and which one is used when none is named.

Two settings decide (audit_tui/config.py): `default_framework` - the framework the profile,
export, sampling, import and New audit use unless told otherwise, and the one the title bar
names - and `hidden_frameworks` - shipped frameworks an authority does not use, left out of
every list that offers a framework. A hidden framework can still be named on purpose
(`--framework supervision`), and audits already done on it still read and count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _

if TYPE_CHECKING:
    from audit_tui.config import Settings
    from audit_tui.domain.framework import Framework
    from audit_tui.domain.loader import FrameworkRegistry
    from audit_tui.services.context import AppContext


def settings_problem(settings: Settings, frameworks: FrameworkRegistry) -> str | None:
    """What is wrong with the two settings against the frameworks found, in one line."""
    known = [fw.id for fw in frameworks.all()]
    unknown = [f for f in settings.hidden_frameworks if f not in known]
    if unknown:
        return _("setting hidden_frameworks: unknown framework '{id}' (known: {known})").format(
            id=unknown[0], known=", ".join(known) or _("none")
        )
    if not known:
        return None
    default = settings.default_framework
    if default not in known:
        return _("setting default_framework: unknown framework '{id}' (known: {known})").format(
            id=default, known=", ".join(known)
        )
    if default in settings.hidden_frameworks:
        return _(
            "setting default_framework is '{id}', which hidden_frameworks hides: set "
            "default_framework to a framework you use"
        ).format(id=default)
    return None


def check_settings(ctx: AppContext) -> None:
    problem = settings_problem(ctx.settings, ctx.frameworks)
    if problem:
        raise UserError(problem)


def default_id(ctx: AppContext) -> str:
    """The framework used when none is named."""
    check_settings(ctx)
    return ctx.settings.default_framework


def in_use(ctx: AppContext, framework_id: str | None = None) -> Framework:
    """The named framework (hidden or not: naming it is on purpose), else the default."""
    return ctx.frameworks.get(framework_id or default_id(ctx))


def offered(ctx: AppContext, also: str | None = None) -> list[Framework]:
    """The frameworks to offer in a list: every one not hidden, and `also` (the one already
    chosen, say a draft's) even when it is."""
    hidden = set(ctx.settings.hidden_frameworks) - {also}
    return [fw for fw in ctx.frameworks.all() if fw.id not in hidden]


def preferred(ctx: AppContext, frameworks: list[Framework] | None = None) -> str | None:
    """The framework a list offers first: the default one, or the first offered while the
    settings are wrong (start-up refuses wrong settings; this only keeps a screen drawable)."""
    ids = [fw.id for fw in (frameworks if frameworks is not None else offered(ctx))]
    default = ctx.settings.default_framework
    return default if default in ids else (ids[0] if ids else None)


def title_bar(ctx: AppContext) -> str:
    """What the title bar says: the framework in use."""
    try:
        return str(in_use(ctx).title)
    except UserError:
        return "audit-tui"
