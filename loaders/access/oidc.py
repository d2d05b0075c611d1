"""OpenID Connect users (st.login): the Marsad role read from a claim of the identity provider's token."""

from __future__ import annotations

import os

from . import ROLES, User, role_rank


def _claim(claims: dict, path: str):
    """A claim by name, or by a dotted path into nested claims (Keycloak: `realm_access.roles`)."""
    if path in claims:
        return claims[path]
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _values(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [v for v in raw.replace(",", " ").split() if v]
    if isinstance(raw, (list, tuple, set)):
        return [str(v) for v in raw]
    return [str(raw)]


def _mapping(text: str | None) -> dict[str, str]:
    """MARSAD_OIDC_ROLE_MAP: `idp-value=role,…` (e.g. `stats-office=analyst,dg-cabinet=viewer`)."""
    out = {}
    for pair in (text or "").split(","):
        key, sep, role = pair.partition("=")
        if sep and role.strip() in ROLES:
            out[key.strip()] = role.strip()
    return out


def role_from_claims(
    claims: dict,
    claim: str | None = None,
    mapping: str | None = None,
    default: str | None = None,
) -> str | None:
    """The highest Marsad role the claim grants, else the default role (None: refused).

    A value counts when the mapping names it, or when it is a role name, bare or prefixed `marsad-` or
    `marsad_` (Keycloak roles `marsad-analyst`, `marsad-admin`…). Settings: MARSAD_OIDC_ROLE_CLAIM (default
    `roles`), MARSAD_OIDC_ROLE_MAP, MARSAD_OIDC_DEFAULT_ROLE (default `viewer`; `none` refuses).
    """
    claim = claim or os.environ.get("MARSAD_OIDC_ROLE_CLAIM") or "roles"
    table = _mapping(mapping if mapping is not None else os.environ.get("MARSAD_OIDC_ROLE_MAP"))
    if default is None:
        default = os.environ.get("MARSAD_OIDC_DEFAULT_ROLE", "viewer")
    found = []
    for v in _values(_claim(claims, claim)):
        bare = v.removeprefix("marsad-").removeprefix("marsad_")
        role = table.get(v) or (bare if bare in ROLES else None)
        if role:
            found.append(role)
    if found:
        return max(found, key=role_rank)
    return default if default in ROLES else None


def user_from_claims(claims: dict, **kw) -> User | None:
    """The User an identity provider vouches for, or None when no role applies."""
    name = claims.get("preferred_username") or claims.get("email") or claims.get("sub")
    role = role_from_claims(claims, **kw)
    if not name or role is None:
        return None
    return User(str(name), role, claims.get("name"), "oidc")
