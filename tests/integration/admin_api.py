"""Helpers for tests of the admin API: tokens and paging."""

from harness import run_leadgate


def create_token(db, name, role):
    result = run_leadgate(["token", "create", "--name", name, "--role", role], {"LEADGATE_DATABASE_URL": db.url})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def all_pages(server, path, token):
    """Every item of a listing, following next_cursor; and the page count."""
    items, cursor, pages = [], None, 0
    separator = "&" if "?" in path else "?"
    while True:
        reply = server.get(path + (f"{separator}cursor={cursor}" if cursor else ""), bearer(token))
        assert reply.status == 200, reply.body
        page = reply.json()
        items += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages
