"""`mektep demo`: a demo school to try Mektep on, then serve it."""

import click


def register(main: click.Group) -> None:
    pass
