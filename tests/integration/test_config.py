"""Configuration errors stop the process at once with a message naming the key
(docs/configuration.md, "How settings are read")."""

import os
import tempfile
import unittest

from harness import ServiceTest, require_environment, run_leadgate


def write_config(text):
    handle = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    handle.write(text)
    handle.close()
    return handle.name


class ConfigErrorTest(unittest.TestCase):
    def setUp(self):
        require_environment(self)

    def assert_refused(self, arguments, environment, key):
        result = run_leadgate(arguments, {"LEADGATE_DATABASE_URL": "postgresql:///unused", **environment}, timeout=10)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(key, result.stderr)
        return result

    def test_bad_environment_values_name_their_key(self):
        cases = [
            ({"LEADGATE_HTTP_LISTEN": "everywhere"}, "http.listen"),
            ({"LEADGATE_DATABASE_POOL_SIZE": "many"}, "database.pool_size"),
            ({"LEADGATE_DATABASE_POOL_SIZE": "0"}, "database.pool_size"),
            ({"LEADGATE_HTTP_PUBLIC_URL": "localhost"}, "http.public_url"),
            ({"LEADGATE_HTTP_ALLOWED_ORIGINS": "https://a.example/path"}, "http.allowed_origins"),
            ({"LEADGATE_HTTP_TRUSTED_PROXIES": "10.0.0.0/33"}, "http.trusted_proxies"),
            ({"LEADGATE_MAIL_URL": "gopher://mail"}, "mail.url"),
            ({"LEADGATE_BOOKING_TIMEZONE": "Mars/Olympus"}, "booking.timezone"),
            ({"LEADGATE_BOOKING_HOURS_MON": "17:00-09:00"}, "booking.hours.mon"),
            ({"LEADGATE_BOOKING_CLOSED_DATES": "2026-02-30"}, "booking.closed_dates"),
            ({"LEADGATE_FORMS_CAPTCHA": "turnstile"}, "forms.captcha_secret"),
            ({"LEADGATE_LOG_LEVEL": "loud"}, "log.level"),
        ]
        for environment, key in cases:
            with self.subTest(key=key):
                self.assert_refused(["serve"], environment, key)

    def test_unknown_key_in_the_file_is_refused(self):
        path = write_config("[http]\nlisten = \"127.0.0.1:0\"\nlistne = \"typo\"\n")
        self.assert_refused(["--config", path, "serve"], {}, "http.listne")
        os.unlink(path)

    def test_password_in_the_file_is_refused_without_printing_it(self):
        path = write_config('[database]\nurl = "postgresql://app:hunter2@db/leadgate"\n')
        result = self.assert_refused(["--config", path, "migrate"], {}, "database.url")
        self.assertNotIn("hunter2", result.stderr + result.stdout)
        os.unlink(path)

    def test_missing_explicit_config_file_is_refused(self):
        self.assert_refused(["--config", "/nonexistent/leadgate.toml", "serve"], {}, "/nonexistent/leadgate.toml")

    def test_missing_database_url_is_refused(self):
        result = run_leadgate(["serve"], {}, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("database.url", result.stderr)


class EnvironmentWinsOverFileTest(ServiceTest):
    # The file asks for a port nobody may bind; the harness's environment
    # (LEADGATE_HTTP_LISTEN=127.0.0.1:0) must win, or the server would not start.
    config = '[http]\nlisten = "192.0.2.1:1"\n[forms]\nbudgets = ["small", "large"]\n'

    def test_environment_overrides_file_and_file_overrides_defaults(self):
        lead = {"name": "Env", "email": "env@example.com", "message": "Budget from the file", "budget": "large"}
        self.assertEqual(self.server.post_json("/v1/forms/estimate", lead).status, 201)
        lead["budget"] = "10k_25k"  # a built-in default, replaced by the file's list
        self.assertEqual(self.server.post_json("/v1/forms/estimate", lead).status, 422)


if __name__ == "__main__":
    unittest.main()
