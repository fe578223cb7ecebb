#!/usr/bin/python3
"""docs/configuration.md documents config/leadgate.toml, no more and no less.

- Every key of the file is a row of a table in the document: its active keys,
  and the optional ones the file shows commented out (`# url = "…"` inside a
  section).
- Every key the document's tables name is in the file, or is in the section
  "Set only in the environment" (secrets, which the file may not hold).
- Each row names the key's environment variable (LEADGATE_ + the key in upper
  case with "." as "_"), and, for an active key, its default as the file
  writes it.

Keys are dotted paths: nested tables are followed (`forms.success_url.estimate`,
`booking.hours.mon`); an array is one value, whatever it holds. Whether the
file's values are the built-in defaults is the unit test
config.the_shipped_file_states_exactly_the_built_in_defaults.

Run: /usr/bin/python3 tests/docs/test_configuration_documented.py
"""

import pathlib
import re
import tomllib
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "leadgate.toml"
DOC = ROOT / "docs" / "configuration.md"
ENVIRONMENT_ONLY_HEADING = "Set only in the environment"

SECTION = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]\s*(#.*)?$")
COMMENTED_KEY = re.compile(r"^\s*#\s*([A-Za-z0-9_\-]+)\s*=")
ROW_KEY = re.compile(r"^\|\s*`([a-z0-9_]+(?:\.[a-z0-9_]+)+)`\s*\|")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


def flatten(table, prefix=""):
    """{dotted key: value} of a parsed TOML table."""
    keys = {}
    for name, value in table.items():
        path = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            keys.update(flatten(value, path))
        else:
            keys[path] = value
    return keys


def commented_keys(text):
    """Keys written as comments inside a section: optional, with no default value."""
    keys = set()
    section = None
    for line in text.splitlines():
        if match := SECTION.match(line):
            section = match.group(1)
        elif section is not None and (match := COMMENTED_KEY.match(line)):
            keys.add(f"{section}.{match.group(1)}")
    return keys


def toml_text(value):
    """A value as config/leadgate.toml writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(item) for item in value) + "]"
    return str(value)


def environment_name(key):
    return "LEADGATE_" + key.upper().replace(".", "_")


def documented_rows(text):
    """[(key, cells, level-2 heading)] of every table row that starts with a dotted key."""
    rows = []
    heading = ""
    for line in text.splitlines():
        if match := HEADING.match(line):
            if len(match.group(1)) <= 2:
                heading = match.group(2)
            continue
        if match := ROW_KEY.match(line):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows.append((match.group(1), cells, heading))
    return rows


class ConfigurationDocumented(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        text = CONFIG.read_text(encoding="utf-8")
        cls.active = flatten(tomllib.loads(text))
        cls.commented = commented_keys(text) - cls.active.keys()
        cls.rows = documented_rows(DOC.read_text(encoding="utf-8"))
        cls.documented = {key for key, _, _ in cls.rows}
        cls.environment_only = {key for key, _, heading in cls.rows if heading == ENVIRONMENT_ONLY_HEADING}

    def test_the_file_and_the_document_were_read(self):
        self.assertGreater(len(self.active), 50, f"too few keys read from {CONFIG}")
        self.assertGreater(len(self.rows), 50, f"too few table rows read from {DOC}")
        self.assertTrue(self.environment_only, f'{DOC} has no "## {ENVIRONMENT_ONLY_HEADING}" table')

    def test_every_key_of_the_file_is_documented(self):
        missing = sorted((self.active.keys() | self.commented) - self.documented)
        self.assertEqual(missing, [], f"keys of {CONFIG.name} without a row in {DOC.name}")

    def test_the_document_names_only_keys_of_the_file_or_of_the_environment(self):
        stale = sorted(self.documented - self.active.keys() - self.commented - self.environment_only)
        self.assertEqual(stale, [], f"rows of {DOC.name} for keys that {CONFIG.name} does not have "
                                    f'and that are not under "{ENVIRONMENT_ONLY_HEADING}"')

    def test_environment_only_keys_are_not_in_the_file(self):
        both = sorted(self.environment_only & (self.active.keys() | self.commented))
        self.assertEqual(both, [], f'keys under "{ENVIRONMENT_ONLY_HEADING}" that {CONFIG.name} sets')

    def test_each_key_is_documented_once(self):
        keys = [key for key, _, _ in self.rows]
        self.assertEqual(sorted({key for key in keys if keys.count(key) > 1}), [])

    def test_each_row_names_the_environment_variable(self):
        wrong = [(key, cells[2] if len(cells) > 2 else None) for key, cells, _ in self.rows
                 if len(cells) < 3 or cells[2] != f"`{environment_name(key)}`"]
        self.assertEqual(wrong, [], "rows whose third column is not the key's `LEADGATE_…` variable")

    def test_each_active_key_states_the_file_default(self):
        wrong = [(key, cells[1], f"`{toml_text(self.active[key])}`") for key, cells, _ in self.rows
                 if key in self.active and cells[1] != f"`{toml_text(self.active[key])}`"]
        self.assertEqual(wrong, [], "rows whose default differs from the file: (key, documented, file)")


if __name__ == "__main__":
    unittest.main(verbosity=2)
