"""The floor for `audit-tui --help`: a bare click group with one command, nothing else."""

import click


@click.group()
def cli() -> None:
    """A minimal command line."""


@cli.command()
def hello() -> None:
    """Say hello."""
    click.echo("hello")


if __name__ == "__main__":
    cli()
