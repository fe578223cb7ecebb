"""A typed client generated from docs/openapi.yaml, with the tools
integrators use (openapi-typescript for the types, openapi-fetch for the
calls), posts an estimate, lists leads and exports CSV against a real server
(issue 17).

The test generates the types from the current document into a temporary
directory, type-checks and compiles client_test.ts against them with tsc
(strict: a call the document does not allow is a type error, and fails the
test), starts leadgate on a database of its own, makes a sales token, and
runs the compiled client with node.

Besides what the integration tests need (../integration/harness.py), it needs
tools/node/node_modules: scripts/install-node-tools.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from admin_api import create_token  # noqa: E402
from harness import ROOT, Database, Server, missing_prerequisite, require_environment  # noqa: E402

HERE = os.path.join(ROOT, "tests", "client")
NODE_MODULES = os.path.join(ROOT, "tools", "node", "node_modules")
DOCUMENT = os.path.join(ROOT, "docs", "openapi.yaml")


def tool(name):
    return os.path.join(NODE_MODULES, ".bin", name)


def compile_client(document, directory):
    """Generates DIRECTORY/api.d.ts from `document` and compiles
    client_test.ts against it into DIRECTORY/out/client_test.js. Returns
    (True, "") or (False, what went wrong)."""
    generate = subprocess.run([tool("openapi-typescript"), document, "-o", os.path.join(directory, "api.d.ts")],
                              capture_output=True, text=True, timeout=120)
    if generate.returncode != 0:
        return False, f"openapi-typescript {document} failed:\n{generate.stdout}{generate.stderr}"
    for name in ("client_test.ts", "tsconfig.json"):
        shutil.copy(os.path.join(HERE, name), directory)
    os.symlink(NODE_MODULES, os.path.join(directory, "node_modules"))
    with open(os.path.join(directory, "package.json"), "w", encoding="utf-8") as handle:
        handle.write('{"private": true, "type": "module"}\n')
    check = subprocess.run([tool("tsc"), "-p", "tsconfig.json"], cwd=directory,
                           capture_output=True, text=True, timeout=120)
    if check.returncode != 0:
        return False, (f"tsc: tests/client/client_test.ts does not type-check against the types generated from "
                       f"{document}:\n{check.stdout}{check.stderr}")
    return True, ""


class TypedClientTest(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(tool("openapi-typescript")) or not os.path.exists(tool("tsc")):
            missing_prerequisite(self, "tools/node/node_modules lacks openapi-typescript or tsc: "
                                       "run scripts/install-node-tools")
        self.node = shutil.which("node")
        if self.node is None:
            missing_prerequisite(self, "node is not on PATH")
        self.directory = tempfile.mkdtemp(prefix="leadgate-client-")
        self.addCleanup(shutil.rmtree, self.directory, True)

    def test_generated_client_posts_an_estimate_lists_leads_and_exports_csv(self):
        compiled, problem = compile_client(DOCUMENT, self.directory)
        if not compiled:
            self.fail(problem)

        require_environment(self)
        db = Database()
        self.addCleanup(db.drop)
        token = create_token(db, "typed client", "sales")
        server = Server(db.url)
        try:
            environment = dict(os.environ, BASE_URL=f"http://{server.address}", TOKEN=token)
            result = subprocess.run([self.node, os.path.join(self.directory, "out", "client_test.js")],
                                    env=environment, capture_output=True, text=True, timeout=60)
        finally:
            code = server.stop()
        self.assertEqual(result.returncode, 0, f"the typed client failed:\n{result.stdout}{result.stderr}")
        print(result.stdout.strip(), file=sys.stderr)
        self.assertEqual(code, 0, f"leadgate serve exited with {code}")


if __name__ == "__main__":
    unittest.main()
