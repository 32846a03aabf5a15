"""The one error type services raise for a write they refuse, in words a user can act on."""


class CaseworkError(Exception):
    """A write refused for a reason the user should be told about.

    `errors` maps a field name (or None for the whole form) to messages, so a view shows each beside
    the input at fault: `error.add_to(form)`."""

    def __init__(self, message: str = "", *, field: str | None = None, errors: dict | None = None):
        self.errors = errors if errors is not None else {field: [message]}
        super().__init__(message or " ".join(m for messages in self.errors.values() for m in messages))

    def add_to(self, form) -> None:
        for field, messages in self.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
