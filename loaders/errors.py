"""The base of every error a person reads (MarsadError): one sentence, a title and a hint, translated at display."""

from __future__ import annotations

from .i18n import N_


class MarsadError(Exception):
    """Something Marsad refuses or cannot do, said to a person rather than shown as a traceback.

    `message` is one sentence: an English msgid and its parameters, kept apart (`msgid`, `params`) so that
    `translated(_)` says it in the reader's language. `title` (what happened) and `hint` (what to do; "" for
    none) are English msgids per kind, translated by `translated_title(_)` and `translated_hint(_)`. A kind
    that translates some parameters too (a role, a status) says so in `display_params`.
    """

    TITLE = N_("This could not be done")
    HINT = ""

    def __init__(self, message: str, **params):
        # Filled only when there are parameters, as gettext does: a sentence already filled in (a subclass
        # that formats before calling this) keeps any brace its values hold.
        self.message = message.format(**params) if params else message
        super().__init__(self.message)
        self.msgid = message
        self.params = params

    @property
    def title(self) -> str:
        return self.TITLE

    @property
    def hint(self) -> str:
        return self.HINT

    def display_params(self, _) -> dict:
        """The parameters as the message shows them (translated where a kind says so)."""
        return self.params

    def translated(self, _) -> str:
        return _(self.msgid, **self.display_params(_))

    def translated_title(self, _) -> str:
        return _(self.title)

    def translated_hint(self, _) -> str:
        return _(self.hint) if self.hint else ""
