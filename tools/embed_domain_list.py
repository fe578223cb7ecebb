#!/usr/bin/env python3
"""Writes a domain list (data/disposable-domains.txt) as a C++ source file
defining NAME, a std::string_view of its domains, one a line, without the
comments: the text file is the one copy anyone edits, and the binary carries
exactly what was built from it.

The build fails, naming the line, when the list is not what the loader may
take on trust: lower-case ASCII domains, sorted, each once.

usage: embed_domain_list.py LIST.txt OUTPUT.cpp NAMESPACE::NAME
"""
import re
import sys

DELIMITER = "list"
DOMAIN = re.compile(r"(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")


def main(source, output, qualified_name):
    namespace, _, name = qualified_name.rpartition("::")
    domains = []
    with open(source, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not DOMAIN.fullmatch(line) or len(line) > 253:
                raise SystemExit(f"{source}:{number}: {line!r} is not a lower-case ASCII domain")
            if domains and line <= domains[-1]:
                raise SystemExit(f"{source}:{number}: {line} is out of order or repeated")
            domains.append(line)
    text = "\n".join(domains)
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(f"// Generated from {source} by tools/embed_domain_list.py. Do not edit.\n")
        handle.write("#include <string_view>\n\n")
        handle.write(f"namespace {namespace} {{\n\n")
        handle.write("using namespace std::string_view_literals;\n")
        handle.write(f"extern const std::string_view {name};\n")
        # The ""sv literal carries its length: no strlen of megabytes at
        # compile time, and constinit keeps it out of dynamic initialisation.
        handle.write(f'constinit const std::string_view {name} = R"{DELIMITER}({text}){DELIMITER}"sv;\n\n')
        handle.write(f"}}  // namespace {namespace}\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
