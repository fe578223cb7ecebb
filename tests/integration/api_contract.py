"""The API description as a test oracle: every response an integration test
receives is checked against docs/openapi.yaml, so the document cannot drift
from the server.

A response fails the check when
- its status is not listed for the operation (or, for a request no route
  takes, in the document's `x-leadgate-unrouted-responses`);
- it carries one of the headers a client relies on (CONTRACT_HEADERS) that
  the document does not list for it, or lacks one listed as required, or
  one whose value does not fit the listed schema;
- its media type is not listed, or a JSON body does not validate against the
  listed schema (the schemas say `additionalProperties: false`, so an
  undocumented field fails too).

Headers every response of a kind carries (Vary, Content-Security-Policy,
X-Content-Type-Options, Content-Length) are described once in the
document's introduction and not checked here.
"""

import json
import os
import re
import urllib.parse
import warnings

import jsonschema
import yaml

CONTRACT_HEADERS = {
    "location", "retry-after", "idempotent-replayed", "allow", "www-authenticate", "set-cookie",
    "content-disposition", "access-control-allow-origin", "access-control-expose-headers",
    "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age",
}

# Statuses the server may answer before it chooses a route, on any path.
BEFORE_ROUTING = {"400", "413", "431", "503"}

JSON_MEDIA = re.compile(r"^application/([a-z.+-]+\+)?json$")


class ApiContract:
    def __init__(self, path):
        with open(path, encoding="utf-8") as handle:
            self.document = yaml.safe_load(handle)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self._resolver = jsonschema.RefResolver.from_schema(self.document)
        self._templates = [(template, _segments(template)) for template in self.document["paths"]]

    def problems(self, method, target, status, headers, body, only_paths=None):
        """What is wrong with one response, as sentences (empty: nothing).
        `body` None: not read, only the status and headers are checked.
        `only_paths`: the paths the server that answered serves, when it is
        not the public one (the ops port serves three)."""
        method = method.lower()
        path = urllib.parse.urlsplit(target).path
        where = f"{method.upper()} {path} → {status}"
        spec, reason = self._response_spec(method, path, str(status), only_paths)
        if spec is None:
            return [f"{where}: {reason}"]
        problems = self._header_problems(spec, headers)
        if method != "head" and body is not None:
            problems += self._body_problems(spec, headers, body)
        return [f"{where}: {problem}" for problem in problems]

    # -- which response object describes it

    def _response_spec(self, method, path, status, only_paths):
        item = self._path_item(path, only_paths)
        unrouted = self.document.get("x-leadgate-unrouted-responses", {})
        if item is None:
            if status == "404" or status in BEFORE_ROUTING:
                return self._resolve(unrouted[status]), None
            return None, "the path is not in docs/openapi.yaml"
        operation = item.get(method) or (item.get("get") if method == "head" else None)
        if operation is None:
            if status == "405" or status in BEFORE_ROUTING:
                return self._resolve(unrouted[status]), None
            return None, "the method is not in docs/openapi.yaml for this path"
        responses = operation.get("responses", {})
        for key in (status, status[0] + "XX", "default"):
            if key in responses:
                return self._resolve(responses[key]), None
        if status in BEFORE_ROUTING:
            return self._resolve(unrouted[status]), None
        return None, f"status {status} is not documented for {operation.get('operationId', 'this operation')}"

    def _path_item(self, path, only_paths=None):
        segments = _segments(path)
        best, best_literals = None, -1
        for template, pattern in self._templates:
            if len(pattern) != len(segments) or path.endswith("/") != template.endswith("/"):
                continue
            if only_paths is not None and template not in only_paths:
                continue
            literals = 0
            for expected, actual in zip(pattern, segments):
                if expected.startswith("{") and expected.endswith("}"):
                    continue
                if expected != actual:
                    break
                literals += 1
            else:
                if literals > best_literals:  # /leads/export.csv before /leads/{id}
                    best, best_literals = template, literals
        return None if best is None else self.document["paths"][best]

    # -- headers and body

    def _header_problems(self, spec, headers):
        documented = {name.lower(): self._resolve(header) for name, header in spec.get("headers", {}).items()}
        problems = []
        for name in sorted(CONTRACT_HEADERS & set(headers)):
            if name not in documented:
                problems.append(f"header {name} is not documented")
        for name, header in documented.items():
            if name not in headers:
                if header.get("required"):
                    problems.append(f"required header {name} is missing")
                continue
            schema = header.get("schema", {})
            value = headers[name]
            if schema.get("type") == "integer":
                if not re.fullmatch(r"\d+", value):
                    problems.append(f"header {name}: {value!r} is not an integer")
                    continue
                value = int(value)
            problems += [f"header {name}: {message}" for message in self._schema_problems(schema, value)]
        return problems

    def _body_problems(self, spec, headers, body):
        content = spec.get("content", {})
        media = headers.get("content-type", "").split(";")[0].strip().lower()
        if not body:
            if content and media:
                return [f"an empty {media} body, where the document describes content"]
            return []
        if not content:
            return [f"a {media or 'untyped'} body, where the document describes none"]
        if media not in content:
            return [f"media type {media!r} is not documented (only {', '.join(content)})"]
        schema = content[media].get("schema")
        if schema is None or not JSON_MEDIA.match(media):
            return []
        try:
            value = json.loads(body)
        except ValueError as error:
            return [f"the {media} body is not JSON: {error}"]
        return self._schema_problems(schema, value)

    def _schema_problems(self, schema, value):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            validator = jsonschema.Draft202012Validator(schema, resolver=self._resolver,
                                                        format_checker=jsonschema.FormatChecker())
            return [f"{'/'.join(map(str, error.absolute_path)) or 'body'}: {error.message}"
                    for error in validator.iter_errors(value)]

    def _resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, reference):
        if not reference.startswith("#/"):
            raise ValueError(f"only local references are supported: {reference}")
        node = self.document
        for part in reference[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


def _segments(path):
    return [segment for segment in path.split("/") if segment]


_contract = None


def contract(root):
    """The document of the checkout at `root`, read once per test process."""
    global _contract
    if _contract is None:
        _contract = ApiContract(os.path.join(root, "docs", "openapi.yaml"))
    return _contract
