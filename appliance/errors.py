"""Domain errors: services raise them, the web and the command line show their message.

A message is an English template with ``%(name)s`` placeholders and its values, so the web
can show it translated (the templates are extracted into the catalogues) and the command
line can print it as it is.
"""


class DomainError(Exception):
    """A request that cannot be done as asked; the message says what is wrong."""

    def __init__(self, message: str, field: str | None = None, **params):
        self.template = message
        self.params = params
        self.field = field
        super().__init__(message % params if params else message)


class NotFound(DomainError):
    """The object does not exist (or the user may not know it exists)."""


class Forbidden(DomainError):
    """The user may not do this to this object."""


class ValidationError(DomainError):
    """Input is wrong; ``field`` names where, when there is one place."""
