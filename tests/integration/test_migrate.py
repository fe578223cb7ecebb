"""`leadgate migrate`: in order, once, under an advisory lock."""

import os
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, ROOT, Database, base_environment, require_environment, run_leadgate


def migration_files():
    return sorted(name for name in os.listdir(os.path.join(ROOT, "db", "migrations")) if name.endswith(".sql"))


class MigrateTest(unittest.TestCase):
    def setUp(self):
        require_environment(self)
        self.db = Database(migrate=False)
        self.environment = {"LEADGATE_DATABASE_URL": self.db.url}

    def tearDown(self):
        self.db.drop()

    def copy_db_directory(self):
        directory = tempfile.mkdtemp(prefix="leadgate-db-")
        shutil.copytree(os.path.join(ROOT, "db"), os.path.join(directory, "db"))
        self.addCleanup(shutil.rmtree, directory)
        return os.path.join(directory, "db")

    def applied(self):
        return [row[0] for row in self.db.query("SELECT name FROM schema_migrations ORDER BY version")]

    def test_concurrent_migrations_apply_each_file_once(self):
        processes = [subprocess.Popen([BIN, "migrate"], cwd=ROOT, env=base_environment(self.environment),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
        codes = [process.wait(60) for process in processes]
        self.assertEqual(codes, [0, 0, 0, 0], [process.stderr.read() for process in processes])
        self.assertEqual(self.applied(), migration_files())
        self.assertEqual(self.db.scalar("SELECT count(*) FROM schema_migrations"), len(migration_files()))
        self.assertEqual(self.db.scalar("SELECT to_regclass('leads') IS NOT NULL"), True)

    def test_running_again_changes_nothing(self):
        self.assertEqual(run_leadgate(["migrate"], self.environment).returncode, 0)
        applied_at = self.db.query("SELECT version, applied_at FROM schema_migrations")
        self.assertEqual(run_leadgate(["migrate"], self.environment).returncode, 0)
        self.assertEqual(self.db.query("SELECT version, applied_at FROM schema_migrations"), applied_at)

    def test_the_visitor_email_cap_reads_its_partial_index(self):
        # The index holds only the templates the view counts (0003): if the
        # two definitions drift apart, the cap silently becomes a scan of
        # every job on every form post.
        self.assertEqual(run_leadgate(["migrate"], self.environment).returncode, 0)
        plan = self.db.query("SET enable_seqscan = off; EXPLAIN SELECT count(*) FROM visitor_emails_last_day v "
                             "WHERE v.address_key = visitor_address_key('Ana+x@Example.com')")
        self.assertIn("jobs_visitor_emails_by_key", "\n".join(row[0] for row in plan))

    def test_a_lanes_claim_reads_only_its_own_kind(self):
        # The webhook lane must not walk every due e-mail to find no webhook (0005).
        self.assertEqual(run_leadgate(["migrate"], self.environment).returncode, 0)
        plan = self.db.query("SET enable_seqscan = off; EXPLAIN SELECT id FROM jobs WHERE status = 'queued' "
                             "AND kind = 'webhook' AND run_at <= now() ORDER BY run_at, id LIMIT 10")
        self.assertIn("Index Cond: ((kind = 'webhook'::text)", "\n".join(row[0] for row in plan))

    def test_a_failing_migration_is_rolled_back_and_reported(self):
        db_dir = self.copy_db_directory()
        with open(os.path.join(db_dir, "migrations", "9000_broken.sql"), "w") as handle:
            handle.write("CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n")
        result = run_leadgate(["migrate"], {**self.environment, "LEADGATE_PATHS_DB": db_dir})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("no_such_table", result.stdout + result.stderr)
        self.assertEqual(self.applied(), migration_files())
        self.assertEqual(self.db.scalar("SELECT to_regclass('half_done') IS NULL"), True)

    def test_an_edited_migration_is_refused(self):
        self.assertEqual(run_leadgate(["migrate"], self.environment).returncode, 0)
        db_dir = self.copy_db_directory()
        first = os.path.join(db_dir, "migrations", migration_files()[0])
        with open(first, "a") as handle:
            handle.write("\n-- edited after release\n")
        result = run_leadgate(["migrate"], {**self.environment, "LEADGATE_PATHS_DB": db_dir})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("was changed after it was applied", result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
