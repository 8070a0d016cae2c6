"""`mektep audit verify`: check the journal's hash-chained audit log."""

import click

from appliance.journal import audit
from provisioning.context import Node, pass_node


@click.group("audit")
def audit_group() -> None:
    """The audit log of mark and attendance changes."""


@audit_group.command("verify")
@pass_node
def verify(node: Node) -> None:
    """Check every entry's hash and its link to the one before; name the first broken entry.

    Then check that this node's marks and attendance agree with the log's last entry for each.
    """
    node.open()
    verdict = audit.verify()
    if verdict.ok:
        mismatch = audit.reconcile()
        if mismatch is None:
            click.echo(f"OK: {verdict.count} audit entries, the chain is intact.")
            return
        click.echo(
            f"MISMATCH: {mismatch.object_type} {mismatch.object_id} holds {mismatch.field}="
            f"{mismatch.current or '(empty)'} but the audit log last recorded "
            f"{mismatch.logged or '(empty)'}: it was changed outside the journal. "
            f"The chain of {verdict.count} entries is intact.",
            err=True,
        )
        raise SystemExit(1)
    broken = verdict.broken
    click.echo(
        f"BROKEN: entry {broken.id} (origin {broken.origin}, position {broken.position}): "
        f"{broken.problem}. {verdict.count} entries before it are intact.",
        err=True,
    )
    raise SystemExit(1)


def register(main: click.Group) -> None:
    main.add_command(audit_group)
