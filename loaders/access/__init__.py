"""Who may do what: the four roles, the role → permissions map and the check every page and command makes (no streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import MarsadError
from ..i18n import N_

ROLES = ("viewer", "analyst", "validator", "admin")
ACTIONS = (
    "view",
    "upload",
    "submit",
    "withdraw_own",
    "publish",
    "send_back",
    "undo",
    "demo",
    "admin_users",
    "edit_catalog",
    "view_audit",
    "backup",
    "restore",
)
# The one map. Roles are not nested: a validator checks others' batches and does not load figures itself
# (the four-eyes rule); an admin holds every permission so a one-person deployment can still run.
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view"}),
    "analyst": frozenset({"view", "upload", "submit", "withdraw_own"}),
    "validator": frozenset({"view", "publish", "send_back", "undo"}),
    "admin": frozenset(ACTIONS),
}
# What each action lets someone do, for the refusal message ("… may not {what}").
ACTION_LABELS = {
    "view": N_("see the figures"),
    "upload": N_("upload or check files"),
    "submit": N_("submit a batch"),
    "withdraw_own": N_("withdraw a batch"),
    "publish": N_("publish a batch"),
    "send_back": N_("send a batch back"),
    "undo": N_("undo a batch"),
    "demo": N_("add or remove the DEMO data"),
    "admin_users": N_("manage users"),
    "edit_catalog": N_("edit the catalog"),
    "view_audit": N_("see the audit trail"),
    "backup": N_("back up the database"),
    "restore": N_("restore a backup"),
}
ROLE_LABELS = {
    "viewer": N_("viewer"),
    "analyst": N_("analyst"),
    "validator": N_("validator"),
    "admin": N_("admin"),
}


@dataclass(frozen=True)
class User:
    """Someone acting: a local account, an identity-provider user, or the open (no sign-in) local user."""

    name: str
    role: str
    display_name: str | None = None
    source: str = "local"  # local | oidc | open | cli
    producer: str | None = (
        None  # the institution whose figures an analyst owes (catalog `producer`)
    )

    @property
    def label(self) -> str:
        return self.display_name or self.name


class PermissionDenied(MarsadError):
    """An action the user's role does not allow; `message` is one sentence for people (English msgid + params)."""

    def __init__(self, message: str, **params):
        super().__init__(message.format(**params))
        self.msgid = message
        self.params = params
        self.message = message.format(**params)

    def translated(self, _) -> str:
        params = {k: _(v) if k in ("what", "role") else v for k, v in self.params.items()}
        return _(self.msgid, **params)


def can(role: str | None, action: str) -> bool:
    """Whether `role` may do `action`. An unknown action is a programming error, not a refusal."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    return action in PERMISSIONS.get(role or "", frozenset())


def require(user: User | None, action: str) -> User:
    """`user` if their role allows `action`, else PermissionDenied saying who may not do what."""
    if user is not None and can(user.role, action):
        return user
    if user is None:
        raise PermissionDenied(N_("Sign in to {what}."), what=ACTION_LABELS[action])
    raise PermissionDenied(
        N_("{user} ({role}) may not {what}."),
        user=user.label,
        role=ROLE_LABELS.get(user.role, user.role),
        what=ACTION_LABELS[action],
    )


def role_rank(role: str) -> int:
    """Roles in order of reach (viewer lowest), to pick one role when an identity provider sends several."""
    return ROLES.index(role) if role in ROLES else -1


def sign_in_on(store, conn=None) -> bool:
    """Whether sign-in is on: MARSAD_AUTH=required, or at least one account exists in `store` (plain SQL
    through the store: the CLI's load path asks this without importing SQLAlchemy)."""
    from .. import settings

    if settings.get("MARSAD_AUTH") == "required":
        return True
    if conn is None:
        with store.transaction() as conn:
            return sign_in_on(store, conn)
    return int(store.execute(conn, "SELECT count(*) FROM account")[0][0]) > 0
