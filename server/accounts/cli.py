"""`flask create-admin`: the one way to make a server administrator."""
from __future__ import annotations

import click
from marshmallow import ValidationError
from sqlalchemy import select

from ..extensions import db
from .models import User
from .passwords import hash_password, password_problems
from .tokens import end_sessions


@click.command("create-admin")
@click.argument("username")
@click.option("--name", help="display name of a new account (default: the username)")
@click.option("--password", help="password of a new account (asked for when left out), or a "
                                 "new password for an existing one (which ends its sessions)")
def create_admin_command(username: str, name: str | None, password: str | None):
    """Make USERNAME a server administrator, creating the account if it does not exist.

    A server administrator creates projects and manages every account; safe to repeat."""
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    if user is None and password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if password is not None:
        problems = password_problems(password, username)
        if problems:
            raise click.BadParameter("; ".join(problems), param_hint="--password")
    if user is None:
        from ..projects.schemas import USERNAME
        try:
            USERNAME(username)
        except ValidationError as error:
            raise click.BadParameter(" ".join(error.messages), param_hint="USERNAME") from None
        user = User(username=username, name=name or username, password_hash=hash_password(password))
        db.session.add(user)
        made = "created"
    else:
        made = "already a server administrator" if user.is_server_admin else "granted"
        if password is not None:
            user.password_hash = hash_password(password)
            end_sessions(user.id)
            made += ", password changed"
    user.is_server_admin = True
    db.session.commit()
    click.echo(f"{username}: server administrator ({made})")
